"""Name matching for search: one Latin key for every script, a phonetic key, stems and similarity.

Pure Python (standard library only), no Django: the importers call it for every name of a file
and the search calls it for every query. Off-the-shelf folding (``unidecode``) is not enough here:
it knows neither the Kazakh letters («Қасымұлы Әлихан» becomes ``K'asymu'ly @likhan``) nor the
several romanisation systems a researcher's spelling may come from, so the rules are written out.

API
===

``search_key(text) -> str``
    A canonical lower-case ASCII Latin form for exact matching. Every spelling that a standard
    or common romanisation produces from one Cyrillic spelling folds to the same key:
    ``Қасымұлы``, ``Касымулы``, ``Qasymuly``, ``Kasymuly`` → ``kasymuli``; ``Уәлиханов``,
    ``Ualikhanov``, ``Uälihanov`` → ``ualikhanov``; ``Соловьёв``, ``Soloviev``, ``Solovyov``,
    ``Solovev``, ``Solov'ëv`` → ``solovev``; ``Alma-Ata``, ``Алма-Ата`` → ``almaata``.
    Words stay separated by one space; hyphens and apostrophes join (``Alma-Ata``), other
    punctuation separates (``А.Бокейханов``), digits are dropped. Letters of scripts it does not
    know (Hangul, Greek, ...) are kept as they are, so such a name still matches itself.
``phonetic_key(text) -> str``
    A coarser key: same key ⇒ probably the same name heard or written differently
    (``Kassymuly`` = ``Kasymuly``, ``Satpayev`` = ``Сәтбаев``, ``Мюллер`` = ``Müller``).
``name_variants(text) -> set[str]``
    The keys to index a name under: for each word its search key, phonetic key and stem key
    (the phonetic key of the word without its patronymic or surname suffix, so ``Қасымов``,
    ``Касымова``, ``Қасымұлы``, ``Kassymov`` and ``Qasymuly`` all carry ``kasim``); for a name of
    several words also the whole name's search and phonetic keys.
``stem_key(text) -> str``
    The stem key of one word (empty when the stem is too short to be useful).
``word_keys(text) -> list[(search key, phonetic key, stem key)]``
    The three keys of every word, as the search indexes and queries them
    (:mod:`genealogy.search`).
``split_name(text) -> (given, patronymic, surname)``
    Heuristic split of a full name written in one string, see :func:`split_name`.
``name_similarity(a, b) -> float`` and ``names_match(a, b) -> bool``
    Similarity in 0..1 and ``similarity >= MATCH_THRESHOLD``, see the thresholds below.

The search key, rule by rule
============================

1. Unicode: NFKC then case folding (``ß`` → ``ss``, full-width and ligature forms unfolded).
2. Letters to Latin, by one translation table (the rules below), then any remaining diacritic
   is stripped (``é`` → ``e``):

   * Russian Cyrillic as in Kazakhstan's passports and BGN/PCGN (1947) without the iotation
     marks: ж zh, х kh, ц ts, ч ch, ш sh, щ shch, ы y, й i, ю iu, я ia; ё and е are both ``e``
     (Russian print writes ё as е, so Фёдор is often Федор); ь and ъ are dropped.
   * Kazakh Cyrillic as in Kazakh passports, which reduce the Kazakh letters to their base
     letter: ә a, ғ g, қ k, ң n, ө o, ұ u, ү u, һ kh, і i. So ``Қасым`` = ``Касым`` = ``Kasym``.
   * Kazakh Latin. 2021 alphabet (presented by the Government in January 2021, revising the
     alphabet of Presidential Decree No. 569 of 26 October 2017): ä a, ğ g, q k, ñ/ŋ n,
     ö o, ū u, ü u, h kh, ı (= і) i, i (= и, й) i, y (= ы) y, j (= ж) zh, ş sh, ç ch.
     2018 alphabet (Decree No. 637 of 19 February 2018): acute accents á ǵ ń ó ú í drop;
     ý (= у) is ``u``. 2017 alphabet (Decree No. 569): apostrophes a' g' n' o' u' i' drop;
     y' (= у) is ``u``; s' and c' are ``sh`` and ``ch`` (but not before e, i, j, y, where an
     apostrophe is a library romanisation's soft sign: Kas'ianov = Касьянов).
   * Other Russian romanisations: ISO 9:1995 (= GOST 7.79-2000 system A: č š ž ŝ ë â û è,
     j for й, c for ц, h for х), GOST R 52535.1-2006 passports (tc for ц), ALA-LC and
     scientific transliteration (ʹ for ь), BGN/PCGN (ye, yë, y, ʹ), and informal English spelling
     (Yevgeny, Soloviev, Hasan for Хасан, Dmitry for Дмитрий).
   * Ukrainian є ї ґ; Belarusian/Uzbek ў; Tatar/Bashkir җ ҙ ҫ ҡ; Chechen palochka Ӏ (dropped);
     Serbian ј љ њ ђ ћ џ; pre-1918 ѣ ѳ ѵ; Polish ł ż ć and digraphs sz cz szcz; Romanian ș ț;
     German ß, ä/ö/ü, their spellings oe/ue between consonants (Mueller; not before v, where
     Russian -оев/-уев has them), sch and tsch, z = ц at the end after l/n/r (Schulz, Franz).
   * A word with a caron (č š ž ŝ ě ř) is ISO 9 or Czech: its c is ц and its ch is х
     (Kuznecov, Čechov); elsewhere c before e/i/y is ц and other c is к (Carl, Clara).
3. Latin spellings of one sound are folded, longest first: shch/szcz/shh/ŝ → shch,
   sch/sz/ş/š → sh, tsch/cz/ç/č → ch, zh/ž/ż/j → zh (but j after a vowel and not before one
   is й: Sergej, Vernyj), kh/h → kh, tz/tc/ts and c before e/i/y → ts, c and ck and q → k,
   x → ks, w → v, ph → f, th → t, gh → g, oo → u. ``tsh``, ``tzh``, ``szh`` and ``tch`` are
   left as they are: they are т+ш, т+ж, с+ж and т+ч (but a French Tch- at the start of a
   word is ч: Tchaikovsky).
4. Vowels and the semivowel: ``ye``/``yo`` → e (Yerlan = Ерлан, Zhumabayev = Жумабаев,
   Fyodor = Фёдор), except vowel + ``yer`` (Bayer, Meyer = Байер, Мейер); a consonant then
   ``iev``/``iov`` → ev (Soloviev = Соловьёв, and so Алиев → ``alev``); ``o`` after
   ch/sh/zh before v → e (Gorbachov = Горбачёв); y next to a vowel → i (Aygul = Айгүл,
   Yakov = Яков); at the end of a word after a consonant, y/yy/yi/iy/ii → i (Yevgeny =
   Evgeniy = Евгений → ``evgeni``, Verny = Vernyi = Верный, and Kazakh -ұлы → ``-uli``, so
   Kasymuli matches too); ii → i (Mariya = Мария → ``maria``).
   Steps 3 and 4 are repeated until nothing changes (a spelling can only be read once its
   neighbours are), so the key is a fixed point: ``search_key(search_key(x)) == search_key(x)``.
5. Koryo-saram surnames written in South Korean or English romanisation take their
   Soviet Cyrillic form: Park → pak (Пак), Lee/Rhee → li (Ли), Choi/Choe/Chkhve → tsoi
   (Цой), Ahn → an (Ан), Hwang → khvan (Хван), Kang → kan (Кан).

The phonetic key
================

Computed from the search key, word by word. It keeps consonant classes apart and merges what
records of this region confuse:

* vowels: a (а ә); e (е э); i (ы і и, y, ı); o and u together (о ө ұ ү у), because
  Russian records write Kazakh ө as у or о and passports as o (Бөкейхан, Bokeikhan,
  Букейханов; Төлеген, Tolegen, Тулеген);
* k (к қ k q); g with kh and h (г ғ х һ): Russian writes Arabic and German h as г
  (Гасан = Хасан, Герман = Hermann), Ukrainian г is h (Hryhoriy = Григорий);
* sh with shch; zh with dzh and j (Джамал = Жамал); ch; ts; v with w and with u before a
  vowel at the start of a word or after a vowel (Уәлиханов = Валиханов, Әуезов);
* ei → ai (German ei: Schneider = Шнайдер = Шнейдер); iu → u after a consonant
  (Мюллер = Müller, Lyudmila = Ludmila); ng → n before a consonant or at the end
  (Hwang = Хван); b, d, z at the end of a word and b, d next to a voiceless consonant are
  devoiced (Сәтбаев = Satpayev, Шмидт = Шмит = Schmid, Ivanoff = Иванов); doubled letters
  collapse (Kassymuly = Kasymuly, Müller = Мюллер). The key is rendered in Latin letters and,
  like the search key, is a fixed point of the rules.

Stems
=====

Patronymic and surname endings are recognised on the search key: -ovich, -evich, -ovna,
-evna, -ichna, -ich (not -rich: Friedrich, Heinrich), Kazakh -uly/-ұлы and -kyzy/-қызы,
-ov/-ova/-ev/-eva/-off, -in/-ina (only on stems of four letters or more: Марина and Мадина
are given names), and -ski/-skii/-ska/-skaia (the stem keeps ``sk``, so Ковальский and
Ковальская share a stem, Коваль does not). A final ``i`` of the stem is dropped so that
Сергей/Сергеевич and Василий/Васильев meet. Stems shorter than three letters are not used
(Ли, Алиев).

Decisions (each one is a row of ``tests/genealogy/name_pairs.tsv``)
====================================================================

* Matching compares spellings of one name, not different names that stand for each other:
  Almaty and Alma-Ata, Nur-Sultan and Astana are renamings, Theodor and Фёдор or Eugene and
  Евгений are translations, Миллер and Müller are a Soviet clerk's substitution. Those
  belong to dated place names and to name records of type "translated", not to folding.
* The gendered and derived forms of one family name match (Смирнов = Смирнова,
  Қасымов = Қасымұлы = Қасым-қызы's stem), and so does the bare name with its -ов form
  (Бөкейхан = Букейханов, the restored Kazakh surname). Compare like with like: a given
  name against given names, a surname against surnames.
* Шмидт = Шмит = Schmid: final -dt/-d/-t are one sound, records swap them (Kölner Phonetik
  and Daitch-Mokotoff treat them the same too).
* Тен (정, Jeong) and Тян (장, Jang) are different Koryo-saram surnames and do not match.

Similarity and thresholds
=========================

``name_similarity`` is 1.0 for equal search keys, 0.95 for keys equal once spaces are ignored
(Alma Ata / Alma-Ata), 0.9 for equal phonetic keys, 0.85 for equal stem keys, otherwise
0.7 × the trigram similarity of the phonetic keys (pg_trgm's definition: each word padded
with two spaces before and one after, |shared trigrams| / |all trigrams|), so trigrams alone
stay below the match threshold and only rank "did you mean" candidates. Names of several
words are aligned word by word in any order (best pairs first) and the total is divided by
the longer name's word count. ``names_match`` is ``name_similarity >= 0.8``.

Speed: keys are cached per word and per string (``functools.lru_cache``); the rules are
``str.translate`` tables and precompiled regular expressions, each skipped when the letters it
needs are absent. Measured on one core (CPython 3.11): about 100,000 ``search_key`` and
40,000 ``phonetic_key`` calls a second on names never seen before, and over 1,000,000 calls a
second on an import where names repeat (20,000 surnames, 5,000 given names).

Known limits
============

* German ch after a vowel is х (Friedrich = Фридрих) but English/Russian ch is ч: the key reads
  ch as ч, so Friedrich does not match Фридрих; nor do German st/sp (Stein = Штейн), eu
  (Neumann = Нойман), initial z (Zimmermann = Циммерман), ä/ö as е/ё (Schäfer = Шефер,
  König = Кёниг), or initial j as й (Jakob = Якоб, Jurij): Latin j is Kazakh ж.
* A 2017-alphabet s' or c' before e, i or y is read as a soft sign (S'ymkent ≠ Шымкент).
* ý is read as Kazakh 2018 у (Czech Novotný loses its y); ISO 9 c without any caron in the
  word is read as к (Kuznecov ≠ Кузнецов unless a č/š/ž is present).
* The о/у merge also merges Russian pairs such as Роза/Руза; vowel loss in Russian renderings
  (Әбдірахман/Абдрахман, Бауыржан/Бауржан) is only caught by the trigram score.
* Scripts without rules (Hangul, Arabic, Greek, ...) are kept, not romanised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "MATCH_THRESHOLD",
    "name_similarity",
    "name_variants",
    "names_match",
    "phonetic_key",
    "search_key",
    "split_name",
    "stem_key",
    "word_keys",
    "word_similarity",
]

EXACT = 1.0
SAME_WITHOUT_SPACES = 0.95
SAME_PHONETIC = 0.9
SAME_STEM = 0.85
TRIGRAM_WEIGHT = 0.7
MATCH_THRESHOLD = 0.8

_CACHE_SIZE = 1 << 18
# The folding rules are applied until nothing changes; no real name needs more than three
# rounds, the bound only guarantees termination.
_MAX_ROUNDS = 8

# --- Stage 1: characters -------------------------------------------------------------------

_APOSTROPHES = "'’‘ʼʹʻʽ`´′″ʺˮʿʾ"
# Hyphens and dashes join the parts of a compound name: Alma-Ata, Хож-Ахмед, Nur-Sultan.
_HYPHENS = "-\u00ad‐‑‒–—―−"

# fmt: off
_LETTERS = {
    # Russian (passport and BGN/PCGN letters, iotation written i).
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    # Kazakh, as Kazakh passports write them.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "kh", "і": "i",
    # Ukrainian, Belarusian, Uzbek, Tajik.
    "є": "e", "ї": "i", "ґ": "g", "ў": "u", "ҳ": "kh", "ҷ": "zh", "ӣ": "i", "ӯ": "u",
    # Tatar and Bashkir.
    "җ": "zh", "ҙ": "z", "ҫ": "s", "ҡ": "k",
    # Chechen and Ingush palochka marks a glottal sound that Russian spellings leave out.
    "ӏ": "",
    # Serbian and Macedonian.
    "ј": "i", "љ": "l", "њ": "n", "ђ": "d", "ћ": "ch", "џ": "dzh", "ѓ": "g", "ќ": "k", "ѕ": "dz",
    # Pre-1918 Russian spelling (metric books).
    "ѣ": "e", "ѳ": "f", "ѵ": "i", "ї": "i",
    # Latin letters whose meaning is more than their base letter.
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ş": "sh", "ș": "sh", "ç": "ch", "ć": "ch",
    "ż": "zh", "ț": "ts", "ţ": "ts", "ı": "i", "ə": "a", "ŋ": "n",
    "ý": "u",  # Kazakh 2018: ý is у.
    "â": "ia", "û": "iu",  # ISO 9: я and ю.
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th",
}
# fmt: on
_TABLE = str.maketrans(
    {
        **{k: v for k, v in _LETTERS.items() if len(k) == 1},
        **dict.fromkeys(_APOSTROPHES, "'"),
        **dict.fromkeys(_HYPHENS, ""),
    }
)
# A caron or ISO 9's ŝ shows the system in which c is ц and (Czech) ch is х.
_CARON = re.compile("[čšžŝěřČŠŽŜĚŘ]")
_CARON_C = re.compile("ch|c", re.IGNORECASE)
# Anything that is neither a letter nor an apostrophe separates words; digits go too (in
# Chechen typing "1" stands for the palochka, elsewhere digits are not part of a name).
_SEPARATORS = re.compile(r"[^\w']|[\d_]")

# --- Stage 2: Latin spellings ----------------------------------------------------------------

_APOSTROPHE_LETTERS = re.compile(r"y'|([sc])'(?=[a-df-hk-xz])")
# Longest first; tsh, tzh, szh and tch are т+ш, т+ж, с+ж, т+ч and stay as they are, except
# a French-style Tch at the start of a word (Tchaikovsky).
_DIGRAPHS = re.compile(
    r"szcz|shch|shh|tsch|sch|(?P<initial_tch>^tch)|tsh|tzh|szh|tch|sz|cz"
    r"|ch|sh|zh|kh|gh|ph|th|tc|tz|ts|ck|(?P<soft_c>c(?=[eiy]))|c|x|q|w|h"
    r"|(?P<short_i>(?<=[aeiouy])j(?![aeiouy]))|j"
)
# fmt: off
_DIGRAPH_MAP = {
    "szcz": "shch", "shch": "shch", "shh": "shch", "tsch": "ch", "sch": "sh", "tsh": "tsh",
    "tzh": "tzh", "szh": "szh", "tch": "tch", "sz": "sh", "cz": "ch", "ch": "ch", "sh": "sh",
    "zh": "zh", "kh": "kh", "gh": "g", "ph": "f", "th": "t", "tc": "ts", "tz": "ts",
    "ts": "ts", "ck": "k", "c": "k", "x": "ks", "q": "k", "w": "v", "h": "kh", "j": "zh",
}
# fmt: on

_CONSONANT = "[b-df-hj-np-tv-xz]"
# Each rule with a letter or pair that must be present for it to apply: most words skip
# most rules without running a regular expression.
_VOWEL_RULES = (
    (re.compile(r"i{2,}"), "i", "ii"),
    # BGN writes е as ye at the start and after vowels (Yerlan, Zhumabayev), ё as yo (Fyodor);
    # but vowel + yer is German (Bayer, Meyer = Байер, Мейер), where y is й.
    (re.compile(r"(?<![aeiou])y[eo]|y[eo](?!r)"), "e", "y"),
    (re.compile(rf"(?<={_CONSONANT})i[eo](?=v)"), "e", "v"),
    (re.compile(r"(?<=[csz]h)o(?=v)"), "e", "v"),
    # German oe/ue for ö/ü (Mueller); not before v, where it is Russian -оев/-уев. (German
    # ae is left alone: after a vowel's y is dropped, Bayer would become "bar".)
    (re.compile(rf"(?<={_CONSONANT})([ou])e(?=[b-df-hj-np-tw-xz])"), r"\1", "e"),
    # German z is ц; at the end of a word after l, n, r only German has it (Schulz, Franz).
    (re.compile(r"(?<=[lnr])z$"), "ts", "z"),
    (re.compile(r"oo"), "u", "oo"),
    (re.compile(r"y(?=[aeiou])|(?<=[aeiou])y"), "i", "y"),
    (re.compile(rf"(?<={_CONSONANT})(?:yy|yi|iy|ii|y)$"), "i", ""),
    (re.compile(r"i{2,}"), "i", "ii"),
)

# fmt: off
_KOREAN_SURNAMES = {
    "park": "pak", "lee": "li", "rhee": "li", "choi": "tsoi", "choe": "tsoi",
    "chkhve": "tsoi", "akhn": "an", "khvang": "khvan", "kang": "kan",
}
# fmt: on


def _digraph(match: re.Match[str]) -> str:
    if match.lastgroup == "soft_c":
        return "ts"
    if match.lastgroup == "short_i":
        return "i"
    if match.lastgroup == "initial_tch":
        return "ch"
    return _DIGRAPH_MAP[match.group()]


def _apostrophe_letter(match: re.Match[str]) -> str:
    return "u" if match.group() == "y'" else match.group(1) + "h"


def _unicode_fold(text: str) -> str:
    """NFKC + case folding + letters to Latin; stable under a second application."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    text = text.translate(_TABLE)
    if not text.isascii():
        # Strip what diacritics remain (é, ĭ, ǵ) and translate the base letters that
        # decomposition exposes (Cyrillic ѐ → е).
        text = "".join(
            c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
        ).translate(_TABLE)
        # Case folding of a few rare letters is not closed under NFKC; one more round is.
        text = unicodedata.normalize("NFKC", text.casefold()).translate(_TABLE)
    return text


