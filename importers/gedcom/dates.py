"""GEDCOM DATE values: read 5.5.1 and 7.0 date payloads into a structured, sortable form.

`parse_date(text, phrase=...)` turns the payload of a `DATE` line into a `GedcomDate`: the text as
written, a modifier, up to two calendar dates (`DatePart`), the inclusive range of Julian Day
Numbers (JDN) the value denotes, a sort key and Gregorian years for period facets. It never raises:
what it cannot read comes back as a phrase-only date flagged `is_valid=False`.

Plain Python, no Django: the importer calls it once per event, so results are cached and the
common standard forms (`12 MAR 1890`, `MAR 1890`, `1890`, with ABT/CAL/EST/BEF/AFT/FROM/TO, a
Julian escape, or as BET … AND / FROM … TO) skip the tokenizer through one compiled regex.

Meaning of the fields
---------------------
`is_valid` says whether the text was read as a date, in standard 5.5.1 or 7.0 syntax or in one of
the lenient real-world forms below. What is odd about a readable date (31 NOV, a dual year that is
not the following year, a range that ends before it starts, a calendar that cannot be converted)
goes into `warnings`; the date stays valid and the range is computed as well as possible (a day
past the end of its month counts as the month's last day).

Ranges, inclusive JDNs, `None` on an open side:

* an exact date spans its precision: `1890` is 1 JAN 1890 to 31 DEC 1890, `MAR 1890` the month;
* ABT and EST widen that span by 5 years (year precision), 6 months (183 days, month precision)
  or 1 month (31 days, day precision) on each side; CAL, being computed from an age or another
  date, by 1 year, 1 month (31 days) or 1 day;
* BEF ends the day before the date's span starts, AFT starts the day after it ends;
* BET a AND b and FROM a TO b span from the start of a to the end of b; FROM a alone is open at
  the end, TO b alone open at the start;
* dual years (`1710/11`, 5.5.1 only) follow the English old-style year, which began on 25 March:
  a day or month from 1 January to 24 March belongs to the second (modern) year, a later one to
  the first; a year alone spans both years;
* dates in a calendar that cannot be converted (5.5.1 `@#DROMAN@`, `@#DUNKNOWN@`, 7.0 extension
  calendars such as `_ROMAN`) denote no range.

`sort_key` is a JDN: the start for exact dates, AFT, BET and periods; the end for BEF and TO; the
middle for ABT, CAL and EST; 0 when the value denotes no day at all (a phrase, an unknown
calendar), which sorts such dates first, as Gramps does.

`year_start` / `year_end` are the Gregorian years of `start_jdn` / `end_jdn`, numbered
astronomically as in ISO 8601 (1 B.C. is year 0, 2 B.C. is -1).

Lenient forms (each read with a warning that the form is not standard): lower or mixed case,
extra spaces, keywords with a dot or spelled out (`Abt.`, `abt`, `c.`, `circa`, `about`,
`before`, `after`, `between … and`, `from … to`), Russian and Kazakh keywords (`около`, `ок.`,
`до`, `после`, `между … и`, `с … по`, `шамамен`), full English, Russian and Kazakh month names,
`Month D, YYYY`, ISO `1890-03-12` / `1890-03`, `12.03.1890` / `03.1890` (day.month.year, as in
Russian files), `BC` / `B.C` / `AD` / `до н.э.`, a trailing `г.` / `года` / `ж.`, `1890?` (read as
ABT), `1890-1900` (read as BET), a date followed by a parenthesised phrase without INT, a calendar
escape placed before the modifier, and Hebrew or French months without a calendar escape.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from convertdate import french_republican, hebrew, julian

__all__ = ["JDN_MAX", "JDN_MIN", "Calendar", "DateModifier", "DatePart", "GedcomDate", "parse_date"]

# Bounds for open ranges in `sortable_range()`: JDN 0 is 1 JAN 4713 B.C. (Julian), JDN_MAX is
# 31 DEC 9999 (Gregorian).
JDN_MIN = 0
JDN_MAX = 5_373_484


class DateModifier(enum.StrEnum):
    """How a date value qualifies its date(s)."""

    NONE = "none"
    ABOUT = "about"
    CALCULATED = "calculated"
    ESTIMATED = "estimated"
    BEFORE = "before"
    AFTER = "after"
    BETWEEN = "between"
    FROM = "from"
    TO = "to"
    FROM_TO = "from_to"
    INTERPRETED = "interpreted"
    PHRASE_ONLY = "phrase_only"


class Calendar(enum.StrEnum):
    """The calendar a date is written in. UNKNOWN covers calendars that cannot be converted."""

    GREGORIAN = "gregorian"
    JULIAN = "julian"
    HEBREW = "hebrew"
    FRENCH_R = "french_r"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class DatePart:
    """One calendar date as written: year, optional month and day, epoch and dual year.

    `month` is the month's position in its calendar's GEDCOM list: JAN=1..DEC=12; Hebrew
    TSH=1, CSH, KSL, TVT, SHV, ADR, ADS, NSN, IYR, SVN, TMZ, AAV, ELL=13; French VEND=1..FRUC=12,
    COMP=13. `year` is as written (positive, with `bc` for the epoch before year 1).
    `dual_year` is the full alternative year of a 5.5.1 dual year (`1710/11` gives 1711).
    Parts in an UNKNOWN calendar keep only the year (and day) they show.
    """

    year: int
    month: int | None = None
    day: int | None = None
    bc: bool = False
    dual_year: int | None = None
    calendar: Calendar = Calendar.GREGORIAN

    def to_gedcom(self, version: Literal["5.5.1", "7.0"] = "5.5.1") -> str:
        """This date in the target version's syntax (not for UNKNOWN calendars)."""
        words: list[str] = []
        if self.calendar is not Calendar.GREGORIAN:
            words.append(
                _CALENDAR_WORD_551[self.calendar]
                if version == "5.5.1"
                else _CALENDAR_WORD_70[self.calendar]
            )
        year = self.year
        if version == "7.0" and self.dual_year == self.year + 1 and self.month is not None:
            year = _modern_year(self)
        if self.day is not None:
            words.append(str(self.day))
        if self.month is not None:
            words.append(_MONTH_ABBREVIATIONS[self.calendar][self.month - 1])
        if version == "5.5.1" and self.dual_year is not None:
            words.append(f"{year}/{self.dual_year % 100:02d}")
        else:
            words.append(str(year))
        if self.bc:
            words.append("B.C." if version == "5.5.1" else "BCE")
        return " ".join(words)


