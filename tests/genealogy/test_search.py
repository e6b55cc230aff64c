"""Name search of people, places and sources (genealogy.search), on SQLite and PostgreSQL."""

import pytest

from genealogy import models as g
from genealogy import search
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import TreeMembershipFactory, import_tree

SEARCH_GEDCOM = """0 HEAD
1 GEDC
2 VERS 5.5.1
1 CHAR UTF-8
0 @R1@ REPO
1 NAME Центральный государственный архив Республики Казахстан
0 @S1@ SOUR
1 TITL Метрическая книга Верненской Софийской церкви
1 REPO @R1@
2 CALN ЦГА РК, ф. 15, оп. 1, д. 123
0 @S2@ SOUR
1 TITL Посемейные списки спецпереселенцев
1 RESN confidential
0 @I1@ INDI
1 NAME Әлихан /Қасымұлы/
1 NAME Alikhan /Kasymov/
2 TYPE aka
1 SEX M
1 BIRT
2 DATE 12 MAR 1890
2 PLAC Верный
1 DEAT
2 DATE 1937
1 SOUR @S1@
2 PAGE ф. 15, оп. 1, д. 123, л. 45 об.
1 FAMC @F1@
0 @I2@ INDI
1 NAME Қасым /Бекұлы/
1 SEX M
1 BIRT
2 DATE 1860
1 DEAT
2 DATE 1920
1 FAMS @F1@
0 @I3@ INDI
1 NAME Айгүл /Қасымова/
1 SEX F
1 BIRT
2 DATE 1995
1 FAMC @F1@
0 @I4@ INDI
1 NAME Ерлан /Қасымов/
1 SEX M
1 RESN privacy
1 DEAT
2 DATE 1950
1 FAMC @F1@
0 @I5@ INDI
1 NAME Иван Петрович /Соловьёв/
1 SEX M
1 BIRT
2 DATE 1901
2 PLAC Алма-Ата
1 DEAT
2 DATE 1970
0 @I6@ INDI
1 NAME Сергей /Ким/
1 SEX M
1 BIRT
2 DATE 1925
1 DEAT
2 DATE 1999
0 @I7@ INDI
1 NAME Мария /Шмидт/
1 NAME Maria /Schmidt/
2 TYPE birth
1 SEX F
1 DEAT
2 DATE 1960
0 @F1@ FAM
1 HUSB @I2@
1 CHIL @I1@
1 CHIL @I3@
1 CHIL @I4@
0 TRLR
"""


@pytest.fixture
def tree(db):
    owner = UserFactory()
    return import_tree(SEARCH_GEDCOM, slug="search-tree", owner=owner)


def names_of(results):
    return [hit.name for hit in results.hits]


class TestIndexing:
    def test_the_importer_writes_keys_years_and_vocabulary(self, tree):
        person = g.Person.objects.get(tree=tree, xref="I1")
        assert " kasimuli " in person.name_keys
        assert " ~kasim " in person.name_keys
        assert " aligan " in person.name_keys
        assert person.name_keys.startswith(" ") and person.name_keys.endswith(" ")
        assert (person.birth_year, person.death_year) == (1890, 1937)
        tokens = dict(g.NameToken.objects.filter(tree=tree).values_list("token", "count"))
        assert tokens["kasimuli"] == 1
        assert not any(token.startswith("~") for token in tokens)
        place = g.Place.objects.get(tree=tree, name="Верный")
        assert place.name_keys.strip()

    def test_tree_reindex_gives_what_the_importer_wrote(self, tree):
        before = dict(g.Person.objects.filter(tree=tree).values_list("pk", "name_keys"))
        vocabulary = set(g.NameToken.objects.filter(tree=tree).values_list("token", "count"))
        g.Person.objects.filter(tree=tree).update(name_keys="")
        g.NameToken.objects.filter(tree=tree).delete()
        assert search.tree_reindex(tree) == len(before)
        assert dict(g.Person.objects.filter(tree=tree).values_list("pk", "name_keys")) == before
        after = set(g.NameToken.objects.filter(tree=tree).values_list("token", "count"))
        assert after == vocabulary

    def test_person_reindex_after_an_edit(self, tree):
        person = g.Person.objects.get(tree=tree, xref="I6")
        name = person.names.get()
        name.surname = "Цой"
        name.full = "Сергей /Цой/"
        name.save()
        search.person_reindex(person)
        assert search.search_people(None, "Choi").hits[0].name == "Сергей Цой"
        assert not search.search_people(None, "Kim").hits
        assert g.NameToken.objects.get(tree=tree, token="kim").count == 0

    def test_purging_a_tree_removes_its_vocabulary(self, tree):
        from genealogy.services import tree_purge

        tree_purge(tree=tree)
        assert not g.NameToken.objects.exists()