def _latin_rules(word: str) -> str:
    word = _DIGRAPHS.sub(_digraph, word)
    for pattern, replacement, trigger in _VOWEL_RULES:
        if trigger in word:
            word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=_CACHE_SIZE)
def _word_search_key(word: str) -> str:
    """The search key of one word that has been through :func:`_unicode_fold`."""
    if "'" in word:
        word = _APOSTROPHE_LETTERS.sub(_apostrophe_letter, word).replace("'", "")
    # The rules are applied until nothing changes: a spelling can only be read once its
    # neighbours are (x + j gives "kszh", in which "sz" is then a Polish digraph), and the
    # fixed point makes the key idempotent by construction. Two rounds are the usual case.
    for _ in range(_MAX_ROUNDS):
        folded = _latin_rules(word)
        if folded == word:
            break
        word = folded
    return _KOREAN_SURNAMES.get(word, word)


@lru_cache(maxsize=_CACHE_SIZE)
def search_key(text: str) -> str:
    """The canonical Latin key of *text* (see the module docstring)."""
    if _CARON.search(text):
        # ISO 9 and Czech/Croatian spelling: c is ц and ch is х (Kuznecov, Čechov).
        text = _CARON_C.sub(lambda m: "х" if len(m.group()) == 2 else "ц", text)
    words = _SEPARATORS.sub(" ", _unicode_fold(text)).split()
    return " ".join(key for key in map(_word_search_key, words) if key)