@dataclass(frozen=True, slots=True)
class GedcomDate:
    """A parsed DATE value. Build it with `parse_date`; see the module docstring for the fields.

    `warnings` is a tuple, not a list, because parsed dates are cached and shared: a mutable
    field would let one caller change another's result (and would make the value unhashable).
    """

    phrase: str
    modifier: DateModifier
    date1: DatePart | None = None
    date2: DatePart | None = None
    free_text: str | None = None
    start_jdn: int | None = None
    end_jdn: int | None = None
    sort_key: int = 0
    is_valid: bool = True
    warnings: tuple[str, ...] = field(default=())

    # Derived values are properties rather than fields: building the dataclass is most of the
    # cost of parsing a common date, and these are cheap to compute when asked for.

    @property
    def calendar(self) -> Calendar:
        """The calendar of the (first) date; UNKNOWN for a phrase-only date."""
        return self.date1.calendar if self.date1 is not None else Calendar.UNKNOWN

    @property
    def year_start(self) -> int | None:
        """Gregorian year (astronomical numbering) of `start_jdn`, for period facets."""
        return _gregorian_year(self.start_jdn) if self.start_jdn is not None else None

    @property
    def year_end(self) -> int | None:
        """Gregorian year (astronomical numbering) of `end_jdn`, for period facets."""
        return _gregorian_year(self.end_jdn) if self.end_jdn is not None else None

    def sortable_range(self) -> tuple[int, int] | None:
        """(start, end) JDNs with open sides closed at JDN_MIN / JDN_MAX, for range columns and
        overlap queries; None when the value denotes no day at all."""
        if self.start_jdn is None and self.end_jdn is None:
            return None
        return (
            JDN_MIN if self.start_jdn is None else self.start_jdn,
            JDN_MAX if self.end_jdn is None else self.end_jdn,
        )

    def to_gedcom(self, version: Literal["5.5.1", "7.0"] = "5.5.1") -> str:
        """The DATE payload in the target version's syntax.

        5.5.1 writes `@#DJULIAN@`, `B.C.`, dual years and `INT date (text)`; a phrase-only date,
        or one in a calendar that cannot be converted, becomes `(text)`. 7.0 writes calendar
        words, `BCE`, the modern year of a dual-dated day (`8 JAN 1699/00` → `8 JAN 1700`, a dual
        year alone → `BET 1699 AND 1700`), and leaves out what its grammar cannot hold: that goes
        into the PHRASE substructure, see `gedcom7_phrase()`. A 7.0 PHRASE on a range or an
        approximate date has no 5.5.1 form and is not written.
        """
        if version not in ("5.5.1", "7.0"):
            raise ValueError(f"unknown GEDCOM version {version!r}; use '5.5.1' or '7.0'")
        if self.date1 is None or _has_unknown_calendar(self):
            if version == "7.0":
                return ""
            text = self.free_text if self.free_text is not None else self.phrase
            return f"({text})" if text else ""
        first = self.date1.to_gedcom(version)
        second = self.date2.to_gedcom(version) if self.date2 is not None else ""
        modifier = self.modifier
        if (
            version == "7.0"
            and modifier is DateModifier.NONE
            and self.date1.month is None
            and self.date1.dual_year == self.date1.year + 1
        ):
            later = DatePart(year=self.date1.dual_year, calendar=self.date1.calendar)
            return f"BET {first} AND {later.to_gedcom(version)}"
        if modifier is DateModifier.INTERPRETED:
            if version == "5.5.1" and self.free_text:
                return f"INT {first} ({self.free_text})"
            return first
        if modifier is DateModifier.BETWEEN:
            return f"BET {first} AND {second}"
        if modifier is DateModifier.FROM_TO:
            return f"FROM {first} TO {second}"
        keyword = _MODIFIER_KEYWORD.get(modifier)
        return f"{keyword} {first}" if keyword else first

    def gedcom7_phrase(self) -> str | None:
        """The text a GEDCOM 7 writer puts in `DATE.PHRASE`: the date phrase (INT text, a pure
        phrase, or a PHRASE read from 7.0), else the value as written when the 7.0 value loses
        part of it (dual years, calendars that cannot be converted); None when nothing is lost."""
        if self.free_text is not None:
            return self.free_text
        if self.date1 is None or _has_unknown_calendar(self):
            return self.phrase or None
        parts = (self.date1, self.date2)
        if any(part is not None and part.dual_year is not None for part in parts):
            return self.phrase
        return None


