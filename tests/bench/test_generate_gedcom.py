"""Tests for bench/generate_gedcom.py: the synthetic file is valid GEDCOM 5.5.1 that a third-party
parser reads, deterministic for a seed, about 400 bytes a person, and shaped like a real tree."""

import io
import re
from pathlib import Path

import pytest
from gedcom.element.family import FamilyElement
from gedcom.element.individual import IndividualElement
from gedcom.parser import Parser

from bench.generate_gedcom import (
    FULL,
    KAZAKH_TOWNS,
    SHORT,
    TOWN_ONLY,
    Clan,
    Counts,
    Generator,
    generate,
    main,
)

PEOPLE = 500


def write(path: Path, people: int, seed: int) -> Counts:
    with path.open("wb") as out:
        return generate(people, seed, out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Counts]:
    path = tmp_path_factory.mktemp("gedcom") / "synthetic.ged"
    return path, write(path, PEOPLE, seed=1)


@pytest.fixture(scope="module")
def parsed(generated) -> Parser:
    parser = Parser()
    parser.parse_file(str(generated[0]), strict=True)
    return parser


@pytest.fixture(scope="module")
def large_text(tmp_path_factory) -> str:
    """A file big enough that every kind of clan and every rare structure occurs."""
    path = tmp_path_factory.mktemp("gedcom") / "large.ged"
    write(path, 5000, seed=7)
    return path.read_text(encoding="utf-8")


def test_file_parses_with_python_gedcom_to_the_requested_individuals(parsed):
    individuals = [e for e in parsed.get_root_child_elements() if isinstance(e, IndividualElement)]
    assert len(individuals) == PEOPLE


def test_family_count_matches_what_the_generator_reports(generated, parsed):
    families = [e for e in parsed.get_root_child_elements() if isinstance(e, FamilyElement)]
    assert len(families) == generated[1].families


def test_reported_bytes_are_the_file_size(generated):
    path, counts = generated
    assert counts.bytes == path.stat().st_size


def test_same_seed_writes_the_same_bytes(generated, tmp_path):
    again = tmp_path / "again.ged"
    write(again, PEOPLE, seed=1)
    assert again.read_bytes() == generated[0].read_bytes()


def test_other_seed_writes_another_file(generated, tmp_path):
    other = tmp_path / "other.ged"
    write(other, PEOPLE, seed=2)
    assert other.read_bytes() != generated[0].read_bytes()


def test_bytes_per_person_is_about_400(generated):
    path, counts = generated
    assert 300 <= path.stat().st_size / counts.individuals <= 500


def test_header_declares_utf8_gedcom_551_lineage_linked(generated):
    head = generated[0].read_text(encoding="utf-8").split("\n0 ", 1)[0].splitlines()
    assert {"1 CHAR UTF-8", "2 VERS 5.5.1", "2 FORM LINEAGE-LINKED", "1 SUBM @U1@"} <= set(head)


def test_file_ends_with_the_trailer(generated):
    assert generated[0].read_bytes().endswith(b"\n0 TRLR\n")


def test_no_line_is_longer_than_gedcom_551_allows(generated):
    lines = generated[0].read_text(encoding="utf-8").splitlines()
    assert max(len(line) for line in lines) <= 255


def test_every_pointer_names_a_record_in_the_file(large_text):
    defined = set(re.findall(r"^0 (@[^@]+@) ", large_text, re.MULTILINE))
    used = set(re.findall(r"^\d+ [A-Z_]+ (@[^@]+@)$", large_text, re.MULTILINE))
    assert used - defined == set()


def test_most_people_are_a_child_in_a_family(large_text):
    people = large_text.count(" INDI\n")
    assert large_text.count("\n1 FAMC ") > people / 2


