"""Place and source pages: what they show, and to whom (anonymous, stranger, member, owner)."""

import pytest
from django.test import Client
from django.urls import reverse

from genealogy import models as g
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import TreeMembershipFactory, import_tree

GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
0 @R1@ REPO
1 NAME Центральный государственный архив Республики Казахстан
0 @S1@ SOUR
1 TITL Метрическая книга Верненской церкви
1 AUTH Туркестанская духовная консистория
1 PUBL Верный, 1890
1 ABBR МК Верный
1 REPO @R1@
2 CALN ф. 15, оп. 1
0 @I1@ INDI
1 NAME Қасым /Оспанов/
1 SEX M
1 BIRT
2 DATE 12 MAR 1890
2 PLAC Верный, Семиреченская область
2 SOUR @S1@
3 PAGE ЦГА РК, ф. 15, оп. 1, д. 123, л. 45 об.
1 DEAT
2 DATE 1960
1 SOUR @S1@
2 PAGE л. 12
0 @I2@ INDI
1 NAME Тірі /Тірісова/
1 SEX F
1 BIRT
2 DATE 3 MAY 1997
2 PLAC Верный, Семиреченская область
1 SOUR @S1@
2 PAGE л. 77
0 @I3@ INDI
1 NAME Жасырын /Құпиясов/
1 SEX M
1 RESN confidential
1 BIRT
2 DATE 1880
2 PLAC Верный, Семиреченская область
1 DEAT
2 DATE 1950
0 @I4@ INDI
1 NAME Ахмет /Оспанов/
1 SEX M
1 BIRT
2 DATE 1915
2 PLAC Верный, Семиреченская область
1 DEAT
2 DATE 1990
1 FAMS @F1@
0 @I5@ INDI
1 NAME Айгерім /Тірісова/
1 SEX F
1 BIRT
2 DATE 1999
1 FAMS @F1@
0 @F1@ FAM
1 HUSB @I4@
1 WIFE @I5@
1 MARR
2 DATE 21 JUN 2019
2 PLAC Верный, Семиреченская область
2 SOUR @S1@
3 PAGE л. 99
0 TRLR
"""

LIVING = "Тірі"
HIDDEN = "Жасырын"
LIVING_BIRTH = "3 MAY 1997"
HIDDEN_FAMILY_DATE = "21 JUN 2019"


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def tree(owner):
    return import_tree(GEDCOM, slug="places", owner=owner)


@pytest.fixture
def private_tree(owner):
    return import_tree(GEDCOM, slug="places-private", owner=owner, visibility="private")


def place(tree, name="Верный"):
    return g.Place.objects.get(tree=tree, name=name)


def source(tree):
    return g.Source.objects.get(tree=tree, xref="S1")


def place_url(tree, lang="en", **query):
    url = f"/{lang}/trees/{tree.slug}/places/{place(tree).public_id}/"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def source_url(tree, lang="en"):
    return f"/{lang}/trees/{tree.slug}/sources/{source(tree).public_id}/"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# -- URL names ---------------------------------------------------------------------------------


def test_url_names_reverse_to_the_place_and_source_pages(tree):
    with_place = reverse(
        "genealogy:place", kwargs={"slug": tree.slug, "public_id": place(tree).public_id}
    )
    with_source = reverse(
        "genealogy:source", kwargs={"slug": tree.slug, "public_id": source(tree).public_id}
    )
    assert with_place.endswith(f"/trees/places/places/{place(tree).public_id}/")
    assert with_source.endswith(f"/trees/places/sources/{source(tree).public_id}/")


# -- the place page ----------------------------------------------------------------------------


def test_place_page_shows_name_full_name_type_and_coordinates(tree, client):
    verny = place(tree)
    verny.place_type = "город"
    verny.latitude, verny.longitude = 43.2383, 76.9453
    verny.save()
    page = text(client.get(place_url(tree)))
    assert "Верный, Семиреченская область" in page
    assert "город" in page
    assert "43.2383" in page
    assert "76.9453" in page


def test_place_page_lists_dated_names_with_language_and_date(tree, client):
    verny = place(tree)
    g.PlaceName.objects.create(
        place=verny, tree=tree, name="Алма-Ата", language="ru", date_phrase="FROM 1921 TO 1993"
    )
    g.PlaceName.objects.create(
        place=verny, tree=tree, name="Алматы", language="kk", start_jdn=2449000
    )
    page = text(client.get(place_url(tree)))
    assert "Алма-Ата" in page
    assert "FROM 1921 TO 1993" in page
    assert 'lang="kk">Алматы' in page
    assert "1993–" in page


def test_place_page_links_the_parent_place(tree, client):
    parent = place(tree, "Семиреченская область")
    page = text(client.get(place_url(tree)))
    assert f"/en/trees/places/places/{parent.public_id}/" in page


def test_parent_place_page_lists_the_places_within(tree, client):
    parent = place(tree, "Семиреченская область")
    page = text(client.get(f"/en/trees/places/places/{parent.public_id}/"))
    assert f"/en/trees/places/places/{place(tree).public_id}/" in page


def test_place_page_lists_events_with_their_people(tree, client):
    page = text(client.get(place_url(tree)))
    assert "Қасым Оспанов" in page
    assert "12 MAR 1890" in page
    assert "Ахмет Оспанов" in page


def test_place_page_hides_living_and_restricted_people_from_anonymous(tree, client):
    page = text(client.get(place_url(tree)))
    assert LIVING not in page
    assert HIDDEN not in page
    # Their events are left out altogether: the dates would say something about them.
    assert LIVING_BIRTH not in page
    assert "1880" not in page
    assert HIDDEN_FAMILY_DATE not in page


@pytest.mark.parametrize("who", ["owner", "member", "staff"])
def test_place_page_shows_everyone_to_full_access(tree, owner, who):
    user = {"owner": owner, "member": None, "staff": SuperUserFactory()}[who]
    if who == "member":
        user = TreeMembershipFactory(tree=tree).user
    page = text(client_for(user).get(place_url(tree)))
    assert LIVING in page
    assert LIVING_BIRTH in page
    assert HIDDEN in page
    assert HIDDEN_FAMILY_DATE in page


def test_place_page_hides_the_living_from_a_signed_in_stranger(tree):
    page = text(client_for(UserFactory()).get(place_url(tree)))
    assert LIVING not in page
    assert LIVING_BIRTH not in page


def test_hidden_witness_of_a_shown_event_appears_as_private(tree, client):
    kasym_birth = g.Event.objects.get(tree=tree, event_type="BIRT", participants__person__xref="I1")
    living = g.Person.objects.get(tree=tree, xref="I2")
    g.EventParticipant.objects.create(event=kasym_birth, person=living, tree=tree, role="witness")
    page = text(client.get(place_url(tree)))
    assert "12 MAR 1890" in page
    assert "Private" in page
    assert LIVING not in page


def test_private_place_is_404_to_anonymous_but_shown_to_the_owner(tree, owner, client):
    verny = place(tree)
    verny.private = True
    verny.save()
    assert client.get(place_url(tree)).status_code == 404
    assert client_for(owner).get(place_url(tree)).status_code == 200


def test_place_events_are_paginated(tree, client, monkeypatch):
    from genealogy import views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    first = text(client.get(place_url(tree)))
    assert "?page=2" in first
    second = text(client.get(place_url(tree, page=2)))
    assert "?page=1" in second
    assert text(client.get(place_url(tree, page="x")))


def test_place_page_query_count_does_not_grow_with_its_events(
    tree, client, django_assert_max_num_queries
):
    verny = place(tree)
    kasym = g.Person.objects.get(tree=tree, xref="I1")
    for year in range(1900, 1960):
        event = g.Event.objects.create(
            tree=tree, event_type="RESI", date_phrase=str(year), place=verny
        )
        g.EventParticipant.objects.create(event=event, person=kasym, tree=tree)
    with django_assert_max_num_queries(20):
        client.get(place_url(tree))


def test_place_of_another_tree_is_404(tree, client):
    other = import_tree(GEDCOM, slug="places-other")
    url = f"/en/trees/places/places/{place(other).public_id}/"
    assert client.get(url).status_code == 404


def test_unknown_place_is_404(tree, client):
    assert client.get("/en/trees/places/places/nosuchplace0/").status_code == 404


# -- the source page ---------------------------------------------------------------------------


def test_source_page_shows_title_author_publication_and_abbreviation(tree, client):
    page = text(client.get(source_url(tree)))
    assert "Метрическая книга Верненской церкви" in page
    assert "Туркестанская духовная консистория" in page
    assert "Верный, 1890" in page
    assert "МК Верный" in page


def test_source_page_lists_the_repository_and_call_number(tree, client):
    page = text(client.get(source_url(tree)))
    assert "Центральный государственный архив Республики Казахстан" in page
    assert "ф. 15, оп. 1" in page


def test_source_page_renders_archival_references_like_citations(tree, client):
    g.ArchivalReference.objects.create(
        tree=tree, source=source(tree), archive="ЦГА РК", fond="15", inventory="1", file="7"
    )
    page = text(client.get(source_url(tree)))
    assert "ЦГА РК, ф. 15, оп. 1, д. 7" in page
    assert "ф. 15, оп. 1, д. 123, л. 45 об." in page


def test_source_page_links_the_cited_person_and_event(tree, client):
    kasym = g.Person.objects.get(tree=tree, xref="I1")
    page = text(client.get(source_url(tree)))
    assert f"/en/trees/places/people/{kasym.public_id}/" in page
    assert "л. 12" in page


def test_source_page_hides_citations_of_hidden_people_from_anonymous(tree, client):
    page = text(client.get(source_url(tree)))
    assert LIVING not in page
    assert "л. 77" not in page
    assert "л. 99" not in page  # the marriage of a living partner
    assert HIDDEN_FAMILY_DATE not in page


def test_citations_of_names_follow_their_person(tree, client):
    kasym_name = g.Name.objects.get(tree=tree, person__xref="I1")
    living_name = g.Name.objects.get(tree=tree, person__xref="I2")
    g.Citation.objects.create(source=source(tree), tree=tree, name=kasym_name, page="л. 501")
    g.Citation.objects.create(source=source(tree), tree=tree, name=living_name, page="л. 502")
    page = text(client.get(source_url(tree)))
    assert "л. 501" in page
    assert "name: Қасым Оспанов" in page
    assert "л. 502" not in page
    kasym_name.private = True
    kasym_name.save()
    assert "л. 501" not in text(client.get(source_url(tree)))


def test_event_of_a_family_with_one_dead_partner_is_shown(tree, client):
    kasym = g.Person.objects.get(tree=tree, xref="I1")
    family = g.Family.objects.create(tree=tree, partner1=kasym)
    event = g.Event.objects.create(
        tree=tree, event_type="MARR", date_phrase="1 JAN 1911", place=place(tree)
    )
    g.EventParticipant.objects.create(event=event, family=family, tree=tree)
    g.Citation.objects.create(source=source(tree), tree=tree, family=family, page="л. 601")
    assert "1 JAN 1911" in text(client.get(place_url(tree)))
    assert "л. 601" in text(client.get(source_url(tree)))


def test_source_page_shows_every_citation_to_a_member(tree):
    member = TreeMembershipFactory(tree=tree).user
    page = text(client_for(member).get(source_url(tree)))
    assert LIVING in page
    assert "л. 77" in page
    assert "л. 99" in page


def test_private_citation_is_shown_to_the_owner_only(tree, owner, client):
    citation = g.Citation.objects.get(tree=tree, page="л. 12")
    citation.private = True
    citation.save()
    assert "л. 12" not in text(client.get(source_url(tree)))
    assert "л. 12" not in text(client_for(UserFactory()).get(source_url(tree)))
    assert "л. 12" in text(client_for(owner).get(source_url(tree)))


def test_private_source_is_404_to_anonymous(tree, owner, client):
    s = source(tree)
    s.private = True
    s.save()
    assert client.get(source_url(tree)).status_code == 404
    assert client_for(owner).get(source_url(tree)).status_code == 200


def test_source_of_another_tree_is_404(tree, client):
    other = import_tree(GEDCOM, slug="places-other")
    url = f"/en/trees/places/sources/{source(other).public_id}/"
    assert client.get(url).status_code == 404


def test_gedcom_text_is_escaped(tree, client):
    s = source(tree)
    s.title = "<script>alert(1)</script>"
    s.author = "<b>bold</b>"
    s.save()
    verny = place(tree)
    verny.full_name = "<img src=x onerror=alert(1)>"
    verny.save()
    source_page = text(client.get(source_url(tree)))
    place_page = text(client.get(place_url(tree)))
    assert "<script>alert(1)</script>" not in source_page
    assert "&lt;script&gt;" in source_page
    assert "<b>bold</b>" not in source_page
    assert "<img src=x" not in place_page


# -- who may open them -------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["place", "source"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("stranger", 404), ("member", 200), ("owner", 200), ("staff", 200)],
)
def test_private_tree_pages_open_only_to_owner_members_and_staff(
    private_tree, owner, page, who, status
):
    user = {
        "anonymous": None,
        "stranger": UserFactory(),
        "member": TreeMembershipFactory(tree=private_tree).user,
        "owner": owner,
        "staff": SuperUserFactory(),
    }[who]
    url = place_url(private_tree) if page == "place" else source_url(private_tree)
    response = client_for(user).get(url)
    assert response.status_code == status
    if status == 200:
        assert LIVING in response.content.decode()


def test_members_only_tree_sends_anonymous_to_sign_in(owner, client):
    tree = import_tree(GEDCOM, slug="places-users", owner=owner, visibility="users")
    response = client.get(place_url(tree))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_pages_open_in_every_language(tree, client, lang):
    assert "Метрическая книга" in text(client.get(source_url(tree, lang)))
    assert "Қасым Оспанов" in text(client.get(place_url(tree, lang)))


def test_place_and_source_pages_accept_only_get(tree, client):
    assert client.post(place_url(tree)).status_code == 405


# -- links from the tree and person pages --------------------------------------------------------


def test_tree_page_place_index_links_to_the_place_page(tree, client):
    page = text(client.get("/en/trees/places/"))
    assert f"/en/trees/places/places/{place(tree).public_id}/" in page


def test_tree_page_place_index_leaves_out_private_places(tree, client):
    verny = place(tree)
    verny.private = True
    verny.save()
    page = text(client.get("/en/trees/places/"))
    assert verny.public_id not in page


def test_person_page_links_timeline_places_and_cited_sources(tree, client):
    kasym = g.Person.objects.get(tree=tree, xref="I1")
    page = text(client.get(f"/en/trees/places/people/{kasym.public_id}/"))
    assert f"/en/trees/places/places/{place(tree).public_id}/" in page
    assert f"/en/trees/places/sources/{source(tree).public_id}/" in page