def parse_date(text: str, *, phrase: str | None = None) -> GedcomDate:
    """Parse a DATE payload (5.5.1 or 7.0, leniently); never raises.

    `phrase` is the payload of a GEDCOM 7 `DATE.PHRASE` substructure, if any: it becomes
    `free_text`, turns a plain date into an INTERPRETED one (the 7.0 form of 5.5.1 `INT`) and
    makes an empty DATE a valid phrase-only date.
    """
    try:
        return _parse_cached(text, phrase)
    except Exception as error:  # the importer must get a value for any input
        return GedcomDate(
            phrase=text if isinstance(text, str) else repr(text),
            modifier=DateModifier.PHRASE_ONLY,
            free_text=phrase,
            is_valid=False,
            warnings=(f"could not read the date ({type(error).__name__})",),
        )


# --- vocabulary --------------------------------------------------------------------------------

# fmt: off
_GREGORIAN_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_HEBREW_MONTHS = ("TSH", "CSH", "KSL", "TVT", "SHV", "ADR", "ADS",
                  "NSN", "IYR", "SVN", "TMZ", "AAV", "ELL")
_FRENCH_MONTHS = ("VEND", "BRUM", "FRIM", "NIVO", "PLUV", "VENT", "GERM",
                  "FLOR", "PRAI", "MESS", "THER", "FRUC", "COMP")
# fmt: on
_MONTH_ABBREVIATIONS = {
    Calendar.GREGORIAN: _GREGORIAN_MONTHS,
    Calendar.JULIAN: _GREGORIAN_MONTHS,
    Calendar.HEBREW: _HEBREW_MONTHS,
    Calendar.FRENCH_R: _FRENCH_MONTHS,
}
# convertdate numbers Hebrew months from Nisan (1) with Tishri 7 and Adar II 13; GEDCOM lists
# them from Tishri, the start of the civil year.
_HEBREW_TO_CONVERTDATE = (7, 8, 9, 10, 11, 12, 13, 1, 2, 3, 4, 5, 6)
_HEBREW_ADS = 7

# Month names that are not GEDCOM's but occur in real files; all Gregorian-family months.
_LENIENT_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            "JANUARY ЯНВАРЯ ЯНВАРЬ ЯНВ ҚАҢТАР",
            "FEBRUARY ФЕВРАЛЯ ФЕВРАЛЬ ФЕВ АҚПАН",
            "MARCH МАРТА МАРТ МАР НАУРЫЗ",
            "APRIL АПРЕЛЯ АПРЕЛЬ АПР СӘУІР",
            "МАЯ МАЙ МАМЫР",
            "JUNE ИЮНЯ ИЮНЬ ИЮН МАУСЫМ",
            "JULY ИЮЛЯ ИЮЛЬ ИЮЛ ШІЛДЕ",
            "AUGUST АВГУСТА АВГУСТ АВГ ТАМЫЗ",
            "SEPTEMBER SEPT СЕНТЯБРЯ СЕНТЯБРЬ СЕНТ СЕН ҚЫРКҮЙЕК",
            "OCTOBER ОКТЯБРЯ ОКТЯБРЬ ОКТ ҚАЗАН",
            "NOVEMBER НОЯБРЯ НОЯБРЬ НОЯБ НОЯ ҚАРАША",
            "DECEMBER ДЕКАБРЯ ДЕКАБРЬ ДЕК ЖЕЛТОҚСАН",
        ),
        start=1,
    )
    for name in names.split()
}

# (calendar family, month number); GREGORIAN stands for the Gregorian/Julian month list.
_STANDARD_MONTHS: dict[str, tuple[Calendar, int]] = {
    **{name: (Calendar.GREGORIAN, i) for i, name in enumerate(_GREGORIAN_MONTHS, 1)},
    **{name: (Calendar.HEBREW, i) for i, name in enumerate(_HEBREW_MONTHS, 1)},
    **{name: (Calendar.FRENCH_R, i) for i, name in enumerate(_FRENCH_MONTHS, 1)},
}

_CALENDAR_WORDS = {
    "GREGORIAN": Calendar.GREGORIAN,
    "JULIAN": Calendar.JULIAN,
    "HEBREW": Calendar.HEBREW,
    "FRENCH_R": Calendar.FRENCH_R,
}
_CALENDAR_WORD_551 = {
    Calendar.GREGORIAN: "@#DGREGORIAN@",
    Calendar.JULIAN: "@#DJULIAN@",
    Calendar.HEBREW: "@#DHEBREW@",
    Calendar.FRENCH_R: "@#DFRENCH R@",
}
_CALENDAR_WORD_70 = {
    Calendar.GREGORIAN: "GREGORIAN",
    Calendar.JULIAN: "JULIAN",
    Calendar.HEBREW: "HEBREW",
    Calendar.FRENCH_R: "FRENCH_R",
}

_STANDARD_KEYWORDS = {
    "ABT": DateModifier.ABOUT,
    "CAL": DateModifier.CALCULATED,
    "EST": DateModifier.ESTIMATED,
    "BEF": DateModifier.BEFORE,
    "AFT": DateModifier.AFTER,
    "BET": DateModifier.BETWEEN,
    "FROM": DateModifier.FROM,
    "TO": DateModifier.TO,
    "INT": DateModifier.INTERPRETED,
}
_LENIENT_KEYWORDS = {
    word: modifier
    for words, modifier in (
        ("ABOUT C CA CIRCA APPROX ОК ОКОЛО ПРИБЛ ПРИМЕРНО ШАМАМЕН", DateModifier.ABOUT),
        ("CALC CALCULATED", DateModifier.CALCULATED),
        ("ESTIMATED", DateModifier.ESTIMATED),
        ("BEFORE ДО", DateModifier.BEFORE),
        ("AFTER ПОСЛЕ", DateModifier.AFTER),
        ("BETWEEN МЕЖДУ", DateModifier.BETWEEN),
        ("С СО", DateModifier.FROM),
        ("ПО", DateModifier.TO),
        ("INTERPRETED", DateModifier.INTERPRETED),
    )
    for word in words.split()
}
_MODIFIER_KEYWORD = {modifier: keyword for keyword, modifier in _STANDARD_KEYWORDS.items()}
# Words between the two dates of a range, and whether GEDCOM defines them.
_AND_WORDS = {"AND": True, "И": False, "-": False}
_TO_WORDS = {"TO": True, "ПО": False, "ДО": False}