# --- Phonetic key ------------------------------------------------------------------------------

# Internal one-letter codes: S sh, Z zh, C ch, T ts, G g/kh.
_PHONETIC_TOKENS = re.compile(r"shch|dzh|zh|sh|ch|kh|ts|[gyo]")
# fmt: off
_PHONETIC_MAP = {
    "shch": "S", "sh": "S", "dzh": "Z", "zh": "Z", "ch": "C", "kh": "G", "ts": "T", "g": "G",
    "y": "i", "o": "u",
}
# fmt: on
_DEVOICED = str.maketrans("bdvz", "ptfs")


def _devoice(match: re.Match[str]) -> str:
    return match.group().translate(_DEVOICED)


_Replacement = str | Callable[[re.Match[str]], str]
# As for the search key: each rule with a letter or pair that must be present.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], _Replacement, str], ...] = (
    (re.compile(r"ei"), "ai", "ei"),
    (re.compile(r"(?<=[b-df-hj-np-tv-zCGSTZ])iu"), "u", "iu"),
    (re.compile(r"^u(?=[aeiu])|(?<=[aeiu])u(?=[aeiu])"), "v", "u"),
    (re.compile(r"nG(?![aeiu])"), "n", "nG"),
    # Devoicing: voiced b, d, v, z at the end of a word; b, d before a voiceless consonant
    # (Шмидт) and after one (Сәтбаев = Satpayev).
    (re.compile(r"[bdvz]+$"), _devoice, ""),
    (re.compile(r"[bd]+(?=[ptksfSCT])|(?<=[ptksfSCT])[bd]+"), _devoice, ""),
    (re.compile(r"(.)\1+"), r"\1", ""),
)
_PHONETIC_RENDER = str.maketrans({"S": "sh", "Z": "zh", "C": "ch", "T": "ts", "G": "g"})


