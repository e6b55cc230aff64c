"""The GEDCOM loader: counts on real files, transactions, warnings, and what it maps."""

import io

import pytest
from django.db import connection

from genealogy import models as g
from importers import loader
from importers.loader import tree_import
from tests.genealogy.factories import PersonFactory, TreeFactory
from tests.importers.conftest import CORPUS, CORPUS_PRESENT, SKIP_REASON, manifest_rows

pytestmark = pytest.mark.django_db

CORPUS_FILES = [
    "gramps-6.0.8/example/sample.ged",
    "gedcom4j/customtagstorture.ged",
    "familysearch-gedcom.io/gedcom70/maximal70.ged",
    "gedkeeper/test_gk_utf8.ged",
    "djeffrey-gedcom-samples/kennedy.ged",
    "gedcom4j/willis.ged",
    "gedkeeper/samples/Sample_Russia.ged",
    "gramps-6.0.8/imp_ANSEL_CRLF.ged",
]


def ged(text: str) -> io.BytesIO:
    """A GEDCOM file from indented-free lines, with HEAD and TRLR added."""
    body = "\n".join(line.strip() for line in text.strip().splitlines())
    head = "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
    if "2 VERS 7.0" in body:
        head, body = "", body
    return io.BytesIO(f"{head}{body}\n0 TRLR\n".encode())


def warnings_of(report, kind):
    return [w for w in report.warnings if w["kind"] == kind]


@pytest.fixture
def manifest():
    if not CORPUS_PRESENT:
        pytest.skip(SKIP_REASON)
    return {row.path: row for row in manifest_rows()}


@pytest.mark.parametrize("path", CORPUS_FILES)
def test_corpus_file_counts_match_the_manifest(manifest, path):
    row = manifest[path]
    report = tree_import(source=CORPUS / path, slug="corpus")
    tree = g.Tree.objects.get(slug="corpus")
    assert (report.individuals, report.families) == (row.indi, row.fam)
    assert g.Person.objects.filter(tree=tree).count() == row.indi
    assert g.Family.objects.filter(tree=tree).count() == row.fam


def test_report_carries_version_encoding_and_counts_and_is_json(manifest):
    import json

    report = tree_import(source=CORPUS / "djeffrey-gedcom-samples/kennedy.ged", slug="k")
    data = json.loads(json.dumps(report.as_dict()))
    assert data["version"] == "5.5.1"
    assert data["encoding"] == "UTF-8"
    assert data["events"] > data["individuals"] > 0
    assert data["places"] > 0 and data["sources"] > 0
    assert g.Tree.objects.get(slug="k").import_report["individuals"] == 208


def test_dry_run_counts_everything_and_writes_nothing(manifest):
    report = tree_import(
        source=CORPUS / "gramps-6.0.8/example/sample.ged", slug="dry", dry_run=True
    )
    assert (report.individuals, report.families) == (42, 15)
    assert report.events > 0
    assert not g.Tree.objects.exists()
    assert not g.Person.objects.exists()
    assert not g.Event.objects.exists()


def test_failure_mid_file_leaves_no_rows(monkeypatch):
    calls = {"n": 0}
    original = loader._Loader.family

    def failing(self, node):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("boom")
        original(self, node)

    monkeypatch.setattr(loader._Loader, "family", failing)
    source = ged("""
        0 @I1@ INDI
        1 NAME A /B/
        0 @F1@ FAM
        1 HUSB @I1@
        0 @F2@ FAM
        """)
    with pytest.raises(RuntimeError):
        tree_import(source=source, slug="fails")
    assert not g.Tree.objects.exists()
    for model in (g.Person, g.Name, g.Family, g.Event, g.EventParticipant):
        assert not model.objects.exists(), model


def test_reimport_replaces_old_tree_and_keeps_its_slug_and_public_id():
    tree_import(source=ged("0 @I1@ INDI\n1 NAME Old /One/"), slug="fam")
    old = g.Tree.objects.get(slug="fam")
    tree_import(source=ged("0 @I1@ INDI\n1 NAME New /One/\n0 @I2@ INDI"), slug="fam")
    new = g.Tree.objects.get(slug="fam")
    assert new.pk != old.pk and new.public_id == old.public_id
    assert g.Tree.objects.count() == 1
    assert list(g.Name.objects.values_list("given", flat=True)) == ["New"]
    assert g.Person.objects.count() == 2