# How a single date's span becomes the value's range (ranges of two dates span both).
_APPROXIMATE, _BEFORE, _AFTER, _OPEN_END, _OPEN_START = "widen", "before", "after", "from", "to"
_SPAN_RULES = {
    DateModifier.ABOUT: _APPROXIMATE,
    DateModifier.ESTIMATED: _APPROXIMATE,
    DateModifier.CALCULATED: _APPROXIMATE,
    DateModifier.BEFORE: _BEFORE,
    DateModifier.AFTER: _AFTER,
    DateModifier.FROM: _OPEN_END,
    DateModifier.TO: _OPEN_START,
}
_MIDDLE_SORTED = frozenset((DateModifier.ABOUT, DateModifier.ESTIMATED, DateModifier.CALCULATED))
_END_SORTED = frozenset((DateModifier.BEFORE, DateModifier.TO))
# Days added on each side, by modifier and by the precision (year, month, day) of the date.
_APPROXIMATION_DAYS = {
    DateModifier.ABOUT: (1826, 183, 31),
    DateModifier.ESTIMATED: (1826, 183, 31),
    DateModifier.CALCULATED: (365, 31, 1),
}

_YEAR_SUFFIXES = {"Г", "ГГ", "ГОД", "ГОДА", "Ж", "ЖЫЛ", "ЖЫЛЫ"}
_BC_STANDARD = {"B.C.", "BCE"}  # 5.5.1 `(B.C.)` is rewritten to `B.C.` before tokenizing
_BC_LENIENT = {"BC", "B.C", "BC.", "B.C.E.", "ДО_Н.Э."}
_AD_LENIENT = {"AD", "A.D.", "CE", "Н.Э."}

_SPACES_RE = re.compile(r"\s+")
_ESCAPE_RE = re.compile(r"@#D([^@]*)@")
_TRAILING_PAREN_RE = re.compile(r"^(.*?)\s*\((.*)\)\s*$", re.DOTALL)
_PAREN_BC_RE = re.compile(r"\(\s*B\.\s*C\.\s*\)", re.IGNORECASE)
_RUSSIAN_BC_RE = re.compile(r"ДО\s+Н\.\s*Э\.?")
_RUSSIAN_AD_RE = re.compile(r"(?<!\S)Н\.\s*Э\.?")
_NUMBER_RE = re.compile(r"[0-9]{1,9}")
_YEAR_RE = re.compile(r"([0-9]{1,9})(?:([/-])([0-9]{1,4}))?(\?)?")
# The scale of a dual year's 1 to 4 digits. A table, not 10 ** len(…): compiled with Cython,
# the power of two C integers is a C double, and the dual year became a float.
_POWERS_OF_TEN = (1, 10, 100, 1000, 10000)
_ISO_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?")
_DOTTED_RE = re.compile(r"(?:([0-9]{1,2})\.)?([0-9]{1,2})\.([0-9]{3,4})")
_YEAR_SPAN_RE = re.compile(r"([0-9]{3,4})-([0-9]{3,4})")
_YEAR_WITH_SUFFIX_RE = re.compile(r"([0-9]{1,9})(ГГ?\.?|Ж\.)")
# The fast path: standard Gregorian or Julian dates without dual years, epochs or phrases.
_FAST_PART = (
    r"(?:(@#DJULIAN@|@#DGREGORIAN@|JULIAN|GREGORIAN) )?"
    r"(?:(?:([0-9]{1,2}) )?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC) )?"
    r"([1-9][0-9]{0,3})"
)
_FAST_RE = re.compile(rf"(?:(ABT|CAL|EST|BEF|AFT|FROM|TO) )?{_FAST_PART}")
_FAST_RANGE_RE = re.compile(rf"(BET|FROM) {_FAST_PART} (AND|TO) {_FAST_PART}")
_FAST_CALENDARS = {
    None: Calendar.GREGORIAN,
    "@#DGREGORIAN@": Calendar.GREGORIAN,
    "GREGORIAN": Calendar.GREGORIAN,
    "@#DJULIAN@": Calendar.JULIAN,
    "JULIAN": Calendar.JULIAN,
}
_MONTH_NUMBERS = {name: number for number, name in enumerate(_GREGORIAN_MONTHS, 1)}
_FAST_MODIFIERS = {None: DateModifier.NONE, **_STANDARD_KEYWORDS}

# Reading an enum member through its class (`Calendar.GREGORIAN`) costs about 0.16 µs on Python
# 3.11, as much as the rest of a line of arithmetic; the functions run for every uncached date
# (about 95,000 of the 230,000 in a 100,000-person file) compare against these instead.
_GREGORIAN = Calendar.GREGORIAN
_JULIAN = Calendar.JULIAN
_HEBREW = Calendar.HEBREW
_UNKNOWN = Calendar.UNKNOWN
_BETWEEN_MODIFIER = DateModifier.BETWEEN
_FROM_TO_MODIFIER = DateModifier.FROM_TO