@pytest.mark.parametrize(
    "marker",
    [
        "ұлы /",  # Kazakh patronymic surnames before the 1920s
        "қызы",
        "ович",  # Russian-style patronymics
        "овна",
        "/Қасымов",  # a Soviet-era Kazakh surname
        "\n2 TYPE aka\n",  # a second, Russified NAME
        "\n2 GIVN ",
        "\n2 SURN ",
        "\n2 _MARNM ",
        "/Ким/",  # Koryo-saram
        "/Шмидт/",  # Volga Germans
        "\n2 PEDI adopted\n",
        "\n1 RESI\n",
        "\n1 CENS\n",
        "\n1 BURI\n",
        "\n2 TYPE Deportation\n",
        "@#DJULIAN@ ",
        "\n2 DATE ABT ",
        "\n2 DATE BEF ",
        "\n2 DATE BET ",
        ", Российская империя\n",
        ", Казахская ССР\n",
        ", Казахстан\n",
        "аул № ",
        "\n1 PUBL ЦГА РК, ф. ",
        "\n3 PAGE л. ",
        " об.\n",
        "\n1 REPO @R",
        "\n1 CONC ",
        "\n2 CONC ",
        "\n2 CONT ",
        "\n1 _UID ",
        "\n1 OBJE @O",
        "@ NOTE ",  # NOTE records
        "\n1 NOTE @N",
    ],
)
def test_file_contains_what_a_real_tree_of_the_region_has(large_text, marker):
    assert marker in large_text


def test_every_kazakh_special_letter_occurs(large_text):
    assert set("әғқңөұүһі") <= set(large_text)


@pytest.mark.parametrize(
    ("town", "year", "style", "written"),
    [
        (0, 1900, FULL, "Верный, Семиреченская область, Российская империя"),
        (0, 1950, SHORT, "Алма-Ата, Казахская ССР"),
        (0, 2000, TOWN_ONLY, "Алматы"),
        (1, 1900, TOWN_ONLY, "Акмолинск"),
        (1, 1970, FULL, "Целиноград, Целиноградская область, Казахская ССР"),
        (1, 2020, SHORT, "Нур-Султан, Казахстан"),
    ],
)
def test_places_are_named_as_they_were_that_year(town, year, style, written):
    assert KAZAKH_TOWNS[town].place(year, style) == written


def test_children_are_born_20_to_40_years_after_both_parents():
    clan = Clan(Generator(1000, seed=3, out=io.BytesIO()), capacity=1000)
    clan.grow()
    gaps = [
        child.birth_year - parent.birth_year
        for family in clan.families
        for child in family.children
        for parent in (family.husband, family.wife)
    ]
    assert gaps
    assert min(gaps) >= 20
    assert max(gaps) <= 40


def test_several_generations_are_linked():
    clan = Clan(Generator(1000, seed=3, out=io.BytesIO()), capacity=1000)
    clan.grow()
    parents = {family.number: family for family in clan.families}
    deepest = 0
    for person in clan.people:
        depth, current = 0, person
        while current.famc is not None:
            depth, current = depth + 1, parents[current.famc].husband
        deepest = max(deepest, depth)
    assert deepest >= 4


def test_command_line_writes_the_file_and_reports_the_counts(tmp_path, capsys):
    path = tmp_path / "cli.ged"
    assert main(["--people", "50", "--seed", "4", "--output", str(path)]) == 0
    report = capsys.readouterr().out
    assert path.read_text(encoding="utf-8").count(" INDI\n") == 50
    assert "50 individuals" in report
    assert "MB/s" in report


def test_romanized_names_are_latin_forms_of_the_cyrillic(tmp_path):
    from genealogy.names import search_key

    path = tmp_path / "romn.ged"
    with path.open("wb") as out:
        generate(300, 1, out, romanized=1.0)
    lines = path.read_text(encoding="utf-8").splitlines()
    pairs = [
        (lines[i - 1], line)
        for i, line in enumerate(lines)
        if line.startswith("2 ROMN ") and lines[i - 1].startswith("1 NAME ")
    ]
    assert len(pairs) >= 200  # the other NAME lines are followed by GIVN/SURN/_MARNM first
    for name, romn in pairs:
        latin = romn.removeprefix("2 ROMN ")
        assert latin.isascii()
        assert search_key(latin) == search_key(name.removeprefix("1 NAME "))
