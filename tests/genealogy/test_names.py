"""Tests of genealogy.names: the table of name pairs, each function, and properties."""

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genealogy.names import (
    EXACT,
    MATCH_THRESHOLD,
    SAME_PHONETIC,
    SAME_STEM,
    SAME_WITHOUT_SPACES,
    TRIGRAM_WEIGHT,
    name_similarity,
    name_variants,
    names_match,
    phonetic_key,
    search_key,
    split_name,
    stem_key,
    trigram_similarity,
)

PAIRS_FILE = Path(__file__).with_name("name_pairs.tsv")


def _load_pairs() -> list:
    """One pytest param per row, with the row's line number in the TSV as its id."""
    params = []
    with PAIRS_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            if row["a"].startswith("#"):  # section titles
                continue
            params.append(
                pytest.param(
                    row["a"],
                    row["b"],
                    row["match"] == "1",
                    row["note"],
                    id=f"line{reader.line_num}",
                )
            )
    return params


PAIRS = _load_pairs()


def _explain(a: str, b: str) -> str:
    return (
        f"similarity {name_similarity(a, b):.2f}; "
        f"{a!r}: {search_key(a)!r} / {phonetic_key(a)!r} / {stem_key(a)!r}; "
        f"{b!r}: {search_key(b)!r} / {phonetic_key(b)!r} / {stem_key(b)!r}"
    )


# --- The table -------------------------------------------------------------------------------


def test_table_is_large_enough():
    matches = sum(1 for p in PAIRS if p.values[2])
    assert matches >= 150
    assert len(PAIRS) - matches >= 50


@pytest.mark.parametrize(("a", "b", "expected", "note"), PAIRS)
def test_name_pair(a, b, expected, note):
    assert names_match(a, b) is expected, f"{note}: {_explain(a, b)}"
    assert names_match(b, a) is expected, "names_match must be symmetric"


# --- search_key ------------------------------------------------------------------------------


def test_search_key_does_what_unidecode_does_not():
    assert search_key("Қасымұлы Әлихан") == "kasymuli alikhan"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        # Kazakh Cyrillic letters, as Kazakh passports reduce them.
        ("ә ғ қ ң ө ұ ү һ і", "a g k n o u u kh i"),
        # 2021 Latin alphabet.
        ("ä ğ q ñ ö ū ü h ı ş ç", "a g k n o u u kh i sh ch"),
        ("ŋ", "n"),
        # 2018 Latin alphabet: acute accents; ý is у.
        ("á ǵ ó ú ý ń í", "a g o u u n i"),
        # 2017 Latin alphabet: apostrophes; y' is у, s' and c' are ш and ч.
        ("a' g' n' o' u' i'", "a g n o u i"),
        ("S'oqan Y'a'lihanov", "shokan ualikhanov"),
        ("C'apaev", "chapaev"),
        # ...but before i/e/y the apostrophe is a library romanisation's soft sign.
        ("Kas'ianov", "kasianov"),
        # Russian: passport / BGN letters, ё = е, ь ъ dropped.
        ("Жёлтый Цыплёнок Щукин Объезд", "zhelti tsyplenok shchukin obezd"),
        # ISO 9: carons, ë, â, û, j for й; with a caron, c is ц.
        ("Ščerbakov Kuznecov Fëdor Ûrij Ânina", "shcherbakov kuznetsov fedor iuri ianina"),
        # GOST R 52535.1-2006 passports: tc for ц.
        ("Tcoi", "tsoi"),
        # Ukrainian.
        ("Григорій Євген Ґонта Їжак", "grigori evgen gonta izhak"),
        # Tatar and Bashkir.
        ("Җәлил Ҙаки Ҫәлим Ҡасим", "zhalil zaki salim kasim"),
        # Chechen palochka.
        ("ГӀазиев", "gazev"),
        # Pre-1918 spelling.
        ("Ѳеодоръ Алексѣевъ", "feodor alekseev"),
        # German.
        ("Straße Müller Mueller Schulz", "strasse muller muller shults"),
        # Koryo-saram surnames in South Korean or English spelling.
        ("Park Lee Choi Ahn Hwang", "pak li tsoi an khvan"),
        # Punctuation: hyphens and apostrophes join, other marks separate, digits go.
        ("Alma-Ata", "almaata"),
        ("Алма–Ата", "almaata"),
        ("O'Brien", "obrien"),
        ("Алихан /Бокейханов/", "alikhan bokeikhanov"),
        ("А.Бокейханов", "a bokeikhanov"),
        ("Николай 2-й", "nikolai i"),
        ("  ", ""),
        ("", ""),
    ],
)
def test_search_key_examples(text, key):
    assert search_key(text) == key


