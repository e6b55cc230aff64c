"""ANSEL (ANSI/NISO Z39.47, the MARC-8 Latin set) decoding, with the GEDCOM 5.5 additions.

Python ships no ANSEL codec, yet ANSEL is the default character set of GEDCOM 5.5 and many old
files (PAF, Heredis, the torture tests) use it. :func:`decode_ansel` turns ANSEL bytes into NFC
text.

ANSEL differs from every other 8-bit set in one way that matters: a combining diacritic
(0xE0-0xFE) comes *before* the letter it sits on, while Unicode puts combining marks *after* the
base character. The decoder therefore moves each run of marks behind the next character and then
composes with NFC, so ``E2 65`` (acute, e) becomes ``é``. A mark with nothing after it (the end of
a value) is kept as a bare combining character rather than dropped, so no information is lost.

Bytes that ANSEL leaves undefined decode to U+FFFD; :func:`ansel_undefined_count` lets the
encoding guesser use their number as evidence that a file claiming ANSEL is something else.
"""

from __future__ import annotations

import re
import unicodedata

# The G1 (high half) of ANSEL. Sources: ANSI/NISO Z39.47-1993 as published in the MARC-8 tables of
# the Library of Congress, plus the GEDCOM 5.5 appendix (0xBE/0xBF boxes, 0xCD/0xCE midline
# vowels, 0xCF es-zet) and the MARC-8 additions of 2004 (0xC7 eszett, 0xC8 euro sign).
_SPACING: dict[int, str] = {
    0x88: "\u0098",  # non-sort begin (MARC); kept as the C1 control it stands for
    0x89: "\u009c",  # non-sort end
    0x8D: "\u200d",  # zero width joiner
    0x8E: "\u200c",  # zero width non-joiner
    0xA1: "\u0141",  # Ł
    0xA2: "\u00d8",  # Ø
    0xA3: "\u0110",  # Đ
    0xA4: "\u00de",  # Þ
    0xA5: "\u00c6",  # Æ
    0xA6: "\u0152",  # Œ
    0xA7: "\u02b9",  # soft sign (modifier prime)
    0xA8: "\u00b7",  # middle dot
    0xA9: "\u266d",  # musical flat
    0xAA: "\u00ae",  # registered sign
    0xAB: "\u00b1",  # plus-minus
    0xAC: "\u01a0",  # Ơ
    0xAD: "\u01af",  # Ư
    0xAE: "\u02bc",  # alif (modifier apostrophe)
    0xB0: "\u02bb",  # ayn (modifier turned comma)
    0xB1: "\u0142",  # ł
    0xB2: "\u00f8",  # ø
    0xB3: "\u0111",  # đ
    0xB4: "\u00fe",  # þ
    0xB5: "\u00e6",  # æ
    0xB6: "\u0153",  # œ
    0xB7: "\u02ba",  # hard sign (modifier double prime)
    0xB8: "\u0131",  # dotless i
    0xB9: "\u00a3",  # pound sign
    0xBA: "\u00f0",  # eth
    0xBC: "\u01a1",  # ơ
    0xBD: "\u01b0",  # ư
    0xBE: "\u25a1",  # GEDCOM: empty box
    0xBF: "\u25a0",  # GEDCOM: black box
    0xC0: "\u00b0",  # degree sign
    0xC1: "\u2113",  # script small l
    0xC2: "\u2117",  # sound recording copyright
    0xC3: "\u00a9",  # copyright sign
    0xC4: "\u266f",  # musical sharp
    0xC5: "\u00bf",  # inverted question mark
    0xC6: "\u00a1",  # inverted exclamation mark
    0xC7: "\u00df",  # eszett (MARC-8, 2004)
    0xC8: "\u20ac",  # euro sign (MARC-8, 2004)
    0xCD: "\u1d49",  # GEDCOM: midline e
    0xCE: "\u1d52",  # GEDCOM: midline o
    0xCF: "\u00df",  # GEDCOM: es-zet
}

_COMBINING: dict[int, str] = {
    0xE0: "\u0309",  # hook above
    0xE1: "\u0300",  # grave
    0xE2: "\u0301",  # acute
    0xE3: "\u0302",  # circumflex
    0xE4: "\u0303",  # tilde
    0xE5: "\u0304",  # macron
    0xE6: "\u0306",  # breve
    0xE7: "\u0307",  # dot above
    0xE8: "\u0308",  # diaeresis (umlaut)
    0xE9: "\u030c",  # caron (hacek)
    0xEA: "\u030a",  # ring above
    0xEB: "\ufe20",  # ligature, left half
    0xEC: "\ufe21",  # ligature, right half
    0xED: "\u0315",  # comma above right
    0xEE: "\u030b",  # double acute
    0xEF: "\u0310",  # candrabindu
    0xF0: "\u0327",  # cedilla
    0xF1: "\u0328",  # ogonek (right hook)
    0xF2: "\u0323",  # dot below
    0xF3: "\u0324",  # diaeresis below
    0xF4: "\u0325",  # ring below
    0xF5: "\u0333",  # double low line
    0xF6: "\u0332",  # low line
    0xF7: "\u0326",  # comma below (left hook)
    0xF8: "\u031c",  # left half ring below (right cedilla)
    0xF9: "\u032e",  # breve below
    0xFA: "\ufe22",  # double tilde, left half
    0xFB: "\ufe23",  # double tilde, right half
    0xFE: "\u0313",  # comma above
}

# bytes.decode("latin-1") maps byte N to code point N, so one str.translate call with this table
# maps every ANSEL byte at C speed. ASCII maps to itself; undefined high bytes to U+FFFD.
_TABLE: dict[int, str] = dict.fromkeys(range(0x80, 0x100), "\ufffd")
_TABLE.update(_SPACING)
_TABLE.update(_COMBINING)

_MARKS = "".join(sorted(set(_COMBINING.values())))
# A run of ANSEL marks followed by the character it belongs to (any character, even a space).
_MARKS_THEN_BASE = re.compile(f"([{_MARKS}]+)(.)", re.DOTALL)
_UNDEFINED = frozenset(b for b in range(0x80, 0x100) if b not in _SPACING and b not in _COMBINING)


def decode_ansel(data: bytes) -> str:
    """Decode ANSEL bytes to NFC text, moving prefix diacritics behind their base letter."""
    text = data.decode("latin-1").translate(_TABLE)
    if not text.isascii():
        text = _MARKS_THEN_BASE.sub(r"\2\1", text)
        text = unicodedata.normalize("NFC", text)
    return text


def ansel_undefined_count(data: bytes) -> int:
    """How many bytes of ``data`` ANSEL does not define (evidence against an ANSEL claim)."""
    return sum(data.count(b) for b in _UNDEFINED) if not data.isascii() else 0
