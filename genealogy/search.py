"""Finding people, places and archival sources of the family trees by name, in any script.

Indexing
========

Every person carries ``name_keys``: the phonetic key of each word of each of their names and,
prefixed with ``~``, the word's stem key (:func:`genealogy.names.word_keys`), as one string of
space-separated keys with a space at each end (`` kasimuli ~kasim aligan ~aligan ``). Places
carry the same for their names over time. The importer writes both while it reads a file (no
second pass), and :func:`person_reindex` / :func:`tree_reindex` rewrite them after an edit.
``NameToken`` holds each tree's vocabulary of phonetic keys with a count of people, for
autocompletion (prefix) and typos (trigram similarity).

On PostgreSQL a GIN index over ``string_to_array(name_keys, ' ')`` answers "who has all these
keys" (``@>``) and "who has one of these" (``&&``) without scanning; pg_trgm's GIN index on the
vocabulary finds keys within a typo. SQLite, for a single library's trial, scans with
``instr()`` and computes trigram similarity in Python.

Querying
========

Each word of a query must match one of a person's name words, in three widening tiers:
the same phonetic key (tier 1), or the same stem (tier 2: Қасымов finds Қасымұлы), or, when
those find nothing, a vocabulary key within a typo of it (tier 3). Candidates are ranked in
Python by :func:`genealogy.names.word_similarity` of the query words against the words of
each of the person's names (so the best-matching name is shown, highlighted), then by tier.

Privacy: every query carries the viewer's visibility condition (trees they may open; in trees
without full access, no probably-living, private or restricted person; no private name), so
hidden people are never candidates and never counted in totals or facets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import F, Q
from django.urls import reverse

from . import models as g
from .names import _CARON, word_keys, word_similarity
from .privacy import HIDDEN_RESTRICTIONS, _is_staff, full_access_trees, viewable_trees

STEM_MARK = "~"
MAX_KEY_LENGTH = 64  # NameToken.token
MAX_QUERY_WORDS = 8
CANDIDATES = 100  # people ranked in Python per query
COUNT_LIMIT = 1000  # totals and facets are counted over at most this many matches
TYPO_KEYS = 4  # vocabulary keys tried per misspelt word
TYPO_SIMILARITY = 0.4
PREFIX_KEYS = 40  # vocabulary keys tried for the word being typed
SQLITE_VOCABULARY_LIMIT = 200_000
_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


# -- indexing ----------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 15)  # names repeat: the recent words cover most, in about 10 MB
def _part_tokens(part: str) -> tuple[str, ...]:
    """The index keys of one word as written (or of a whole name with a caron)."""
    tokens = []
    for _key, phonetic, stem in word_keys(part):
        if phonetic:
            tokens.append(phonetic[:MAX_KEY_LENGTH])
        if stem:
            tokens.append(STEM_MARK + stem[:MAX_KEY_LENGTH])
    return tuple(tokens)


def name_tokens(texts: Iterable[str]) -> set[str]:
    """The index keys of the names ``texts``: phonetic keys and ``~``-marked stem keys."""
    tokens: set[str] = set()
    for text in texts:
        if not text:
            continue
        # Word by word: the words of a tree repeat (a few thousand given names and surnames),
        # whole names rarely do. A name with a caron is keyed whole (one č makes every c of
        # the name a ц).
        for part in (text,) if _CARON.search(text) else text.replace("/", " ").split():
            tokens.update(_part_tokens(part))
    return tokens


def serialize_tokens(tokens: Iterable[str]) -> str:
    """The ``name_keys`` column value: sorted keys, one space between and at each end."""
    ordered = sorted(tokens)
    return f" {' '.join(ordered)} " if ordered else ""


def name_texts(name: g.Name) -> list[str]:
    """The strings of one Name row that are indexed."""
    return [name.full.replace("/", " "), name.given, name.surname, name.patronymic, name.nickname]


def person_reindex(person: g.Person | int) -> None:
    """Recompute one person's keys, years and the tree's vocabulary counts for their keys
    (after an edit through the ORM: the signals in genealogy.apps call it; the importer writes
    the columns itself)."""
    person_id = person if isinstance(person, int) else person.pk
    row = g.Person.objects.filter(pk=person_id).values_list("tree_id", "name_keys").first()
    if row is None:  # deleted meanwhile
        return
    tree_id, old_keys = row
    old = set(old_keys.split())
    tokens = name_tokens(
        text for name in g.Name.objects.filter(person_id=person_id) for text in name_texts(name)
    )
    years = _years(g, person_id=person_id)
    born, died = years.get((person_id, 0)), years.get((person_id, 1))
    g.Person.objects.filter(pk=person_id).update(
        name_keys=serialize_tokens(tokens),
        birth_year=born[1] if born else None,
        death_year=died[1] if died else None,
    )
    for token in old - tokens:
        if not token.startswith(STEM_MARK):
            g.NameToken.objects.filter(tree_id=tree_id, token=token, count__gt=0).update(
                count=F("count") - 1
            )
    for token in tokens - old:
        if not token.startswith(STEM_MARK):
            updated = g.NameToken.objects.filter(tree_id=tree_id, token=token).update(
                count=F("count") + 1
            )
            if not updated:
                g.NameToken.objects.create(tree_id=tree_id, token=token, count=1)


def place_reindex(place: g.Place | int) -> None:
    """Recompute one place's keys from its name and its names over time."""
    place_id = place if isinstance(place, int) else place.pk
    name = g.Place.objects.filter(pk=place_id).values_list("name", flat=True).first()
    if name is None:
        return
    names = [name, *g.PlaceName.objects.filter(place_id=place_id).values_list("name", flat=True)]
    g.Place.objects.filter(pk=place_id).update(name_keys=serialize_tokens(name_tokens(names)))


