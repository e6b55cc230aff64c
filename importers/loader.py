"""Parsed GEDCOM records → genealogy rows, fast enough for a million people.

``tree_import(source=..., slug=...)`` streams records from :func:`open_gedcom`, maps each one to
rows of the genealogy tables and writes the rows in large batches: with COPY on PostgreSQL and
``executemany`` on SQLite (:class:`_PgTable` / :class:`_SqliteTable`). The whole import is one
transaction.

How it stays fast and small:

* primary keys are assigned in Python (blocks reserved from the table's sequence on PostgreSQL,
  continued from ``MAX(id)`` on SQLite), so a row can point at a record the file defines later;
* the only memory kept between records is an xref → id dict per record type, the place strings,
  and packed integer arrays of the child/partner links for the checks at the end;
* a pointer to a record that never arrives is dropped after the stream ends (one UPDATE or DELETE
  per table), with a warning carrying the line of the pointer, before the deferred foreign keys
  are checked;
* the people are held back in a temporary file until the end, when the living flags are known:
  a few bits of evidence per person and the links gathered while reading go through
  :class:`~genealogy.privacy.LivingRule` (the in-memory form of the SQL that recomputes the
  flags after edits), and the people are written once with their flags: no query over the rows
  just written, no second pass over a million rows, no dead row versions for PostgreSQL.

What the model does not hold is kept verbatim in ``gedcom_extra`` as ``[tag, value, children]``
lists (``children`` left out when empty). An entry whose tag starts with ``+`` holds extra
children of a substructure that *is* modelled (``["+DATE", null, [["TIME", "12:00"]]]``); the
exporter merges them back under that substructure.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import gc
import io
import itertools
import json
import logging
import marshal
import queue
import re
import tempfile
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from genealogy import models as g
from genealogy.models import (
    DEATH_EVENT_TYPES,
    EventType,
    NameType,
    ParticipantRole,
    Pedigree,
    Restriction,
    ordered_public_ids,
    parse_archival_reference,
)
from genealogy.privacy import BIRTH_EVENT_TYPES, LivingRule, tree_after_import, without_jit
from genealogy.search import BIRTH_RANK as _BIRTH_RANK
from genealogy.search import DEATH_RANK as _DEATH_RANK
from genealogy.search import STEM_MARK, name_tokens, serialize_tokens
from genealogy.search import jdn_year as _jdn_year
from genealogy.services import fk_triggers_off, tree_purge
from importers.gedcom.dates import parse_date
from importers.gedcom.errors import KIND_DUPLICATE_XREF
from importers.gedcom.tokenizer import Node, open_gedcom

logger = logging.getLogger(__name__)

__all__ = ["ImportReport", "tree_import"]

BATCH_ROWS = 20_000
# A table's rows go to PostgreSQL once they are this long, and this many such batches may wait
# for it before Python does. Small batches and a long queue keep both busy: with 1 MiB batches
# and four in the queue, PostgreSQL idled 5-7 s of a 100,000-person import while Python waited
# about 1 s for it, and the last batches piled up at the end; with these, 2-4 s and none, and
# the import took 17.2 s instead of 18.3 s (medians of six). At most about 8 MiB of text waits.
COPY_BATCH_CHARS = 1 << 18
COPY_QUEUE_BATCHES = 32
ID_BLOCK = 50_000
MAX_OWN_WARNINGS = 2000
PROGRESS_SECONDS = 0.25
_SHIFT = 32  # packed (family, person) keys: family << 32 | person
_MASK = (1 << _SHIFT) - 1

# fmt: off
INDI_EVENTS = frozenset({
    "BIRT", "CHR", "DEAT", "BURI", "CREM", "ADOP", "BAPM", "BARM", "BASM", "BLES", "CHRA", "CONF",
    "FCOM", "ORDN", "NATU", "EMIG", "IMMI", "CENS", "PROB", "WILL", "GRAD", "RETI", "EVEN",
    "CAST", "DSCR", "EDUC", "IDNO", "NATI", "NCHI", "NMR", "OCCU", "PROP", "RELI", "RESI", "SSN",
    "TITL", "FACT",
})
FAM_EVENTS = frozenset({
    "ANUL", "CENS", "DIV", "DIVF", "ENGA", "MARB", "MARC", "MARR", "MARL", "MARS", "EVEN", "RESI",
    "FACT", "NCHI",
})
# fmt: on
MARRIAGE_TAGS = frozenset({"MARR", "MARB", "MARC", "MARL", "MARS", "ENGA"})

# EVEN / FACT with one of these TYPEs becomes the region's own event type.
CUSTOM_EVENT_TYPES = {
    "deportation": EventType.DEPORTATION,
    "депортация": EventType.DEPORTATION,
    "жер аудару": EventType.DEPORTATION,
    "жер аударылу": EventType.DEPORTATION,
    "выселение": EventType.DEPORTATION,
    "special settlement": EventType.SPECIAL_SETTLEMENT,
    "спецпоселение": EventType.SPECIAL_SETTLEMENT,
    "арнаулы қоныс": EventType.SPECIAL_SETTLEMENT,
    "rehabilitation": EventType.REHABILITATION,
    "реабилитация": EventType.REHABILITATION,
    "ақталу": EventType.REHABILITATION,
    "military service": EventType.MILITARY_SERVICE,
    "military": EventType.MILITARY_SERVICE,
    "военная служба": EventType.MILITARY_SERVICE,
    "әскери қызмет": EventType.MILITARY_SERVICE,
    "name change": EventType.NAME_CHANGE,
    "смена имени": EventType.NAME_CHANGE,
    "смена фамилии": EventType.NAME_CHANGE,
    "перемена фамилии": EventType.NAME_CHANGE,
    "есімін өзгерту": EventType.NAME_CHANGE,
    "тегін өзгерту": EventType.NAME_CHANGE,
}
NAME_TYPES = {
    "birth": NameType.BIRTH,
    "aka": NameType.AKA,
    "also known as": NameType.AKA,
    "immigrant": NameType.IMMIGRANT,
    "maiden": NameType.MAIDEN,
    "married": NameType.MARRIED,
    "professional": NameType.PROFESSIONAL,
    "religious": NameType.RELIGIOUS,
    "russified": NameType.RUSSIFIED,
    "restored": NameType.RESTORED,
    "other": NameType.OTHER,
}
PEDIGREES = {
    "birth": Pedigree.BIRTH,
    "natural": Pedigree.BIRTH,
    "biological": Pedigree.BIRTH,
    "adopted": Pedigree.ADOPTED,
    "foster": Pedigree.FOSTER,
    "step": Pedigree.STEP,
    "stepchild": Pedigree.STEP,
    "sealing": Pedigree.SEALING,
    "sealed": Pedigree.SEALING,
    "unknown": Pedigree.UNKNOWN,
    "other": Pedigree.UNKNOWN,
}
_BIRTH_TYPES = frozenset(BIRTH_EVENT_TYPES)

ROLES = {
    "CHIL": ParticipantRole.CHILD,
    "CLERGY": ParticipantRole.CLERGY,
    "FATH": ParticipantRole.FATHER,
    "FRIEND": ParticipantRole.FRIEND,
    "GODP": ParticipantRole.GODPARENT,
    "HUSB": ParticipantRole.HUSBAND,
    "MOTH": ParticipantRole.MOTHER,
    "NGHBR": ParticipantRole.NEIGHBOUR,
    "OFFICIATOR": ParticipantRole.OFFICIATOR,
    "PARENT": ParticipantRole.PARENT,
    "SPOU": ParticipantRole.SPOUSE,
    "WIFE": ParticipantRole.WIFE,
    "WITN": ParticipantRole.WITNESS,
    "INFORMANT": ParticipantRole.INFORMANT,
}
RESTRICTIONS = {  # plain strings: the people's rows wait in a marshal file (see _HeldRows)
    "confidential": Restriction.CONFIDENTIAL.value,
    "locked": Restriction.LOCKED.value,
    "privacy": Restriction.PRIVACY.value,
}
ANALYZE_AFTER_PEOPLE = 1_000
_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьич|ична|овна|евна|инична|ұлы|улы|қызы|кызы|оглы|оғлы|кизи)$", re.IGNORECASE
)
# Other names of a place under PLAC: 7.0 translations, 5.5.1 romanised and phonetic forms.
_PLACE_VARIANTS = frozenset({"TRAN", "ROMN", "FONE"})
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARCHIVE_HINT = re.compile(
    r"(?<!\w)(?:ф|фонд|қор|f|fond)\s*\.?\s*№?\s*[A-Za-zА-Яа-я]{0,3}-?\s?\d", re.IGNORECASE
)
_HEADER_LANGUAGES = {
    "russian": "ru",
    "kazakh": "kk",
    "english": "en",
    "german": "de",
    "ukrainian": "uk",
    "korean": "ko",
    "tatar": "tt",
    "uzbek": "uz",
}

PERSON, FAMILY, SOURCE, REPOSITORY, NOTE, MEDIA = "INDI", "FAM", "SOUR", "REPO", "NOTE", "OBJE"
KIND_BROKEN_POINTER = "broken-pointer"
KIND_DATE = "date"
KIND_LOOP = "loop"
KIND_CUT = "limit"
KIND_LINK = "link"


@dataclass
class ImportReport:
    tree_slug: str
    version: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    individuals: int = 0
    families: int = 0
    events: int = 0
    places: int = 0
    sources: int = 0
    repositories: int = 0
    notes: int = 0
    media: int = 0
    names: int = 0
    citations: int = 0
    child_links: int = 0
    other_records: int = 0
    records_without_xref: int = 0
    seconds: float = 0.0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    suppressed_warnings: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- writing rows ------------------------------------------------------------------------------


class _Table:
    """Rows for one table; ``add(row)`` takes a tuple in ``fields`` order."""

    def __init__(self, model: type, fields: list[str]) -> None:
        self.model = model
        meta = model._meta
        self.table = meta.db_table
        self.fields = fields
        self.columns = [meta.get_field(name).column for name in fields]
        self.nullable = [
            meta.get_field(name).column for name in fields if meta.get_field(name).null
        ]
        self.count = 0

    def flush(self) -> None:
        raise NotImplementedError


class _NullTable(_Table):
    def __init__(self, model: type, fields: list[str]) -> None:
        super().__init__(model, fields)
        self.add = self._add

    def _add(self, row: tuple) -> None:
        self.count += 1

    def flush(self) -> None:
        pass


class _CopyWorker:
    """Runs the COPY statements in a second thread, so PostgreSQL indexes one batch while
    Python maps the next (psycopg2 lets other threads run while it sends data)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.cursor = connection.connection.cursor()
        self.copy_expert = self.cursor.copy_expert
        self.queue: queue.Queue = queue.Queue(maxsize=COPY_QUEUE_BATCHES)
        self.error: BaseException | None = None
        # psycopg2 does not keep a COPY in one thread apart from a query in another: the main
        # thread uses the connection only after sync(); the ids come on one of their own.
        self.thread = threading.Thread(target=self._run, name="gedcom-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    sql, data = item
                    self.copy_expert(sql, io.BytesIO(data), size=1 << 20)
            except BaseException as error:  # handed to the main thread in sync()
                self.error = error
            finally:
                self.queue.task_done()

    def submit(self, sql: str, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((sql, data))

    def sync(self) -> None:
        """Wait until every submitted COPY has run; raise what one of them raised."""
        self.queue.join()
        if self.error is not None:
            raise self.error

    def close(self, *, discard: bool = False) -> None:
        """Stop the thread once it has run what was submitted, or skipped it (``discard``,
        after an error: the transaction is rolled back anyway)."""
        if discard and self.error is None:
            self.error = _Discarded()
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        self.cursor.close()


class _Discarded(Exception):
    """Set as the COPY thread's error so it skips the batches still queued."""


class _PgTable(_Table):
    """CSV rows into COPY. Every field is quoted, so "" stays an empty string; FORCE_NULL
    turns the quoted empty string of a nullable column (``None``) into NULL.

    The lines are built here rather than by ``csv.writer``: it looks at every character of
    every field, a function call each to compare it with the line terminator, and that was
    23 % of a 10,000-person import's instructions (callgrind). Here a row is one join and one
    count of its quotes; only a row with a quote in a field is joined again."""

    def __init__(self, model: type, fields: list[str], worker: _CopyWorker) -> None:
        super().__init__(model, fields)
        quote = connection.ops.quote_name
        options = "FORMAT csv"
        if self.nullable:
            options += f", FORCE_NULL ({', '.join(quote(c) for c in self.nullable)})"
        self.sql = (
            f"COPY {quote(self.table)} ({', '.join(quote(c) for c in self.columns)}) "
            f"FROM STDIN WITH ({options})"
        )
        self.worker = worker
        self.lines: list[str] = []
        self.size = 0  # characters in ``lines``

    def add(self, row: tuple) -> None:
        # Strings as they are (str subclasses such as Django's choices too), None as "",
        # numbers and booleans as str() writes them (PostgreSQL reads "True").
        fields = [v if isinstance(v, str) else "" if v is None else str(v) for v in row]
        body = '","'.join(fields)
        if body.count('"') != 2 * len(fields) - 2:  # a field holds a quote: double it
            body = '","'.join([field.replace('"', '""') for field in fields])
        self.lines.append(body)
        self.size += len(body)

    def flush(self) -> None:
        if not self.lines:
            return
        data = '"' + '"\n"'.join(self.lines) + '"\n'
        self.lines = []
        self.size = 0
        if "\x00" in data:  # PostgreSQL text cannot hold NUL
            data = data.replace("\x00", "")
        # UTF-8 bytes (the connection's encoding) wrapped without a copy, where a StringIO
        # would hold the batch again at four bytes a character.
        self.worker.submit(self.sql, data.encode("utf-8", "replace"))


class _SqliteTable(_Table):
    def __init__(self, model: type, fields: list[str], cursor) -> None:
        super().__init__(model, fields)
        quote = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(quote(c) for c in self.columns)}) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in self.columns)})"
        )
        self.cursor = cursor
        self.rows: list[tuple] = []
        self.add = self.rows.append

    def flush(self) -> None:
        if self.rows:
            self.cursor.executemany(self.sql, self.rows)
            self.rows.clear()


