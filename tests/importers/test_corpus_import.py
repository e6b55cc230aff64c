"""Every file of the shared corpus through the real importer and back out again.

A file either imports with the MANIFEST's counts (records without an xref counted on top), or,
for the malformed ones, is refused with one sentence or imported with warnings — never a crash.
Every file that imports survives a 5.5.1 export and a second import unchanged, and a 7.0 export
and a second import with its dates changed only in the ways 7.0 documents.
"""

import io
import re

import pytest

from genealogy import models as g
from importers.exporter import tree_export
from importers.gedcom.dates import DateModifier, parse_date
from importers.gedcom.errors import GedcomRefused
from importers.loader import tree_import
from tests.importers.test_exporter import snapshot

pytestmark = pytest.mark.django_db


def _records_without_xref(data: bytes, tag: str) -> int:
    return len(re.findall(rb"(?m)^\s*0 " + tag.encode() + rb"\b", data))


def test_corpus_file_imports_with_manifest_counts_or_is_refused_or_warned(manifest_row):
    row = manifest_row
    try:
        report = tree_import(source=row.file, slug="corpus")
    except GedcomRefused as refusal:
        assert row.malformed, f"{row.path} is not malformed but was refused: {refusal}"
        message = str(refusal)
        assert message and "\n" not in message and "Traceback" not in message
        assert not g.Tree.objects.filter(slug="corpus").exists()
        return
    data = row.file.read_bytes()
    expected = (
        row.indi + _records_without_xref(data, "INDI"),
        row.fam + _records_without_xref(data, "FAM"),
    )
    tree = g.Tree.objects.get(slug="corpus")
    stored = (
        g.Person.objects.filter(tree=tree).count(),
        g.Family.objects.filter(tree=tree).count(),
    )
    if row.malformed:
        assert (report.individuals, report.families) == expected or report.warnings
    else:
        assert (report.individuals, report.families) == expected
    assert stored == (report.individuals, report.families)
    assert all(isinstance(w["message"], str) and w["message"] for w in report.warnings)


@pytest.mark.parametrize("version", ["5.5.1", "7.0"])
def test_corpus_file_round_trips_through_gedcom_export(manifest_row, version):
    """Import, export, import again: the same people, names, families, sources, citations,
    places, custom tags and dates. 5.5.1 is the lossless target for every file, so its dates
    are compared as written; 7.0 keeps what a date denotes, not how it was written, so its
    dates are compared as structured values (see :func:`_dates_70`)."""
    try:
        tree_import(source=manifest_row.file, slug="first")
    except GedcomRefused:
        assert manifest_row.malformed
        return
    first = g.Tree.objects.get(slug="first")
    buffer = io.BytesIO()
    tree_export(tree=first, version=version, fileobj=buffer)
    buffer.seek(0)
    tree_import(source=buffer, slug="second")
    second = g.Tree.objects.get(slug="second")
    before, after = snapshot(first, version), snapshot(second, version)
    before["people"], after["people"] = _people(first), _people(second, like=first)
    known = _xrefs(first)
    if version == "7.0":
        before["events"] = _dates_70(first, as_written_in_70=True)
        after["events"] = _dates_70(second, known=known)
    else:
        after["events"] = _unless_lenient(
            before["events"], sorted((_known(a[0], known), *a[1:]) for a in after["events"])
        )
    after["families"] = sorted(
        (_known(f, known), _known(p1, known), _known(p2, known), [_known(c, known) for c in cs])
        for f, p1, p2, cs in after["families"]
    )
    for key in before:
        assert before[key] == after[key], key


def _dates_70(tree, *, known: set[str] | None = None, as_written_in_70=False) -> list[tuple]:
    """Events with their dates as structured values: modifier, calendar, first and last day
    (JDN) and the date's free text (an INT phrase, or a 7.0 DATE.PHRASE), not the text as
    written (7.0 normalises it). With ``known``, owners' xrefs outside it are blanked, see
    :func:`_known`; with ``as_written_in_70``, each date is as 7.0 documents it comes back,
    see :func:`_in_70`."""
    rows = []
    for p in g.EventParticipant.objects.filter(
        tree=tree, role__in=["primary", "family"]
    ).select_related("event__place", "person", "family"):
        event = p.event
        parsed = _parsed(event)
        date = (
            event.date_modifier,
            event.date_calendar,
            event.date_start_jdn,
            event.date_end_jdn,
            parsed.free_text or "",
        )
        owner = p.person.xref if p.person_id else p.family.xref
        if known is not None:
            owner = _known(owner, known)
        place = event.place.full_name if event.place_id else ""
        if as_written_in_70:
            date = _in_70(date, parsed)
        rows.append((owner, event.event_type, event.custom_type, place, *date))
    return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))