BIRTH_RANK = {"BIRT": 0, "CHR": 1, "BAPM": 2}  # the event that gives the year, best first
DEATH_RANK = {"DEAT": 0, "BURI": 1, "CREM": 2}


def jdn_year(jdn: int) -> int | None:
    """The proleptic Gregorian year of a Julian Day Number (None outside a SmallIntegerField)."""
    # Richards' algorithm (Explanatory Supplement to the Astronomical Almanac, 3rd ed., 15.11).
    f = jdn + 1401 + (((4 * jdn + 274277) // 146097) * 3) // 4 - 38
    e = 4 * f + 3
    h = 5 * ((e % 1461) // 4) + 2
    month = (h // 153 + 2) % 12 + 1
    year = e // 1461 - 4716 + (12 + 2 - month) // 12
    return year if -32768 < year < 32767 else None


def _years(models, *, batch: int = 5000, **where) -> dict[tuple[int, int], tuple]:
    """{(person id, 0 for birth / 1 for death): (rank, year)} from the people's own events."""
    years: dict[tuple[int, int], tuple[int, int | None]] = {}
    for person_id, event_type, start, end in (
        models.EventParticipant.objects.filter(
            person__isnull=False,
            role="primary",
            event__event_type__in=[*BIRTH_RANK, *DEATH_RANK],
            event__private=False,
            event__date_valid=True,
            **where,
        )
        .order_by()
        .values_list(
            "person_id", "event__event_type", "event__date_start_jdn", "event__date_end_jdn"
        )
        .iterator(chunk_size=batch)
    ):
        jdn = start if start is not None else end
        if jdn is None:
            continue
        for which, ranks in enumerate((BIRTH_RANK, DEATH_RANK)):
            rank = ranks.get(event_type)
            if rank is not None:
                best = years.get((person_id, which))
                if best is None or rank < best[0]:
                    years[(person_id, which)] = (rank, jdn_year(jdn))
    return years


def tree_reindex(tree: g.Tree | int, *, batch: int = 5000, models=g) -> int:
    """Recompute every search column of a tree (people's keys and years, places' keys, the
    vocabulary); return the number of people. ``models`` lets a migration pass its
    historical models."""
    tree_id = tree if isinstance(tree, int) else tree.pk
    vocabulary: Counter[str] = Counter()
    names: dict[int, list[str]] = {}
    for person_id, *texts in (
        models.Name.objects.filter(tree_id=tree_id)
        .order_by()
        .values_list("person_id", "full", "given", "surname", "patronymic", "nickname")
        .iterator(chunk_size=batch)
    ):
        texts[0] = texts[0].replace("/", " ")
        names.setdefault(person_id, []).extend(texts)
    years = _years(models, tree_id=tree_id, batch=batch)
    people = list(
        models.Person.objects.filter(tree_id=tree_id).only(
            "pk", "name_keys", "birth_year", "death_year"
        )
    )
    for person in people:
        tokens = name_tokens(names.get(person.pk, ()))
        person.name_keys = serialize_tokens(tokens)
        born, died = years.get((person.pk, 0)), years.get((person.pk, 1))
        person.birth_year = born[1] if born else None
        person.death_year = died[1] if died else None
        vocabulary.update(t for t in tokens if not t.startswith(STEM_MARK))
    models.Person.objects.bulk_update(
        people, ["name_keys", "birth_year", "death_year"], batch_size=batch
    )
    place_names: dict[int, list[str]] = {}
    for place_id, name in models.PlaceName.objects.filter(tree_id=tree_id).values_list(
        "place_id", "name"
    ):
        place_names.setdefault(place_id, []).append(name)
    places = list(models.Place.objects.filter(tree_id=tree_id).only("pk", "name", "name_keys"))
    for place in places:
        place.name_keys = serialize_tokens(
            name_tokens([place.name, *place_names.get(place.pk, ())])
        )
    models.Place.objects.bulk_update(places, ["name_keys"], batch_size=batch)
    models.NameToken.objects.filter(tree_id=tree_id).delete()
    models.NameToken.objects.bulk_create(
        [models.NameToken(tree_id=tree_id, token=t, count=c) for t, c in vocabulary.items()],
        batch_size=batch,
    )
    return len(people)


# -- SQL pieces --------------------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _has_any(column: str, keys: list[str]) -> tuple[str, list]:
    """SQL: the key column holds at least one of ``keys``."""
    if _postgres():
        return f"string_to_array({column}, ' ') && %s::text[]", [keys]
    return "(" + " OR ".join(f"instr({column}, %s) > 0" for _ in keys) + ")", [
        f" {k} " for k in keys
    ]


def _has_all(column: str, keys: list[str]) -> tuple[str, list]:
    """SQL: the key column holds every one of ``keys``."""
    if _postgres():
        return f"string_to_array({column}, ' ') @> %s::text[]", [keys]
    return "(" + " AND ".join(f"instr({column}, %s) > 0" for _ in keys) + ")", [
        f" {k} " for k in keys
    ]


def _words_match(column: str, groups: list[list[str]]) -> tuple[str, list]:
    """SQL: for every group of keys (one group per query word) the column holds one of them."""
    if all(len(group) == 1 for group in groups):
        return _has_all(column, [group[0] for group in groups])
    parts, params = [], []
    for group in groups:
        sql, p = _has_any(column, group)
        parts.append(sql)
        params += p
    return " AND ".join(parts), params


@dataclass
class Visibility:
    """Which trees a viewer may open and in which they see everyone (computed once)."""

    everything: bool
    viewable: list[int]
    full: list[int]

    @classmethod
    def of(cls, user) -> Visibility:
        if _is_staff(user):
            return cls(True, [], [])
        return cls(
            False,
            list(viewable_trees(user).values_list("pk", flat=True)),
            list(full_access_trees(user).values_list("pk", flat=True)),
        )

    def trees(self) -> tuple[str, list]:
        """SQL over ``t`` (a tree id column) for trees that may be opened."""
        if self.everything:
            return "TRUE" if _postgres() else "1", []
        ids = sorted(set(self.viewable) | set(self.full))
        return _in_list("{t}", ids)

    def people(self, alias: str) -> tuple[str, list]:
        """SQL: the person row ``alias`` may be shown."""
        if self.everything:
            return "TRUE" if _postgres() else "1", []
        open_sql, open_params = _in_list(f"{alias}.tree_id", self.viewable)
        hidden = (
            f"({alias}.living OR {alias}.private OR {alias}.resn IN "
            f"({', '.join(['%s'] * len(HIDDEN_RESTRICTIONS))}))"
        )
        sql = f"({open_sql} AND NOT {hidden})"
        params = [*open_params, *[str(r) for r in HIDDEN_RESTRICTIONS]]
        if self.full:
            full_sql, full_params = _in_list(f"{alias}.tree_id", self.full)
            sql = f"({sql} OR {full_sql})"
            params += full_params
        return sql, params

    def full_access(self, tree_id: int) -> bool:
        return self.everything or tree_id in self.full


def _in_list(column: str, ids: list[int]) -> tuple[str, list]:
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# -- the query ---------------------------------------------------------------------------------


@dataclass
class QueryWord:
    key: str
    phonetic: str
    stem: str
    typos: list[str] = field(default_factory=list)

    def keys(self, tier: int) -> list[str]:
        keys = [self.phonetic]
        if tier >= 2 and self.stem:
            keys.append(STEM_MARK + self.stem)
        if tier >= 3:
            keys += [t for t in self.typos if t not in keys]
        return keys


def parse_query(text: str) -> tuple[list[QueryWord], list[int]]:
    """The name words of a query and the years written in it ("Қасымов 1890")."""
    years = [int(y) for y in _YEAR.findall(text)]
    words = [
        QueryWord(key, phonetic[:MAX_KEY_LENGTH], stem[:MAX_KEY_LENGTH])
        for key, phonetic, stem in word_keys(_YEAR.sub(" ", text))[:MAX_QUERY_WORDS]
        if phonetic
    ]
    return words, years


@dataclass
class PersonHit:
    person_id: int
    public_id: str
    tree_id: int
    tree_slug: str
    tree_title: str
    birth_year: int | None
    death_year: int | None
    tier: int
    score: float = 0.0
    name: str = ""
    segments: list[tuple[str, bool]] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("genealogy:person", args=[self.tree_slug, self.public_id])

    @property
    def years(self) -> str:
        if self.birth_year is None and self.death_year is None:
            return ""
        born = str(self.birth_year) if self.birth_year is not None else "?"
        died = str(self.death_year) if self.death_year is not None else ""
        return f"{born}–{died}"


@dataclass
class PersonResults:
    hits: list[PersonHit]
    total: int
    total_capped: bool
    facets: dict[str, list[tuple]]


@dataclass
class PersonFilters:
    year: int | None = None  # born or died in year ± within
    born: int | None = None
    died: int | None = None
    within: int = 2
    decade: int | None = None  # born in this decade (1890 = 1890–1899)
    tree_id: int | None = None
    place: str = ""  # an event of the person at a place of this name (any time)
    relative: str = ""  # a parent's or partner's name


def _typo_keys(words: list[QueryWord], visibility: Visibility) -> None:
    """Fill each word's ``typos``: vocabulary keys of openable trees within a typo of it."""
    tree_sql, tree_params = visibility.trees()
    tree_sql = tree_sql.format(t="tree_id")
    if _postgres():
        for word in words:
            rows = _fetch(
                "SELECT token FROM genealogy_nametoken "
                f"WHERE token %% %s AND {tree_sql} "
                "GROUP BY token ORDER BY max(similarity(token, %s)) DESC, token LIMIT %s",
                [word.phonetic, *tree_params, word.phonetic, TYPO_KEYS],
            )
            word.typos = [
                token
                for (token,) in rows
                if _trigram(token, word.phonetic) >= TYPO_SIMILARITY and token != word.phonetic
            ]
        return
    from .names import trigram_similarity

    vocabulary = [
        token
        for (token,) in _fetch(
            f"SELECT DISTINCT token FROM genealogy_nametoken WHERE {tree_sql} LIMIT %s",
            [*tree_params, SQLITE_VOCABULARY_LIMIT],
        )
    ]
    for word in words:
        scored = sorted(
            ((trigram_similarity(token, word.phonetic), token) for token in vocabulary),
            reverse=True,
        )
        word.typos = [
            token
            for score, token in scored[:TYPO_KEYS]
            if score >= TYPO_SIMILARITY and token != word.phonetic
        ]


def _trigram(a: str, b: str) -> float:
    from .names import trigram_similarity

    return trigram_similarity(a, b)


def _filters_sql(filters: PersonFilters, visibility: Visibility) -> tuple[str, list]:
    parts, params = [], []
    year_ranges = []
    if filters.year is not None:
        lo, hi = filters.year - filters.within, filters.year + filters.within
        parts.append("((p.birth_year BETWEEN %s AND %s) OR (p.death_year BETWEEN %s AND %s))")
        params += [lo, hi, lo, hi]
    for column, year in (("birth_year", filters.born), ("death_year", filters.died)):
        if year is not None:
            year_ranges.append((column, year - filters.within, year + filters.within))
    for column, lo, hi in year_ranges:
        parts.append(f"p.{column} BETWEEN %s AND %s")
        params += [lo, hi]
    if filters.decade is not None:
        parts.append("p.birth_year BETWEEN %s AND %s")
        params += [filters.decade, filters.decade + 9]
    if filters.tree_id is not None:
        parts.append("p.tree_id = %s")
        params.append(filters.tree_id)
    if filters.place:
        groups = [w.keys(2) for w in parse_query(filters.place)[0]]
        if groups:
            match, match_params = _words_match("pl.name_keys", groups)
            parts.append(
                "EXISTS (SELECT 1 FROM genealogy_eventparticipant ep "
                "JOIN genealogy_event e ON e.id = ep.event_id "
                "JOIN genealogy_place pl ON pl.id = e.place_id "
                f"WHERE ep.person_id = p.id AND NOT e.private AND {match})"
            )
            params += match_params
    if filters.relative:
        groups = [w.keys(2) for w in parse_query(filters.relative)[0]]
        if groups:
            match, match_params = _words_match("r.name_keys", groups)
            shown, shown_params = visibility.people("r")
            parts.append(
                "(EXISTS (SELECT 1 FROM genealogy_childlink cl "
                "JOIN genealogy_family f ON f.id = cl.family_id "
                "JOIN genealogy_person r ON r.id = f.partner1_id OR r.id = f.partner2_id "
                f"WHERE cl.child_id = p.id AND {match} AND {shown}) "
                "OR EXISTS (SELECT 1 FROM genealogy_family f "
                "JOIN genealogy_person r ON (f.partner1_id = p.id AND r.id = f.partner2_id) "
                "OR (f.partner2_id = p.id AND r.id = f.partner1_id) "
                f"WHERE {match} AND {shown}))"
            )
            params += match_params + shown_params + match_params + shown_params
    return " AND ".join(parts), params


def _person_sql(
    groups: list[list[str]], visibility: Visibility, filters: PersonFilters
) -> tuple[str, list]:
    match, params = _words_match("p.name_keys", groups)
    shown, shown_params = visibility.people("p")
    extra, extra_params = _filters_sql(filters, visibility)
    where = f"{match} AND {shown}" + (f" AND {extra}" if extra else "")
    return where, [*params, *shown_params, *extra_params]


_PERSON_COLUMNS = "p.id, p.public_id, p.tree_id, p.birth_year, p.death_year"


class _Trees(dict):
    """Tree id → (slug, title), read once per search for the trees the rows belong to."""

    def hit(self, row, tier: int) -> PersonHit:
        person_id, public_id, tree_id, born, died = row
        if tree_id not in self:
            self.update(
                (pk, (slug, title))
                for pk, slug, title in g.Tree.objects.filter(pk=tree_id).values_list(
                    "pk", "slug", "title"
                )
            )
        slug, title = self[tree_id]
        return PersonHit(person_id, public_id, tree_id, slug, title, born, died, tier=tier)

    def load(self, rows) -> _Trees:
        missing = {row[2] for row in rows} - self.keys()
        if missing:
            for pk, slug, title in g.Tree.objects.filter(pk__in=missing).values_list(
                "pk", "slug", "title"
            ):
                self[pk] = (slug, title)
        return self


def search_people(
    user, text: str, filters: PersonFilters | None = None, *, limit: int = 20
) -> PersonResults:
    """People whose names match ``text``, best first, with totals and facets.

    One query finds the matches (every word by its phonetic key or its stem, at most
    COUNT_LIMIT + 1 rows, each flagged whether all phonetic keys matched); totals and facets
    are counted from those rows, and the best CANDIDATES of them (exact keys first) are ranked.
    Only when there are more matches than that is a second query needed, for exact ones.
    """
    filters = filters or PersonFilters()
    words, years = parse_query(text)
    if years and filters.year is None and filters.born is None and filters.died is None:
        filters.year = years[0]
    if not words:
        return PersonResults([], 0, False, {})
    visibility = Visibility.of(user)
    exact_sql, exact_params = _has_all("p.name_keys", [w.phonetic for w in words])
    rows = _matches(words, 2, visibility, filters, exact_sql, exact_params)
    tier_of_rest = 2
    if not rows:
        _typo_keys(words, visibility)
        if any(w.typos for w in words):
            rows = _matches(words, 3, visibility, filters, exact_sql, exact_params)
            tier_of_rest = 3
    capped = len(rows) > COUNT_LIMIT
    rows = rows[:COUNT_LIMIT]
    trees = _Trees().load(rows)
    found: dict[int, PersonHit] = {}
    if capped and tier_of_rest == 2:  # exact matches may lie beyond the rows read: ask for them
        # (not after typos: those are tried only when no word matched exactly)
        where, params = _person_sql([w.keys(1) for w in words], visibility, filters)
        for row in _fetch(
            f"SELECT {_PERSON_COLUMNS} FROM genealogy_person p WHERE {where} LIMIT %s",
            [*params, CANDIDATES],
        ):
            found[row[0]] = trees.hit(row, 1)
    for *row, exact in sorted(rows, key=lambda r: not r[-1]):
        if len(found) >= CANDIDATES:
            break
        if row[0] not in found:
            found[row[0]] = trees.hit(row, 1 if exact else tier_of_rest)
    hits = _rank(list(found.values()), words, visibility)
    facets = _facets(rows, trees)
    return PersonResults(hits[:limit], max(len(rows), len(hits)), capped, facets)


def _matches(
    words: list[QueryWord],
    tier: int,
    visibility: Visibility,
    filters: PersonFilters,
    exact_sql: str,
    exact_params: list,
) -> list[tuple]:
    where, params = _person_sql([w.keys(tier) for w in words], visibility, filters)
    return _fetch(
        f"SELECT {_PERSON_COLUMNS}, {exact_sql} FROM genealogy_person p WHERE {where} LIMIT %s",
        [*exact_params, *params, COUNT_LIMIT + 1],
    )


def _facets(rows: list[tuple], trees: _Trees) -> dict[str, list[tuple]]:
    """Facets of the matches: tree (id, title, count) and decade of birth."""
    counts = Counter(row[2] for row in rows)
    decades = Counter(row[3] // 10 * 10 for row in rows if row[3] is not None)
    return {
        "tree": [(tree_id, trees[tree_id][1], n) for tree_id, n in counts.most_common(20)],
        "decade": sorted(decades.items()),
    }


def _rank(
    hits: list[PersonHit],
    words: list[QueryWord],
    visibility: Visibility,
    *,
    prefix_last: bool = False,
) -> list[PersonHit]:
    """Score every candidate by its best-matching visible name; best first."""
    if not hits:
        return []
    by_id = {hit.person_id: hit for hit in hits}
    # Plain rows, not Name instances: a search ranks hundreds of names per request.
    names = (
        g.Name.objects.filter(person_id__in=by_id)
        .order_by("person_id", "sort_order")
        .values_list(
            "person_id",
            "private",
            "prefix",
            "given",
            "patronymic",
            "surname_prefix",
            "surname",
            "suffix",
            "full",
        )
    )
    for person_id, private, *parts, full in names:
        hit = by_id[person_id]
        if private and not visibility.full_access(hit.tree_id):
            continue
        # As Name.__str__ writes it.
        text = " ".join(part for part in parts if part) or full.replace("/", "").strip()
        score, segments = _score_name(text, words, prefix_last=prefix_last)
        if score > hit.score or not hit.name:
            if hit.name:
                hit.other_names.append(hit.name)
            hit.score, hit.name, hit.segments = score, text, segments
        elif text not in hit.other_names and text != hit.name:
            hit.other_names.append(text)
    for hit in hits:
        if not hit.name:
            hit.name = hit.public_id
            hit.segments = [(hit.public_id, False)]
    return sorted(hits, key=lambda h: (-h.score, h.tier, h.name))


_NAME_WORD = re.compile(r"[\w'’ʼ-]+")


def _score_name(
    text: str, words: list[QueryWord], *, prefix_last: bool = False
) -> tuple[float, list[tuple[str, bool]]]:
    """How well a name covers the query words (mean of each query word's best name word), and
    the name cut into segments with the matched words marked. With ``prefix_last`` the last
    query word is still being typed: a name word that starts like it matches."""
    spans = [(m.start(), m.end(), m.group()) for m in _NAME_WORD.finditer(text)]
    name_keys = []
    for start, end, word in spans:
        keys = word_keys(word)
        name_keys.append((start, end, keys[0][0] if keys else ""))
    total = 0.0
    marked: set[int] = set()
    last = len(words) - 1
    for position, word in enumerate(words):
        best, best_index = 0.0, -1
        for index, (_s, _e, key) in enumerate(name_keys):
            if not key:
                continue
            if prefix_last and position == last:
                similarity = _prefix_similarity(word, key)
            else:
                similarity = word_similarity(word.key, key)
            if similarity > best:
                best, best_index = similarity, index
        total += best
        if best >= 0.5 and best_index >= 0:
            marked.add(best_index)
    score = total / len(words)
    # A name of exactly the query's length ranks above a longer one that merely contains it.
    if len(name_keys) > len(words):
        score -= 0.01 * (len(name_keys) - len(words))
    segments: list[tuple[str, bool]] = []
    position = 0
    for index, (start, end, _key) in enumerate(name_keys):
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], index in marked))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return round(score, 4), segments


def _prefix_similarity(word: QueryWord, key: str) -> float:
    """Similarity of a word being typed to a whole name word (its search key)."""
    if key.startswith(word.key):
        return 1.0
    if word_keys(key)[0][1].startswith(word.phonetic):
        return 0.9
    return word_similarity(word.key, key)


# -- autocomplete ------------------------------------------------------------------------------


@dataclass
class Suggestion:
    label: str
    url: str
    detail: str


def autocomplete(user, text: str, *, limit: int = 8) -> list[Suggestion]:
    """People whose names start like ``text`` (the last word may be unfinished)."""
    words, _years = parse_query(text)
    if not words or len(words[-1].key) < 2 or len(words[-1].phonetic) < 2:
        return []
    visibility = Visibility.of(user)
    *complete, typing = words
    tree_sql, tree_params = visibility.trees()
    tree_sql = tree_sql.format(t="tree_id")
    prefixes = [typing.phonetic]
    if len(typing.phonetic) > 3 and len(typing.key) > 3:
        prefixes.append(typing.phonetic[:-1])  # the last letter may change the key (devoicing)
    keys: list[str] = []
    for prefix in prefixes:
        pattern = prefix.replace("\\", "").replace("%", "").replace("_", "\\_") + "%"
        rows = _fetch(
            "SELECT token FROM genealogy_nametoken "
            f"WHERE token LIKE %s ESCAPE '\\' AND {tree_sql} "
            "GROUP BY token ORDER BY sum(count) DESC, token LIMIT %s",
            [pattern, *tree_params, PREFIX_KEYS],
        )
        keys = [token for (token,) in rows]
        if keys:
            break
    if not keys:
        return []
    groups = [w.keys(2) for w in complete] + [keys]
    where, params = _person_sql(groups, visibility, PersonFilters())
    rows = _fetch(
        f"SELECT {_PERSON_COLUMNS} FROM genealogy_person p WHERE {where} LIMIT %s",
        [*params, limit * 5],
    )
    trees = _Trees().load(rows)
    hits = [trees.hit(row, 1) for row in rows]
    ranked = _rank(hits, [*complete, typing], visibility, prefix_last=True)
    return [
        Suggestion(
            hit.name,
            hit.url,
            " · ".join(part for part in (hit.years, hit.tree_title) if part),
        )
        for hit in ranked[:limit]
    ]


# -- places ------------------------------------------------------------------------------------


@dataclass
class PlaceHit:
    place_id: int
    public_id: str
    tree_slug: str
    tree_title: str
    name: str
    full_name: str
    matched: str = ""  # the name over time that matched, when not the current one
    matched_when: str = ""
    score: float = 0.0

    @property
    def url(self) -> str:
        return reverse("genealogy:place", args=[self.tree_slug, self.public_id])


def search_places(user, text: str, *, limit: int = 20) -> list[PlaceHit]:
    """Places of openable trees with a name (now or in the past) matching ``text``."""
    words, _years = parse_query(text)
    if not words:
        return []
    visibility = Visibility.of(user)
    match, params = _words_match("pl.name_keys", [w.keys(2) for w in words])
    tree_sql, tree_params = visibility.trees()
    rows = _fetch(
        "SELECT pl.id, pl.public_id, t.slug, t.title, pl.name, pl.full_name "
        "FROM genealogy_place pl JOIN genealogy_tree t ON t.id = pl.tree_id "
        f"WHERE {match} AND {tree_sql.format(t='pl.tree_id')} LIMIT %s",
        [*params, *tree_params, CANDIDATES],
    )
    hits = {row[0]: PlaceHit(*row) for row in rows}
    for hit in hits.values():
        hit.score = _score_name(hit.name, words)[0]
    for place_id, name, when in g.PlaceName.objects.filter(place_id__in=hits).values_list(
        "place_id", "name", "date_phrase"
    ):
        hit = hits[place_id]
        score = _score_name(name, words)[0]
        if score > hit.score:
            hit.score, hit.matched, hit.matched_when = score, name, when
    return sorted(hits.values(), key=lambda h: (-h.score, h.name, h.tree_title))[:limit]


# -- sources and archival references -----------------------------------------------------------


@dataclass
class SourceHit:
    public_id: str
    tree_slug: str
    tree_title: str
    title: str
    reference: str = ""
    archive: str = ""

    @property
    def url(self) -> str:
        return reverse("genealogy:source", args=[self.tree_slug, self.public_id])


def search_sources(user, text: str, *, limit: int = 20, archive: str = "") -> list[SourceHit]:
    """Sources of openable trees by title, author, archive, or archival reference parts
    ("ф. 15, оп. 1, д. 123")."""
    text = text.strip()
    if not text:
        return []
    visibility = Visibility.of(user)
    trees = g.Tree.objects.all()
    if not visibility.everything:
        trees = trees.filter(pk__in=set(visibility.viewable) | set(visibility.full))
    hits: dict[int, SourceHit] = {}
    reference = g.parse_archival_reference(text)
    if reference is not None:
        refs = g.ArchivalReference.objects.filter(tree__in=trees, fond__iexact=reference.fond)
        for part in ("inventory", "file"):
            value = getattr(reference, part)
            if value:
                refs = refs.filter(**{f"{part}__iexact": value})
        if reference.archive:
            refs = refs.filter(archive__icontains=reference.archive)
        refs = refs.filter(source__isnull=False, source__private=False).exclude(
            source__resn__in=HIDDEN_RESTRICTIONS
        )
        if archive:
            refs = refs.filter(archive=archive)
        for ref in refs.select_related("source", "tree")[: limit * 2]:
            source = ref.source
            if source.pk not in hits:
                hits[source.pk] = SourceHit(
                    source.public_id,
                    ref.tree.slug,
                    ref.tree.title,
                    source.title or source.abbreviation or source.public_id,
                    reference=str(ref),
                    archive=ref.archive,
                )
    if len(hits) < limit:
        words = [w for w in text.split() if len(w) > 1][:MAX_QUERY_WORDS]
        condition = Q()
        for word in words:
            condition &= (
                Q(title__icontains=word)
                | Q(author__icontains=word)
                | Q(abbreviation__icontains=word)
                | Q(repository_refs__repository__name__icontains=word)
                | Q(repository_refs__repository__abbreviation__iexact=word)
            )
        if words:
            sources = (
                g.Source.objects.filter(tree__in=trees, private=False)
                .exclude(resn__in=HIDDEN_RESTRICTIONS)
                .filter(condition)
                .exclude(pk__in=hits)
                .select_related("tree")
                .distinct()[: limit - len(hits)]
            )
            for source in sources:
                if archive:
                    continue
                hits[source.pk] = SourceHit(
                    source.public_id,
                    source.tree.slug,
                    source.tree.title,
                    source.title or source.abbreviation or source.public_id,
                )
    return list(hits.values())[:limit]