def _phonetic_token(match: re.Match[str]) -> str:
    return _PHONETIC_MAP[match.group()]


def _phonetic_rules(key: str) -> str:
    code = _PHONETIC_TOKENS.sub(_phonetic_token, key)
    for pattern, replacement, trigger in _PHONETIC_RULES:
        if trigger in code:
            code = pattern.sub(replacement, code)
    return code.translate(_PHONETIC_RENDER)


@lru_cache(maxsize=_CACHE_SIZE)
def _word_phonetic_key(key: str) -> str:
    """The phonetic key of one search-key word: like the search key, a fixed point."""
    folded = _phonetic_rules(key)
    for _ in range(_MAX_ROUNDS):
        again = _phonetic_rules(_word_search_key(folded))
        if again == folded:
            break
        folded = again
    return folded


@lru_cache(maxsize=_CACHE_SIZE)
def phonetic_key(text: str) -> str:
    """The phonetic key of *text* (see the module docstring)."""
    return " ".join(_word_phonetic_key(word) for word in search_key(text).split())


# --- Stems -------------------------------------------------------------------------------------

_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ichna|(?<!r)ich|uli|kyzi)$")
_SURNAME = re.compile(r"(?:ova|eva|ov|ev|off)$")
_SURNAME_IN = re.compile(r"(?<=[a-z]{4})(?:ina|in)$")
_SURNAME_SKI = re.compile(r"(?<=sk)(?:aia|ii|i|a)$")
_SURNAME_OTHER = re.compile(r"(?:enko|chuk|iuk)$")
_MIN_STEM = 3


