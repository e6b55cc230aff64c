"""Relationship names in English, Russian and Kazakh, end to end: a real family imported from
GEDCOM, the path found by genealogy.graph, the name given by genealogy.kinship."""

from pathlib import Path

import pytest

from genealogy import graph, kinship
from genealogy import models as g
from tests.genealogy.factories import import_tree

FAMILY = Path(__file__).with_name("kinship-family.ged")

# (speaker, other, English, Russian, Kazakh): what `other` is to `speaker`.
# I11 is a man born 1960 (see kinship-family.ged for everyone's role and birth year).
TABLE = [
    ("I11", "I3", "father", "отец", "әке"),
    ("I11", "I8", "mother", "мать", "шеше"),
    ("I11", "I1", "grandfather", "дедушка", "ата"),
    ("I11", "I2", "grandmother", "бабушка", "әже"),
    ("I11", "I6", "grandfather", "дедушка", "нағашы ата"),
    ("I11", "I7", "grandmother", "бабушка", "нағашы әже"),
    ("I11", "I47", "great-grandfather", "прадедушка", "баба"),
    ("I11", "I48", "great-grandmother", "прабабушка", "атасының шешесі"),
    ("I11", "I12", "brother", "брат", "аға"),
    ("I11", "I13", "brother", "брат", "іні"),
    ("I11", "I14", "sister", "сестра", "әпке"),
    ("I11", "I15", "sister", "сестра", "қарындас"),
    ("I14", "I15", "sister", "сестра", "сіңлі"),
    ("I11", "I52", "half-brother", "единокровный брат", "іні"),
    ("I11", "I4", "uncle", "дядя", "әкесінің ағасы"),
    ("I11", "I5", "aunt", "тётя", "әкесінің қарындасы"),
    ("I11", "I9", "uncle", "дядя", "нағашы аға"),
    ("I11", "I10", "aunt", "тётя", "шешесінің сіңлісі"),
    ("I11", "I31", "first cousin", "двоюродный брат", "немере аға"),
    ("I11", "I32", "first cousin", "двоюродная сестра", "немере қарындас"),
    ("I11", "I34", "first cousin", "двоюродный брат", "жиен"),
    ("I11", "I36", "first cousin", "двоюродный брат", "нағашы аға"),
    ("I11", "I37", "first cousin", "двоюродная сестра", "нағашы қарындас"),
    ("I11", "I39", "first cousin", "двоюродная сестра", "бөле"),
    ("I22", "I53", "second cousin", "троюродный брат", "шөбере аға"),
    ("I11", "I53", "first cousin once removed", "двоюродный племянник", "немере ағасының ұлы"),
    ("I11", "I22", "son", "сын", "ұл"),
    ("I11", "I23", "daughter", "дочь", "қыз"),
    ("I11", "I25", "grandson", "внук", "немере"),
    ("I11", "I27", "granddaughter", "внучка", "жиен"),
    ("I11", "I44", "niece", "племянница", "жиен"),
    ("I11", "I41", "nephew", "племянник", "ағасының ұлы"),
    ("I11", "I50", "great-nephew", "внучатый племянник", "ағасының ұлының ұлы"),
    ("I53", "I1", "great-grandfather", "прадедушка", "баба"),
    ("I11", "I16", "wife", "жена", "әйел"),
    ("I16", "I11", "husband", "муж", "күйеу"),
    ("I11", "I17", "father-in-law", "тесть", "қайын ата"),
    ("I11", "I18", "mother-in-law", "тёща", "қайын ене"),
    ("I16", "I3", "father-in-law", "свёкор", "қайын ата"),
    ("I16", "I8", "mother-in-law", "свекровь", "қайын ене"),
    ("I11", "I19", "brother-in-law", "шурин", "қайын аға"),
    ("I11", "I20", "sister-in-law", "свояченица", "балдыз"),
    ("I11", "I21", "brother-in-law", "шурин", "балдыз"),
    ("I16", "I12", "brother-in-law", "деверь", "қайын аға"),
    ("I16", "I13", "brother-in-law", "деверь", "қайын іні"),
    ("I16", "I15", "sister-in-law", "золовка", "қайын сіңлі"),
    ("I11", "I40", "sister-in-law", "невестка", "жеңге"),
    ("I11", "I42", "sister-in-law", "невестка", "келін"),
    ("I11", "I43", "brother-in-law", "зять", "жезде"),
    ("I11", "I45", "brother-in-law", "зять", "күйеу бала"),
    ("I11", "I24", "daughter-in-law", "сноха", "келін"),
    ("I16", "I24", "daughter-in-law", "невестка", "келін"),
    ("I11", "I26", "son-in-law", "зять", "күйеу бала"),
    ("I11", "I28", "co-father-in-law", "сват", "құда"),
    ("I11", "I29", "co-mother-in-law", "сватья", "құдағи"),
    ("I11", "I46", "brother-in-law", "свояк", "бажа"),
    ("I11", "I51", "stepmother", "мачеха", "өгей шеше"),
    ("I11", "I30", "uncle's wife", "жена дяди", "жеңге"),
]