# A constructor of a frozen, slotted dataclass without its generated `__init__`, which sets
# each field through `object.__setattr__` (a Python call a field): it sets the slots through
# their descriptors, and the objects are the same (equal, frozen, hashable; tested). Every
# field, in order. Compiled, a GedcomDate takes 1.2-1.3 µs instead of 2.0 µs (it was 5.1 µs of
# a 12.3 µs uncached date on a slower machine); a DatePart's six fields gain nothing (0.95
# against 1.0 µs), so it keeps its own constructor.
def _slot_constructor(cls: type) -> Callable[..., Any]:
    setters = tuple(cls.__dict__[f.name].__set__ for f in fields(cls))
    new = object.__new__

    def construct(*values: Any) -> Any:
        instance = new(cls)
        for set_field, value in zip(setters, values, strict=True):
            set_field(instance, value)
        return instance

    return construct


_new_date = _slot_constructor(GedcomDate)


class _Unreadable(Exception):
    """Raised inside the parser when the text is not a date; parse_date turns it into a phrase."""


# --- parsing -----------------------------------------------------------------------------------


# Dates repeat a lot within a file (a 100,000-person file has about 75,000 distinct ones among
# 230,000). 2**15 recent ones hold the common dates in about 15 MB; the full set would take 60 MB
# of a million-person import's memory budget for a few per cent of its time.
@functools.lru_cache(maxsize=1 << 15)
def _parse_cached(text: str, phrase: str | None) -> GedcomDate:
    if phrase is None:
        if match := _FAST_RE.fullmatch(text):
            keyword, calendar, day, month, year = match.groups()
            part = _fast_part(calendar, day, month, year)
            return _build(text, _FAST_MODIFIERS[keyword], part, None, None, [])
        match = _FAST_RANGE_RE.fullmatch(text)
        if match and (match[1] == "BET") == (match[6] == "AND"):
            groups = match.groups()
            modifier = _BETWEEN_MODIFIER if groups[0] == "BET" else _FROM_TO_MODIFIER
            first, second = _fast_part(*groups[1:5]), _fast_part(*groups[6:])
            return _build(text, modifier, first, second, None, [])
    return _parse_slow(text, phrase)


def _fast_part(calendar: str | None, day: str | None, month: str | None, year: str) -> DatePart:
    # Positional: keywords cost a frozen dataclass's __init__ a further 0.3 µs a date here.
    return DatePart(
        int(year),
        _MONTH_NUMBERS[month] if month else None,
        int(day) if day else None,
        False,
        None,
        _FAST_CALENDARS[calendar],
    )


def _parse_slow(text: str, phrase: str | None) -> GedcomDate:
    """The full parser; `_parse_cached` tries a regex for the common forms first."""
    warnings: list[str] = []
    try:
        return _Parser(text, phrase, warnings).parse()
    except _Unreadable as error:
        return GedcomDate(
            phrase=text,
            modifier=DateModifier.PHRASE_ONLY,
            free_text=phrase,
            is_valid=False,
            warnings=(*warnings, str(error)),
        )