class TestPeople:
    @pytest.mark.parametrize(
        "query",
        ["Qasymuly", "Kasymuly", "Kassymuly", "Касымулы", "Қасымұлы", "qasymuly alikhan"],
    )
    def test_any_script_and_spelling_finds_the_kazakh_name(self, tree, query):
        results = search.search_people(None, query)
        assert results.hits[0].name == "Әлихан Қасымұлы"

    def test_the_matched_words_are_highlighted(self, tree):
        hit = search.search_people(None, "Qasymuly").hits[0]
        assert ("Қасымұлы", True) in hit.segments
        assert ("Әлихан", False) in hit.segments

    def test_russian_romanisations_and_yo(self, tree):
        for query in ("Soloviev", "Solovyov", "Соловьев", "Ivan Solovev"):
            assert names_of(search.search_people(None, query))[:1] == ["Иван Петрович Соловьёв"]

    def test_german_and_korean_names(self, tree):
        assert "Мария Шмидт" in names_of(search.search_people(None, "Schmidt"))
        assert names_of(search.search_people(None, "Kim")) == ["Сергей Ким"]

    def test_stems_join_patronymic_and_surname_forms(self, tree):
        found = names_of(search.search_people(None, "Kasymov"))
        # The exact spelling (the romanised alias) first, then the -ұлы form.
        assert found[0] == "Alikhan Kasymov"
        assert search.search_people(None, "Kasymov").hits[0].other_names == ["Әлихан Қасымұлы"]

    def test_a_typo_is_forgiven_when_nothing_matches_exactly(self, tree):
        assert names_of(search.search_people(None, "Soloveiv"))[:1] == ["Иван Петрович Соловьёв"]
        assert names_of(search.search_people(None, "Qasymulu"))[:1] == ["Әлихан Қасымұлы"]
        assert search.search_people(None, "Xyzzyqq").hits == []

    def test_birth_year_filter_and_year_in_the_query(self, tree):
        flt = search.PersonFilters(born=1889, within=2)
        assert names_of(search.search_people(None, "Qasymuly", flt))[:1] == ["Әлихан Қасымұлы"]
        flt = search.PersonFilters(born=1950, within=2)
        assert search.search_people(None, "Qasymuly", flt).hits == []
        assert search.search_people(None, "Qasymuly 1937").hits
        assert not search.search_people(None, "Qasymuly 1800").hits

    def test_place_and_relative_filters(self, tree):
        flt = search.PersonFilters(place="Vernyi")
        assert names_of(search.search_people(None, "Alikhan", flt))[:1] == ["Әлихан Қасымұлы"]
        flt = search.PersonFilters(place="Almaty")
        assert search.search_people(None, "Alikhan", flt).hits == []
        flt = search.PersonFilters(relative="Kasym Bekuly")
        assert names_of(search.search_people(None, "Alikhan", flt))[:1] == ["Әлихан Қасымұлы"]
        flt = search.PersonFilters(relative="Soloviev")
        assert search.search_people(None, "Alikhan", flt).hits == []

    def test_facets_count_trees_and_decades(self, tree):
        results = search.search_people(None, "Kasym")
        assert results.total == len(results.hits)
        assert results.facets["tree"] == [(tree.pk, tree.title, results.total)]
        assert (1890, 1) in results.facets["decade"]