def _strip_suffix(key: str) -> str:
    """The search-key word without a patronymic or surname ending (unchanged if none)."""
    for pattern in (_PATRONYMIC, _SURNAME, _SURNAME_SKI, _SURNAME_IN):
        stem = pattern.sub("", key, count=1)
        if stem != key:
            return stem
    return key


@lru_cache(maxsize=_CACHE_SIZE)
def _word_stem_key(key: str) -> str:
    stem = _strip_suffix(key)
    # Сергей/Сергеевич, Василий/Васильев, Әли/Алиев: the stem loses its final i (й, ий, ы).
    if stem.endswith("i"):
        stem = stem[:-1]
    if len(stem) < _MIN_STEM:
        return ""
    stem = _word_phonetic_key(stem)
    return stem if len(stem) >= _MIN_STEM else ""


def stem_key(text: str) -> str:
    """The stem key of the last word of *text* ("" when too short to be useful)."""
    words = search_key(text).split()
    return _word_stem_key(words[-1]) if words else ""


def name_variants(text: str) -> set[str]:
    """The keys under which *text* should be indexed (see the module docstring)."""
    words = search_key(text).split()
    variants: set[str] = set()
    for word in words:
        variants.update((word, _word_phonetic_key(word), _word_stem_key(word)))
    if len(words) > 1:
        variants.update((" ".join(words), phonetic_key(text)))
    variants.discard("")
    return variants


