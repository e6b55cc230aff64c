"""Canary and matrix tests of privacy on every research surface.

The canary tree carries unique tokens in living, private (RESN confidential), locked and
RESN-privacy records: names, places, notes, citations, media, a marriage. Every page, chart,
download and relationship answer is fetched; no token may appear for anyone without rights.
"""

import itertools

import pytest
from django.test import Client

from genealogy import models as g
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import TreeMembershipFactory, import_tree

CANARY_GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
0 @S1@ SOUR
1 TITL Метрическая книга
0 @I1@ INDI
1 NAME Dead /Grandpa/
1 SEX M
1 BIRT
2 DATE 1900
1 DEAT
2 DATE 1970
1 FAMS @F1@
0 @I2@ INDI
1 NAME Dead /Grandma/
1 SEX F
1 BIRT
2 DATE 1905
1 DEAT
2 DATE 1980
1 FAMS @F1@
0 @I3@ INDI
1 NAME Canaryliving /Tokenalpha/
1 SEX M
1 BIRT
2 DATE 1980
2 PLAC Canaryplace
1 NOTE canarynote
1 SOUR @S1@
2 PAGE canarypage
1 FAMC @F1@
1 FAMS @F2@
0 @I4@ INDI
1 NAME Canarywife /Tokenbeta/
1 SEX F
1 OBJE
2 FILE https://example.org/canarymedia.jpg
2 FORM jpg
1 FAMS @F2@
0 @I5@ INDI
1 NAME Canarychild /Tokengamma/
1 SEX F
1 BIRT
2 DATE 2010
1 FAMC @F2@
0 @I6@ INDI
1 NAME Canaryresn /Tokendelta/
1 SEX M
1 RESN privacy
1 DEAT
2 DATE 1950
1 FAMC @F1@
0 @I7@ INDI
1 NAME Canaryconf /Tokenepsilon/
1 SEX F
1 RESN confidential
1 DEAT
2 DATE 1951
1 FAMC @F1@
0 @I8@ INDI
1 NAME Canarylocked /Tokenzeta/
1 SEX M
1 RESN locked
1 DEAT
2 DATE 1952
1 FAMC @F1@
0 @I9@ INDI
1 NAME Visible /Sibling/
1 SEX M
1 BIRT
2 DATE 1930
1 DEAT
2 DATE 2000
1 FAMC @F1@
0 @F1@ FAM
1 HUSB @I1@
1 WIFE @I2@
1 CHIL @I3@
1 CHIL @I6@
1 CHIL @I7@
1 CHIL @I8@
1 CHIL @I9@
0 @F2@ FAM
1 HUSB @I3@
1 WIFE @I4@
1 CHIL @I5@
1 MARR
2 DATE 2005
2 PLAC Canarymarriageplace
0 TRLR
"""
TOKENS = [
    "canaryliving",
    "tokenalpha",
    "canaryplace",
    "canarynote",
    "canarypage",
    "canarywife",
    "tokenbeta",
    "canarymedia",
    "canarymarriageplace",
    "canarychild",
    "tokengamma",
    "canaryresn",
    "tokendelta",
    "canaryconf",
    "tokenepsilon",
    "canarylocked",
    "tokenzeta",
]
XREFS = [f"I{n}" for n in range(1, 10)]
CHARTS = ["pedigree", "descendants", "hourglass", "fan"]


@pytest.fixture(scope="module")
def canary(django_db_setup, django_db_blocker):
    from genealogy.services import tree_purge

    with django_db_blocker.unblock():
        owner = UserFactory()
        tree = import_tree(CANARY_GEDCOM, slug="canary", owner=owner)
        member = TreeMembershipFactory(tree=tree).user
        users = {
            "anonymous": None,
            "stranger": UserFactory(),
            "member": member,
            "owner": owner,
            "staff": SuperUserFactory(),
        }
        people = {p.xref: p for p in g.Person.objects.filter(tree=tree)}
        families = list(g.Family.objects.filter(tree=tree))
        yield {"tree": tree, "users": users, "people": people, "families": families}
        tree_purge(tree=tree)
        for user in users.values():
            if user is not None:
                user.delete()


def surfaces(canary, language="en"):
    """Every research URL of the canary tree."""
    slug = canary["tree"].slug
    base = f"/{language}/trees/{slug}"
    urls = [f"{base}/", f"{base}/relationship/"]
    for person in canary["people"].values():
        urls.append(f"{base}/people/{person.public_id}/")
        urls.append(f"{base}/xref/{person.xref}/")
        for kind in CHARTS:
            urls.append(f"{base}/people/{person.public_id}/charts/{kind}/")
            urls.append(f"{base}/people/{person.public_id}/charts/{kind}/?format=svg")
    for family in canary["families"]:
        urls.append(f"{base}/families/{family.public_id}/")
    for a, b in itertools.product(["I1", "I3", "I9"], XREFS):
        urls.append(f"{base}/relationship/?a={a}&b={b}")
        urls.append(f"{base}/relationship/?a={a}&b={b}&format=json")
    return urls


def fetch(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode("utf-8").lower()


def leaked(text: str) -> list[str]:
    return [token for token in TOKENS if token in text]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "kk"])
def test_no_canary_token_reaches_an_anonymous_visitor(canary, language):
    client = Client()
    found = {url: leaked(fetch(client, url)) for url in surfaces(canary, language)}
    assert {url: tokens for url, tokens in found.items() if tokens} == {}


@pytest.mark.django_db
def test_no_canary_token_reaches_a_signed_in_stranger(canary):
    client = client_for(canary["users"]["stranger"])
    found = {url: leaked(fetch(client, url)) for url in surfaces(canary)}
    assert {url: tokens for url, tokens in found.items() if tokens} == {}


@pytest.mark.django_db
def test_canary_tokens_are_really_there_for_the_owner(canary):
    client = client_for(canary["users"]["owner"])
    seen = set()
    for url in surfaces(canary):
        seen.update(leaked(fetch(client, url)))
    assert seen == set(TOKENS)


# -- the matrix: every role × every surface ----------------------------------------------------

ROLES = ["anonymous", "stranger", "member", "owner", "staff"]
MAY_SEE = {"anonymous": False, "stranger": False, "member": True, "owner": True, "staff": True}


def surface_urls(canary):
    slug = canary["tree"].slug
    living = canary["people"]["I3"]
    root = canary["people"]["I1"]
    family = next(f for f in canary["families"] if f.partner1_id == living.pk)
    base = f"/en/trees/{slug}"
    return {
        "person page": (f"{base}/people/{living.public_id}/", "tokenalpha"),
        "family page": (f"{base}/families/{family.public_id}/", "canarymarriageplace"),
        "tree page": (f"{base}/", "tokenalpha"),
        "xref redirect": (f"{base}/xref/I3/", "canarynote"),
        "pedigree chart": (f"{base}/people/{root.public_id}/charts/pedigree/", None),
        "descendants chart": (f"{base}/people/{root.public_id}/charts/descendants/", "canarychild"),
        "descendants svg": (
            f"{base}/people/{root.public_id}/charts/descendants/?format=svg",
            "canarywife",
        ),
        "hourglass chart": (f"{base}/people/{root.public_id}/charts/hourglass/", "canaryliving"),
        "fan chart": (f"{canary_person_url(canary, 'I5')}charts/fan/", "canaryliving"),
        "relationship page": (f"{base}/relationship/?a=I1&b=I5", "canarychild"),
        "relationship json": (f"{base}/relationship/?a=I9&b=I3&format=json", "canaryliving"),
    }


def canary_person_url(canary, xref):
    person = canary["people"][xref]
    return f"/en/trees/{canary['tree'].slug}/people/{person.public_id}/"


MATRIX_SURFACES = [
    "person page",
    "family page",
    "tree page",
    "xref redirect",
    "descendants chart",
    "descendants svg",
    "hourglass chart",
    "fan chart",
    "relationship page",
    "relationship json",
]


@pytest.mark.django_db
@pytest.mark.parametrize("surface", MATRIX_SURFACES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix_living_details_only_for_those_with_rights(canary, role, surface):
    url, token = surface_urls(canary)[surface]
    text = fetch(client_for(canary["users"][role]), url)
    assert (token in text) is MAY_SEE[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix_private_tree_opens_only_for_those_with_rights(canary, role):
    tree = canary["tree"]
    tree.visibility = g.Visibility.PRIVATE
    tree.save(update_fields=["visibility"])
    try:
        response = client_for(canary["users"][role]).get(f"/en/trees/{tree.slug}/")
        assert (response.status_code == 200) is MAY_SEE[role]
        if not MAY_SEE[role]:
            assert response.status_code == 404
    finally:
        tree.visibility = g.Visibility.PUBLIC
        tree.save(update_fields=["visibility"])


@pytest.mark.django_db
def test_members_only_tree_sends_anonymous_to_sign_in(canary):
    tree = canary["tree"]
    tree.visibility = g.Visibility.USERS
    tree.save(update_fields=["visibility"])
    try:
        response = Client().get(f"/en/trees/{tree.slug}/")
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]
    finally:
        tree.visibility = g.Visibility.PUBLIC
        tree.save(update_fields=["visibility"])


@pytest.mark.django_db
def test_hidden_person_page_title_says_private(canary):
    text = fetch(Client(), canary_person_url(canary, "I3"))
    assert "<title>private" in text
    assert 'name="robots" content="noindex"' in text