class TestPrivacy:
    def test_living_and_restricted_people_are_never_found_by_strangers(self, tree):
        for user in (None, UserFactory()):
            results = search.search_people(user, "Kasymova")
            assert "Айгүл Қасымова" not in names_of(results)
            assert "Ерлан Қасымов" not in names_of(search.search_people(user, "Yerlan"))
            counted = search.search_people(user, "Kasym")
            assert counted.total == 2  # Әлихан and his father, not the living or RESN ones
            assert sum(n for _t, _title, n in counted.facets["tree"]) == 2
            labels = [s.label for s in search.autocomplete(user, "Aigu")]
            assert labels == []

    def test_owner_member_and_staff_find_everyone(self, tree):
        member = TreeMembershipFactory(tree=tree).user
        for user in (tree.owner, member, SuperUserFactory()):
            assert "Айгүл Қасымова" in names_of(search.search_people(user, "Kasymova"))
            assert search.search_people(user, "Kasym").total == 4

    def test_private_trees_and_unapproved_trees_are_not_searched(self, db):
        import_tree(SEARCH_GEDCOM, slug="private-tree", visibility="private")
        import_tree(SEARCH_GEDCOM, slug="pending-tree", approved=False)
        assert search.search_people(None, "Qasymuly").hits == []
        assert search.autocomplete(None, "Qasym") == []
        assert search.search_places(None, "Vernyi") == []
        assert search.search_sources(None, "ф. 15, оп. 1, д. 123") == []

    def test_members_only_trees_need_a_sign_in(self, db):
        import_tree(SEARCH_GEDCOM, slug="users-tree", visibility="users")
        assert search.search_people(None, "Qasymuly").hits == []
        assert search.search_people(UserFactory(), "Qasymuly").hits

    def test_a_private_name_is_not_shown_or_matched_for_strangers(self, tree):
        person = g.Person.objects.get(tree=tree, xref="I7")
        person.names.filter(given="Maria").update(private=True)
        hit = next(h for h in search.search_people(None, "Schmidt").hits)
        assert hit.name == "Мария Шмидт"
        assert "Maria Schmidt" not in hit.other_names
        owner_hit = search.search_people(tree.owner, "Schmidt").hits[0]
        assert "Maria Schmidt" in {owner_hit.name, *owner_hit.other_names}


class TestAutocomplete:
    def test_latin_prefix_suggests_the_cyrillic_person(self, tree):
        suggestions = search.autocomplete(None, "Qasymu")
        assert suggestions[0].label == "Әлихан Қасымұлы"
        assert suggestions[0].url.endswith("/")
        assert "1890–1937" in suggestions[0].detail

    def test_completed_words_then_a_prefix(self, tree):
        labels = [s.label for s in search.autocomplete(None, "Ivan Solo")]
        assert labels == ["Иван Петрович Соловьёв"]

    def test_too_short_or_unknown(self, tree):
        assert search.autocomplete(None, "Q") == []
        assert search.autocomplete(None, "Zzzzzz") == []
        assert search.autocomplete(None, "%_\\") == []


class TestPlacesAndSources:
    def test_a_place_by_another_spelling(self, tree):
        hits = search.search_places(None, "Vernyi")
        assert [h.name for h in hits] == ["Верный"]
        assert hits[0].url.endswith(f"/places/{hits[0].public_id}/")

    def test_a_historical_name_is_reported(self, tree):
        place = g.Place.objects.get(tree=tree, name="Алма-Ата")
        g.PlaceName.objects.create(
            place=place, tree=tree, name="Верный", language="ru", date_phrase="1854–1921"
        )
        search.tree_reindex(tree)
        hits = {h.name: h for h in search.search_places(None, "Vernyi")}
        assert hits["Алма-Ата"].matched == "Верный"
        assert hits["Алма-Ата"].matched_when == "1854–1921"

    def test_sources_by_archival_reference_parts(self, tree):
        ref = g.ArchivalReference.objects.filter(tree=tree, source__isnull=False).first()
        if ref is None:  # the importer links references to citations; give the source one
            source = g.Source.objects.get(tree=tree, xref="S1")
            g.ArchivalReference.objects.create(
                tree=tree, source=source, archive="ЦГА РК", fond="15", inventory="1", file="123"
            )
        hits = search.search_sources(None, "ф. 15, оп. 1, д. 123")
        assert [h.title for h in hits] == ["Метрическая книга Верненской Софийской церкви"]
        assert search.search_sources(None, "ф. 15, оп. 2, д. 123") == []

    def test_sources_by_title_and_archive_name_but_not_restricted_ones(self, tree):
        assert [h.title for h in search.search_sources(None, "Метрическая")] == [
            "Метрическая книга Верненской Софийской церкви"
        ]
        assert search.search_sources(None, "государственный архив")
        assert search.search_sources(None, "спецпереселенцев") == []