class _HeldRows:
    """Rows of ``table`` held back in a temporary file until a last column is known: the
    people whose living flag waits for their relatives. ``add`` takes the row without it;
    :meth:`release` writes every row with the flag appended. The file holds batches of rows,
    each one marshal blob after its length: loading a row at a time from the file took 20 µs a
    row here, most of it marshal's small reads."""

    BATCH = 2000

    def __init__(self, table: _Table) -> None:
        self.table = table
        # Open until release() or close(): the loader owns it for the whole import.
        self.file = tempfile.TemporaryFile(prefix="tamyr-import-")  # noqa: SIM115
        self.batch: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.batch.append(row)
        if len(self.batch) >= self.BATCH:
            self._spill()

    def _spill(self) -> None:
        if self.batch:
            data = marshal.dumps(self.batch)
            self.file.write(len(data).to_bytes(8, "little"))
            self.file.write(data)
            self.batch.clear()

    def _rows(self) -> Iterator[tuple]:
        self._spill()
        file = self.file
        size = file.tell()
        file.seek(0)
        try:
            position = 0
            while position < size:
                length = int.from_bytes(file.read(8), "little")
                # The file this object wrote itself.
                yield from marshal.loads(file.read(length))  # noqa: S302
                position += 8 + length
        finally:
            file.seek(size)

    def release(self, dead: array, flush: Callable[[], None]) -> None:
        """Write the rows with ``living`` appended: False for the ids in ``dead``, ascending
        (8 bytes an id, searched by bisection: a set of a million ids would take 60 MB)."""
        table = self.table
        count = len(dead)
        for written, row in enumerate(self._rows(), start=1):
            pid = row[0]
            position = bisect_left(dead, pid)
            table.add((*row, not (position < count and dead[position] == pid)))
            if written % 2000 == 0:
                flush()
        self.close()

    def close(self) -> None:
        self.file.close()


class _PersonBits:
    """The living-rule bits of the people (``id << 16 | bits`` as the loader appends them),
    two bytes a person id (``base`` and ``span`` from _Loader.person_span), as
    LivingRule.dead_ids reads and marks them: a dict or set of a million people would take 60
    to 80 MB each."""

    def __init__(self, packed: array, base: int, span: int) -> None:
        self.base = base
        self.bits = array("H", bytes(2 * span))
        self.known = bytearray(span)
        for value in packed:
            index = (value >> 16) - self.base
            self.bits[index] = value & 0xFFFF
            self.known[index] = 1

    def get(self, person_id: int, default: int = 0) -> int:
        index = person_id - self.base
        if 0 <= index < len(self.bits):
            return self.bits[index]
        return default

    def __setitem__(self, person_id: int, bits: int) -> None:
        self.bits[person_id - self.base] = bits

    def items(self) -> Iterator[tuple[int, int]]:
        base, known = self.base, self.known
        for index, bits in enumerate(self.bits):
            if known[index]:
                yield base + index, bits


class _Partners:
    """Family → (partner1, partner2) over the loader's packed map, unpacked when asked (a dict
    of tuples for a third of a million families took about 50 MB)."""

    def __init__(self, packed: dict[int, int], undefined_families) -> None:
        self.packed = packed
        self.undefined = undefined_families

    def get(self, family_id: int, default: tuple[int, int]) -> tuple[int, int]:
        value = self.packed.get(family_id)
        if value is None or family_id in self.undefined:
            return default
        return value >> _SHIFT, value & _MASK

    def items(self) -> Iterator[tuple[int, tuple[int, int]]]:
        for family_id, value in self.packed.items():
            if family_id not in self.undefined:
                yield family_id, (value >> _SHIFT, value & _MASK)


class _ChildLinks:
    """(family, child) for the child links the loader keeps packed, those to records the file
    never defined left out; iterable again and again without a list of a million pairs."""

    def __init__(self, keys: array, undefined_people, undefined_families) -> None:
        self.keys = keys
        self.undefined_people = undefined_people
        self.undefined_families = undefined_families

    def __iter__(self) -> Iterator[tuple[int, int]]:
        undefined_people, undefined_families = self.undefined_people, self.undefined_families
        for key in self.keys:
            family_id, child = key >> _SHIFT, key & _MASK
            if child not in undefined_people and family_id not in undefined_families:
                yield family_id, child


def _missing(stated: array, listed: array, base: int, span: int) -> set[int]:
    """The packed ``family << 32 | person`` keys of ``stated`` that ``listed`` lacks. Sets of
    both took about 100 MB for a moment at a million people; here the first family listed for
    each person sits in an array indexed by person id (``base`` to ``base + span``), further
    ones in a set, and only the answer (usually small) is a set."""
    first = array("q", bytes(8 * span))
    further: set[int] = set()
    for key in listed:
        index = (key & _MASK) - base
        if 0 <= index < span and not first[index]:
            first[index] = key >> _SHIFT
        else:
            further.add(key)
    missing = set()
    for key in stated:
        index = (key & _MASK) - base
        if not (0 <= index < span and first[index] == key >> _SHIFT) and key not in further:
            missing.add(key)
    return missing


