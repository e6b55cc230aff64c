"""GEDCOM export and the privacy of the living: who may download a tree, and what they get.

The canary tree carries unique tokens in living, private (RESN privacy), confidential and
locked people (names, events, places, notes, citations, media, custom tags), in the families
of living partners, and in restricted sub-records of a dead, visible person (an alias, an
event, a citation, a custom tag, a private source and shared note). Whoever lacks full access
gets a file with none of them that still imports with every individual and family.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from genealogy import models as g
from importers.exporter import tree_export
from importers.gedcom.tokenizer import open_gedcom
from importers.loader import tree_import
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import TreeMembershipFactory, import_tree
from tests.importers.exports import client_for, download_url, job_from, read, request_export
from tests.importers.exports import download as site_download

pytestmark = pytest.mark.django_db

CANARY_GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
1 SUBM @U1@
0 @U1@ SUBM
1 NAME Submittertoken
1 ADDR Submitteraddresstoken
2 CITY Submittercitytoken
1 EMAIL submitteremailtoken@example.org
1 PHON Submitterphonetoken
0 @S1@ SOUR
1 TITL Метрическая книга
0 @S2@ SOUR
1 TITL Secretsourcetoken
1 RESN confidential
0 @N1@ NOTE Sharedsecretnotetoken
1 RESN privacy
0 @N2@ NOTE Public shared note
0 @I1@ INDI
1 NAME Dead /Grandpa/
1 NAME Hiddenaliastoken /Grandpa/
2 TYPE aka
2 RESN confidential
1 SEX M
1 BIRT
2 DATE 1900
1 DEAT
2 DATE 1970
1 OCCU Privateoccutoken
2 RESN privacy
1 RESI
2 PLAC Visibleplace
1 SOUR @S1@
2 PAGE Visible page one
1 SOUR @S1@
2 PAGE Restrictedpagetoken
2 RESN confidential
1 SOUR @S2@
2 PAGE Secretsourcepagetoken
1 NOTE @N1@
1 NOTE @N2@
1 _CUSTOM Visible custom
1 _SECRET Customsecrettoken
2 RESN locked
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
2 GIVN Canaryliving
2 SURN Tokenalpha
2 NICK Nicktoken
1 SEX M
1 BIRT
2 DATE 1980
2 PLAC Canaryplace
2 NOTE Birthnotetoken
1 OCCU Occutoken
1 NOTE Canarynote
1 SOUR @S1@
2 PAGE Canarypage
2 DATA
3 TEXT Citationtexttoken
1 _CUSTOM Customtoken
2 _DEEP Deepcustomtoken
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
2 PLAC Resnplacetoken
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
1 FAMS @F3@
0 @I10@ INDI
1 NAME Canaryspouse /Tokeneta/
1 SEX F
1 FAMS @F3@
0 @F1@ FAM
1 HUSB @I1@
1 WIFE @I2@
1 CHIL @I3@
1 CHIL @I6@
1 CHIL @I7@
1 CHIL @I8@
1 CHIL @I9@
1 MARR
2 DATE 1925
2 PLAC Visiblemarriageplace
0 @F2@ FAM
1 HUSB @I3@
1 WIFE @I4@
1 CHIL @I5@
1 MARR
2 DATE 2005
2 PLAC Canarymarriageplace
1 NOTE Familynotetoken
1 SOUR @S1@
2 PAGE Familypagetoken
1 _FAMCUSTOM Famcustomtoken
0 @F3@ FAM
1 HUSB @I9@
1 WIFE @I10@
1 MARR
2 DATE 1960
2 PLAC Mixedmarriagetoken
0 TRLR
"""
TOKENS = [
    # the living, their family and their child
    "canaryliving",
    "tokenalpha",
    "nicktoken",
    "canaryplace",
    "birthnotetoken",
    "occutoken",
    "canarynote",
    "canarypage",
    "citationtexttoken",
    "customtoken",
    "deepcustomtoken",
    "canarywife",
    "tokenbeta",
    "canarymedia",
    "canarychild",
    "tokengamma",
    "canarymarriageplace",
    "familynotetoken",
    "familypagetoken",
    "famcustomtoken",
    # a living spouse of a dead man: their marriage is theirs too
    "canaryspouse",
    "tokeneta",
    "mixedmarriagetoken",
    # restricted people
    "canaryresn",
    "tokendelta",
    "resnplacetoken",
    "canaryconf",
    "tokenepsilon",
    "canarylocked",
    "tokenzeta",
    # restricted parts of a visible person
    "hiddenaliastoken",
    "privateoccutoken",
    "restrictedpagetoken",
    "secretsourcetoken",
    "secretsourcepagetoken",
    "sharedsecretnotetoken",
    "customsecrettoken",
    # the submitter: whoever made the file, most likely living
    "submittertoken",
    "submitteraddresstoken",
    "submittercitytoken",
    "submitteremailtoken",
    "submitterphonetoken",
]
VISIBLE = [
    "Dead /Grandpa/",
    "Dead /Grandma/",
    "Visible /Sibling/",
    "Visibleplace",
    "Visible page one",
    "Public shared note",
    "Visible custom",
    "Visiblemarriageplace",
    "Метрическая книга",
]
HIDDEN_XREFS = ["I3", "I4", "I5", "I6", "I7", "I8", "I10"]


