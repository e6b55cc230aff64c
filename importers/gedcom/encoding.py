"""Finding out which character encoding a GEDCOM file really uses.

The bytes decide, not the header: programs write ``CHAR ANSEL`` over UTF-16, ``CHAR ASCII`` over
Latin-1, and Russian and Kazakh programs write windows-1251 whatever they claim. The order of
evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16LE, UTF-16BE);
2. the UTF-16 zero-byte pattern without a BOM (``30 00`` is "0" in UTF-16LE, ``00 30`` in BE);
3. whether the non-ASCII bytes form valid UTF-8 (valid UTF-8 wins over any 8-bit claim, because
   8-bit text practically never happens to be valid UTF-8);
4. the header's ``CHAR`` (and ``CHAR``/``VERS`` for ``ANSI`` + ``1250`` and the like);
5. for 8-bit files, a score of how plausible each decoding is: words should be in one script and
   have a sane letter case; mojibake produces words mixing Cyrillic and Latin, words made only of
   accented Latin letters, box-drawing characters and undefined bytes. Candidates are
   windows-1251, windows-1252, windows-1250, KZ-1048 and CP866 (plus ANSEL or any other declared
   set).

:func:`decide_encoding` returns an :class:`EncodingDecision`: the short name shown to people
(``"UTF-8"``, ``"UTF-16LE"``, ``"ANSEL"``, ``"windows-1251"``, ...), a function that decodes one
value, and the warnings to report. The tokenizer carries every byte through as UTF-8 with
``surrogateescape`` (lossless for any bytes), so a value is decoded only once it is complete,
after CONC joining; :meth:`EncodingDecision.fix` turns such a carried value into real text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .ansel import ansel_undefined_count, decode_ansel
from .errors import KIND_ENCODING

UTF8 = "UTF-8"
UTF16LE = "UTF-16LE"
UTF16BE = "UTF-16BE"
ANSEL = "ANSEL"
ASCII = "ASCII"
CP1250 = "windows-1250"
CP1251 = "windows-1251"
CP1252 = "windows-1252"
KZ1048 = "KZ-1048"
CP866 = "CP866"
_UNICODE_CLAIM = "UNICODE"  # GEDCOM 5.5 says UNICODE and means UTF-16

# Short name -> Python codec, for the single-byte sets.
SINGLE_BYTE_CODECS: dict[str, str] = {
    CP1250: "cp1250",
    CP1251: "cp1251",
    CP1252: "cp1252",
    KZ1048: "kz1048",
    CP866: "cp866",
    "CP437": "cp437",
    "CP850": "cp850",
    "MacRoman": "mac_roman",
    "KOI8-R": "koi8_r",
    "ISO-8859-2": "iso8859_2",
    "ISO-8859-5": "iso8859_5",
    "windows-1253": "cp1253",
    "windows-1254": "cp1254",
    "windows-1255": "cp1255",
    "windows-1256": "cp1256",
    "windows-1257": "cp1257",
    "windows-1258": "cp1258",
}

# Header CHAR values, upper-cased with spaces, hyphens and underscores removed, -> short name.
# Besides the standard ANSEL/ASCII/ANSI/UTF-8/UNICODE/IBMPC this lists what programs write in the
# wild. Latin-1 claims map to windows-1252: it agrees with ISO-8859-1 on every printable
# character, and files that say Latin-1 but use 0x80-0x9F mean the Windows characters there.
_DECLARED: dict[str, str] = {
    "ANSEL": ANSEL,
    "ASCII": ASCII,
    "USASCII": ASCII,
    "ANSI": CP1252,
    "IBMWINDOWS": CP1252,
    "WINDOWS": CP1252,
    "MSWINDOWS": CP1252,
    "CP1252": CP1252,
    "WINDOWS1252": CP1252,
    "WIN1252": CP1252,
    "LATIN1": CP1252,
    "ISO88591": CP1252,
    "88591": CP1252,
    "CP1250": CP1250,
    "WINDOWS1250": CP1250,
    "WIN1250": CP1250,
    "CP1251": CP1251,
    "WINDOWS1251": CP1251,
    "WIN1251": CP1251,
    "CYRILLIC": CP1251,
    "KZ1048": KZ1048,
    "RK1048": KZ1048,
    "STRK10482002": KZ1048,
    "CP866": CP866,
    "IBM866": CP866,
    "DOS866": CP866,
    "IBMPC": "CP437",
    "IBMDOS": "CP437",
    "MSDOS": "CP437",
    "CP437": "CP437",
    "CP850": "CP850",
    "MACINTOSH": "MacRoman",
    "MACROMAN": "MacRoman",
    "KOI8R": "KOI8-R",
    "KOI8": "KOI8-R",
    "LATIN2": "ISO-8859-2",
    "ISO88592": "ISO-8859-2",
    "ISO88595": "ISO-8859-5",
    "UTF8": UTF8,
    "UNICODE": _UNICODE_CLAIM,
    "UTF16": _UNICODE_CLAIM,
    "UCS2": _UNICODE_CLAIM,
    "UTF16LE": _UNICODE_CLAIM,
    "UTF16BE": _UNICODE_CLAIM,
}

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LONE_SURROGATE = re.compile("[\udc80-\udcff]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Non-letters that real 8-bit genealogy text does contain; everything else non-ASCII that is not
# a letter (box drawing, C1 controls, U+FFFD, math symbols) counts against a decoding.
_HARMLESS = frozenset("\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷–—‘’‚“”„†‡•…‰‹›€№™")
# Where KZ-1048 and windows-1251 differ: KZ-1048 has the Kazakh letters there, windows-1251
# Serbian, Macedonian, Ukrainian and Belarusian ones.
_KZ_DIFF = frozenset(b"\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")
_KZ_STRONG = _KZ_DIFF - frozenset(b"\xa1\xa2")  # ў/Ў is Belarusian too, so weak evidence
_ANSEL_MARK = re.compile(rb"[\xe0-\xfe]+")
_CONC_JOINT = re.compile(rb"[\r\n]+[ \t]*[0-9]+[ \t]+CONC[ \t]?")


def _c1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes a single-byte code page leaves undefined as the C1/Latin-1 code point.

    windows-1252 has five holes (0x81, 0x8D, 0x8F, 0x90, 0x9D); browsers (WHATWG) decode them as
    the C1 code points, and so do we, rather than failing or losing the byte.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(b) for b in error.object[error.start : error.end]), error.end


codecs.register_error("tamyr-c1", _c1_fallback)


def normalize_charset_name(char: str | None, vers: str | None = None) -> str | None:
    """Map a header ``CHAR`` value (and its ``VERS``) to a short encoding name.

    Returns None when there is no claim, and the claim itself (upper-cased) when it is unknown,
    so the caller can tell "absent" from "unrecognised" with :func:`is_known_charset`.
    """
    if not char or not char.strip():
        return None
    key = re.sub(r"[\s_\-]+", "", char).upper()
    name = _DECLARED.get(key)
    if name is None:
        return char.strip().upper()
    # Ahnenblatt and others write "1 CHAR ANSI / 2 VERS 1250": ANSI plus the code page number.
    if key == "ANSI" and vers:
        digits = re.sub(r"\D", "", vers)
        if f"windows-{digits}" in SINGLE_BYTE_CODECS or digits in ("1250", "1251", "1252"):
            return f"windows-{digits}"
    return name


def is_known_charset(name: str | None) -> bool:
    """Whether :func:`normalize_charset_name` recognised the claim."""
    return name is None or name in _DECLARED.values() or name in SINGLE_BYTE_CODECS


def sniff_bom(data: bytes) -> tuple[str | None, int]:
    """The encoding named by a byte-order mark at the start of ``data``, and the BOM's length."""
    if data.startswith(codecs.BOM_UTF8):
        return UTF8, 3
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, 0  # UTF-32: refused later as binary, never mistaken for UTF-16
    if data.startswith(codecs.BOM_UTF16_LE):
        return UTF16LE, 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return UTF16BE, 2
    return None, 0