class _Parser:
    """A recursive-descent reader over upper-cased tokens, recording non-standard forms."""

    def __init__(self, text: str, phrase: str | None, warnings: list[str]) -> None:
        self.text = text
        self.phrase = phrase
        self.warnings = warnings
        self.tokens: list[str] = []
        self.pos = 0
        # A year written `1890?` asks for ABT; applied once the modifier is known.
        self.question_mark = False

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    # tokens

    def peek(self, offset: int = 0) -> str | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def word(self, token: str | None) -> str | None:
        """A token as a keyword or month: without a trailing dot (`Abt.`, `Mar.`)."""
        if token is None:
            return None
        return token[:-1] if token.endswith(".") and len(token) > 1 else token

    # entry point

    def parse(self) -> GedcomDate:
        body = self.text.strip()
        if _SPACES_RE.sub(" ", body) != body:
            self.warn("extra spaces in date")
        free_text = self.phrase
        if "(" in body:
            body, free_text = self._split_phrase(body, free_text)
        if not body:
            if free_text is None:
                raise _Unreadable("empty date")
            return _build(self.text, DateModifier.PHRASE_ONLY, None, None, free_text, self.warnings)
        self.tokens = self._tokenize(body)

        leading_calendar = None
        if self._calendar_token(self.peek()) and self._keyword(self.peek(1)) is not None:
            self.warn("calendar escape written before the modifier")
            leading_calendar = self.take()

        modifier = self._keyword(self.peek())
        if modifier is not None:
            self.take()
        if leading_calendar is not None:
            self.tokens.insert(self.pos, leading_calendar)

        first = self._part()
        second = None
        if modifier is DateModifier.BETWEEN:
            self._expect(_AND_WORDS, "AND")
            second = self._part()
        elif modifier is DateModifier.FROM and self.word(self.peek()) in _TO_WORDS:
            self._expect(_TO_WORDS, "TO")
            modifier = DateModifier.FROM_TO
            second = self._part()
        elif modifier is None and self.peek() in ("-", "TO", "AND"):
            self.warn("two dates without BET: read as BET … AND …")
            self.take()
            modifier = DateModifier.BETWEEN
            second = self._part()
        elif modifier is None and self.peek() == "?":
            self.take()
            self.warn("'?' after a date: read as ABT")
            modifier = DateModifier.ABOUT
        if self.peek() is not None:
            raise _Unreadable(f"unexpected {self.peek()!r} in date {self.text.strip()!r}")

        if modifier is None:
            modifier = DateModifier.INTERPRETED if free_text is not None else DateModifier.NONE
            if free_text is not None and self.phrase is None:
                self.warn("date phrase in parentheses without INT: read as INT")
        elif modifier is DateModifier.INTERPRETED:
            if free_text is None:
                self.warn("INT without a date phrase in parentheses")
        elif free_text is not None and self.phrase is None:
            self.warn(f"date phrase in parentheses after {modifier.name}")
        if self.question_mark and modifier is DateModifier.NONE:
            self.warn("'?' after a year: read as ABT")
            modifier = DateModifier.ABOUT
        return _build(self.text, modifier, first, second, free_text, self.warnings)

    def _split_phrase(self, body: str, free_text: str | None) -> tuple[str, str | None]:
        """Take the 5.5.1 date phrase `(…)` off the end, after the `(B.C.)` epoch is read."""
        body = _PAREN_BC_RE.sub(" B.C. ", body).strip()
        if "(" not in body and ")" not in body:
            return body, free_text
        match = _TRAILING_PAREN_RE.match(body)
        if match is None:
            raise _Unreadable(f"unbalanced parenthesis in date {body!r}")
        inner = match.group(2)
        if free_text is not None:
            self.warn("both a date phrase in parentheses and a PHRASE: the PHRASE is kept")
            return match.group(1), free_text
        return match.group(1), inner

    def _tokenize(self, body: str) -> list[str]:
        upper = body.upper()
        if upper != body:
            self.warn("lower-case letters in date")
        if "," in upper:
            self.warn("comma in date")
            upper = upper.replace(",", " ")
        upper = _ESCAPE_RE.sub(lambda m: "@#D" + m.group(1).strip().replace(" ", "_") + "@", upper)
        if "Н" in upper:
            upper = _RUSSIAN_AD_RE.sub("Н.Э.", _RUSSIAN_BC_RE.sub("ДО_Н.Э.", upper))
        tokens: list[str] = []
        for token in upper.split():
            after_month = bool(tokens) and self._month(tokens[-1]) is not None
            tokens.extend(self._expand(token, after_month))
        return tokens

    def _expand(self, token: str, after_month: bool) -> list[str]:
        """Split the compact numeric forms (ISO, dotted, year spans, `1890г.`) into GEDCOM
        tokens. After a month, `1710-11` is a dual year, not an ISO month."""
        if token[0].isdigit() and not token.isdigit():
            if match := _YEAR_WITH_SUFFIX_RE.fullmatch(token):
                return [match.group(1), match.group(2)]
            if after_month:
                return [token]
            if match := _ISO_RE.fullmatch(token):
                year, month, day = match.groups()
                self.warn("ISO 8601 date: read as day month year")
                return [*([day] if day else []), self._month_token(month), year]
            if match := _DOTTED_RE.fullmatch(token):
                day, month, year = match.groups()
                self.warn("day.month.year date: read as day month year")
                return [*([day] if day else []), self._month_token(month), year]
            # A span of more than one year; `1710-1711` is left to be read as a dual year.
            if (match := _YEAR_SPAN_RE.fullmatch(token)) and (
                int(match.group(2)) > int(match.group(1)) + 1
            ):
                return [match.group(1), "-", match.group(2)]
        return [token]

    def _month_token(self, number: str) -> str:
        month = int(number)
        if not 1 <= month <= 12:
            raise _Unreadable(f"month {month} does not exist")
        return _GREGORIAN_MONTHS[month - 1]

    # grammar

    def _keyword(self, token: str | None) -> DateModifier | None:
        if token is None:
            return None
        if token in _STANDARD_KEYWORDS:
            return _STANDARD_KEYWORDS[token]
        word = self.word(token)
        modifier = _STANDARD_KEYWORDS.get(word) or _LENIENT_KEYWORDS.get(word)
        if modifier is not None:
            self.warn(f"non-standard keyword {token!r}")
        return modifier

    def _expect(self, words: dict[str, bool], standard: str) -> None:
        token = self.peek()
        word = self.word(token)
        if word not in words:
            raise _Unreadable(f"expected {standard} in date {self.text.strip()!r}")
        if not words[word] or token != word:
            self.warn(f"non-standard keyword {token!r}")
        self.take()

    def _calendar_token(self, token: str | None) -> bool:
        if token is None:
            return False
        return (
            token.startswith("@#D")
            or token in _CALENDAR_WORDS
            or (token.startswith("_") and len(token) > 1)
        )

    def _part(self) -> DatePart:
        calendar, explicit = Calendar.GREGORIAN, False
        token = self.peek()
        if self._calendar_token(token):
            self.take()
            calendar, explicit = self._calendar(token), True
            if calendar is Calendar.UNKNOWN:
                return self._unknown_calendar_part(token)

        day = month = None
        if token := self.peek():
            if _NUMBER_RE.fullmatch(token) and self._month(self.peek(1)) is not None:
                day = int(self.take())
            month_info = self._month(self.peek())
            if month_info is not None:
                self.take()
                family, month = month_info
                calendar = self._month_calendar(calendar, explicit, family)
                following = self.peek(1)
                if (
                    day is None
                    and self.peek()
                    and _NUMBER_RE.fullmatch(self.peek())
                    and (following is not None and _YEAR_RE.fullmatch(following))
                ):
                    self.warn("month before day: read as day month year")
                    day = int(self.take())
        year, dual_year = self._year(month is not None)
        bc = self._epoch()
        return DatePart(
            year=year, month=month, day=day, bc=bc, dual_year=dual_year, calendar=calendar
        )

    def _calendar(self, token: str) -> Calendar:
        if token.startswith("@#D"):
            name = token[3:-1]
            if name in _CALENDAR_WORDS:
                return _CALENDAR_WORDS[name]
            self.warn(f"calendar {name.replace('_', ' ')!r} cannot be converted; kept as written")
            return Calendar.UNKNOWN
        if token in _CALENDAR_WORDS:
            return _CALENDAR_WORDS[token]
        self.warn(f"extension calendar {token!r} cannot be converted; kept as written")
        return Calendar.UNKNOWN

    def _unknown_calendar_part(self, token: str) -> DatePart:
        """Consume a date in a calendar we cannot convert, keeping its last number as year."""
        numbers: list[int] = []
        while (current := self.peek()) is not None and self.word(current) not in (
            *_AND_WORDS,
            *_TO_WORDS,
        ):
            self.take()
            if _NUMBER_RE.fullmatch(current):
                numbers.append(int(current))
        if not numbers:
            raise _Unreadable(f"no year after calendar {token!r}")
        return DatePart(
            year=numbers[-1],
            day=numbers[0] if len(numbers) > 1 else None,
            calendar=Calendar.UNKNOWN,
        )

    def _month(self, token: str | None) -> tuple[Calendar, int] | None:
        if token is None:
            return None
        if token in _STANDARD_MONTHS:
            return _STANDARD_MONTHS[token]
        word = self.word(token)
        if word in _STANDARD_MONTHS:
            self.warn(f"non-standard month {token!r}")
            return _STANDARD_MONTHS[word]
        if word in _LENIENT_MONTH_NAMES:
            self.warn(f"non-standard month {token!r}")
            return Calendar.GREGORIAN, _LENIENT_MONTH_NAMES[word]
        return None

    def _month_calendar(self, calendar: Calendar, explicit: bool, family: Calendar) -> Calendar:
        """The part's calendar given its month: Hebrew and French months imply their calendar."""
        if family is Calendar.GREGORIAN and calendar in (Calendar.GREGORIAN, Calendar.JULIAN):
            return calendar
        if family is calendar:
            return calendar
        if not explicit:
            self.warn(f"{family.name} month without a calendar escape: read as {family.name}")
            return family
        raise _Unreadable(f"a {family.name} month in a {calendar.name} date")

    def _year(self, has_month: bool) -> tuple[int, int | None]:
        token = self.peek()
        match = _YEAR_RE.fullmatch(token) if token is not None else None
        if match is None:
            raise _Unreadable(
                f"expected a year, found {token!r}" if token else "a date without a year"
            )
        self.take()
        year = int(match.group(1))
        separator, alternative, question = match.group(2), match.group(3), match.group(4)
        if question:
            self.question_mark = True
        if self.word(self.peek()) in _YEAR_SUFFIXES:
            self.take()
            self.warn("word for 'year' after the year")
        if separator is None:
            return year, None
        if separator == "-" or len(alternative) != 2:
            self.warn(f"non-standard dual year {token!r}")
        scale = _POWERS_OF_TEN[len(alternative)]
        dual_year = year - year % scale + int(alternative)
        if dual_year <= year:
            dual_year += scale
        return year, dual_year

    def _epoch(self) -> bool:
        token = self.peek()
        if token is None:
            return False
        if token in _BC_STANDARD:
            self.take()
            return True
        if token in _BC_LENIENT:
            self.take()
            self.warn(f"non-standard epoch {token.replace('_', ' ')!r}")
            return True
        if token in _AD_LENIENT:
            self.take()
            self.warn(f"non-standard epoch {token!r}: A.D. is the default")
        return False