def download(client: Client, tree: g.Tree, version: str = "5.5.1") -> str:
    """What the site gives ``client``'s visitor: the export requested, written by its job in
    the background, and downloaded."""
    return site_download(client, tree.slug, version)


def export(tree: g.Tree, version: str = "5.5.1", **kwargs) -> str:
    buffer = io.BytesIO()
    tree_export(tree=tree, version=version, fileobj=buffer, **kwargs)
    return buffer.getvalue().decode("utf-8-sig")


def leaked(text: str) -> list[str]:
    lowered = text.lower()
    return [token for token in TOKENS if token in lowered]


def record(text: str, xref: str) -> list[str]:
    """The lines of the record ``xref`` (its level-0 line first)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"0 @{xref}@ "))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("0 "))
    return lines[start:end]


def without_date(text: str) -> str:
    """The export without the header's date and time of writing."""
    return re.sub(r"^(1 DATE|2 TIME) .*$", "", text, count=2, flags=re.MULTILINE)


# -- what a visitor without full access gets ---------------------------------------------------


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_no_canary_token_reaches_an_anonymous_visitor(canary, version):
    text = download(Client(), canary, version)
    assert leaked(text) == []


def test_no_canary_token_reaches_a_signed_in_stranger(canary):
    assert leaked(download(client_for(UserFactory()), canary)) == []


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_redacted_export_reimports_with_every_individual_and_family(canary, version):
    text = download(Client(), canary, version)
    tree_import(source=io.BytesIO(text.encode("utf-8")), slug="again")
    again = g.Tree.objects.get(slug="again")
    for model in (g.Person, g.Family):
        assert model.objects.filter(tree=again).count() == model.objects.filter(tree=canary).count()
    links = sorted(
        g.ChildLink.objects.filter(tree=again).values_list("family__xref", "child__xref")
    )
    assert links == sorted(
        g.ChildLink.objects.filter(tree=canary).values_list("family__xref", "child__xref")
    )


def test_redacted_export_keeps_what_visitors_may_see(canary):
    text = download(Client(), canary)
    assert [phrase for phrase in VISIBLE if phrase not in text] == []


@pytest.mark.parametrize("xref", HIDDEN_XREFS)
def test_hidden_person_is_a_placeholder_with_only_name_and_family_links(canary, xref):
    lines = record(download(Client(), canary), xref)
    assert lines[0] == f"0 @{xref}@ INDI"
    assert lines[1] == "1 NAME Private"
    assert all(re.fullmatch(r"1 FAM[CS] @F\d+@", line) for line in lines[2:]), lines
    assert len(lines) > 2


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_submitter_is_a_placeholder(canary, version):
    """A submitter record names whoever made the file, with their address: visitors get only
    the record (so the header's pointer to it holds) with the placeholder name."""
    assert record(export(canary, version, redact=True), "U1") == ["0 @U1@ SUBM", "1 NAME Private"]
    assert "1 PHON Submitterphonetoken" in record(export(canary, version), "U1")


def test_family_with_a_hidden_partner_keeps_only_its_links(canary):
    text = download(Client(), canary)
    assert record(text, "F2") == ["0 @F2@ FAM", "1 HUSB @I3@", "1 WIFE @I4@", "1 CHIL @I5@"]
    assert record(text, "F3") == ["0 @F3@ FAM", "1 HUSB @I9@", "1 WIFE @I10@"]