@lru_cache(maxsize=_CACHE_SIZE)
def _word_keys(word: str) -> tuple[str, str, str]:
    return word, _word_phonetic_key(word), _word_stem_key(word)


def word_keys(text: str) -> list[tuple[str, str, str]]:
    """``(search key, phonetic key, stem key)`` of each word of *text* (stem may be "")."""
    return [_word_keys(word) for word in search_key(text).split()]


# --- Splitting a full name ---------------------------------------------------------------------

# fmt: off
_KOREAN_SURNAME_KEYS = frozenset(
    {"kim", "pak", "li", "tsoi", "ten", "tian", "khvan", "an", "shin", "kan", "nam", "iugai",
     "ogai", "khegai", "kogai", "tsai", "iun", "ni", "lim", "sin", "kon"}
)
# fmt: on


def _is_patronymic(word: str) -> bool:
    key = search_key(word)
    return bool(key) and _PATRONYMIC.search(key) is not None and len(key) > 5


def _is_surname(word: str) -> bool:
    key = search_key(word)
    if not key:
        return False
    if word.isupper() and len(word) > 1:  # BOKEIKHAN Alikhan: passports write surnames in capitals
        return True
    return (
        any(p.search(key) for p in (_SURNAME, _SURNAME_SKI, _SURNAME_IN, _SURNAME_OTHER))
        and len(_strip_suffix(key)) >= _MIN_STEM
    )