@pytest.mark.parametrize(
    "spellings",
    [
        ["Қасымұлы", "Касымулы", "Qasymuly", "Kasymuly", "Qasymūly"],
        ["Уәлиханов", "Ualikhanov", "Uälihanov", "Ýálıhanov", "Y'a'lihanov"],
        ["Соловьёв", "Soloviev", "Solovyov", "Solovev", "Solov'ëv", "Solov'yëv", "Соловьев"],
        ["Евгений", "Yevgeny", "Evgeniy", "Evgenii", "Yevgeniy"],
        ["Верный", "Verny", "Vernyi", "Vernyj", "Vernyy"],
        ["Alma-Ata", "Алма-Ата", "ALMA-ATA", "almaata"],
        ["Жұмабаев", "Zhumabayev", "Zhumabaev", "Jumabaev"],
        ["Мария", "Mariya", "Maria", "Mariia"],
        ["Цой", "Tsoi", "Tsoy", "Choi", "Tcoi"],
    ],
)
def test_search_key_spellings_fold_together(spellings):
    assert len({search_key(s) for s in spellings}) == 1, {s: search_key(s) for s in spellings}


def test_search_key_keeps_letters_of_other_scripts():
    assert search_key("김") == "김"
    assert search_key("Ἀλέξανδρος") == "αλεξανδροσ"
    assert search_key("김") != search_key("박")


def test_search_key_is_ascii_for_known_scripts():
    key = search_key("Әлихан Нұрмұхамедұлы Бөкейхан Ščerbakov Müller Ğabdulla Tuqay Ҙаки")
    assert key.isascii()
    assert key == key.lower()


# --- phonetic_key ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Kassymuly", "Kasymuly", "Qasimuly"],
        ["Сәтбаев", "Satpayev", "Сатпаев"],
        ["Мюллер", "Müller", "Muller"],
        ["Шмидт", "Шмит", "Schmid"],
        ["Шнайдер", "Шнейдер", "Schneider"],
        ["Уәлиханов", "Валиханов"],
        ["Бөкейхан", "Букейхан", "Bokeikhan"],
        ["Григорий", "Hryhoriy"],
        ["Гасан", "Хасан", "Hasan"],
        ["Хван", "Hwang"],
        ["Джамал", "Жамал", "Jamal"],
        ["Иванов", "Ivanoff", "Iwanow"],
    ],
)
def test_phonetic_key_merges(spellings):
    assert len({phonetic_key(s) for s in spellings}) == 1, {s: phonetic_key(s) for s in spellings}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Қасым", "Хасым"),  # k and g/kh classes
        ("Шамиль", "Чамиль"),  # sh and ch
        ("Сакен", "Шакен"),  # s and sh
        ("Асан", "Есен"),  # a and e
        ("Бибі", "Бубі"),  # i and u
        ("Дана", "Тана"),  # d and t before a vowel
        ("Ким", "Кин"),
    ],
)
def test_phonetic_key_keeps_apart(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_phonetic_key_of_several_words():
    assert phonetic_key("Kassymuly Alikhan") == "kasimuli aligan"


# --- stems and variants ----------------------------------------------------------------------


def test_stem_key_shared_by_family_forms():
    forms = ["Қасымов", "Касымова", "Қасымұлы", "Kassymov", "Qasymuly", "Қасымқызы", "Қасым"]
    assert {stem_key(f) for f in forms} == {"kasim"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Нурмухамедович", "Нұрмұхамедұлы"),
        ("Сергеевич", "Сергей"),
        ("Васильев", "Василий"),
        ("Ковальский", "Ковальская"),
        ("Смирнов", "Смирнова"),
        ("Иванов", "Iwanoff"),
    ],
)
def test_stem_key_equal(a, b):
    assert stem_key(a) == stem_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Марина", "Мария"),  # -ина of a short given name is not a suffix
        ("Коваль", "Ковальский"),
        ("Попов", "Поповский"),
    ],
)
def test_stem_key_different(a, b):
    assert stem_key(a) != stem_key(b)


def test_stem_key_friedrich_is_not_a_patronymic():
    assert stem_key("Friedrich") == phonetic_key("Friedrich")


def test_stem_key_too_short():
    assert stem_key("Ли") == ""
    assert stem_key("Алиев") == ""
    assert stem_key("") == ""


def test_name_variants_of_one_word():
    variants = name_variants("Kassymov")
    assert variants == {"kassymov", "kasimuf", "kasim"}


def test_name_variants_of_a_full_name():
    variants = name_variants("Әлихан Бөкейханов")
    assert {"alikhan", "bokeikhanov", "alikhan bokeikhanov", "aligan bukaiganuf"} <= variants
    assert "bukaigan" in variants  # the stem, shared with Бөкейхан
    assert "" not in variants