def test_resn_is_written_only_in_the_full_export(canary):
    assert "RESN" not in download(Client(), canary)
    assert "1 RESN privacy" in export(canary)


def test_private_records_are_left_out_and_nothing_points_at_them(canary):
    text = download(Client(), canary)
    assert "@S2@" not in text and "@N1@" not in text
    assert "0 @S1@ SOUR" in text and "0 @N2@ NOTE Public shared note" in text


# -- those with full access --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "member", "staff"])
def test_full_access_gets_the_full_export(canary, owner, role):
    user = {
        "owner": owner,
        "member": TreeMembershipFactory(tree=canary).user,
        "staff": SuperUserFactory(),
    }[role]
    text = download(client_for(user), canary)
    assert set(leaked(text)) == set(TOKENS)
    assert without_date(text) == without_date(export(canary))


def test_redact_off_is_the_full_export(canary):
    text = export(canary, redact=False)
    assert set(leaked(text)) == set(TOKENS)
    assert without_date(text) == without_date(export(canary))


# -- who may download --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_private_tree_does_not_exist_for_others(canary, who):
    canary.visibility = g.Visibility.PRIVATE
    canary.save(update_fields=["visibility"])
    user = UserFactory() if who == "stranger" else None
    assert client_for(user).get("/en/trees/canary/export/").status_code == 404
    assert request_export(client_for(user), "canary").status_code == 404


def test_unapproved_tree_does_not_exist_for_others(owner):
    tree = import_tree(CANARY_GEDCOM, slug="draft", owner=owner, approved=False)
    assert client_for(UserFactory()).get(f"/en/trees/{tree.slug}/export/").status_code == 404
    assert request_export(client_for(UserFactory()), tree.slug).status_code == 404
    assert client_for(owner).get(f"/en/trees/{tree.slug}/export/").status_code == 200
    assert set(leaked(download(client_for(owner), tree))) == set(TOKENS)


def test_members_only_tree_sends_anonymous_to_sign_in_and_redacts_for_users(canary):
    canary.visibility = g.Visibility.USERS
    canary.save(update_fields=["visibility"])
    for response in (Client().get("/en/trees/canary/export/"), request_export(Client(), "canary")):
        assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert leaked(download(client_for(UserFactory()), canary)) == []


def test_missing_tree_is_404():
    assert Client().get("/en/trees/nowhere/export/").status_code == 404
    assert request_export(Client(), "nowhere").status_code == 404


def test_export_is_not_kept_by_shared_caches(canary):
    client = Client()
    response = client.get(download_url(job_from(request_export(client, "canary"))))
    read(response)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_tree_page_offers_both_gedcom_versions(canary):
    text = Client().get("/en/trees/canary/").content.decode()
    assert 'method="post" action="/en/trees/canary/export/"' in text
    assert 'name="version" value="5.5.1"' in text
    assert 'name="version" value="7.0"' in text


# -- the command -------------------------------------------------------------------------------


def test_command_redact_writes_the_visitors_export(canary, tmp_path):
    target = tmp_path / "out.ged"
    call_command("export_gedcom", tree="canary", output=str(target), redact=True)
    text = target.read_text(encoding="utf-8-sig")
    assert leaked(text) == []
    assert "1 NAME Private" in text and "Visible /Sibling/" in text


def test_command_writes_the_full_export_by_default(canary, tmp_path):
    target = tmp_path / "out.ged"
    call_command("export_gedcom", "--tree", "canary", "--output", str(target))
    assert set(leaked(target.read_text(encoding="utf-8-sig"))) == set(TOKENS)


# -- cost --------------------------------------------------------------------------------------


def test_redacted_export_queries_are_per_chunk_not_per_person(
    corpus, django_assert_max_num_queries
):
    tree_import(source=corpus / "gedcom4j/willis.ged", slug="w")  # 761 people
    tree = g.Tree.objects.get(slug="w")
    g.Person.objects.filter(tree=tree, pk__in=g.Person.objects.filter(tree=tree)[:300]).update(
        living=True
    )
    with django_assert_max_num_queries(60):
        tree_export(tree=tree, version="5.5.1", fileobj=io.BytesIO(), redact=True)
    with open_gedcom(io.BytesIO(export(tree, redact=True).encode())) as stream:
        assert sum(r.tag == "INDI" for r in stream) == g.Person.objects.filter(tree=tree).count()