@pytest.fixture(scope="module")
def family(django_db_setup, django_db_blocker):
    """Imported once for the whole table (an import per row would take minutes)."""
    from genealogy.services import tree_purge

    with django_db_blocker.unblock():
        tree = import_tree(str(FAMILY), slug="kin-table")
        yield {p.xref: p.pk for p in g.Person.objects.filter(tree=tree)}
        tree_purge(tree=tree)


def names_between(family, a: str, b: str) -> dict[str, str]:
    rel = graph.relationship(family[a], family[b])
    assert rel.found, f"{a} and {b} should be related"
    infos = graph.people_info([s.person for s in rel.path])
    kin = [kinship.Kin(infos[s.person].sex, infos[s.person].birth_sort) for s in rel.path]
    return kinship.name_path(kin, [s.edge for s in rel.path], half=rel.half)


def test_table_has_at_least_forty_relationships():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(("a", "b", "en", "ru", "kk"), TABLE, ids=[f"{r[0]}-{r[1]}" for r in TABLE])
@pytest.mark.django_db
def test_relationship_is_named_in_english_russian_and_kazakh(family, a, b, en, ru, kk):
    assert names_between(family, a, b) == {"en": en, "ru": ru, "kk": kk}


def test_kazakh_younger_sister_depends_on_the_speakers_sex():
    older_brother = kinship.Kin("M", 100)
    older_sister = kinship.Kin("F", 100)
    younger_sister = kinship.Kin("F", 200)
    parent = kinship.Kin("M", 0)
    edges = ["", "parent", "child"]
    assert name_kk([older_brother, parent, younger_sister], edges) == "қарындас"
    assert name_kk([older_sister, parent, younger_sister], edges) == "сіңлі"


def test_kazakh_sibling_of_unknown_age_is_bauyr():
    edges = ["", "parent", "child"]
    assert name_kk([kinship.Kin("M"), kinship.Kin("M"), kinship.Kin("M")], edges) == "бауыр"


def test_english_counts_greats_beyond_two_with_an_ordinal():
    people = [kinship.Kin("M")] + [kinship.Kin("M")] * 5
    names = kinship.name_path(people, ["", *["parent"] * 5])
    assert names["en"] == "3rd great-grandfather"
    assert names["ru"] == "прапрапрадедушка"


def test_russian_fourth_degree_cousin():
    people = [kinship.Kin("F")] * 11
    names = kinship.name_path(people, ["", *["parent"] * 5, *["child"] * 5])
    assert names["ru"] == "пятиюродная сестра"
    assert names["en"] == "fourth cousin"


def name_kk(people, edges):
    return kinship.name_path(people, edges)["kk"]