def split_name(text: str) -> tuple[str, str, str]:
    """Split a full name into (given, patronymic, surname), as written.

    Heuristics, in order: a comma ends the surname ("Бокейханов, Алихан"); a patronymic
    (-ович/-овна/-ич/-ұлы/-қызы) in last place means the Russian official order surname, given,
    patronymic ("Бокейханов Алихан Нурмухамедович", "Бөкейхан Әлихан Нұрмұхамедұлы"); a
    patronymic in the middle means given, patronymic, surname ("Әлихан Нұрмұхамедұлы Бөкейхан");
    without a patronymic, a first word that looks like a surname (-ов/-ев/-ин/-ский/-енко, a
    Koryo-saram surname, or written in capitals while the others are not) comes first; otherwise
    the last word is the surname. Of two words one of which is a patronymic, the other is the
    given name.
    """
    if "," in text:
        surname, _, rest = text.partition(",")
        given, patronymic, _ = split_name(rest)
        if not patronymic and len(rest.split()) > 1 and _is_patronymic(rest.split()[-1]):
            *given_words, patronymic = rest.split()
            given = " ".join(given_words)
        return given, patronymic, " ".join(surname.split())
    words = text.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return ("", "", words[0]) if _is_surname(words[0]) else (words[0], "", "")
    if len(words) == 2:
        first, second = words
        if _is_patronymic(second):
            return first, second, ""
        first_is_surname = _is_surname(first) or search_key(first) in _KOREAN_SURNAME_KEYS
        if first_is_surname and not _is_surname(second):
            return second, "", first
        return first, "", second
    if _is_patronymic(words[-1]):
        return " ".join(words[1:-1]), words[-1], words[0]
    middle = [i for i in range(1, len(words) - 1) if _is_patronymic(words[i])]
    if middle:
        p = middle[0]
        return " ".join(words[:p]), words[p], " ".join(words[p + 1 :])
    if _is_surname(words[0]) or search_key(words[0]) in _KOREAN_SURNAME_KEYS:
        return " ".join(words[1:]), "", words[0]
    return " ".join(words[:-1]), "", words[-1]


