"""Research pages: tree, person, family, xref redirect, charts, relationship JSON."""

import pytest
from django.test import Client
from django.utils import translation

from genealogy import models as g
from tests.genealogy.factories import import_tree

GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
0 @R1@ REPO
1 NAME Центральный государственный архив Республики Казахстан
0 @S1@ SOUR
1 TITL Метрическая книга
1 REPO @R1@
0 @I1@ INDI
1 NAME Қасым /Оспанов/
1 NAME Касым /Оспанов/
2 TYPE aka
1 SEX M
1 BIRT
2 DATE 12 MAR 1890
2 PLAC Верный
2 SOUR @S1@
3 PAGE ЦГА РК, ф. 15, оп. 1, д. 123, л. 45 об.
1 DEAT
2 DATE 1960
1 NOTE A note about Қасым.
1 FAMS @F1@
0 @I2@ INDI
1 NAME Айша /Оспанова/
1 SEX F
1 BIRT
2 DATE 1895
1 DEAT
2 DATE 1970
1 FAMS @F1@
0 @I3@ INDI
1 NAME Ахмет /Оспанов/
1 SEX M
1 BIRT
2 DATE 1915
1 DEAT
2 DATE 1990
1 FAMC @F1@
0 @F1@ FAM
1 HUSB @I1@
1 WIFE @I2@
1 CHIL @I3@
1 MARR
2 DATE 1912
0 TRLR
"""


@pytest.fixture
def tree(db):
    return import_tree(GEDCOM, slug="views")


def person(tree, xref):
    return g.Person.objects.get(tree=tree, xref=xref)


def test_xref_redirects_to_the_person_page(tree, client: Client):
    response = client.get("/en/trees/views/xref/I1/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/trees/views/people/{person(tree, 'I1').public_id}/"


def test_unknown_xref_is_404(tree, client: Client):
    assert client.get("/en/trees/views/xref/I99/").status_code == 404


def test_person_page_lists_all_names(tree, client: Client):
    text = client.get(f"/en/trees/views/people/{person(tree, 'I1').public_id}/").content.decode()
    assert "Қасым Оспанов" in text
    assert "Касым Оспанов" in text


def test_person_page_renders_the_archival_reference(tree, client: Client):
    text = client.get(f"/ru/trees/views/people/{person(tree, 'I1').public_id}/").content.decode()
    assert "ф. 15, оп. 1, д. 123, л. 45 об." in text


def test_person_page_shows_the_place_name_then_and_now(tree, client: Client):
    place = g.Place.objects.get(tree=tree, name="Верный")
    g.PlaceName.objects.create(place=place, tree=tree, name="Верный", end_jdn=2422325)
    g.PlaceName.objects.create(place=place, tree=tree, name="Алматы", start_jdn=2449000)
    text = client.get(f"/en/trees/views/people/{person(tree, 'I1').public_id}/").content.decode()
    assert "now: Алматы" in text


LOCATION_GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
0 @I1@ INDI
1 NAME Ахмет /Сейітов/
1 BIRT
2 DATE 1 MAR 1900
2 PLAC Алматы
3 _LOC @L1@
1 DEAT
2 DATE 1950
0 @L1@ _LOC
1 NAME Верный
2 DATE FROM 1854 TO 1921
2 LANG ru
1 NAME Алма-Ата
2 DATE FROM 1921 TO 1993
1 NAME Алматы
2 DATE FROM 1993
2 LANG kk
0 TRLR
"""


@pytest.mark.django_db
def test_names_over_time_from_the_file_reach_the_person_and_place_pages(client: Client):
    """A GEDCOM-L location record's dated names: the person page gives the name the place had
    at the event, the place page lists them all with their dates."""
    tree = import_tree(LOCATION_GEDCOM, slug="located")
    page = client.get(f"/en/trees/located/people/{person(tree, 'I1').public_id}/")
    assert "then: Верный" in page.content.decode()
    place = g.Place.objects.get(tree=tree, name="Алматы")
    text = client.get(f"/en/trees/located/places/{place.public_id}/").content.decode()
    for name, when in (("Верный", "FROM 1854 TO 1921"), ("Алма-Ата", "FROM 1921 TO 1993")):
        assert name in text and when in text


def test_person_page_lists_parents_and_children(tree, client: Client):
    text = client.get(f"/en/trees/views/people/{person(tree, 'I3').public_id}/").content.decode()
    assert "Айша Оспанова" in text
    assert "Қасым Оспанов" in text


def test_person_page_of_another_tree_is_404(tree, client: Client):
    other = import_tree(GEDCOM, slug="views-other")
    url = f"/en/trees/views/people/{person(other, 'I1').public_id}/"
    assert client.get(url).status_code == 404


def test_family_page_shows_partners_children_and_marriage(tree, client: Client):
    family = g.Family.objects.get(tree=tree, xref="F1")
    text = client.get(f"/en/trees/views/families/{family.public_id}/").content.decode()
    assert "Ахмет Оспанов" in text
    assert "1912" in text


def test_tree_page_has_statistics_and_indexes(tree, client: Client):
    text = client.get("/kk/trees/views/").content.decode()
    assert "Оспанов" in text
    assert "Верный" in text
    assert "1890" in text


def test_relationship_json_has_path_common_ancestors_and_three_names(tree, client: Client):
    data = client.get("/en/trees/views/relationship/?a=I3&b=I1&format=json").json()
    assert [step["xref"] for step in data["path"]] == ["I3", "I1"]
    assert data["common_ancestors"][0]["xref"] == "I1"
    assert data["names"] == {"en": "father", "ru": "отец", "kk": "әке"}


def test_relationship_page_names_it_in_the_page_language(tree, client: Client):
    text = client.get("/kk/trees/views/relationship/?a=I1&b=I3").content.decode()
    assert "ұл" in text


def test_relationship_with_unknown_person_is_400_in_json(tree, client: Client):
    response = client.get("/en/trees/views/relationship/?a=I1&b=I99&format=json")
    assert response.status_code == 400


@pytest.mark.parametrize("kind", ["pedigree", "descendants", "hourglass", "fan"])
def test_chart_page_embeds_the_svg(tree, client: Client, kind):
    url = f"/en/trees/views/people/{person(tree, 'I3').public_id}/charts/{kind}/"
    text = client.get(url).content.decode()
    assert "<svg" in text
    assert "data-chart-viewer" in text


def test_chart_downloads_as_an_svg_file(tree, client: Client):
    url = f"/en/trees/views/people/{person(tree, 'I3').public_id}/charts/pedigree/?format=svg"
    response = client.get(url)
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]


def test_unknown_chart_kind_is_404(tree, client: Client):
    url = f"/en/trees/views/people/{person(tree, 'I3').public_id}/charts/bogus/"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("phrase", "shown"),
    [
        ("@#DJULIAN@ 21 JUL 1805", "21 JUL 1805 (Julian)"),
        ("BET @#DJULIAN@ 1700 AND @#DJULIAN@ 1705", "BET 1700 AND 1705 (Julian)"),
        ("@#DGREGORIAN@ 1 JAN 1900", "1 JAN 1900"),
        ("ABT 1890", "ABT 1890"),
        ("", ""),
    ],
)
def test_dates_are_shown_without_gedcom_calendar_escapes(phrase, shown):
    from genealogy.views import display_date

    with translation.override("en"):
        assert display_date(phrase) == shown