def test_failed_reimport_keeps_the_old_tree(monkeypatch):
    tree_import(source=ged("0 @I1@ INDI\n1 NAME Old /One/"), slug="fam")
    monkeypatch.setattr(loader._Loader, "find_loops", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        tree_import(source=ged("0 @I1@ INDI\n1 NAME New /One/"), slug="fam")
    assert list(g.Name.objects.values_list("given", flat=True)) == ["Old"]
    assert list(g.Tree.objects.values_list("slug", flat=True)) == ["fam"]


def test_broken_pointer_is_dropped_with_a_warning_naming_its_line():
    report = tree_import(
        slug="b",
        source=ged("""
        0 @I1@ INDI
        1 FAMC @F9@
        1 SOUR @S9@
        2 PAGE p. 1
        0 @F1@ FAM
        1 HUSB @I1@
        1 CHIL @I7@
        """),
    )
    broken = {w["line"]: w["message"] for w in warnings_of(report, "broken-pointer")}
    assert set(broken) == {6, 7, 11}
    assert "@I7@" in broken[11]
    assert not g.ChildLink.objects.exists()
    assert not g.Citation.objects.exists()
    assert g.Family.objects.get().partner1.xref == "I1"


def test_missing_partner_is_set_to_null():
    tree_import(slug="b", source=ged("0 @F1@ FAM\n1 HUSB @I404@\n1 WIFE @I2@\n0 @I2@ INDI"))
    family = g.Family.objects.get()
    assert family.partner1 is None and family.partner2.xref == "I2"


def test_void_pointers_are_ignored_silently():
    report = tree_import(
        slug="v",
        source=ged("""
        0 HEAD
        1 GEDC
        2 VERS 7.0
        0 @F1@ FAM
        1 HUSB @VOID@
        1 WIFE @I1@
        0 @I1@ INDI
        """),
    )
    assert not warnings_of(report, "broken-pointer")
    assert g.Family.objects.get().partner1 is None


def test_gedcom7_records_without_xref_are_counted_and_kept():
    report = tree_import(
        slug="x",
        source=ged("""
        0 HEAD
        1 GEDC
        2 VERS 7.0
        0 INDI
        1 NAME No /Xref/
        0 SNOTE A shared note without id
        """),
    )
    assert report.records_without_xref == 2
    assert g.Person.objects.get().xref == ""
    assert g.Note.objects.get().shared


def test_duplicate_xref_keeps_both_records_and_pointers_go_to_the_first():
    report = tree_import(
        slug="d",
        source=ged("""
        0 @I1@ INDI
        1 NAME First /One/
        0 @I1@ INDI
        1 NAME Second /One/
        0 @F1@ FAM
        1 HUSB @I1@
        """),
    )
    assert any(w["kind"] == "duplicate-xref" for w in report.warnings)
    assert g.Person.objects.count() == 2
    assert g.Family.objects.get().partner1.names.get().given == "First"


def test_an_id_used_by_records_of_two_kinds_is_reported_once_with_its_line():
    """The importer's own id maps find ids used twice (the tokenizer's check is off for it, so
    a million ids are not held twice), across record kinds and extra records too."""
    report = tree_import(
        slug="d",
        source=ged("""
        0 @X1@ INDI
        1 NAME First /One/
        0 @X1@ FAM
        1 HUSB @X1@
        0 @S1@ SUBM
        1 NAME Submitter
        0 @S1@ SOUR
        1 TITL A source
        0 @I2@ INDI
        1 FAMS @F9@
        0 @F9@ FAM
        """),
    )
    duplicates = [(w["line"], w["message"]) for w in warnings_of(report, "duplicate-xref")]
    assert duplicates == [
        (7, "The id @X1@ is used by an earlier record too."),
        (11, "The id @S1@ is used by an earlier record too."),
    ]  # a family defined after a pointer to it is no duplicate
    assert g.Person.objects.count() == 2 and g.Family.objects.count() == 2


def test_unreadable_date_is_kept_as_written_with_a_warning():
    report = tree_import(slug="d", source=ged("0 @I1@ INDI\n1 BIRT\n2 DATE 1076 or 1088"))
    event = g.Event.objects.get()
    assert (event.date_phrase, event.date_valid) == ("1076 or 1088", False)
    assert [w["line"] for w in warnings_of(report, "date")] == [7]


def test_dates_are_structured_and_sortable():
    tree_import(
        slug="d",
        source=ged("0 @I1@ INDI\n1 BIRT\n2 DATE ABT 1890\n1 DEAT\n2 DATE @#DJULIAN@ 1 JAN 1900"),
    )
    birth = g.Event.objects.get(event_type="BIRT")
    death = g.Event.objects.get(event_type="DEAT")
    assert birth.date_modifier == "about" and birth.date_valid
    assert death.date_calendar == "julian"
    assert birth.date_start_jdn < birth.date_sort < birth.date_end_jdn < death.date_sort


def test_own_ancestor_loop_is_reported():
    # I1's death settles their living flag (written at once), I2's is settled at the end:
    # both warnings carry the line of the record.
    report = tree_import(
        slug="l",
        source=ged("""
        0 @I1@ INDI
        1 DEAT Y
        0 @I2@ INDI
        0 @I3@ INDI
        0 @F1@ FAM
        1 HUSB @I1@
        1 CHIL @I2@
        0 @F2@ FAM
        1 HUSB @I2@
        1 CHIL @I1@
        0 @F3@ FAM
        1 HUSB @I2@
        1 CHIL @I3@
        """),
    )
    loops = warnings_of(report, "loop")
    assert sorted((w["message"][:4], w["line"]) for w in loops) == [("@I1@", 5), ("@I2@", 7)]


def test_name_parts_patronymic_and_variants():
    tree_import(
        slug="n",
        source=ged("""
        0 @I1@ INDI
        1 NAME Иван Петрович /Иванов/
        2 ROMN Ivan Petrovich /Ivanov/
        3 TYPE BGN
        1 NAME Абай /Құнанбаев/
        2 TYPE religious
        1 _MARNM Смирнова
        """),
    )
    names = {n.full: n for n in g.Name.objects.all()}
    ivan = names["Иван Петрович /Иванов/"]
    assert (ivan.given, ivan.patronymic, ivan.surname, ivan.script) == (
        "Иван",
        "Петрович",
        "Иванов",
        "Cyrl",
    )
    romn = names["Ivan Petrovich /Ivanov/"]
    assert romn.variant_of == ivan and romn.name_type == "romanized" and romn.custom_type == "BGN"
    abai = names["Абай /Құнанбаев/"]
    assert abai.name_type == "religious" and abai.language == "kk-Cyrl"
    assert names["Смирнова"].name_type == "married" and names["Смирнова"].surname == "Смирнова"


def test_custom_tags_are_kept_in_gedcom_extra():
    tree_import(
        slug="c",
        source=ged("""
        0 @I1@ INDI
        1 _UID 0123456789ABCDEF
        1 BIRT
        2 _PRIM Y
        2 DATE 1890
        3 TIME 12:00
        0 @U1@ SUBM
        1 NAME Librarian
        0 @L1@ _LOC
        1 NAME Алматы
        """),
    )
    person = g.Person.objects.get()
    assert ["_UID", "0123456789ABCDEF"] in person.gedcom_extra
    event = g.Event.objects.get()
    assert ["_PRIM", "Y"] in event.gedcom_extra
    assert ["+DATE", None, [["TIME", "12:00"]]] in event.gedcom_extra
    assert list(g.ExtraRecord.objects.values_list("tag", "xref")) == [
        ("SUBM", "U1"),
        ("_LOC", "L1"),
    ]


def test_custom_tags_survive_on_corpus_file(manifest):
    tree_import(source=CORPUS / "gedcom4j/customtagstorture.ged", slug="c")
    extras = [e[0] for p in g.Person.objects.all() for e in p.gedcom_extra]
    assert any(tag.startswith("_") for tag in extras)


def test_regional_events_from_even_type():
    tree_import(
        slug="e",
        source=ged("""
        0 @I1@ INDI
        1 EVEN
        2 TYPE Депортация
        2 DATE 1937
        1 EVEN
        2 TYPE Special settlement
        1 EVEN
        2 TYPE Реабилитация
        1 EVEN
        2 TYPE Жер аудару
        1 EVEN
        2 TYPE Kurultai
        """),
    )
    types = list(g.Event.objects.order_by("sort_order").values_list("event_type", "custom_type"))
    assert types == [
        ("DEPORTATION", "Депортация"),
        ("SPECIAL_SETTLEMENT", "Special settlement"),
        ("REHABILITATION", "Реабилитация"),
        ("DEPORTATION", "Жер аудару"),
        ("CUSTOM", "Kurultai"),
    ]


def test_places_one_per_string_with_hierarchy_and_coordinates():
    tree_import(
        slug="p",
        source=ged("""
        0 @I1@ INDI
        1 BIRT
        2 PLAC Верный, Семиреченская область
        3 MAP
        4 LATI N43.25
        4 LONG E76.95
        1 DEAT
        2 PLAC Верный, Семиреченская область
        """),
    )
    verny = g.Place.objects.get(name="Верный")
    assert verny.full_name == "Верный, Семиреченская область"
    assert (verny.latitude, verny.longitude) == (43.25, 76.95)
    assert verny.parent_links.get().parent.name == "Семиреченская область"
    assert g.Place.objects.count() == 2
    assert g.Event.objects.filter(place=verny).count() == 2


def test_place_translations_and_romanised_forms_become_place_names():
    tree_import(
        slug="p",
        source=ged("""
        0 @I1@ INDI
        1 BIRT
        2 PLAC Алматы
        3 LANG kk
        3 TRAN Almaty
        4 LANG en
        3 ROMN Almaty
        4 TYPE pinyin
        1 DEAT
        2 PLAC Алматы
        3 TRAN Almaty
        4 LANG en
        """),
    )
    place = g.Place.objects.get(name="Алматы")
    names = sorted(place.names.values_list("name", "language"))
    assert names == [("Almaty", "en"), ("Almaty", "pinyin"), ("Алматы", "kk")]
    assert " " in place.name_keys and len(place.name_keys.split()) >= 2  # both scripts keyed


def test_places_without_other_names_get_no_place_names():
    tree_import(slug="p", source=ged("0 @I1@ INDI\n1 BIRT\n2 PLAC Верный"))
    assert g.Place.objects.get(name="Верный").names.count() == 0


def test_gedcom_l_location_record_gives_dated_names_and_coordinates():
    """GEDKeeper and other GEDCOM-L programs keep a place's history in a _LOC record that the
    PLAC points at: its NAMEs (with DATE and LANG) become the place's names over time, its MAP
    the coordinates, and the record itself is kept for the export."""
    tree_import(
        slug="p",
        source=ged("""
        0 @I1@ INDI
        1 BIRT
        2 DATE 1 MAR 1900
        2 PLAC Верный
        3 _LOC @L1@
        0 @L1@ _LOC
        1 NAME Верный
        2 DATE FROM 1854 TO 1921
        2 LANG ru
        1 NAME Алма-Ата
        2 DATE FROM 1921 TO 1993
        1 NAME Алматы
        2 DATE FROM 1993
        2 LANG kk
        1 MAP
        2 LATI N43.25
        2 LONG E76.95
        """),
    )
    place = g.Place.objects.get(name="Верный")
    names = list(place.names.order_by("start_jdn").values_list("name", "language", "date_phrase"))
    assert names == [
        ("Верный", "ru", "FROM 1854 TO 1921"),
        ("Алма-Ата", "", "FROM 1921 TO 1993"),
        ("Алматы", "kk", "FROM 1993"),
    ]
    first = place.names.get(name="Верный")
    assert first.start_jdn < first.end_jdn
    assert (place.latitude, place.longitude) == (43.25, 76.95)
    assert g.ExtraRecord.objects.filter(tag="_LOC", xref="L1").exists()
    from genealogy.search import name_tokens

    assert set(name_tokens(["Алма-Ата"])) <= set(place.name_keys.split())


def test_location_records_in_the_corpus_name_their_places(manifest):
    tree_import(source=CORPUS / "gedkeeper/samples/Taras_Shevchenko.ged", slug="ts")
    place = g.Place.objects.get(tree__slug="ts", name="Моринці")
    assert list(place.names.values_list("name", flat=True)) == ["Моринці"]
    assert place.latitude == pytest.approx(49.257873)


def test_child_pedigree_per_parent_from_frel_mrel_and_pedi():
    tree_import(
        slug="c",
        source=ged("""
        0 @I1@ INDI
        0 @I2@ INDI
        0 @I3@ INDI
        1 FAMC @F1@
        0 @I4@ INDI
        1 FAMC @F1@
        2 PEDI adopted
        0 @F1@ FAM
        1 HUSB @I1@
        1 WIFE @I2@
        1 CHIL @I3@
        2 _FREL Step
        2 _MREL Natural
        1 CHIL @I4@
        """),
    )
    links = {link.child.xref: link for link in g.ChildLink.objects.select_related("child")}
    assert (links["I3"].pedigree1, links["I3"].pedigree2) == ("step", "birth")
    assert (links["I4"].pedigree1, links["I4"].pedigree2) == ("adopted", "adopted")


def test_famc_without_chil_still_links_the_child():
    tree_import(slug="c", source=ged("0 @I1@ INDI\n1 FAMC @F1@\n0 @F1@ FAM"))
    assert g.ChildLink.objects.get().child.xref == "I1"


def test_same_sex_and_single_parent_families():
    tree_import(
        slug="s",
        source=ged("""
        0 @I1@ INDI
        1 SEX F
        0 @I2@ INDI
        1 SEX F
        0 @F1@ FAM
        1 HUSB @I1@
        1 WIFE @I2@
        0 @F2@ FAM
        1 WIFE @I2@
        """),
    )
    assert g.Family.objects.filter(partner1__isnull=False, partner2__isnull=False).count() == 1
    assert g.Family.objects.filter(partner1__isnull=True).count() == 1


def test_sources_repositories_and_archival_references():
    tree_import(
        slug="a",
        source=ged("""
        0 @I1@ INDI
        1 BIRT
        2 SOUR @S1@
        3 PAGE ф. 15, оп. 1, д. 123, л. 45 об.
        3 QUAY 3
        0 @S1@ SOUR
        1 TITL Метрическая книга Никольской церкви
        1 REPO @R1@
        2 CALN ф. 15, оп. 1
        0 @R1@ REPO
        1 NAME ЦГА РК
        """),
    )
    citation = g.Citation.objects.get()
    assert citation.quality == 3 and citation.event.event_type == "BIRT"
    reference = g.ArchivalReference.objects.get(citation=citation)
    assert reference.render() == "ф. 15, оп. 1, д. 123, л. 45 об."
    by_caln = g.ArchivalReference.objects.get(source__isnull=False)
    assert (by_caln.fond, by_caln.inventory, str(by_caln.repository)) == ("15", "1", "ЦГА РК")


def test_notes_shared_and_inline_and_media():
    tree_import(
        slug="n",
        source=ged("""
        0 @I1@ INDI
        1 NOTE @N1@
        1 NOTE Inline note
        1 OBJE
        2 FILE photo.jpg
        3 FORM jpg
        3 TITL Portrait
        0 @N1@ NOTE Shared note
        """),
    )
    notes = {link.note.text: link.note.shared for link in g.NoteLink.objects.all()}
    assert notes == {"Shared note": True, "Inline note": False}
    media = g.Media.objects.get()
    assert (media.file, media.format, media.title) == ("photo.jpg", "jpg", "Portrait")


def test_text_that_csv_must_quote_reaches_the_database_as_written():
    """Quotes, commas, backslashes, "\\N", line breaks and empty values: PostgreSQL reads them
    from the importer's CSV lines, SQLite from parameters; both hold what the file says, and
    a missing value stays NULL where the column allows it."""
    note = 'One, "two" and \\N\n"\n\n","\n\\ end'
    tree_import(
        slug="q",
        source=ged(r"""
        0 @I1@ INDI
        1 NAME Jean "Le Grand" /d'Arc, "Dupont"/
        2 NICK ""
        1 NOTE One, "two" and \N
        2 CONT "
        2 CONT
        2 CONT ","
        2 CONC
        2 CONT \ end
        1 EVEN "
        2 TYPE a,"b"
        1 _X say "hi", \"
        0 @I2@ INDI
        1 RESI
        """),
    )
    first, second = g.Person.objects.order_by("xref")
    name = first.names.get()
    assert (name.full, name.given, name.surname, name.nickname) == (
        'Jean "Le Grand" /d\'Arc, "Dupont"/',
        'Jean "Le Grand"',
        'd\'Arc, "Dupont"',
        '""',
    )
    assert g.Note.objects.get().text == note
    event = g.Event.objects.get(participants__person=first)
    assert (event.value, event.custom_type) == ('"', 'a,"b"')
    assert first.gedcom_extra == [["_X", 'say "hi", \\"']]
    residence = g.Event.objects.get(participants__person=second)
    assert (residence.value, residence.date_phrase, residence.place) == ("", "", None)
    assert (residence.date_start_jdn, residence.date_sort, second.birth_year) == (None,) * 3


@pytest.mark.parametrize("c_encoder", [True, False])
def test_gedcom_extra_json_is_what_json_dumps_writes(monkeypatch, c_encoder):
    """The loader calls json's C encoder itself (or, without it, json.dumps)."""
    import json

    if not c_encoder:
        monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    encode = loader._json_encoder()
    values = [
        [["_UID", "A1"], ["_X", None, [["_Y", 'q"uote \\ \n\t\x01 Қазақ 🌳']]]],
        [["+DATE", None, [["PHRASE", "1 мая"]]]],
        [1, 2.5, True, None, [], "@I1@"],
    ]
    for value in values:
        assert encode(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with pytest.raises(TypeError):
        encode([object()])


def test_an_import_whose_role_keeps_the_triggers_on_says_why_in_the_log(monkeypatch, caplog):
    """A database role that may not set session_replication_role imports all the same (the
    triggers check each reference), and on PostgreSQL the log says why it is slower."""
    import contextlib
    import logging

    @contextlib.contextmanager
    def not_allowed():
        yield False

    monkeypatch.setattr(loader, "fk_triggers_off", not_allowed)
    with caplog.at_level(logging.WARNING, logger="importers.loader"):
        tree_import(
            slug="t",
            source=ged("0 @I1@ INDI\n1 NAME Ana /Bek/\n1 FAMS @F1@\n0 @F1@ FAM\n1 WIFE @I1@"),
        )
    assert g.Family.objects.get(tree__slug="t").partner2.xref == "I1"
    said = [r.getMessage() for r in caplog.records if "session_replication_role" in r.getMessage()]
    assert len(said) == (connection.vendor == "postgresql")


def test_rows_sent_in_many_small_batches_are_the_rows_of_one_batch(monkeypatch):
    """The batching (COPY batches on PostgreSQL, executemany batches on SQLite, a short queue
    to the COPY thread) changes when rows are sent, never which: a 3,000-person file imported
    in batches of a few rows gives every table the same rows as with the usual sizes."""
    from bench.generate_gedcom import generate

    out = io.BytesIO()
    generate(3000, 11, out)

    def rows(slug):
        tree = g.Tree.objects.get(slug=slug)
        people = set(
            g.Person.objects.filter(tree=tree).values_list(
                "xref", "living", "birth_year", "death_year", "name_keys"
            )
        )
        counts = [model.objects.filter(tree=tree).count() for model in loader._ALL_MODELS]
        return people, counts

    tree_import(slug="usual", source=io.BytesIO(out.getvalue()))
    monkeypatch.setattr(loader, "COPY_BATCH_CHARS", 500)
    monkeypatch.setattr(loader, "COPY_QUEUE_BATCHES", 2)
    monkeypatch.setattr(loader, "BATCH_ROWS", 7)
    tree_import(slug="small", source=io.BytesIO(out.getvalue()))
    usual, small = rows("usual"), rows("small")
    assert len(usual[0]) == 3000 and min(usual[1][:6]) > 0
    assert small == usual


def test_restriction_marks_person_private():
    tree_import(slug="r", source=ged("0 @I1@ INDI\n1 RESN confidential\n0 @I2@ INDI"))
    assert list(g.Person.objects.order_by("xref").values_list("private", "resn")) == [
        (True, "confidential"),
        (False, ""),
    ]


def test_progress_is_reported_with_byte_counts(manifest):
    calls = []
    tree_import(
        source=CORPUS / "gedcom4j/willis.ged",
        slug="w",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls and calls[-1][0] == calls[-1][1] > 0


def test_import_into_given_tree_replaces_it():
    tree = TreeFactory(slug="given", title="Kept title")
    tree_import(source=ged("0 @I1@ INDI"), tree=tree, slug="given")
    new = g.Tree.objects.get(slug="given")
    assert new.title == "Kept title" and new.public_id == tree.public_id


def test_foreign_key_check_finds_a_row_pointing_into_another_tree_or_nowhere():
    """With PostgreSQL's per-row triggers off, the importer checks every reference set-wise;
    the check must fail on a reference into another tree and on one to no row at all."""
    from django.db import IntegrityError, connection

    from tests.genealogy.factories import EventFactory, PlaceFactory

    ours, theirs = TreeFactory(), TreeFactory()
    event = EventFactory(tree=ours, place=PlaceFactory(tree=ours))
    loader._check_foreign_keys(ours.pk)  # a sound tree passes
    event.place = PlaceFactory(tree=theirs)
    event.save()
    with pytest.raises(IntegrityError, match=r"genealogy_event\.place_id"):
        loader._check_foreign_keys(ours.pk)
    with connection.cursor() as cursor:  # constraints are deferred until the test's rollback
        cursor.execute("UPDATE genealogy_event SET place_id = %s WHERE id = %s", [10**9, event.pk])
    with pytest.raises(IntegrityError, match=f"place_id = {10**9} points to no"):
        loader._check_foreign_keys(ours.pk)
    event.place = None  # the test database checks the constraints when the test ends
    event.save()


def test_foreign_key_check_names_the_column_among_several_pointing_to_one_table():
    """The references to one table are checked together; the failure still names the column
    (here the second partner of a family, one of the eight columns that point to people)."""
    from django.db import IntegrityError

    from tests.genealogy.factories import FamilyFactory, NameFactory

    ours, theirs = TreeFactory(), TreeFactory()
    name = NameFactory(person=PersonFactory(tree=ours), tree=ours)
    family = FamilyFactory(tree=ours, partner1=name.person, partner2=PersonFactory(tree=ours))
    loader._check_foreign_keys(ours.pk)
    family.partner2 = PersonFactory(tree=theirs)
    family.save()
    with pytest.raises(IntegrityError, match=r"^genealogy_family\.partner2_id = \d+ points to no"):
        loader._check_foreign_keys(ours.pk)
    family.delete()


def test_the_references_are_checked_set_wise_only_where_the_triggers_were_off(monkeypatch):
    """Where the import could not switch the per-row triggers off, PostgreSQL has checked each
    reference itself; the deferred checks run either way."""
    calls = []
    monkeypatch.setattr(loader, "_check_foreign_keys", lambda tree_id: calls.append(tree_id))
    monkeypatch.setattr(loader, "_check_constraints", lambda: calls.append("deferred"))
    loader._check_references(7, triggers_were_off=False)
    assert calls == ["deferred"]
    loader._check_references(7, triggers_were_off=True)
    assert calls == ["deferred", 7, "deferred"]


def test_import_analyzes_what_it_wrote_and_restores_the_sample_size(monkeypatch):
    """The statements, not pg_class: reltuples is written in place, so autovacuum working on
    the same table from another connection can overwrite it before a test could read it."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(loader, "ANALYZE_AFTER_PEOPLE", 1)
    before = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW default_statistics_target")
            before = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        tree_import(slug="a", source=ged("0 @I1@ INDI\n1 NAME A /B/\n1 BIRT\n2 PLAC Верный"))
    statements = [q["sql"] for q in queries.captured_queries]
    analyzed = [sql.split()[1].strip('"') for sql in statements if sql.startswith("ANALYZE ")]
    if connection.vendor != "postgresql":  # SQLite plans without gathered statistics
        assert analyzed == []
        assert not any("statistics_target" in sql for sql in statements)
        return
    assert {"genealogy_event", "genealogy_place", "genealogy_name"} <= set(analyzed)
    assert analyzed[-1] == "genealogy_person"  # last, after the people are written, in full
    light = statements.index("SET LOCAL default_statistics_target = 10")
    reset = statements.index("SET LOCAL default_statistics_target TO DEFAULT")
    assert light < statements.index('ANALYZE "genealogy_event"') < reset
    assert reset < statements.index('ANALYZE "genealogy_person"')
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_statistics_target")
        assert cursor.fetchone()[0] == before


def test_the_collector_runs_rarely_during_an_import_and_as_before_after_it(monkeypatch):
    import gc

    from importers.gedcom.errors import GedcomRefused

    before = gc.get_threshold()
    during = []
    find_loops = loader._Loader.find_loops

    def spy(self):
        during.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return find_loops(self)

    monkeypatch.setattr(loader._Loader, "find_loops", spy)
    tree_import(source=ged("0 @I1@ INDI\n1 NAME One /Gc/"), slug="gc")
    assert during == [((50_000, 50, 100), True)]
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)
    with pytest.raises(GedcomRefused):
        tree_import(source=io.BytesIO(b"<html><body>no</body></html>"), slug="gc-refused")
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, 0)


def test_missing_links_are_the_set_difference_of_the_packed_keys():
    """loader._missing, which avoids sets of every link, answers as the set difference does:
    people in several families, people outside the id span, repeats."""
    import random
    from array import array

    rng = random.Random(5)
    base, span = 1000, 50

    def key(family: int, person: int) -> int:
        return family << 32 | person

    for _ in range(200):
        people = range(base - 5, base + span + 5)  # some outside the span
        listed = array("q", [key(rng.randint(1, 8), rng.choice(people)) for _ in range(60)])
        stated = array("q", [key(rng.randint(1, 8), rng.choice(people)) for _ in range(60)])
        stated.extend(listed[:20])  # stated on both sides
        assert loader._missing(stated, listed, base, span) == set(stated) - set(listed)


@pytest.mark.parametrize("seed", range(6))
def test_loop_warnings_name_the_people_between_cycles_as_networkx_finds_them(seed):
    """find_loops (arrays indexed by person id) against networkx on random parent links: the
    people warned about are those with a cycle among both their ancestors-or-self and their
    descendants-or-self."""
    import random

    import networkx as nx

    rng = random.Random(seed)
    people = 30
    lines, graph = [], nx.DiGraph()
    graph.add_nodes_from(range(1, people + 1))
    lines += [f"0 @I{n}@ INDI" for n in range(1, people + 1)]
    for family in range(1, 26):
        husband, wife = rng.randint(1, people), rng.randint(1, people)
        lines += [f"0 @F{family}@ FAM", f"1 HUSB @I{husband}@", f"1 WIFE @I{wife}@"]
        for child in {rng.randint(1, people) for _ in range(rng.randint(1, 2))}:
            lines.append(f"1 CHIL @I{child}@")
            graph.add_edges_from([(husband, child), (wife, child)])
    on_cycles = {
        node
        for component in nx.strongly_connected_components(graph)
        for node in component
        if len(component) > 1 or graph.has_edge(node, node)
    }
    below = set(on_cycles).union(*(nx.descendants(graph, n) for n in on_cycles))
    above = set(on_cycles).union(*(nx.ancestors(graph, n) for n in on_cycles))
    report = tree_import(slug=f"loops-{seed}", source=ged("\n".join(lines)))
    warned = {int(w["message"].split("@")[1][1:]) for w in warnings_of(report, "loop")}
    assert warned == below & above
    assert warned  # the random links do make loops, or nothing was compared


def test_imported_public_ids_follow_the_rows_order_in_the_database():
    """The importer's public ids increase row by row (PostgreSQL's unique indexes take each at
    the page the last one went to); the database sorts them the same way (``C`` collation)."""
    people = "\n".join(
        f"0 @I{n}@ INDI\n1 NAME Person /N{n}/\n1 BIRT\n2 DATE {1800 + n}\n1 DEAT\n2 DATE 1900"
        for n in range(60)
    )
    tree_import(source=ged(people), slug="ordered-ids")
    tree = g.Tree.objects.get(slug="ordered-ids")
    for model in (g.Person, g.Event):
        by_row = list(model.objects.filter(tree=tree).order_by("pk").values_list("public_id"))
        by_id = list(model.objects.filter(tree=tree).order_by("public_id").values_list("public_id"))
        assert len(by_row) >= 60
        assert by_row == by_id
        assert len(set(by_row)) == len(by_row)


class _FakeFetcher:
    """Hands out consecutive ids the way _IdFetcher does, and records what was asked for."""

    def __init__(self):
        self.asked: list[tuple[str, int]] = []
        self.last = 1000

    def submit(self, sequence, size):
        from concurrent.futures import Future

        self.asked.append((sequence, size))
        future = Future()
        future.set_result(range(self.last + 1, self.last + size + 1))
        self.last += size
        return future


class _SequenceCursor:
    def execute(self, sql, params=None):
        self.sql = sql

    def fetchone(self):
        return ("genealogy_person_id_seq",)


def test_ids_come_in_growing_blocks_each_asked_for_when_half_of_the_last_is_used():
    fetcher = _FakeFetcher()
    ids = loader._Ids(g.Person, _SequenceCursor(), "postgresql", fetcher)
    taken = [ids.next() for _ in range(128)]
    assert fetcher.asked == [("genealogy_person_id_seq", 256)]
    taken.append(ids.next())  # the 129th id: half of the first block is used
    assert fetcher.asked == [("genealogy_person_id_seq", 256), ("genealogy_person_id_seq", 1024)]
    taken += [ids.next() for _ in range(256 + 1024 - 129)]
    assert [size for _, size in fetcher.asked] == [256, 1024, 4096]
    assert taken == list(range(1001, 1001 + 256 + 1024))
    for _ in range(200_000):
        ids.next()
    assert [size for _, size in fetcher.asked][-3:] == [loader.ID_BLOCK] * 3


@pytest.mark.parametrize("fails", [False, True], ids=["imported", "failed"])
def test_ids_are_fetched_on_a_connection_of_their_own_that_the_import_closes(monkeypatch, fails):
    """PostgreSQL: one id connection an import, taking the ids outside the import's
    transaction (the test's connection sees the sequence moved past them), closed after it,
    after a failed one too. SQLite takes ids from MAX(id) in the import's own transaction and
    opens none."""
    fetchers = []
    original_init = loader._IdFetcher.__init__

    def recorded_init(self):
        original_init(self)
        fetchers.append(self)

    monkeypatch.setattr(loader._IdFetcher, "__init__", recorded_init)
    if fails:
        monkeypatch.setattr(loader._Loader, "family", lambda self, node: 1 / 0)
    source = ged("0 @I1@ INDI\n1 NAME A /B/\n0 @F1@ FAM\n1 HUSB @I1@")
    if fails:
        with pytest.raises(ZeroDivisionError):
            tree_import(source=source, slug="ids")
    else:
        tree_import(source=source, slug="ids")
        person = g.Person.objects.get(tree__slug="ids")
        assert g.Name.objects.get(person=person).person_id == person.pk
    if connection.vendor != "postgresql":
        assert fetchers == []
        return
    assert len(fetchers) == 1
    assert fetchers[0].connection.closed
    assert fetchers[0].executor._shutdown
    if not fails:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('genealogy_person_id_seq')")
            assert cursor.fetchone()[0] > person.pk


def test_id_blocks_are_read_as_ranges_when_contiguous_and_id_by_id_when_scattered():
    """A block whose ids another session interleaved comes back id by id, sorted; a contiguous
    one as its bounds. On PostgreSQL the fetcher's own query too, run on the test's connection
    where a temporary sequence can step by 3 without committing anything (SQLite has no
    sequences: its ids come from MAX(id), tested above)."""
    block = loader._IdFetcher.block
    assert block(1, 500, None) == range(1, 501)
    assert list(block(7, 9, "9,7,8")) == [7, 8, 9]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY SEQUENCE test_ids_one")
        cursor.execute("CREATE TEMPORARY SEQUENCE test_ids_three INCREMENT BY 3 START WITH 10")
        cursor.execute(loader._IdFetcher.QUERY, ["test_ids_one", 500])
        assert cursor.fetchone() == (1, 500, None)
        cursor.execute(loader._IdFetcher.QUERY, ["test_ids_three", 5])
        row = cursor.fetchone()
        assert row[2] is not None
        assert list(block(*row)) == [10, 13, 16, 19, 22]


def test_a_small_import_refreshes_statistics_that_know_of_fewer_people_than_it_adds(monkeypatch):
    """Below 1,000 people an import analyzes when the statistics know of fewer people than it
    adds (never analyzed: -1), not when they know of as many or more. SQLite gathers none and
    the row count is not even read there."""
    from django.test.utils import CaptureQueriesContext

    people = "\n".join(f"0 @I{n}@ INDI\n1 NAME P /N{n}/" for n in range(3))

    def analyzed(known):
        monkeypatch.setattr(loader, "_people_in_statistics", lambda: known)
        with CaptureQueriesContext(connection) as queries:
            tree_import(slug=f"known{known}", source=ged(people))
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE ")]

    if connection.vendor != "postgresql":
        assert analyzed(None) == []  # None < 3 would raise: the count is never asked for
        return
    runs = {known: analyzed(known) for known in (-1, 2, 3, 50_000)}
    for known in (-1, 2):
        assert 'ANALYZE "genealogy_person"' in runs[known]
        assert 'ANALYZE "genealogy_name"' in runs[known]
    assert runs[3] == [] and runs[50_000] == []
    # The count itself is the one ANALYZE wrote: the people of the four trees above.
    monkeypatch.undo()
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "genealogy_person"')
    assert loader._people_in_statistics() == g.Person.objects.count() == 12


def test_an_id_connection_that_cannot_open_fails_the_import_and_leaves_no_thread(monkeypatch):
    """PostgreSQL refusing the second connection (too many clients) fails the import with its
    error, writes nothing and leaves no COPY thread waiting in the worker's process. SQLite
    opens no id connection and imports."""
    import threading

    from django.db import OperationalError

    def refuse(self):
        raise OperationalError("FATAL: sorry, too many clients already")

    def copy_threads():
        return sum(t.name == "gedcom-copy" and t.is_alive() for t in threading.enumerate())

    monkeypatch.setattr(loader._IdFetcher, "__init__", refuse)
    before = copy_threads()
    source = ged("0 @I1@ INDI\n1 NAME A /B/")
    if connection.vendor != "postgresql":
        tree_import(source=source, slug="refused")
        assert g.Person.objects.filter(tree__slug="refused").count() == 1
        return
    with pytest.raises(OperationalError, match="too many clients"):
        tree_import(source=source, slug="refused")
    assert not g.Tree.objects.filter(slug__startswith="refused").exists()
    assert copy_threads() == before