# --- ranges ------------------------------------------------------------------------------------


def _build(
    text: str,
    modifier: DateModifier,
    first: DatePart | None,
    second: DatePart | None,
    free_text: str | None,
    warnings: list[str],
) -> GedcomDate:
    """Compute ranges, sort key and facet years for parsed parts."""
    span1 = _part_span(first, warnings) if first is not None else None
    start = end = None
    if second is not None:
        span2 = _part_span(second, warnings)
        if span1 is not None and span2 is not None:
            if span2[1] < span1[0]:
                warnings.append("the range ends before it starts")
            start, end = min(span1[0], span2[0]), max(span1[1], span2[1])
        else:
            start = span1[0] if span1 is not None else None
            end = span2[1] if span2 is not None else None
    elif span1 is not None:
        start, end = span1
        rule = _SPAN_RULES.get(modifier)
        if rule is _APPROXIMATE:
            precision = 0 if first.month is None else 1 if first.day is None else 2
            width = _APPROXIMATION_DAYS[modifier][precision]
            start, end = start - width, end + width
        elif rule is _BEFORE:
            start, end = None, start - 1
        elif rule is _AFTER:
            start, end = end + 1, None
        elif rule is _OPEN_END:
            end = None
        elif rule is _OPEN_START:
            start = None

    if start is None or end is None:
        sort_key = start if end is None else end
    elif modifier in _MIDDLE_SORTED:
        sort_key = (start + end) // 2
    elif modifier in _END_SORTED:
        sort_key = end
    else:
        sort_key = start
    return _new_date(
        text,
        modifier,
        first,
        second,
        free_text,
        start,
        end,
        sort_key or 0,
        True,
        tuple(dict.fromkeys(warnings)) if warnings else (),
    )


def _part_span(part: DatePart, warnings: list[str]) -> tuple[int, int] | None:
    """Inclusive JDNs of the days a date part covers; records what is odd about it."""
    calendar = part.calendar
    if calendar is _GREGORIAN or calendar is _JULIAN:
        return _western_span(part, warnings)
    if calendar is _UNKNOWN:
        return None
    if part.bc:
        warnings.append(f"B.C. has no meaning in the {calendar.name} calendar; ignored")
    if part.dual_year is not None:
        warnings.append(f"dual year in the {calendar.name} calendar; the first year is used")
    if calendar is Calendar.HEBREW:
        return _hebrew_span(part, warnings)
    return _french_span(part, warnings)