def test_name_variants_of_nothing():
    assert name_variants("") == set()
    assert name_variants(" - ") == set()


# --- split_name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Әлихан Нұрмұхамедұлы Бөкейхан", ("Әлихан", "Нұрмұхамедұлы", "Бөкейхан")),
        ("Бокейханов Алихан Нурмухамедович", ("Алихан", "Нурмухамедович", "Бокейханов")),
        ("Бөкейхан Әлихан Нұрмұхамедұлы", ("Әлихан", "Нұрмұхамедұлы", "Бөкейхан")),
        ("Алихан Нурмухамедович Букейханов", ("Алихан", "Нурмухамедович", "Букейханов")),
        ("Бокейханов, Алихан Нурмухамедович", ("Алихан", "Нурмухамедович", "Бокейханов")),
        ("Бокейханов Алихан", ("Алихан", "", "Бокейханов")),
        ("Alikhan Bokeikhanov", ("Alikhan", "", "Bokeikhanov")),
        ("BOKEIKHAN Alikhan", ("Alikhan", "", "BOKEIKHAN")),
        ("Алихан Нурмухамедович", ("Алихан", "Нурмухамедович", "")),
        ("Ерлан Қасымұлы", ("Ерлан", "Қасымұлы", "")),
        ("Ким Сергей Николаевич", ("Сергей", "Николаевич", "Ким")),
        ("Ким Ен Ир", ("Ен Ир", "", "Ким")),
        ("Friedrich Müller", ("Friedrich", "", "Müller")),
        ("Иван Петрович Сидоров", ("Иван", "Петрович", "Сидоров")),
        ("Анна Мария Шмидт", ("Анна Мария", "", "Шмидт")),
        ("Шевченко Тарас Григорович", ("Тарас", "Григорович", "Шевченко")),
        ("Марина", ("Марина", "", "")),
        ("Иванова", ("", "", "Иванова")),
        ("", ("", "", "")),
    ],
)
def test_split_name(text, parts):
    assert split_name(text) == parts


# --- similarity ------------------------------------------------------------------------------


def test_similarity_levels():
    assert name_similarity("Қасымұлы", "Qasymuly") == EXACT
    assert name_similarity("Alma Ata", "Alma-Ata") == SAME_WITHOUT_SPACES
    assert name_similarity("Kassymuly", "Qasymuly") == SAME_PHONETIC
    assert name_similarity("Қасымов", "Қасымұлы") == SAME_STEM
    fallback = name_similarity("Марат", "Мурат")
    assert 0 < fallback < TRIGRAM_WEIGHT < MATCH_THRESHOLD
    assert name_similarity("", "Марат") == 0.0
    assert name_similarity("", "") == 0.0
    assert not names_match("", "")


def test_similarity_ranks_close_names_higher():
    query = "Bokeikhanov"
    assert name_similarity(query, "Bokeikanov") > name_similarity(query, "Baitursynov")


def test_similarity_of_full_names_ignores_word_order():
    score = name_similarity("Бокейханов Алихан", "Alikhan Bokeikhan")
    assert score == pytest.approx((EXACT + SAME_STEM) / 2)
    assert name_similarity("Ким Сергей", "Ким") == pytest.approx(0.5)


def test_trigram_similarity_is_pg_trgm():
    # pg_trgm: similarity('cat', 'cats') = 3 shared / 6 distinct trigrams.
    assert trigram_similarity("cat", "cats") == pytest.approx(0.5)
    assert trigram_similarity("word", "word") == 1.0
    assert trigram_similarity("", "word") == 0.0


# --- properties ------------------------------------------------------------------------------

# Letters the rules care about, so that generated text exercises them and not only Unicode.
_NAME_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz'- "
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "әғқңөұүһі"
    "äğqñöūüışçáǵóúýńčšžŝëâûєїґўҗӏ"
)
_ANY_TEXT = st.text(max_size=30)
_NAME_TEXT = st.text(alphabet=_NAME_ALPHABET, max_size=20)
_TEXT = st.one_of(_ANY_TEXT, _NAME_TEXT)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_search_key_is_idempotent(text):
    key = search_key(text)
    assert isinstance(key, str)
    assert search_key(key) == key


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_phonetic_key_is_idempotent(text):
    key = phonetic_key(text)
    assert isinstance(key, str)
    assert phonetic_key(key) == key


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_variants_and_split_never_raise(text):
    variants = name_variants(text)
    assert all(isinstance(v, str) and v for v in variants)
    parts = split_name(text)
    assert len(parts) == 3
    assert all(isinstance(p, str) for p in parts)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_similarity_is_a_symmetric_score(a, b):
    score = name_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == pytest.approx(name_similarity(b, a))
    if search_key(a):
        assert names_match(a, a)