class TestReindexCommand:
    def test_the_command_rebuilds_one_tree_or_all(self, tree):
        from io import StringIO

        from django.core.management import call_command
        from django.core.management.base import CommandError

        g.Person.objects.filter(tree=tree).update(name_keys="", birth_year=None)
        out = StringIO()
        call_command("search_reindex", "--tree", tree.slug, stdout=out)
        assert "search-tree: 7 people indexed" in out.getvalue()
        assert g.Person.objects.get(tree=tree, xref="I1").birth_year == 1890
        assert search.search_people(None, "Qasymuly").hits
        call_command("search_reindex", stdout=StringIO())
        with pytest.raises(CommandError):
            call_command("search_reindex", "--tree", "missing")

    def test_reindex_takes_the_models_a_migration_passes(self, tree):
        from types import SimpleNamespace

        from django.apps import apps

        names = ["Name", "EventParticipant", "Person", "PlaceName", "Place", "NameToken"]
        historical = SimpleNamespace(**{n: apps.get_model("genealogy", n) for n in names})
        g.Person.objects.filter(tree=tree).update(name_keys="", birth_year=None, death_year=None)
        search.tree_reindex(tree.pk, models=historical)
        person = g.Person.objects.get(tree=tree, xref="I5")
        assert (person.birth_year, person.death_year) == (1901, 1970)


class TestChangesThroughTheOrm:
    def test_a_new_name_an_edit_and_a_deletion_are_searchable_at_once(self, tree):
        person = g.Person.objects.get(tree=tree, xref="I6")
        name = g.Name.objects.create(
            person=person, tree=tree, given="Сергей", surname="Цой", sort_order=5
        )
        assert search.search_people(None, "Tsoi").hits[0].person_id == person.pk
        name.surname = "Пак"
        name.save()
        assert not search.search_people(None, "Tsoi").hits
        assert search.search_people(None, "Pak").hits[0].person_id == person.pk
        name.delete()
        assert not search.search_people(None, "Pak").hits
        assert g.NameToken.objects.get(tree=tree, token="pak").count == 0

    def test_a_birth_event_sets_the_year(self, tree):
        import datetime

        from genealogy.privacy import jdn

        person = g.Person.objects.get(tree=tree, xref="I7")
        assert person.birth_year is None
        day = jdn(datetime.date(1911, 5, 1))
        event = g.Event.objects.create(
            tree=tree, event_type="BIRT", date_start_jdn=day, date_end_jdn=day, date_sort=day
        )
        g.EventParticipant.objects.create(event=event, person=person, tree=tree)
        person.refresh_from_db()
        assert person.birth_year == 1911
        event.date_start_jdn = event.date_end_jdn = jdn(datetime.date(1912, 1, 1))
        event.save()
        person.refresh_from_db()
        assert person.birth_year == 1912

    def test_a_name_over_time_makes_a_place_findable(self, tree):
        place = g.Place.objects.get(tree=tree, name="Верный")
        g.PlaceName.objects.create(place=place, tree=tree, name="Алматы", language="kk")
        assert "Верный" in [h.name for h in search.search_places(None, "Almaty")]