def _western_span(part: DatePart, warnings: list[str]) -> tuple[int, int]:
    calendar, year, month, day = part.calendar, part.year, part.month, part.day
    if calendar is _GREGORIAN:
        first_day, leap = _gregorian_jdn, _gregorian_leap
    else:
        first_day, leap = _julian_jdn, _julian_leap
    if year == 0:
        warnings.append("year 0 does not exist (1 B.C. is followed by A.D. 1)")
    if part.bc:
        year = 1 - year
    if part.dual_year is not None:
        if calendar is not _GREGORIAN:
            warnings.append(f"dual year in the {calendar.name} calendar (5.5.1: Gregorian)")
        if part.bc or part.dual_year != part.year + 1:
            warnings.append(
                f"the dual year {part.dual_year} is not the year after {part.year};"
                f" {part.year} is used"
            )
        elif month is None:
            return first_day(year, 1, 1), first_day(year + 2, 1, 1) - 1
        elif _modern_year(part) != part.year:
            year += 1
            if month == 3 and day is None:
                # Only 1-24 March lies in both the old-style and the modern year.
                return first_day(year, 3, 1), first_day(year, 3, 24)
        else:
            warnings.append("dual year on a date after 24 March; the first year is used")
    if month is None:
        return first_day(year, 1, 1), first_day(year + 1, 1, 1) - 1
    length = _MONTH_LENGTHS[month - 1] + (month == 2 and leap(year))
    start = first_day(year, month, 1)
    if day is None:
        return start, start + length - 1
    if day == 0 or day > length:
        day = _checked_day(part, length, warnings)
    return start + day - 1, start + day - 1


def _hebrew_span(part: DatePart, warnings: list[str]) -> tuple[int, int]:
    year = part.year
    if part.month is None:
        return _hebrew_jdn(year, hebrew.TISHRI), _hebrew_jdn(year + 1, hebrew.TISHRI) - 1
    month = _HEBREW_TO_CONVERTDATE[part.month - 1]
    if part.month == _HEBREW_ADS and not hebrew.leap(year):
        warnings.append(f"ADS (Adar II) in {year}, which is not a leap year: read as ADR")
        month = hebrew.ADAR
    length = hebrew.month_length(year, month)
    start = _hebrew_jdn(year, month)
    if part.day is None:
        return start, start + length - 1
    day = _checked_day(part, length, warnings)
    return start + day - 1, start + day - 1


def _hebrew_jdn(year: int, month: int) -> int:
    """JDN of the first day of a Hebrew month (convertdate numbering).

    This is convertdate's `hebrew.to_jd` built from its public parts, because `to_jd` calls the
    library's own deprecated `month_days` and raises a DeprecationWarning on every call
    (convertdate 2.4 and 2.5); the tests check both agree.
    """
    if month < hebrew.TISHRI:
        months = [*range(hebrew.TISHRI, hebrew.year_months(year) + 1), *range(hebrew.NISAN, month)]
    else:
        months = list(range(hebrew.TISHRI, month))
    day = 1
    julian_date = hebrew.EPOCH + hebrew.delay_1(year) + hebrew.delay_2(year) + day + 1
    julian_date += sum(hebrew.month_length(year, m) for m in months)
    return _jdn(int(julian_date) + 0.5)


def _french_span(part: DatePart, warnings: list[str]) -> tuple[int, int]:
    # Von Mädler's leap rule matches the astronomical (equinox) rule, convertdate's default, for
    # every year up to 47, well past the calendar's use (years 1-14, and 79 in the Commune),
    # and is about 3,000 times faster to compute.
    method = "madler"
    year = part.year
    start = _jdn(french_republican.to_jd(year, part.month or 1, 1, method))
    if part.month is None:
        return start, _jdn(french_republican.to_jd(year + 1, 1, 1, method)) - 1
    length = 30 if part.month < 13 else 5 + french_republican.leap(year, method)
    if part.day is None:
        return start, start + length - 1
    day = _checked_day(part, length, warnings)
    return start + day - 1, start + day - 1


def _checked_day(part: DatePart, length: int, warnings: list[str]) -> int:
    """The day, or the nearest day of the month when the written day does not exist."""
    day = part.day or 0
    if day == 0 or day > length:
        used = max(1, min(day, length))
        month = _MONTH_ABBREVIATIONS[part.calendar][(part.month or 1) - 1]
        epoch = " B.C." if part.bc else ""
        warnings.append(f"day {day} does not exist in {month} {part.year}{epoch}; {used} is used")
        return used
    return day


def _modern_year(part: DatePart) -> int:
    """The year a dual-dated day or month has in 1 January reckoning."""
    month = part.month or 1
    early = month < 3 or (month == 3 and (part.day is None or part.day <= 24))
    return part.year + 1 if early else part.year


def _has_unknown_calendar(date: GedcomDate) -> bool:
    return any(
        part is not None and part.calendar is Calendar.UNKNOWN for part in (date.date1, date.date2)
    )


_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _gregorian_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _julian_leap(year: int) -> bool:
    return year % 4 == 0


def _gregorian_jdn(year: int, month: int, day: int) -> int:
    """JDN of a proleptic Gregorian date (astronomical year), by Fliegel and Van Flandern's
    integer formula: exact, and several times faster than a float library call."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def _julian_jdn(year: int, month: int, day: int) -> int:
    return _jdn(julian.to_jd(year, month, day))


def _jdn(julian_date: float) -> int:
    """convertdate returns astronomical Julian Dates, which start at noon: JDN = JD + 0.5."""
    return int(julian_date + 0.5)


def _gregorian_year(jdn: int) -> int:
    """The proleptic Gregorian year (astronomical numbering) of a JDN (Richards' algorithm)."""
    a = jdn + 32044
    b = (4 * a + 3) // 146097
    c = a - 146097 * b // 4
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    return 100 * b + d - 4800 + m // 10