def sniff_utf16(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 from the zero bytes of its ASCII characters.

    A GEDCOM file is mostly digits, tags and spaces, so in UTF-16 nearly every other byte is zero:
    the odd ones in little-endian (``30 00`` = "0"), the even ones in big-endian.
    """
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    if odd_zero >= 0.4 * pairs and even_zero <= 0.05 * pairs:
        return UTF16LE
    if even_zero >= 0.4 * pairs and odd_zero <= 0.05 * pairs:
        return UTF16BE
    return None


def utf8_evidence(sample: bytes) -> tuple[int, int]:
    """Count (valid multi-byte UTF-8 characters, invalid bytes) in ``sample``.

    CONC joints are removed first: MyHeritage and others split a two-byte character across a CONC
    line, which would otherwise look like two invalid bytes.
    """
    joined = _CONC_JOINT.sub(b"", sample)
    text = joined.decode("utf-8", "surrogateescape")
    invalid = len(_LONE_SURROGATE.findall(text))
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return valid, invalid


def looks_like_ansel(sample: bytes) -> bool:
    """Whether non-ASCII bytes fit ANSEL's structure (used only when the header claims ANSEL).

    In ANSEL a diacritic byte (0xE0-0xFE) always precedes the letter it sits on, and at most two
    are stacked. In windows-1251 text those bytes are lowercase letters that end words (followed
    by a space) and run on for whole words; in Latin-1 text they end words too ("café"). Bytes
    that ANSEL leaves undefined are evidence against it as well.
    """
    high = len(sample) - len(sample.decode("latin-1").encode("ascii", "ignore"))
    if not high:
        return True
    marks = bad = 0
    for match in _ANSEL_MARK.finditer(sample):
        run = match.end() - match.start()
        marks += run
        following = sample[match.end() : match.end() + 1]
        if run > 2 or not (following.isalpha() and following.isascii()):
            bad += run
    # A couple of stray marks (one at the very end of a value) prove nothing either way.
    return bad <= max(2, 0.1 * marks) and ansel_undefined_count(sample) <= max(1, 0.01 * high)


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or word.istitle()


def plausibility(text: str) -> float:
    """Score how much ``text`` looks like real words rather than mojibake (higher is better)."""
    score = 0.0
    for match in _LETTER_RUN.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        n = len(word)
        cyrillic = len(_CYRILLIC.findall(word))
        latin = sum(1 for ch in word if ch.isascii() or 0xC0 <= ord(ch) <= 0x24F)
        if cyrillic and latin:
            score -= 2 * n  # "Mьller", "Ивaн": one decoding of a word mixing two scripts
        elif cyrillic + latin < n:
            score -= n  # Greek or other letters in a Cyrillic/Latin file: unlikely
        elif cyrillic:
            score += n if _case_ok(word) else -n / 2
        elif n >= 3 and all(not ch.isascii() for ch in word):
            score -= n  # "Èâàí": windows-1251 read as windows-1252
        else:
            score += n if _case_ok(word) else -n / 2
    odd = sum(
        1
        for ch in text
        if ord(ch) > 0x7F and not ch.isalpha() and ch not in _HARMLESS and not _is_mark(ch)
    )
    return score - 3 * odd


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def _decode_candidate(name: str, sample: bytes) -> str:
    return unicodedata.normalize("NFC", sample.decode(SINGLE_BYTE_CODECS[name], "tamyr-c1"))


def guess_single_byte(
    sample: bytes, *, declared: str | None = None, language: str | None = None
) -> str:
    """Pick the most plausible 8-bit encoding of ``sample`` (a piece of the file's bytes).

    The declared set wins unless another decoding is clearly better; ties between windows-1251
    and KZ-1048 (they differ only in 16 rarely used positions) are broken by Kazakh evidence.
    """
    if declared == ANSEL and looks_like_ansel(sample):
        return ANSEL
    if declared == ASCII:
        declared = CP1252  # 8-bit bytes under an ASCII claim: most often a Western program
    candidates = [CP1251, CP1252, CP1250, KZ1048, CP866]
    if declared in candidates:
        candidates.remove(declared)
    if declared in SINGLE_BYTE_CODECS:
        candidates.insert(0, declared)
    scores = {name: plausibility(_decode_candidate(name, sample)) for name in candidates}
    best = max(candidates, key=lambda name: scores[name])  # first wins ties: declared, then 1251
    if declared in scores:
        # The claim stands unless another decoding is clearly better: real mojibake costs
        # about two points per non-ASCII character, so a fifth of that is "clearly".
        high = sum(1 for b in sample if b > 0x7F)
        if scores[declared] >= scores[best] - max(2.0, 0.4 * high):
            best = declared
    if best == CP1251 and _looks_kazakh(sample, language):
        best = KZ1048
    return best


def _looks_kazakh(sample: bytes, language: str | None) -> bool:
    """Whether windows-1251-looking bytes are really KZ-1048.

    Needs bytes where the two differ; then either a Kazakh LANG, or "ы" (which Ukrainian lacks)
    together with a Kazakh-only letter (ў alone could be Belarusian).
    """
    present = {b for b in _KZ_DIFF if bytes((b,)) in sample}
    if not present:
        return False
    if language and language.strip().lower() in ("kazakh", "kk", "қазақ", "казахский"):
        return True
    has_yery = b"\xfb" in sample or b"\xdb" in sample
    return has_yery and bool(present & _KZ_STRONG)


@dataclass
class EncodingDecision:
    """The chosen encoding and how to turn carried values into text."""

    name: str
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    fallback: str = CP1252  # single-byte guess for stray invalid bytes in a UTF-8 file

    def __post_init__(self) -> None:
        self.fix: Callable[[str], tuple[str, bool]] = self._make_fixer()

    def _make_fixer(self) -> Callable[[str], tuple[str, bool]]:
        normalize = unicodedata.normalize
        if self.name == ANSEL:

            def fix_ansel(carried: str) -> tuple[str, bool]:
                text = decode_ansel(carried.encode("utf-8", "surrogateescape"))
                return text, "\ufffd" in text

            return fix_ansel
        codec = SINGLE_BYTE_CODECS.get(self.name)
        if codec is not None:

            def fix_single(carried: str) -> tuple[str, bool]:
                raw = carried.encode("utf-8", "surrogateescape")
                return normalize("NFC", raw.decode(codec, "tamyr-c1")), False

            return fix_single
        fallback_codec = SINGLE_BYTE_CODECS[self.fallback]

        def fix_utf8(carried: str) -> tuple[str, bool]:
            if _LONE_SURROGATE.search(carried) is None:
                return normalize("NFC", carried), False
            # Joining CONC lines may have healed a character split across them; if bytes are
            # still invalid, a value with no valid UTF-8 at all is 8-bit text (a header that
            # lies beyond the sampled prefix), anything else gets U+FFFD for the bad bytes.
            raw = carried.encode("utf-8", "surrogateescape")
            try:
                return normalize("NFC", raw.decode("utf-8")), False
            except UnicodeDecodeError:
                valid, _invalid = utf8_evidence(raw)
                if valid == 0:
                    return normalize("NFC", raw.decode(fallback_codec, "tamyr-c1")), True
                return normalize("NFC", raw.decode("utf-8", "replace")), True

        return fix_utf8


def _contradiction(declared: str | None, actual: str) -> bool:
    if declared is None or declared == actual:
        return False
    if actual == UTF8 and declared == _UNICODE_CLAIM:
        return True
    if actual in (UTF16LE, UTF16BE):
        return declared != _UNICODE_CLAIM
    return True


def decide_encoding(
    *,
    bom: str | None,
    utf16: str | None,
    declared: str | None,
    declared_raw: str | None,
    language: str | None,
    sample: bytes,
    sample_line: int,
    whole_file_seen: bool,
) -> EncodingDecision:
    """Choose the encoding from the evidence, strongest first (see the module docstring).

    ``declared`` is :func:`normalize_charset_name` of the header's CHAR, ``declared_raw`` the
    value as written. ``sample`` holds bytes from the first non-ASCII line on (empty when the
    prefix read so far is pure ASCII) and ``sample_line`` that line's number.
    ``whole_file_seen`` says whether the prefix was the whole file.
    """
    warnings: list[tuple[int, str, str]] = []
    claim = f"CHAR {declared_raw}" if declared_raw else "no CHAR"
    if declared is not None and not is_known_charset(declared):
        warnings.append(
            (0, f"The header names an unknown character set ({declared_raw}).", KIND_ENCODING)
        )
        declared = None

    actual = bom or utf16
    if actual is not None:
        if _contradiction(declared, actual) and not (actual == UTF8 and declared == ASCII):
            warnings.append(
                (
                    1,
                    f"The header says {claim} but the file is {actual}; read as {actual}.",
                    KIND_ENCODING,
                )
            )
        return EncodingDecision(actual, warnings)

    if not sample:
        # Pure ASCII so far: any ASCII-compatible claim decodes it the same way.
        if declared == _UNICODE_CLAIM:
            warnings.append(
                (
                    1,
                    f"The header says {claim} but the file is not UTF-16; read as 8-bit text.",
                    KIND_ENCODING,
                )
            )
        if whole_file_seen:
            return EncodingDecision(ASCII, warnings)
        if declared == ANSEL or declared in SINGLE_BYTE_CODECS:
            return EncodingDecision(declared, warnings)
        return EncodingDecision(UTF8, warnings)

    valid, invalid = utf8_evidence(sample)
    if valid and (invalid == 0 or (declared == UTF8 and valid > invalid)):
        if declared not in (None, UTF8):
            warnings.append(
                (
                    sample_line,
                    f"The header says {claim} but the text is UTF-8; read as UTF-8.",
                    KIND_ENCODING,
                )
            )
        fallback = guess_single_byte(sample, language=language) if invalid else CP1252
        return EncodingDecision(UTF8, warnings, fallback=fallback)

    hint = declared if (declared in (ANSEL, ASCII) or declared in SINGLE_BYTE_CODECS) else None
    name = guess_single_byte(sample, declared=hint, language=language)
    if declared is None:
        warnings.append(
            (
                sample_line,
                f"The header names no character set; the text looks like {name}.",
                KIND_ENCODING,
            )
        )
    elif name != declared:
        warnings.append(
            (
                sample_line,
                f"The header says {claim} but the text looks like {name}; read as {name}.",
                KIND_ENCODING,
            )
        )
    return EncodingDecision(name, warnings)


__all__ = [
    "ANSEL",
    "ASCII",
    "CP866",
    "CP1250",
    "CP1251",
    "CP1252",
    "KZ1048",
    "UTF8",
    "UTF16BE",
    "UTF16LE",
    "EncodingDecision",
    "decide_encoding",
    "guess_single_byte",
    "looks_like_ansel",
    "normalize_charset_name",
    "plausibility",
    "sniff_bom",
    "sniff_utf16",
    "utf8_evidence",
]