class _IdFetcher:
    """Takes blocks of ids from the tables' sequences on a PostgreSQL connection of its own, in
    a thread of its own, while the import goes on.

    ``nextval`` is not transactional, so another connection may take the ids the import's
    transaction writes. On the import's own connection each block waited for the COPY batch
    being sent and then for its query: 1.6 s of a 100,000-person import's main thread (1.0 s
    and 0.6 s, 43 blocks, 689,000 ids). A block whose ids came out contiguous, as they do unless
    another session takes ids of the same table meanwhile, travels as its first and last id."""

    QUERY = (
        "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL"
        " ELSE string_agg(v::text, ',') END"
        " FROM (SELECT nextval(%s) AS v FROM generate_series(1, %s)) AS ids"
    )

    def __init__(self) -> None:
        self.connection = connection.get_new_connection(connection.get_connection_params())
        self.connection.autocommit = True
        self.executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="gedcom-ids")

    def submit(self, sequence: str, size: int) -> concurrent.futures.Future:
        return self.executor.submit(self._fetch, sequence, size)

    def _fetch(self, sequence: str, size: int) -> Iterable[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(self.QUERY, [sequence, size])
            return self.block(*cursor.fetchone())

    @staticmethod
    def block(first: int, last: int, scattered: str | None) -> Iterable[int]:
        """The ids of a row of :attr:`QUERY`, ascending."""
        if scattered is None:
            return range(first, last + 1)
        return sorted(array("q", map(int, scattered.split(","))))

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.connection.close()


class _Ids:
    """Primary keys for one table, handed out in Python before the rows are written. Call
    :attr:`next` for one (a generator's ``__next__``: half a million calls in an import)."""

    def __init__(self, model: type, cursor, vendor: str | None, fetcher: _IdFetcher | None) -> None:
        table = model._meta.db_table
        if vendor == "sqlite":
            cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608
            self.next = itertools.count((cursor.fetchone()[0] or 0) + 1).__next__
        elif vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            self.sequence = cursor.fetchone()[0]
            self.fetcher = fetcher
            self.next = self._blocks().__next__
        else:  # a dry run: ids only tell records apart
            self.next = itertools.count(1).__next__

    def _blocks(self) -> Iterator[int]:
        """Blocks four times longer each time up to ID_BLOCK, so a small file does not burn
        thousands of ids; the next block is asked for when half of one is used."""
        size = 256
        pending = self.fetcher.submit(self.sequence, size)
        while True:
            block = pending.result()
            half = len(block) // 2
            yield from block[:half]
            size = min(size * 4, ID_BLOCK)
            pending = self.fetcher.submit(self.sequence, size)
            yield from block[half:]


# -- helpers -----------------------------------------------------------------------------------


# The same page string is cited many times.
_parse_archival = functools.lru_cache(maxsize=1 << 14)(parse_archival_reference)


def _tree_list(node: Node) -> list:
    """A node as ``[tag, value]`` or ``[tag, value, children]`` (xref kept for records)."""
    if node.children:
        return [node.tag, node.value, [_tree_list(c) for c in node.children]]
    return [node.tag, node.value]


def _json_encoder() -> Callable[[Any], str]:
    """``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`` for the lists of strings
    of ``gedcom_extra``. json's C encoder is called directly where Python has it: dumps goes
    through three Python functions first, about 3 % of an import's profile samples."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))

    def default(value: Any) -> Any:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    encode = make(None, default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
    return lambda value: "".join(encode(value, 0))


_encode_json = _json_encoder()


def _dumps(extra: list) -> str:
    return _encode_json(extra) if extra else "[]"


def _pointer(value: str | None) -> str | None:
    """The pointer a value holds, as written with its at-signs (the key of the xref maps);
    None for text and @VOID@."""
    if value and len(value) > 2 and value[0] == "@" and value[-1] == "@" and value[1] != "#":
        return None if value == "@VOID@" else value
    return None


def _is_pointer_or_void(value: str | None) -> bool:
    return bool(
        value and len(value) > 2 and value[0] == "@" and value[-1] == "@" and value[1] != "#"
    )


def _coordinate(text: str | None, positive: str, negative: str, limit: float) -> float | None:
    if not text:
        return None
    text = text.strip().upper().replace(",", ".")
    sign = 1.0
    if text[:1] in (positive, negative):
        sign = -1.0 if text[0] == negative else 1.0
        text = text[1:]
    elif text[-1:] in (positive, negative):
        sign = -1.0 if text[-1] == negative else 1.0
        text = text[:-1]
    try:
        value = sign * float(text)
    except ValueError:
        return None
    return value if -limit <= value <= limit else None


def _script_language(text: str, default_cyrillic: str) -> tuple[str, str]:
    if text.isascii():
        return "Latn", ""
    if _CYRILLIC.search(text):
        if not _KAZAKH_LETTERS.isdisjoint(text):
            return "Cyrl", "kk-Cyrl"
        return "Cyrl", default_cyrillic
    return "", ""


def _split_name(value: str) -> tuple[str, str, str]:
    """``Given /Surname/ Suffix`` → (given, surname, after)."""
    if "/" not in value:
        return value.strip(), "", ""
    before, _, rest = value.partition("/")
    surname, _, after = rest.partition("/")
    return before.strip(), surname.strip(), after.replace("/", " ").strip()


# -- the loader --------------------------------------------------------------------------------


class _Loader:
    def __init__(self, *, tree_id: int, stream, report: ImportReport, dry_run: bool) -> None:
        self.tree_id = tree_id
        self.stream = stream
        self.report = report
        self.dry_run = dry_run
        self.vendor = None if dry_run else connection.vendor
        self.cursor = None if dry_run else connection.cursor()
        # The id connection first: when it cannot open, no COPY thread is left waiting.
        self.id_fetcher = _IdFetcher() if self.vendor == "postgresql" else None
        self.worker = _CopyWorker() if self.vendor == "postgresql" else None
        self.warnings: list[dict[str, Any]] = []
        self.suppressed = 0
        self.public_id = ordered_public_ids().__next__
        header_language = (stream.header.value_at("LANG") or "").strip().lower()
        language = _HEADER_LANGUAGES.get(header_language, "")
        self.default_cyrillic = language if language in ("ru", "kk", "uk", "tt") else ""
        self.version7 = bool(stream.version and stream.version.startswith("7"))

        self.tables: list[_Table] = []
        t = self._table
        self.t_person = t(
            g.Person,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "sex",
                "name_keys",
                "birth_year",
                "death_year",
                "living",
            ],
        )
        # The people whose own records do not settle their living flag wait for their
        # relatives' (see write_people).
        self.held_people = _HeldRows(self.t_person)
        self.t_name = t(
            g.Name,
            [
                "id",
                "person",
                "tree",
                "sort_order",
                "variant_of",
                "gedcom_tag",
                "name_type",
                "custom_type",
                "language",
                "script",
                "full",
                "given",
                "surname",
                "patronymic",
                "prefix",
                "surname_prefix",
                "suffix",
                "nickname",
                "search_key",
                "phonetic_key",
                "private",
                "gedcom_extra",
            ],
        )
        self.t_family = t(
            g.Family,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "partner1",
                "partner2",
                "relationship",
            ],
        )
        self.t_child = t(
            g.ChildLink,
            [
                "family",
                "child",
                "tree",
                "sort_order",
                "pedigree1",
                "pedigree2",
                "private",
                "gedcom_extra",
                "famc_extra",
            ],
        )
        self.t_event = t(
            g.Event,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "event_type",
                "custom_type",
                "value",
                "date_phrase",
                "date_modifier",
                "date_calendar",
                "date_start_jdn",
                "date_end_jdn",
                "date_sort",
                "date_valid",
                "place",
                "age",
                "cause",
                "description",
                "sort_order",
            ],
        )
        self.t_participant = t(
            g.EventParticipant,
            ["event", "person", "family", "tree", "role", "role_phrase", "gedcom_extra"],
        )
        self.t_place = t(
            g.Place,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "name",
                "full_name",
                "place_type",
                "latitude",
                "longitude",
                "name_keys",
            ],
        )
        self.t_name_token = t(g.NameToken, ["tree", "token", "count"])
        self.t_place_parent = t(
            g.PlaceHierarchy, ["place", "parent", "tree", "date_phrase", "start_jdn", "end_jdn"]
        )
        self.t_place_name = t(
            g.PlaceName,
            ["place", "tree", "name", "language", "date_phrase", "start_jdn", "end_jdn"],
        )
        self.t_source = t(
            g.Source,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "title",
                "author",
                "publication",
                "abbreviation",
                "text",
            ],
        )
        self.t_repository = t(
            g.Repository,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "name",
                "abbreviation",
                "address",
            ],
        )
        self.t_repo_ref = t(
            g.RepositoryRef, ["source", "repository", "tree", "call_number", "gedcom_extra"]
        )
        self.t_citation = t(
            g.Citation,
            [
                "id",
                "source",
                "tree",
                "public_id",
                "page",
                "quality",
                "date_phrase",
                "text",
                "sort_order",
                "person",
                "family",
                "event",
                "name",
                "private",
                "gedcom_extra",
            ],
        )
        self.t_archival = t(
            g.ArchivalReference,
            [
                "tree",
                "repository",
                "source",
                "citation",
                "archive",
                "fond",
                "inventory",
                "file",
                "sheets",
                "verso",
                "text",
            ],
        )
        self.t_note = t(
            g.Note,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "text",
                "shared",
                "mime_type",
                "language",
            ],
        )
        self.link_targets = g.LINK_TARGETS
        self.t_note_link = t(g.NoteLink, ["note", "tree", "sort_order", *g.LINK_TARGETS])
        self.media_targets = ["person", "family", "event", "source", "citation"]
        self.t_media = t(
            g.Media,
            [
                "id",
                "tree",
                "xref",
                "public_id",
                "private",
                "resn",
                "gedcom_extra",
                "file",
                "format",
                "title",
                "shared",
            ],
        )
        self.t_media_link = t(
            g.MediaLink, ["media", "tree", "sort_order", *self.media_targets, "gedcom_extra"]
        )
        self.t_extra = t(g.ExtraRecord, ["tree", "sort_order", "xref", "tag", "value", "children"])

        self.new_id = {
            model: _Ids(model, self.cursor, self.vendor, self.id_fetcher).next
            for model in (
                g.Person,
                g.Name,
                g.Family,
                g.Event,
                g.Place,
                g.Source,
                g.Repository,
                g.Citation,
                g.Note,
                g.Media,
            )
        }
        kind_models = {
            PERSON: g.Person,
            FAMILY: g.Family,
            SOURCE: g.Source,
            REPOSITORY: g.Repository,
            NOTE: g.Note,
            MEDIA: g.Media,
        }
        self.kind_ids = {kind: self.new_id[model] for kind, model in kind_models.items()}
        self.xrefs: dict[str, dict[str, int]] = {kind: {} for kind in kind_models}
        self.other_xrefs: set[str] = set()  # of the extra records (SUBM, _LOC, ...)
        # This map finds ids used twice; the tokenizer's set of them would hold every id again.
        stream.check_duplicate_xrefs = False
        # Records pointed at but not (yet) defined: id → the line of the first pointer (a list
        # of every pointer's line took 70 MB while a million-person file's families were read).
        self.undefined: dict[str, dict[int, int]] = {kind: {} for kind in kind_models}
        self.places: dict[str, int] = {}
        self.place_rows: dict[int, list] = {}
        # Only for files that give them: a place's other names (PLAC.TRAN/ROMN/FONE, LANG) and
        # the GEDCOM-L location record (_LOC) a PLAC points at, with its dated names.
        self.place_variants: dict[int, dict[tuple[str, str], None]] = {}
        self.place_location: dict[int, str] = {}
        self.locations: dict[str, tuple[list[tuple], float | None, float | None]] = {}
        # Packed family<<32|person keys, compared after the stream.
        self.famc = array("q")
        self.chil = array("q")
        self.fams = array("q")
        # The living rule's evidence, gathered while reading (see write_people): the bits of
        # LivingRule.person_flags per person (packed below the id), the families with an old
        # enough event, and the own events of the person being read.
        self.living_rule = LivingRule()
        self.person_flags = array("q")
        self.person_lines = array("q")  # the record's line, in the order of person_flags
        self.old_families: set[int] = set()
        self.evidence: list = [None, None, None, False]
        self.partners = array("q")
        self.famc_info: dict[int, tuple[str, str]] = {}
        self.late_famc: list[tuple[int, str, str]] = []
        # family id → partner1 << 32 | partner2 (0 for none): a packed int is a third of a tuple.
        self.family_partners: dict[int, int] = {}
        # Search keys of the person being read (genealogy.search), and the tree's vocabulary.
        self.name_keys: set[str] = set()
        self.vocabulary: dict[str, int] = {}
        self.extra_order = 0

    # -- plumbing ------------------------------------------------------------------------------

    def _table(self, model: type, fields: list[str]) -> _Table:
        if self.dry_run:
            table: _Table = _NullTable(model, fields)
        elif connection.vendor == "postgresql":
            table = _PgTable(model, fields, self.worker)
        else:
            table = _SqliteTable(model, fields, self.cursor)
        self.tables.append(table)
        return table

    def flush(self, *, wait: bool = True) -> None:
        """Send every table's rows; with ``wait``, until PostgreSQL has them all."""
        for table in self.tables:
            table.flush()
        if wait:
            self.wait()

    def wait(self) -> None:
        """Until every row sent is written: before a statement of the main thread reads or
        changes them (the COPY thread and a query cannot share the connection either)."""
        if self.worker is not None:
            self.worker.sync()

    def close(self, *, discard: bool = False) -> None:
        if self.held_people is not None:
            self.held_people.close()
        if self.worker is not None:
            self.worker.close(discard=discard)
        if self.id_fetcher is not None:
            self.id_fetcher.close()

    def warn(self, line: int, message: str, kind: str) -> None:
        if len(self.warnings) < MAX_OWN_WARNINGS:
            self.warnings.append({"line": line, "message": message, "kind": kind})
        else:
            self.suppressed += 1

    def cut(self, value: str | None, limit: int, line: int, what: str) -> str:
        if not value:
            return ""
        if len(value) > limit:
            self.warn(line, f"The {what} was cut to {limit} characters.", KIND_CUT)
            return value[:limit]
        return value

    def define(self, kind: str, node: Node) -> tuple[int, str]:
        """The id of the record ``node`` defines, and the xref to store (blank for duplicates
        and records without one)."""
        # The maps are keyed by the xref as the tokenizer read it, "@I1@" (no sliced copies).
        key = node.xref
        if not key:
            self.report.records_without_xref += 1
            return self.kind_ids[kind](), ""
        known = self.xrefs[kind]
        record_id = known.get(key)
        if record_id is None:
            if self.defined_elsewhere(key, kind):
                self.duplicate(node)
            record_id = self.kind_ids[kind]()
            known[key] = record_id
        elif self.undefined[kind].pop(record_id, None) is None:
            # Defined twice: the first keeps the xref and the pointers.
            self.duplicate(node)
            return self.kind_ids[kind](), ""
        xref = key[1:-1]
        if len(xref) > 64:
            self.warn(node.line, f"The id @{xref}@ was cut to 64 characters.", KIND_CUT)
            xref = xref[:64]
        return record_id, xref

    def defined_elsewhere(self, key: str, kind: str | None) -> bool:
        """Whether a record of another kind (or an extra record) already has the xref ``key``."""
        for other, known in self.xrefs.items():
            if other != kind:
                record_id = known.get(key)
                if record_id is not None and record_id not in self.undefined[other]:
                    return True
        return key in self.other_xrefs

    def duplicate(self, node: Node) -> None:
        """The duplicate-id warning, given here rather than by the tokenizer (see __init__)."""
        self.warn(
            node.line, f"The id {node.xref} is used by an earlier record too.", KIND_DUPLICATE_XREF
        )

    def ref(self, kind: str, node: Node) -> int | None:
        """The id a pointer node names (assigned now if the record comes later); None for
        @VOID@ and for text that is not a pointer."""
        key = _pointer(node.value)
        if key is None:
            return None
        known = self.xrefs[kind]
        record_id = known.get(key)
        if record_id is None:
            record_id = self.kind_ids[kind]()
            known[key] = record_id
            self.undefined[kind][record_id] = node.line
        return record_id

    # -- the stream ----------------------------------------------------------------------------

    def run(self, progress: Callable[[int, int], None] | None) -> None:
        handlers = {
            "INDI": self.person,
            "FAM": self.family,
            "SOUR": self.source,
            "REPO": self.repository,
            "NOTE": self.note_record,
            "SNOTE": self.note_record,
            "OBJE": self.media_record,
            "_LOC": self.location_record,
        }
        stream = self.stream
        total = stream.total_bytes or 0
        last = time.monotonic()
        for count, record in enumerate(stream, start=1):
            handler = handlers.get(record.tag)
            if handler is None:
                self.extra_record(record)
            else:
                handler(record)
            if count % 2000 == 0:
                self.maybe_flush()
                if progress is not None:
                    now = time.monotonic()
                    if now - last >= PROGRESS_SECONDS:
                        last = now
                        progress(stream.bytes_read, total)
        # PostgreSQL catches up with the rows sent while Python goes on with the checks and
        # the living flags: the statements that touch written rows wait for it (self.wait).
        self.write_places()
        self.write_name_tokens()
        self.flush(wait=False)
        self.finish_links()
        self.drop_broken_pointers()
        self.flush(wait=False)
        self.find_loops()
        self.write_people()
        if progress is not None:
            progress(stream.bytes_read, total or stream.bytes_read)

    def write_people(self) -> None:
        """Write the held-back people with their living flags, now that every family and
        child link of the file is known, then refresh the planner's statistics."""
        dead = array("q", self.dead_people())
        self.held_people.release(dead, self.maybe_flush)
        if self.dry_run:
            return
        self.flush()
        _refresh_statistics([t.model for t in self.tables], self.report.individuals)

    def dead_people(self) -> list[int]:
        """The people the evidence shows to be dead (LivingRule, the in-memory form of the
        set-wise SQL that recomputes the flags of stored trees), ascending."""
        undefined_families = self.undefined[FAMILY]
        return self.living_rule.dead_ids(
            _PersonBits(self.person_flags, *self.person_span()),
            _Partners(self.family_partners, undefined_families),
            _ChildLinks(self.chil, self.undefined[PERSON], undefined_families),
            self.old_families,
        )

    def maybe_flush(self) -> None:
        if self.dry_run:
            return
        for table in self.tables:
            if isinstance(table, _PgTable):
                if table.size > COPY_BATCH_CHARS:
                    table.flush()
            elif len(table.rows) >= BATCH_ROWS:
                table.flush()

    # -- records -------------------------------------------------------------------------------

    def record_columns(self, record_id: int, xref: str, resn: str, extra: list) -> tuple:
        """The columns every GEDCOM record table starts with (the fields of GedcomRecord)."""
        return (
            record_id,
            self.tree_id,
            xref,
            self.public_id(),
            resn in ("confidential", "privacy"),
            resn,
            _dumps(extra),
        )

    def person(self, node: Node) -> None:
        person_id, xref = self.define(PERSON, node)
        self.report.individuals += 1
        sex = "U"
        resn = ""
        extra: list = []
        name_order = 0
        event_order = 0
        self.name_keys = keys = set()
        born = died = None  # (rank, year): a birth beats a christening, a death a burial
        # The earliest end of the dated births, deaths and of all events, and any death.
        evidence = self.evidence = [None, None, None, False]
        for child in node.children:
            tag = child.tag
            if tag == "NAME" or tag == "_MARNM":
                self.name(child, person_id, name_order)
                name_order += 1
            elif tag in INDI_EVENTS:
                jdn = self.event(child, event_order, person=person_id)
                event_order += 1
                if jdn is not None:
                    rank = _BIRTH_RANK.get(tag)
                    if rank is not None and (born is None or rank < born[0]):
                        born = (rank, _jdn_year(jdn))
                    rank = _DEATH_RANK.get(tag)
                    if rank is not None and (died is None or rank < died[0]):
                        died = (rank, _jdn_year(jdn))
            elif tag == "SEX":
                value = (child.value or "").strip().upper()[:1]
                if value in ("M", "F", "X", "U") and not child.children:
                    sex = value
                else:
                    extra.append(_tree_list(child))
            elif tag == "FAMC":
                self.person_famc(child, person_id, extra)
            elif tag == "FAMS":
                family_id = self.ref(FAMILY, child)
                if family_id is not None:
                    self.fams.append(family_id << _SHIFT | person_id)
                if child.children:
                    extra.append(_tree_list(child))  # kept whole; the FAMS line is derived
            elif tag == "SOUR":
                self.citation(child, "person", person_id, extra)
            elif tag == "NOTE" or tag == "SNOTE":
                self.note_link(child, "person", person_id, extra)
            elif tag == "OBJE":
                self.media_link(child, "person", person_id, extra)
            elif tag == "RESN":
                resn = self.restriction(child, extra)
            else:
                extra.append(_tree_list(child))
        vocabulary = self.vocabulary  # counted here: Counter.update is Python code
        for key in keys:
            if key[0] != STEM_MARK:
                vocabulary[key] = vocabulary.get(key, 0) + 1
        row = (
            *self.record_columns(person_id, xref, resn, extra),
            sex,
            serialize_tokens(keys),
            born[1] if born is not None else None,
            died[1] if died is not None else None,
        )
        flags = self.living_rule.person_flags(*evidence)
        self.person_flags.append(person_id << 16 | flags)
        self.person_lines.append(node.line)
        living = LivingRule.living_by_own(flags)
        if living is None:
            self.held_people.add(row)
        else:  # PostgreSQL indexes them while the file is read, not after it
            self.t_person.add((*row, living))

    def restriction(self, node: Node, extra: list) -> str:
        """The restriction a RESN line sets. A value the field cannot hold as written (7.0 allows
        "CONFIDENTIAL, LOCKED") is kept verbatim in ``extra`` and the strongest value drives
        privacy; the exporter then writes the verbatim line instead of the field."""
        values = [RESTRICTIONS.get(v.strip().lower()) for v in (node.value or "").split(",")]
        values = [v for v in values if v]
        if not values or len(values) > 1 or node.children:
            extra.append(_tree_list(node))
            for strongest in ("privacy", "confidential", "locked"):
                if strongest in values:
                    return strongest
            return ""
        return values[0]

    def person_famc(self, node: Node, person_id: int, extra: list) -> None:
        family_id = self.ref(FAMILY, node)
        if family_id is None:
            extra.append(_tree_list(node))
            return
        self.famc.append(family_id << _SHIFT | person_id)
        pedigree = ""
        rest: list = []
        for child in node.children:
            if child.tag == "PEDI" and not pedigree and not child.children:
                pedigree = PEDIGREES.get((child.value or "").strip().lower(), "")
                if not pedigree or (pedigree == Pedigree.BIRTH and (child.value or "") != "birth"):
                    rest.append(_tree_list(child))
            else:
                rest.append(_tree_list(child))
        if pedigree or rest:
            info = (pedigree, _dumps(rest))
            key = family_id << _SHIFT | person_id
            if family_id in self.undefined[FAMILY]:
                self.famc_info[key] = info
            else:  # the family came first: its CHIL row is written, update it at the end
                self.late_famc.append((key, *info))

    def name(self, node: Node, person_id: int, order: int, variant_of: int | None = None) -> int:
        name_id = self.new_id[g.Name]()
        self.report.names += 1
        value = node.value or ""
        given, surname, suffix = _split_name(value)
        prefix = surname_prefix = nickname = custom_type = language = ""
        tag = node.tag
        if tag == "FONE":
            name_type = NameType.PHONETIC
        elif tag == "ROMN":
            name_type = NameType.ROMANIZED
        elif tag == "TRAN":
            name_type = NameType.TRANSLATION
        elif tag == "_MARNM":
            name_type = NameType.MARRIED
            if "/" not in value and " " not in value.strip():
                given, surname = "", value.strip()
        else:
            name_type = NameType.BIRTH
        extra: list = []
        variants: list[Node] = []
        line = node.line
        for child in node.children:
            ctag = child.tag
            cvalue = child.value or ""
            if ctag == "GIVN":
                given = cvalue
            elif ctag == "SURN":
                surname = cvalue
            elif ctag == "NPFX":
                prefix = cvalue
            elif ctag == "NSFX":
                suffix = cvalue
            elif ctag == "SPFX":
                surname_prefix = cvalue
            elif ctag == "NICK":
                nickname = cvalue
            elif ctag == "TYPE":
                custom_type = cvalue
                if tag == "NAME" or tag == "_MARNM":
                    name_type = NAME_TYPES.get(cvalue.strip().lower(), NameType.OTHER)
            elif ctag == "LANG" and tag != "NAME":
                language = cvalue
            elif ctag in ("FONE", "ROMN", "TRAN") and variant_of is None:
                variants.append(child)
            elif ctag == "SOUR":
                self.citation(child, "name", name_id, extra)
            elif ctag == "NOTE" or ctag == "SNOTE":
                self.note_link(child, "name", name_id, extra)
            else:
                extra.append(_tree_list(child))
        patronymic = ""
        # Russian and Kazakh programs write the patronymic into GIVN too ("Олег Игоревич"); it
        # is split off either way, so a file and its export read the same.
        if given and " " in given:
            first, _, last = given.rpartition(" ")
            if len(last) > 4 and _PATRONYMIC.search(last):
                given, patronymic = first, last
        script, guessed = _script_language(value or f"{given} {surname}", self.default_cyrillic)
        self.name_keys |= name_tokens(
            (value.replace("/", " "), given, surname, patronymic, nickname)
        )
        self.t_name.add(
            (
                name_id,
                person_id,
                self.tree_id,
                order,
                variant_of,
                tag,
                name_type,
                self.cut(custom_type, 255, line, "name type"),
                language or guessed,
                script,
                value,
                self.cut(given, 255, line, "given name"),
                self.cut(surname, 255, line, "surname"),
                self.cut(patronymic, 255, line, "patronymic"),
                self.cut(prefix, 255, line, "prefix"),
                self.cut(surname_prefix, 255, line, "surname prefix"),
                self.cut(suffix, 255, line, "suffix"),
                self.cut(nickname, 255, line, "nickname"),
                "",
                "",
                False,
                _dumps(extra),
            )
        )
        for index, variant in enumerate(variants):
            self.name(variant, person_id, order * 100 + index + 1, variant_of=name_id)
        return name_id

    def event(
        self, node: Node, order: int, *, person: int | None = None, family: int | None = None
    ) -> int | None:
        """Write one event; return its date's first day (JDN) when the date reads."""
        event_id = self.new_id[g.Event]()
        self.report.events += 1
        tag = node.tag
        line = node.line
        event_type = tag
        custom_type = ""
        resn = ""
        date_phrase = modifier = calendar = ""
        start = end = sort = None
        valid = True
        place_id = None
        age = cause = ""
        extra: list = []
        for child in node.children:
            ctag = child.tag
            if ctag == "DATE":
                date_phrase = child.value or ""
                phrase = None
                rest = []
                for sub in child.children:
                    if sub.tag == "PHRASE" and phrase is None:
                        phrase = sub.value or ""
                        rest.append(_tree_list(sub))
                    else:
                        rest.append(_tree_list(sub))
                if rest:
                    extra.append(["+DATE", None, rest])
                if date_phrase or phrase:
                    parsed = parse_date(date_phrase, phrase=phrase)
                    # _value_, not the value property: a Python call each, compiled or not
                    modifier = parsed.modifier._value_
                    calendar = parsed.calendar._value_
                    start, end, sort = parsed.start_jdn, parsed.end_jdn, parsed.sort_key
                    if start is not None and end is not None and start > end:
                        start, end = end, start
                    valid = parsed.is_valid
                    if not valid:
                        self.warn(
                            child.line,
                            f"The date {date_phrase!r} could not be read; it is kept as written.",
                            KIND_DATE,
                        )
                    if len(date_phrase) > 255:
                        date_phrase = self.cut(date_phrase, 255, child.line, "date")
            elif ctag == "PLAC":
                place_id = self.place(child, extra)
            elif ctag == "TYPE" and not custom_type:
                custom_type = child.value or ""
                if child.children:
                    extra.append(["+TYPE", None, [_tree_list(c) for c in child.children]])
            elif ctag == "AGE" and not age:
                age = self.cut(child.value, 64, child.line, "age")
                if child.children:
                    extra.append(["+AGE", None, [_tree_list(c) for c in child.children]])
            elif ctag == "CAUS" and not cause:
                cause = child.value or ""
                if child.children:
                    extra.append(["+CAUS", None, [_tree_list(c) for c in child.children]])
            elif ctag == "SOUR":
                self.citation(child, "event", event_id, extra)
            elif ctag == "NOTE" or ctag == "SNOTE":
                self.note_link(child, "event", event_id, extra)
            elif ctag == "OBJE":
                self.media_link(child, "event", event_id, extra)
            elif ctag == "ASSO":
                self.association(child, event_id, extra)
            elif ctag == "RESN":
                resn = self.restriction(child, extra)
            else:
                extra.append(_tree_list(child))
        if tag == "EVEN" or tag == "FACT":
            special = CUSTOM_EVENT_TYPES.get(custom_type.strip().lower())
            if special is not None:
                event_type = special
            elif tag == "EVEN":
                event_type = EventType.CUSTOM
        if len(custom_type) > 255:
            custom_type = self.cut(custom_type, 255, line, "event type")
        private = resn in ("confidential", "privacy")
        self.t_event.add(
            (
                event_id,
                self.tree_id,
                "",
                self.public_id(),
                private,
                resn,
                _dumps(extra),
                event_type,
                custom_type,
                node.value or "",
                date_phrase,
                modifier,
                calendar,
                start,
                end,
                sort,
                valid,
                place_id,
                age,
                cause,
                "",
                order,
            )
        )
        if person is not None:
            self.t_participant.add(
                (event_id, person, None, self.tree_id, ParticipantRole.PRIMARY, "", "[]")
            )
        else:
            self.t_participant.add(
                (event_id, None, family, self.tree_id, ParticipantRole.FAMILY, "", "[]")
            )
        if person is not None:
            evidence = self.evidence
            if event_type in DEATH_EVENT_TYPES:
                evidence[3] = True
            if end is not None:
                if evidence[2] is None or end < evidence[2]:
                    evidence[2] = end
                if event_type in _BIRTH_TYPES:
                    if evidence[0] is None or end < evidence[0]:
                        evidence[0] = end
                elif event_type in DEATH_EVENT_TYPES and (evidence[1] is None or end < evidence[1]):
                    evidence[1] = end
        elif self.living_rule.family_is_old(end):
            self.old_families.add(family)
        if not valid or private:
            return None
        return start if start is not None else end

    def association(self, node: Node, event_id: int, extra: list) -> None:
        person_id = self.ref(PERSON, node)
        if person_id is None:
            extra.append(_tree_list(node))
            return
        role = ParticipantRole.OTHER
        role_phrase = ""
        rest: list = []
        for child in node.children:
            if child.tag == "ROLE":
                value = (child.value or "").strip()
                role = ROLES.get(value.upper(), ParticipantRole.OTHER)
                role_phrase = value
                rest.extend(_tree_list(c) for c in child.children)
            elif child.tag == "RELA":  # 5.5.1 wording
                role_phrase = child.value or ""
                role = ROLES.get(role_phrase.upper(), ParticipantRole.OTHER)
            else:
                rest.append(_tree_list(child))
        self.t_participant.add(
            (
                event_id,
                person_id,
                None,
                self.tree_id,
                role,
                self.cut(role_phrase, 255, node.line, "role"),
                _dumps(rest),
            )
        )

    def place(self, node: Node, extra: list) -> int | None:
        full = node.value or ""
        rest = []
        latitude = longitude = None
        variants: list[tuple[str, str]] = []
        language = location = None
        for child in node.children:
            tag = child.tag
            if tag == "MAP" and latitude is None:
                latitude = _coordinate(child.value_at("LATI"), "N", "S", 90)
                longitude = _coordinate(child.value_at("LONG"), "E", "W", 180)
                if latitude is None or longitude is None:
                    rest.append(_tree_list(child))
                continue
            # The rest is kept as written (the exporter writes it back); names and the
            # location record are read from it besides.
            rest.append(_tree_list(child))
            if tag in _PLACE_VARIANTS and child.value and child.value.strip():
                variant_language = child.value_at("LANG") or child.value_at("TYPE") or ""
                variants.append((child.value.strip(), variant_language.strip()))
            elif tag == "LANG" and language is None:
                language = (child.value or "").strip()
            elif tag == "_LOC" and location is None:
                location = _pointer(child.value)
        if rest:
            extra.append(["+PLAC", None, rest])
        if not full.strip():
            return None
        place_id = self.place_for(full, node.line)
        if latitude is not None and longitude is not None:
            row = self.place_rows[place_id]
            if row[2] is None:
                row[2], row[3] = latitude, longitude
        if variants or language:
            names = self.place_variants.setdefault(place_id, {})
            own = full.strip()
            if language:
                names.pop((own, ""), None)
                names[(own, language)] = None
            elif not any(text == own for text, _language in names):
                names[(own, "")] = None
            for variant in variants:
                names[variant] = None
        if location is not None:
            self.place_location.setdefault(place_id, location)
        return place_id

    def location_record(self, node: Node) -> None:
        """A GEDCOM-L location record (``0 @L1@ _LOC``: NAMEs with DATE and LANG, MAP): kept
        whole as an extra record, and read for the names and coordinates of the places that
        point at it."""
        self.extra_record(node)
        if not node.xref:
            return
        names = []
        latitude = longitude = None
        for child in node.children:
            if child.tag == "NAME" and child.value and child.value.strip():
                phrase = (child.value_at("DATE") or "").strip()
                start = end = None
                if phrase:
                    parsed = parse_date(phrase)
                    if parsed.is_valid:
                        start, end = parsed.start_jdn, parsed.end_jdn
                language = (child.value_at("LANG") or "").strip()
                names.append((child.value.strip(), language, phrase, start, end))
            elif child.tag == "MAP" and latitude is None:
                latitude = _coordinate(child.value_at("LATI"), "N", "S", 90)
                longitude = _coordinate(child.value_at("LONG"), "E", "W", 180)
        self.locations[node.xref] = (names, latitude, longitude)

    def place_for(self, full: str, line: int) -> int:
        place_id = self.places.get(full)
        if place_id is not None:
            return place_id
        parts = [part.strip() for part in full.split(",")]
        key = ", ".join(parts)
        place_id = self.places.get(key)
        if place_id is None:
            place_id = self.new_id[g.Place]()
            self.places[key] = place_id
            name = next((part for part in parts if part), full.strip())
            self.place_rows[place_id] = [self.cut(name, 255, line, "place name"), full, None, None]
            index = parts.index(name) if name in parts else 0
            parent = parts[index + 1 :]
            if any(parent):
                parent_id = self.place_for(", ".join(parent), line)
                if parent_id != place_id:
                    self.t_place_parent.add((place_id, parent_id, self.tree_id, "", None, None))
        self.places[full] = place_id
        return place_id

    def write_places(self) -> None:
        add = self.t_place.add
        add_name = self.t_place_name.add
        tree_id = self.tree_id
        for place_id, (name, full, latitude, longitude) in self.place_rows.items():
            words = [name]
            names = self.place_variants.get(place_id)
            location = self.locations.get(self.place_location.get(place_id, ""))
            if location is not None:
                dated, location_latitude, location_longitude = location
                if latitude is None and location_latitude is not None:
                    latitude, longitude = location_latitude, location_longitude
                for text, language, phrase, start, end in dated:
                    add_name(
                        (place_id, tree_id, text[:255], language[:35], phrase[:255], start, end)
                    )
                    words.append(text)
            if names:
                for text, language in names:
                    add_name((place_id, tree_id, text[:255], language[:35], "", None, None))
                    words.append(text)
            add(
                (
                    place_id,
                    self.tree_id,
                    "",
                    self.public_id(),
                    False,
                    "",
                    "[]",
                    name,
                    full,
                    "",
                    latitude,
                    longitude,
                    serialize_tokens(name_tokens(words)),
                )
            )
        self.report.places = len(self.place_rows)

    def write_name_tokens(self) -> None:
        """The tree's vocabulary of phonetic name keys, for autocompletion and typos."""
        add = self.t_name_token.add
        tree_id = self.tree_id
        for token, count in self.vocabulary.items():
            add((tree_id, token, count))

    def family(self, node: Node) -> None:
        family_id, xref = self.define(FAMILY, node)
        self.report.families += 1
        partner1 = partner2 = None
        resn = ""
        extra: list = []
        order = 0
        event_order = 0
        married = False
        children_seen: set[int] = set()
        for child in node.children:
            tag = child.tag
            if tag == "HUSB" or tag == "WIFE":
                person_id = self.ref(PERSON, child)
                if (
                    person_id is None
                    or (tag == "HUSB" and partner1 is not None)
                    or (tag == "WIFE" and partner2 is not None)
                ):
                    extra.append(_tree_list(child))
                    continue
                if person_id in (partner1, partner2):
                    self.warn(
                        child.line,
                        f"{child.value} is both partners of a family; the second link was dropped.",
                        KIND_LINK,
                    )
                    continue
                if tag == "HUSB":
                    partner1 = person_id
                else:
                    partner2 = person_id
                self.partners.append(family_id << _SHIFT | person_id)
                if child.children:
                    extra.append(["+" + tag, None, [_tree_list(c) for c in child.children]])
            elif tag == "CHIL":
                person_id = self.ref(PERSON, child)
                if person_id is None:
                    extra.append(_tree_list(child))
                    continue
                if person_id in children_seen:
                    self.warn(
                        child.line,
                        f"The child {child.value} is listed twice in one "
                        "family; the second link was dropped.",
                        KIND_LINK,
                    )
                    continue
                children_seen.add(person_id)
                self.child_link(family_id, person_id, order, child)
                order += 1
            elif tag in FAM_EVENTS:
                married = married or tag in MARRIAGE_TAGS
                self.event(child, event_order, family=family_id)
                event_order += 1
            elif tag == "SOUR":
                self.citation(child, "family", family_id, extra)
            elif tag == "NOTE" or tag == "SNOTE":
                self.note_link(child, "family", family_id, extra)
            elif tag == "OBJE":
                self.media_link(child, "family", family_id, extra)
            elif tag == "RESN":
                resn = self.restriction(child, extra)
            else:
                extra.append(_tree_list(child))
        self.family_partners[family_id] = (partner1 or 0) << _SHIFT | (partner2 or 0)
        self.t_family.add(
            (
                *self.record_columns(family_id, xref, resn, extra),
                partner1,
                partner2,
                g.FamilyRelationship.MARRIED if married else g.FamilyRelationship.UNKNOWN,
            )
        )

    def child_link(self, family_id: int, person_id: int, order: int, node: Node | None) -> None:
        key = family_id << _SHIFT | person_id
        self.chil.append(key)
        self.report.child_links += 1
        pedigree1 = pedigree2 = ""
        extra: list = []
        if node is not None:
            for sub in node.children:
                if sub.tag in ("_FREL", "_MREL"):
                    value = PEDIGREES.get((sub.value or "").strip().lower(), Pedigree.UNKNOWN)
                    if sub.tag == "_FREL":
                        pedigree1 = value
                    else:
                        pedigree2 = value
                extra.append(_tree_list(sub))
        pedigree, famc_extra = self.famc_info.pop(key, ("", "[]"))
        self.t_child.add(
            (
                family_id,
                person_id,
                self.tree_id,
                order,
                pedigree1 or pedigree or Pedigree.BIRTH,
                pedigree2 or pedigree or Pedigree.BIRTH,
                False,
                _dumps(extra),
                famc_extra,
            )
        )

    def citation(self, node: Node, target: str, target_id: int, extra: list) -> None:
        value = node.value
        if _is_pointer_or_void(value):
            source_id = self.ref(SOURCE, node)
            if source_id is None:  # @VOID@
                extra.append(_tree_list(node))
                return
        else:  # a 5.5.1 source written inline: it becomes a source of its own
            source_id = self.new_id[g.Source]()
            self.report.sources += 1
            text_lines = [c.value or "" for c in node.children if c.tag == "TEXT"]
            self.t_source.add(
                (
                    source_id,
                    self.tree_id,
                    "",
                    self.public_id(),
                    False,
                    "",
                    "[]",
                    value or "",
                    "",
                    "",
                    "",
                    "\n".join(text_lines),
                )
            )
        citation_id = self.new_id[g.Citation]()
        self.report.citations += 1
        page = date_phrase = text = ""
        quality = None
        rest: list = []
        for child in node.children:
            tag = child.tag
            if tag == "PAGE" and not page:
                page = child.value or ""
            elif (
                tag == "QUAY"
                and quality is None
                and not child.children
                and (child.value or "").strip() in ("0", "1", "2", "3")
            ):
                quality = int(child.value.strip())
            elif tag == "DATA" and child.children and not child.value:
                for sub in child.children:
                    if sub.tag == "DATE" and not date_phrase and not sub.children:
                        date_phrase = sub.value or ""
                    elif sub.tag == "TEXT" and not text and not sub.children:
                        text = sub.value or ""
                    else:
                        rest.append(["+DATA", None, [_tree_list(sub)]])
            elif tag == "TEXT" and _is_pointer_or_void(value) is False:
                continue  # inline source text, taken above
            elif tag == "NOTE" or tag == "SNOTE":
                self.note_link(child, "citation", citation_id, rest)
            elif tag == "OBJE":
                self.media_link(child, "citation", citation_id, rest)
            else:
                rest.append(_tree_list(child))
        targets = {"person": None, "family": None, "event": None, "name": None}
        targets[target] = target_id
        self.t_citation.add(
            (
                citation_id,
                source_id,
                self.tree_id,
                self.public_id(),
                page,
                quality,
                self.cut(date_phrase, 255, node.line, "citation date"),
                text,
                0,
                targets["person"],
                targets["family"],
                targets["event"],
                targets["name"],
                False,
                _dumps(rest),
            )
        )
        if page and _ARCHIVE_HINT.search(page):
            self.archival(page, citation=citation_id)

    def archival(
        self,
        text: str,
        *,
        source: int | None = None,
        citation: int | None = None,
        repository: int | None = None,
    ) -> bool:
        parsed = _parse_archival(text)
        if parsed is None:
            return False
        self.t_archival.add(
            (
                self.tree_id,
                repository,
                source,
                citation,
                parsed.archive[:255],
                parsed.fond[:32],
                parsed.inventory[:32],
                parsed.file[:32],
                parsed.sheets[:64],
                parsed.verso,
                text,
            )
        )
        return True

    def note_link(self, node: Node, target: str, target_id: int, extra: list) -> None:
        value = node.value
        if _is_pointer_or_void(value):
            note_id = self.ref(NOTE, node)
            if note_id is None:
                extra.append(_tree_list(node))
                return
            if node.children:
                extra.append(_tree_list(node))  # a pointer with substructures: kept as written
                return
        else:
            note_id = self.new_id[g.Note]()
            self.report.notes += 1
            rest: list = []
            mime = language = ""
            for child in node.children:
                if child.tag == "MIME" and not mime:
                    mime = child.value or ""
                elif child.tag == "LANG" and not language:
                    language = child.value or ""
                else:
                    rest.append(_tree_list(child))
            self.t_note.add(
                (
                    note_id,
                    self.tree_id,
                    "",
                    self.public_id(),
                    False,
                    "",
                    _dumps(rest),
                    value or "",
                    False,
                    mime[:64],
                    language[:35],
                )
            )
        row = [note_id, self.tree_id, 0] + [None] * len(self.link_targets)
        row[3 + self.link_targets.index(target)] = target_id
        self.t_note_link.add(tuple(row))

    def media_link(self, node: Node, target: str, target_id: int, extra: list) -> None:
        rest: list = []
        if _is_pointer_or_void(node.value):
            media_id = self.ref(MEDIA, node)
            if media_id is None:
                extra.append(_tree_list(node))
                return
            rest = [_tree_list(c) for c in node.children]
        else:
            media_id = self.new_id[g.Media]()
            self.report.media += 1
            self.media_row(media_id, "", node, shared=False)
        row = [media_id, self.tree_id, 0] + [None] * len(self.media_targets)
        row[3 + self.media_targets.index(target)] = target_id
        row.append(_dumps(rest))
        self.t_media_link.add(tuple(row))

    def media_row(self, media_id: int, xref: str, node: Node, *, shared: bool) -> None:
        file = form = title = ""
        resn = ""
        extra: list = []
        file_seen = False
        for child in node.children:
            tag = child.tag
            if tag == "FILE" and not file_seen:
                file_seen = True
                file = child.value or ""
                for sub in child.children:
                    if sub.tag == "FORM" and not form and not sub.children:
                        form = sub.value or ""
                    elif sub.tag == "TITL" and not title and not sub.children:
                        title = sub.value or ""
                    else:
                        extra.append(["+FILE", None, [_tree_list(sub)]])
            elif tag == "FORM" and not form and not child.children:  # 5.5 layout
                form = child.value or ""
                extra.append(["=FORM", None])
            elif tag == "TITL" and not title and not child.children:
                title = child.value or ""
                extra.append(["=TITL", None])
            elif tag == "RESN":
                resn = self.restriction(child, extra)
            elif shared and tag in ("NOTE", "SNOTE"):
                extra.append(_tree_list(child))
            else:
                extra.append(_tree_list(child))
        self.t_media.add(
            (
                *self.record_columns(media_id, xref, resn, extra),
                file,
                self.cut(form, 64, node.line, "media format"),
                title,
                shared,
            )
        )

    def media_record(self, node: Node) -> None:
        media_id, xref = self.define(MEDIA, node)
        self.report.media += 1
        self.media_row(media_id, xref, node, shared=True)

    def note_record(self, node: Node) -> None:
        note_id, xref = self.define(NOTE, node)
        self.report.notes += 1
        extra: list = []
        mime = language = resn = ""
        for child in node.children:
            if child.tag == "MIME" and not mime:
                mime = child.value or ""
            elif child.tag == "LANG" and not language:
                language = child.value or ""
            elif child.tag == "RESN":
                resn = self.restriction(child, extra)
            else:
                extra.append(_tree_list(child))
        self.t_note.add(
            (
                *self.record_columns(note_id, xref, resn, extra),
                node.value or "",
                True,
                mime[:64],
                language[:35],
            )
        )

    def source(self, node: Node) -> None:
        source_id, xref = self.define(SOURCE, node)
        self.report.sources += 1
        fields = {"TITL": "", "AUTH": "", "PUBL": "", "ABBR": "", "TEXT": ""}
        extra: list = []
        resn = ""
        first_repository = None
        parsed_any = False
        for child in node.children:
            tag = child.tag
            if tag in fields and not fields[tag]:
                fields[tag] = child.value or ""
                if child.children:
                    extra.append(["+" + tag, None, [_tree_list(c) for c in child.children]])
            elif tag == "REPO":
                repository_id = self.ref(REPOSITORY, child)
                call_number = ""
                rest: list = []
                for sub in child.children:
                    if sub.tag == "CALN" and not call_number:
                        call_number = sub.value or ""
                        if sub.children:
                            rest.append(["+CALN", None, [_tree_list(c) for c in sub.children]])
                    else:
                        rest.append(_tree_list(sub))
                if (
                    repository_id is None
                    and _pointer(child.value) is None
                    and (child.value and child.value != "@VOID@")
                ):
                    rest.insert(0, ["=VALUE", child.value])
                self.t_repo_ref.add(
                    (
                        source_id,
                        repository_id,
                        self.tree_id,
                        self.cut(call_number, 255, child.line, "call number"),
                        _dumps(rest),
                    )
                )
                first_repository = first_repository or repository_id
                if call_number:
                    parsed_any = (
                        self.archival(call_number, source=source_id, repository=repository_id)
                        or parsed_any
                    )
            elif tag == "NOTE" or tag == "SNOTE":
                self.note_link(child, "source", source_id, extra)
            elif tag == "OBJE":
                self.media_link(child, "source", source_id, extra)
            elif tag == "RESN":
                resn = self.restriction(child, extra)
            else:
                extra.append(_tree_list(child))
        if not parsed_any and fields["TITL"] and _ARCHIVE_HINT.search(fields["TITL"]):
            self.archival(fields["TITL"], source=source_id, repository=first_repository)
        self.t_source.add(
            (
                *self.record_columns(source_id, xref, resn, extra),
                fields["TITL"],
                fields["AUTH"],
                fields["PUBL"],
                self.cut(fields["ABBR"], 255, node.line, "abbreviation"),
                fields["TEXT"],
            )
        )

    def repository(self, node: Node) -> None:
        repository_id, xref = self.define(REPOSITORY, node)
        self.report.repositories += 1
        name = address = ""
        extra: list = []
        for child in node.children:
            if child.tag == "NAME" and not name:
                name = child.value or ""
                if child.children:
                    extra.append(["+NAME", None, [_tree_list(c) for c in child.children]])
            elif child.tag == "ADDR" and not address:
                address = child.value or ""
                if child.children:
                    extra.append(["+ADDR", None, [_tree_list(c) for c in child.children]])
                elif not address:
                    extra.append(_tree_list(child))
            else:
                extra.append(_tree_list(child))
        self.t_repository.add(
            (
                repository_id,
                self.tree_id,
                xref,
                self.public_id(),
                False,
                "",
                _dumps(extra),
                self.cut(name, 255, node.line, "repository name"),
                "",
                address,
            )
        )

    def extra_record(self, node: Node) -> None:
        if node.xref:
            if self.defined_elsewhere(node.xref, None):
                self.duplicate(node)
            self.other_xrefs.add(node.xref)
        xref = node.xref[1:-1] if node.xref else ""
        self.report.other_records += 1
        if not xref:
            self.report.records_without_xref += 1
        self.t_extra.add(
            (
                self.tree_id,
                self.extra_order,
                xref[:64],
                node.tag[:64],
                node.value or "",
                _dumps([_tree_list(c) for c in node.children]),
            )
        )
        self.extra_order += 1

    # -- after the stream ----------------------------------------------------------------------

    def finish_links(self) -> None:
        """Links a file states only from the person's side: a FAMC without the family's CHIL
        becomes a child link, a FAMS without HUSB/WIFE fills an empty partner slot."""
        undefined_families = self.undefined[FAMILY]
        undefined_people = self.undefined[PERSON]
        mask = (1 << _SHIFT) - 1
        late = {key: (pedigree, extra) for key, pedigree, extra in self.late_famc}
        base, span = self.person_span()
        missing_children = _missing(self.famc, self.chil, base, span)
        orders: dict[int, int] = {}
        for key in sorted(missing_children):
            family_id, person_id = key >> _SHIFT, key & mask
            if family_id in undefined_families or person_id in undefined_people:
                continue
            info = self.famc_info.pop(key, None) or late.pop(key, None) or ("", "[]")
            order = orders[family_id] = orders.get(family_id, 999) + 1
            self.chil.append(key)
            self.report.child_links += 1
            pedigree = info[0] or Pedigree.BIRTH
            self.t_child.add(
                (
                    family_id,
                    person_id,
                    self.tree_id,
                    order,
                    pedigree,
                    pedigree,
                    False,
                    "[]",
                    info[1],
                )
            )
        self.flush(wait=False)
        if late and not self.dry_run:
            self.wait()
            table = connection.ops.quote_name(g.ChildLink._meta.db_table)
            for key, (pedigree, extra) in late.items():
                family_id, person_id = key >> _SHIFT, key & mask
                if pedigree:
                    self.cursor.execute(
                        f"UPDATE {table} SET pedigree1 = %s, pedigree2 = %s, famc_extra = %s "  # noqa: S608
                        "WHERE family_id = %s AND child_id = %s",
                        [pedigree, pedigree, extra, family_id, person_id],
                    )
                else:
                    self.cursor.execute(
                        f"UPDATE {table} SET famc_extra = %s "  # noqa: S608
                        "WHERE family_id = %s AND child_id = %s",
                        [extra, family_id, person_id],
                    )
        missing_partners = _missing(self.fams, self.partners, base, span)
        if not missing_partners:
            return
        family_table = connection.ops.quote_name(g.Family._meta.db_table)
        for key in sorted(missing_partners):
            family_id, person_id = key >> _SHIFT, key & mask
            if family_id in undefined_families or person_id in undefined_people:
                continue
            packed = self.family_partners.get(family_id, 0)
            partner1, partner2 = packed >> _SHIFT, packed & mask
            if partner1 and partner2:
                self.warn(
                    0,
                    "A person lists a family as their own (FAMS) whose partners are "
                    "two others; the link was dropped.",
                    KIND_LINK,
                )
                continue
            column = "partner2_id" if partner1 else "partner1_id"
            self.family_partners[family_id] = (
                partner1 << _SHIFT | person_id if partner1 else person_id << _SHIFT | partner2
            )
            if not self.dry_run:
                self.wait()
                self.cursor.execute(
                    f"UPDATE {family_table} SET {column} = %s WHERE id = %s",  # noqa: S608
                    [person_id, family_id],
                )

    def drop_broken_pointers(self) -> None:
        """Remove every link to a record the file never defined, and say where it was."""
        fixes = {
            PERSON: [
                ("UPDATE", g.Family, "partner1"),
                ("UPDATE", g.Family, "partner2"),
                ("DELETE", g.ChildLink, "child"),
                ("DELETE", g.EventParticipant, "person"),
            ],
            FAMILY: [("DELETE", g.ChildLink, "family")],
            SOURCE: [
                ("DELETE", g.NoteLink, "citation__source"),
                ("DELETE", g.MediaLink, "citation__source"),
                ("DELETE", g.ArchivalReference, "citation__source"),
                ("DELETE", g.Citation, "source"),
            ],
            REPOSITORY: [
                ("UPDATE", g.RepositoryRef, "repository"),
                ("UPDATE", g.ArchivalReference, "repository"),
            ],
            NOTE: [("DELETE", g.NoteLink, "note")],
            MEDIA: [("DELETE", g.MediaLink, "media")],
        }
        quote = connection.ops.quote_name
        for kind, pending in self.undefined.items():
            if not pending:
                continue
            keys = {record_id: key for key, record_id in self.xrefs[kind].items()}
            for record_id, line in pending.items():
                self.warn(
                    line,
                    f"{keys[record_id]} points to no {kind} record; the link was dropped.",
                    KIND_BROKEN_POINTER,
                )
            if self.dry_run:
                continue
            self.wait()
            ids = list(pending)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                for action, model, column in fixes[kind]:
                    table = quote(model._meta.db_table)
                    if "__" in column:  # rows hanging off a citation of a missing source
                        citations = quote(g.Citation._meta.db_table)
                        where = (
                            f"citation_id IN (SELECT id FROM {citations} "  # noqa: S608
                            f"WHERE source_id IN ({marks}))"
                        )
                    else:
                        where = f"{quote(column + '_id')} IN ({marks})"
                    if action == "UPDATE":
                        sql = f"UPDATE {table} SET {quote(column + '_id')} = NULL WHERE {where}"  # noqa: S608
                    else:
                        sql = f"DELETE FROM {table} WHERE {where}"  # noqa: S608
                    self.cursor.execute(sql, chunk)
        undefined_people = self.undefined[PERSON]
        if not undefined_people:
            return
        mask = (1 << _SHIFT) - 1
        for family_id, packed in self.family_partners.items():
            partner1, partner2 = packed >> _SHIFT, packed & mask
            if partner1 in undefined_people or partner2 in undefined_people:
                self.family_partners[family_id] = (
                    0 if partner1 in undefined_people else partner1
                ) << _SHIFT | (0 if partner2 in undefined_people else partner2)

    def person_span(self) -> tuple[int, int]:
        """The smallest id of the people read and how many ids up to the largest: the ids of
        an import come from ascending blocks, so arrays indexed by id stay about one slot a
        person."""
        ids = self.person_flags
        base = min((value >> 16 for value in ids), default=0)
        return base, max((value >> 16 for value in ids), default=base - 1) - base + 1

    def find_loops(self) -> None:
        """Warn about people who are their own ancestors (parent → child edges, Kahn's
        algorithm both ways: what survives is on a cycle). The edges sit in arrays indexed by
        person id: dicts of a million people's edges took about 150 MB for a moment."""
        base, span = self.person_span()
        undefined_people = self.undefined[PERSON]
        partners = self.family_partners

        def edges() -> Iterator[tuple[int, int]]:  # (parent, child) as indexes from base
            for key in self.chil:
                child = key & _MASK
                if child in undefined_people:
                    continue
                packed = partners.get(key >> _SHIFT, 0)
                if packed >> _SHIFT:
                    yield (packed >> _SHIFT) - base, child - base
                if packed & _MASK:
                    yield (packed & _MASK) - base, child - base

        # The children of index i are targets[start[i]:start[i + 1]].
        start = array("i", bytes(4 * (span + 1)))
        indegree = array("i", bytes(4 * span))
        total = 0
        for parent, child in edges():
            start[parent + 1] += 1
            indegree[child] += 1
            total += 1
        if not total:
            return
        for index in range(span):
            start[index + 1] += start[index]
        free = array("i", start)
        targets = array("i", bytes(4 * total))
        for parent, child in edges():
            targets[free[parent]] = child
            free[parent] += 1
        del free
        stack = array("i")
        for index in range(span):
            if start[index + 1] > start[index] and not indegree[index]:
                stack.append(index)
        while stack:
            node = stack.pop()
            for position in range(start[node], start[node + 1]):
                child = targets[position]
                indegree[child] -= 1
                if not indegree[child]:
                    stack.append(child)
        left = {index for index in range(span) if indegree[index] > 0}
        if not left:
            return

        def children(node: int) -> list[int]:
            return list(targets[start[node] : start[node + 1]])

        # Peel off descendants of cycles that are not on one: nodes with no child left.
        outdegree = {node: sum(1 for c in children(node) if c in left) for node in left}
        parents: dict[int, list[int]] = {}
        for node in left:
            for child in children(node):
                if child in left:
                    parents.setdefault(child, []).append(node)
        queue = [node for node, degree in outdegree.items() if degree == 0]
        while queue:
            node = queue.pop()
            left.discard(node)
            for parent in parents.get(node, ()):
                if parent in left:
                    outdegree[parent] -= 1
                    if outdegree[parent] == 0:
                        queue.append(parent)
        if not left:
            return
        left = {index + base for index in left}
        xref_of = {pid: key for key, pid in self.xrefs[PERSON].items() if pid in left}
        lines = {
            value >> 16: line
            for value, line in zip(self.person_flags, self.person_lines, strict=True)
            if value >> 16 in left
        }
        for person_id in sorted(left):
            self.warn(
                lines.get(person_id, 0),
                f"{xref_of.get(person_id, '@@')} is their own ancestor (a loop in the parent "
                "links).",
                KIND_LOOP,
            )


# -- the service -------------------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    slug = slugify(base, allow_unicode=True)[:80] or "tree"
    candidate = slug
    number = 2
    while g.Tree.objects.filter(slug=candidate).exists():
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely while importing. An import allocates millions
    of small containers (nodes, rows) that die young without cycles, and the default
    thresholds ran the collector about 2,600 times in a 100,000-person import, over and over
    through the long-lived maps and Django's own objects: 15-20 % of the importer's time here.
    What exists before is frozen (never scanned meanwhile); memory stayed the same."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def tree_import(
    *,
    source: str | Path | IO[bytes],
    tree: g.Tree | None = None,
    slug: str,
    title: str | None = None,
    owner=None,
    visibility: str = g.Visibility.PRIVATE,
    origin_filename: str = "",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a GEDCOM file into the tree ``slug`` in one transaction and return the report.

    A tree that already has the slug (or ``tree``, if given) is replaced only once the new one
    is complete: the file goes into a new tree, then the old one is purged and the new one takes
    its slug, public id, owner, title, visibility, moderation state and licence unless given.
    ``dry_run`` reads and counts everything and writes nothing. Raises
    :class:`~importers.gedcom.errors.GedcomRefused` for files that are not GEDCOM.
    """
    started = time.monotonic()
    report = ImportReport(tree_slug=slug, dry_run=dry_run)
    if isinstance(source, str | Path) and not origin_filename:
        origin_filename = Path(source).name
    with _fewer_collections(), open_gedcom(source) as stream:
        report.version = stream.version
        report.encoding = stream.encoding
        if dry_run:
            loader = _Loader(tree_id=0, stream=stream, report=report, dry_run=True)
            loader.run(progress)
            _finish_report(report, stream, loader, started)
            return report
        with transaction.atomic():
            with connection.cursor() as cursor:
                without_jit(cursor)  # the checks and the living flags read whole tables
            old = tree or g.Tree.objects.filter(slug=slug).first()
            new = g.Tree.objects.create(
                slug=_unique_slug(f"{slug}-import"),
                title=title or (old.title if old else slug),
                owner=owner if owner is not None else (old.owner if old else None),
                visibility=visibility,
                origin_filename=origin_filename[:255],
                gedcom_version=(stream.version or "")[:16],
                encoding=(stream.encoding or "")[:32],
                header_extra=[_tree_list(c) for c in stream.header.children],
            )
            loader = _Loader(tree_id=new.pk, stream=stream, report=report, dry_run=False)
            with fk_triggers_off() as off:
                if not off and connection.vendor == "postgresql":
                    logger.warning(
                        "The database role may not set session_replication_role: PostgreSQL "
                        "checks every reference of this import one by one at commit (see "
                        "docs/operators.md, Database role)."
                    )
                # The COPY thread stops before anything else uses the connection, after an
                # error too: a statement sent beside a running COPY would wait forever.
                try:
                    loader.run(progress)
                except BaseException:
                    loader.close(discard=True)
                    raise
                loader.close()
            _check_references(new.pk, triggers_were_off=off)
            tree_after_import(new=new, old=old, living=False)  # members move to the new tree
            if old is not None:
                keep = {
                    "public_id": old.public_id,
                    "moderation_state": old.moderation_state,
                    "licence": old.licence,
                    "description": old.description,
                }
                tree_purge(tree=old)
                for name, value in keep.items():
                    setattr(new, name, value)
            new.slug = slug
            _finish_report(report, stream, loader, started)
            new.import_report = report.as_dict()
            new.save()
    return report


def _refresh_statistics(models: Iterable[type], individuals: int) -> None:
    """After an import of ``individuals`` people into ``models``' tables, refresh the planner's
    statistics where they are stale: the checks that follow plan badly on them (a place table
    counted as empty turned an anti-join into a 25-second nested loop). Sampled lightly (3,000
    rows a table instead of 30,000, a fifth of the time): these tables are joined on ids, for
    which that is plenty. The people's search keys get the full sample."""
    if not _statistics_stale(individuals):
        return
    _analyze([model for model in models if model is not g.Person], sample=10)
    _analyze((g.Person,))


def _check_references(tree_id: int, *, triggers_were_off: bool) -> None:
    """The references of the tree's rows, once they are all written: set-wise where the import
    switched the per-row triggers off, then whatever checks PostgreSQL deferred."""
    if triggers_were_off:
        _check_foreign_keys(tree_id)
    _check_constraints()


def _statistics_stale(individuals: int) -> bool:
    """Whether an import of ``individuals`` people leaves the planner's statistics stale enough
    to refresh them before it commits: on PostgreSQL, for 1,000 people or more, and for any
    import that adds more people than the statistics say the table holds (a library's first
    tree; a test database, whose statistics say empty while a test's transaction holds a demo
    tree: two place-page tests planned nested loops over it and took minutes each)."""
    if connection.vendor != "postgresql" or individuals == 0:
        return False
    return individuals >= ANALYZE_AFTER_PEOPLE or _people_in_statistics() < individuals


def _people_in_statistics() -> float:
    """The people's row count as the planner knows it (-1 before the first ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [g.Person._meta.db_table]
        )
        return cursor.fetchone()[0]


def _analyze(models: Iterable[type], *, sample: int | None = None) -> None:
    """Refresh the planner's statistics of ``models``' tables inside the import's transaction
    (ANALYZE samples the transaction's own new rows too). Without it the set-wise queries that
    follow (living flags) and the first page views plan for the tables as they were before:
    100,000 new people took the living-flag query from 6 s to 305 s here, and a person lookup
    from under 1 ms to 155 ms."""
    with connection.cursor() as cursor:
        if sample is not None:  # a statistics target of ``sample`` for these tables only
            cursor.execute("SET LOCAL default_statistics_target = %s", [sample])
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if sample is not None:
            cursor.execute("SET LOCAL default_statistics_target TO DEFAULT")


def _finish_report(report: ImportReport, stream, loader: _Loader, started: float) -> None:
    report.warnings = [
        {"line": w.line, "message": w.message, "kind": w.kind} for w in stream.warnings
    ] + loader.warnings
    report.warnings.sort(key=lambda w: w["line"])
    report.suppressed_warnings = getattr(stream, "suppressed", 0) + loader.suppressed
    report.seconds = round(time.monotonic() - started, 3)


def _check_foreign_keys(tree_id: int) -> None:
    """Every foreign key of the rows of ``tree_id`` points at a row of the same tree.

    One anti-join per referenced table, over the references of all its referencing columns at
    once: PostgreSQL hashes each table once (the people for eight columns, the events for four),
    not once per column; 0.46 s instead of 0.95 s for 100,000 people. Only when that finds a
    dangling reference does a query per column say which."""
    with connection.cursor() as cursor:
        for target, columns in _references().items():
            if _dangling(cursor, tree_id, target, columns) is None:
                continue
            for table, column in columns:
                value = _dangling(cursor, tree_id, target, [(table, column)])
                if value is not None:
                    raise IntegrityError(
                        f"{table}.{column} = {value} points to no {target._meta.db_table} row"
                    )


def _dangling(cursor, tree_id: int, target: type, columns: list[tuple[str, str]]) -> int | None:
    """The smallest value in the (table, column) ``columns`` of the tree's rows that points to
    no row of ``target`` in the tree, or None."""
    quote = connection.ops.quote_name
    meta = target._meta
    refs = " UNION ALL ".join(
        f"SELECT c.{quote(column)} AS ref FROM {quote(table)} c "  # noqa: S608
        f"WHERE c.tree_id = %s AND c.{quote(column)} IS NOT NULL"
        for table, column in columns
    )
    # Inside the tree on both sides: stricter (no row may point into another tree) and as fast
    # with fifty trees in the database as with one.
    in_tree = any(f.name == "tree" for f in meta.concrete_fields)
    # MIN, not LIMIT 1: a correct tree has no such row, so the whole anti-join runs anyway, and
    # LIMIT 1 led PostgreSQL to a nested loop that took 25 s for the events of a million people.
    cursor.execute(
        f"SELECT MIN(r.ref) FROM ({refs}) r WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {quote(meta.db_table)} p WHERE p.{quote(meta.pk.column)} = r.ref"
        f"{' AND p.tree_id = %s' if in_tree else ''})",
        [tree_id] * (len(columns) + in_tree),
    )
    return cursor.fetchone()[0]


@functools.cache
def _references() -> dict[type, list[tuple[str, str]]]:
    """The (table, column) pairs of the imported models' foreign keys, by the model they point
    to; ``tree_id`` left out (it is the new tree's id on every row, set by the importer)."""
    references: dict[type, list[tuple[str, str]]] = {}
    for model in _ALL_MODELS:
        for fk in model._meta.concrete_fields:
            if fk.is_relation and fk.db_constraint and fk.name != "tree":
                references.setdefault(fk.related_model, []).append(
                    (model._meta.db_table, fk.column)
                )
    return references


def _check_constraints() -> None:
    """Check the deferred foreign keys now, so a bug shows here and not at some later COMMIT."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        tables = [model._meta.db_table for model in _ALL_MODELS]
        connection.check_constraints(table_names=tables)


_ALL_MODELS: Iterable[type] = (
    g.Person,
    g.Name,
    g.Family,
    g.ChildLink,
    g.Event,
    g.EventParticipant,
    g.Place,
    g.PlaceHierarchy,
    g.PlaceName,
    g.Source,
    g.Repository,
    g.RepositoryRef,
    g.Citation,
    g.ArchivalReference,
    g.Note,
    g.NoteLink,
    g.Media,
    g.MediaLink,
    g.ExtraRecord,
)