def _in_70(date: tuple, parsed) -> tuple:
    """A date as the documented 7.0 conversions give it back, and only those:

    * 7.0 has no phrase-only date: a phrase, or a value this site cannot read, is written as an
      empty DATE with the text in ``DATE.PHRASE``, which reads back as the free text of a
      phrase-only date.
    * 7.0 has no dual years (:meth:`GedcomDate.to_gedcom`): ``8 JAN 1699/00`` is written
      ``8 JAN 1700``, ``ABT 1699/00`` ``ABT 1699``, a dual year alone ``1699/00`` ``BET 1699
      AND 1700``, an invalid one (``1699/05``) ``1699``, each with the text as written in
      ``DATE.PHRASE``: that text becomes the free text (and a plain date an interpreted one),
      and the days are those of the 7.0 value.
    * 7.0 has no INT keyword: ``INT 1700 (text)`` is ``1700`` with ``PHRASE text`` (the same
      date here), and an INT date without text is a plain date.
    """
    modifier, calendar, start, end, text = date
    if not parsed.phrase and parsed.free_text is None:
        return date  # no date at all
    if not parsed.is_valid or parsed.date1 is None:
        return (DateModifier.PHRASE_ONLY.value, calendar, start, end, text or parsed.phrase)
    parts = (parsed.date1, parsed.date2)
    if any(part is not None and part.dual_year is not None for part in parts) and not text:
        written = parse_date(parsed.to_gedcom("7.0"))
        start, end, text = written.start_jdn, written.end_jdn, parsed.phrase
        if modifier == DateModifier.NONE:
            part = parsed.date1
            year_only = part.month is None and part.dual_year == part.year + 1
            modifier = (DateModifier.BETWEEN if year_only else DateModifier.INTERPRETED).value
    elif modifier == DateModifier.INTERPRETED and not text:
        modifier = DateModifier.NONE.value
    return (modifier, calendar, start, end, text)


def _parsed(event: g.Event):
    """The event's date as the importer read it: the value plus a 7.0 DATE.PHRASE, if any."""
    phrase = next(
        (
            child[1] or ""
            for entry in event.gedcom_extra
            if entry[0] == "+DATE"
            for child in entry[2]
            if child[0] == "PHRASE"
        ),
        None,
    )
    return parse_date(event.date_phrase, phrase=phrase)


def _people(tree, like=None) -> tuple[dict, list]:
    """People by xref, and those without one (the export gives them an xref) by content."""
    known = set(g.Person.objects.filter(tree=like or tree).exclude(xref="").values_list("xref"))
    by_xref, unnamed = {}, []
    for person in g.Person.objects.filter(tree=tree).prefetch_related("names"):
        names = sorted(
            (n.gedcom_tag, n.given, n.patronymic, n.surname, n.name_type)
            for n in person.names.all()
        )
        extra = sorted(e[0] for e in person.gedcom_extra if not e[0].startswith("+"))
        if (person.xref,) in known:
            by_xref[person.xref] = (person.sex, names, extra)
        else:
            unnamed.append((person.sex, names, extra))
    return by_xref, sorted(unnamed)


def _xrefs(tree) -> set[str]:
    people = g.Person.objects.filter(tree=tree).values_list("xref", flat=True)
    families = g.Family.objects.filter(tree=tree).values_list("xref", flat=True)
    return {*people, *families} - {""}


def _known(xref: str, known: set[str]) -> str:
    """Records without an xref (or with a duplicate one) get a fresh xref on export."""
    return xref if xref in known else ""


def _unless_lenient(before: list, after: list) -> list:
    """A date read leniently or not at all ("~") is written back in standard form (or as a
    phrase), which the second import reads strictly: that is the export's correction, not a
    loss, so only what it denotes (its sort key) must survive."""
    return [
        (*a[:4], b[4], "~", *a[6:]) if b[5] == "~" and b[:4] == a[:4] else a
        for b, a in zip(before, after, strict=False)
    ] + after[len(before) :]