# --- Similarity --------------------------------------------------------------------------------


def _trigrams(key: str) -> set[str]:
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity()`` of two strings (already folded), without PostgreSQL."""
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@lru_cache(maxsize=_CACHE_SIZE)
def _word_similarity(a: str, b: str) -> float:
    """Similarity of two search-key words."""
    if a == b:
        return EXACT
    pa, pb = _word_phonetic_key(a), _word_phonetic_key(b)
    if pa == pb:
        return SAME_PHONETIC
    sa = _word_stem_key(a)
    if sa and sa == _word_stem_key(b):
        return SAME_STEM
    return TRIGRAM_WEIGHT * trigram_similarity(pa, pb)


def word_similarity(a: str, b: str) -> float:
    """Similarity of two search-key words (as :func:`word_keys` gives them), on the scale of
    :func:`name_similarity`."""
    return _word_similarity(a, b)


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, 0..1 (see the module docstring for the scale)."""
    ka, kb = search_key(a), search_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return EXACT
    wa, wb = ka.split(), kb.split()
    joined_a, joined_b = "".join(wa), "".join(wb)
    if len(wa) == 1 and len(wb) == 1:
        return _word_similarity(joined_a, joined_b)
    if joined_a == joined_b:
        return SAME_WITHOUT_SPACES
    # Word by word in any order: take the best pair, remove both words, repeat.
    pairs = sorted(
        ((_word_similarity(x, y), i, j) for i, x in enumerate(wa) for j, y in enumerate(wb)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    total = 0.0
    for score, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            total += score
    aligned = total / max(len(wa), len(wb))
    return max(aligned, SAME_WITHOUT_SPACES * _word_similarity(joined_a, joined_b))


def names_match(a: str, b: str) -> bool:
    """Whether *a* and *b* are spellings of one name: ``name_similarity >= MATCH_THRESHOLD``."""
    return name_similarity(a, b) >= MATCH_THRESHOLD
