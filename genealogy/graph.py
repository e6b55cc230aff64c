"""Traversals of the family graph for one request: ancestors, descendants, the relationship
between two people, the жеті ата (seven fathers) check and the consanguinity of a couple.

Each question is one depth-limited recursive CTE (the same SQL on SQLite and PostgreSQL), not a
whole-tree graph: on a million-person table a six-generation query takes milliseconds where
building a networkx graph takes seconds and gigabytes. networkx is for whole-tree statistics in
background tasks only.

Every traversal terminates on bad data: the depth limit bounds the CTE, and the result says when
a person turned out to be their own ancestor (``loop``) instead of hanging.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db import connection

from . import models as g

RELATIONSHIP_DEPTH = 20
JETI_ATA = 7
CONSANGUINITY_DEPTH = 12
BLOOD_PEDIGREES = (g.Pedigree.BIRTH, g.Pedigree.UNKNOWN)


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "person": quote(g.Person._meta.db_table),
        "family": quote(g.Family._meta.db_table),
        "childlink": quote(g.ChildLink._meta.db_table),
        "name": quote(g.Name._meta.db_table),
        "event": quote(g.Event._meta.db_table),
        "participant": quote(g.EventParticipant._meta.db_table),
    }


# -- edges -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParentEdge:
    seed: int  # the person whose ancestry this edge is in
    child: int
    parent: int
    depth: int  # generations from the seed to the parent
    family: int
    pedigree: str


def _parent_step(
    t: dict[str, str], source: str, *, paternal: bool, blood: bool
) -> tuple[str, str, str]:
    """FROM/JOIN/WHERE of one step from ``source``'s ``pid`` to each parent."""
    parent = "CASE k.n WHEN 1 THEN f.partner1_id ELSE f.partner2_id END"
    pedigree = "CASE k.n WHEN 1 THEN cl.pedigree1 ELSE cl.pedigree2 END"
    where = [f"{parent} IS NOT NULL"]
    joins = ""
    if blood or paternal:
        codes = ", ".join(f"'{p}'" for p in BLOOD_PEDIGREES)
        where.append(f"{pedigree} IN ({codes})")
    if paternal:
        # The father: a man, or partner 1 (GEDCOM HUSB) when the sex is not recorded.
        joins = f" JOIN {t['person']} pp ON pp.id = {parent}"
        where.append("(pp.sex = 'M' OR (k.n = 1 AND pp.sex IN ('U', 'X')))")
    return (
        f" JOIN {t['childlink']} cl ON cl.child_id = {source}"
        f" JOIN {t['family']} f ON f.id = cl.family_id"
        f" CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) k{joins}"
        f" WHERE {' AND '.join(where)}",
        parent,
        pedigree,
    )


def ancestor_edges(
    seeds: list[int], depth: int, *, paternal: bool = False, blood: bool = False
) -> list[ParentEdge]:
    """Every child → parent edge within ``depth`` generations above each of ``seeds``, in one
    recursive query. ``paternal`` follows fathers only; ``blood`` leaves out adoptive, foster
    and step links."""
    if not seeds or depth < 1:
        return []
    t = _tables()
    seed_rows = " UNION ALL ".join("SELECT %s AS seed" for _ in seeds)
    first, parent, pedigree = _parent_step(t, "s.seed", paternal=paternal, blood=blood)
    step, parent2, pedigree2 = _parent_step(t, "a.parent", paternal=paternal, blood=blood)
    # Table names come from the models; every value is a bound parameter.
    sql = (
        "WITH RECURSIVE anc(seed, child, parent, depth, family, pedigree) AS ("  # noqa: S608
        f" SELECT s.seed, cl.child_id, {parent}, 1, f.id, {pedigree}"
        f" FROM ({seed_rows}) s{first}"
        " UNION"
        f" SELECT a.seed, cl.child_id, {parent2}, a.depth + 1, f.id, {pedigree2}"
        f" FROM anc a{step} AND a.depth < %s"
        ") SELECT seed, child, parent, depth, family, pedigree FROM anc"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*seeds, depth])
        return [ParentEdge(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ChildEdge:
    parent: int
    child: int
    depth: int  # generations from the root to the child
    family: int


def descendant_edges(root: int, depth: int, *, limit: int = 20000) -> list[ChildEdge]:
    """Every parent → child edge within ``depth`` generations below ``root``; at most
    ``limit`` rows (a chart has no use for more)."""
    if depth < 1:
        return []
    t = _tables()
    partner_families = (
        f"SELECT id AS fid, partner1_id AS pid FROM {t['family']}"  # noqa: S608
        " WHERE partner1_id IS NOT NULL"
        " UNION ALL "
        f"SELECT id, partner2_id FROM {t['family']} WHERE partner2_id IS NOT NULL"
    )
    sql = (
        "WITH RECURSIVE pf AS (" + partner_families + "),"  # noqa: S608
        " des(parent, child, depth, family) AS ("
        " SELECT pf.pid, cl.child_id, 1, pf.fid FROM pf"
        f" JOIN {t['childlink']} cl ON cl.family_id = pf.fid WHERE pf.pid = %s"
        " UNION"
        " SELECT d.child, cl.child_id, d.depth + 1, pf.fid FROM des d"
        f" JOIN pf ON pf.pid = d.child JOIN {t['childlink']} cl ON cl.family_id = pf.fid"
        " WHERE d.depth < %s"
        ") SELECT parent, child, depth, family FROM des ORDER BY depth LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root, depth, limit])
        return [ChildEdge(*row) for row in cursor.fetchall()]


def find_cycle(edges: dict[int, set[int]]) -> list[int]:
    """A cycle in a child → parents mapping (people who are their own ancestors), or []."""
    white, grey, black = 0, 1, 2
    colour: dict[int, int] = defaultdict(int)
    for start in list(edges):
        if colour[start] != white:
            continue
        stack = [(start, iter(edges.get(start, ())))]
        path = [start]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            advanced = False
            for nxt in children:
                if colour[nxt] == grey:
                    return path[path.index(nxt) :]
                if colour[nxt] == white:
                    colour[nxt] = grey
                    path.append(nxt)
                    stack.append((nxt, iter(edges.get(nxt, ()))))
                    advanced = True
                    break
            if not advanced:
                colour[node] = black
                path.pop()
                stack.pop()
    return []


# -- people ------------------------------------------------------------------------------------


@dataclass
class PersonInfo:
    id: int
    xref: str
    public_id: str
    sex: str
    living: bool
    private: bool
    resn: str
    name: str = ""
    birth_sort: int | None = None
    birth: str = ""
    death: str = ""
    private_name: bool = False

    @property
    def hidden_record(self) -> bool:
        from .privacy import HIDDEN_RESTRICTIONS

        return bool(self.living or self.private or self.resn in HIDDEN_RESTRICTIONS)


def _placeholders(values) -> str:
    return ", ".join("%s" for _ in values)


def people_info(ids) -> dict[int, PersonInfo]:
    """Sex, privacy fields, first name and birth/death dates of ``ids``, in three queries."""
    ids = list({i for i in ids if i})
    if not ids:
        return {}
    t = _tables()
    found: dict[int, PersonInfo] = {}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk_start in range(0, len(ids), 900):
            chunk = ids[chunk_start : chunk_start + 900]
            marks = _placeholders(chunk)
            cursor.execute(
                f"SELECT id, xref, public_id, sex, living, private, resn FROM {t['person']}"  # noqa: S608
                f" WHERE id IN ({marks})",
                chunk,
            )
            for row in cursor.fetchall():
                found[row[0]] = PersonInfo(*row[:4], bool(row[4]), bool(row[5]), row[6])
            cursor.execute(
                "SELECT person_id, sort_order, prefix, given, patronymic, surname_prefix, surname,"  # noqa: S608
                f" suffix, {q('full')}, private FROM {t['name']} WHERE person_id IN ({marks})"
                " ORDER BY person_id, sort_order",
                chunk,
            )
            for pid, _order, *parts, full, private in cursor.fetchall():
                info = found.get(pid)
                if info is None or info.name:
                    continue
                text = " ".join(p for p in parts if p) or full.replace("/", "").strip()
                info.name = text
                if private:
                    info.private_name = True
            cursor.execute(
                "SELECT ep.person_id, e.event_type, e.date_sort, e.date_phrase"  # noqa: S608
                f" FROM {t['participant']} ep JOIN {t['event']} e ON e.id = ep.event_id"
                f" WHERE ep.person_id IN ({marks}) AND ep.role = 'primary'"
                " AND e.event_type IN ('BIRT', 'CHR', 'BAPM', 'DEAT', 'BURI', 'CREM')"
                " ORDER BY e.sort_order",
                chunk,
            )
            for pid, etype, sort, phrase in cursor.fetchall():
                info = found.get(pid)
                if info is None:
                    continue
                if etype in ("BIRT", "CHR", "BAPM"):
                    if info.birth_sort is None and sort is not None:
                        info.birth_sort = sort
                    if not info.birth and etype == "BIRT":
                        info.birth = phrase
                elif not info.death:
                    info.death = phrase or "†"
    return found


# -- relationship ------------------------------------------------------------------------------


@dataclass
class Step:
    person: int
    edge: str  # how this person is reached from the previous one: "", "parent", "child", "spouse"


@dataclass
class Relationship:
    a: int
    b: int
    kind: str = "none"  # "self", "blood", "spouse", "affinal", "none"
    path: list[Step] = field(default_factory=list)
    common_ancestors: list[int] = field(default_factory=list)
    half: bool = False
    loop: list[int] = field(default_factory=list)
    depth_limit: int = RELATIONSHIP_DEPTH

    @property
    def found(self) -> bool:
        return self.kind != "none"


@dataclass
class _Ancestry:
    """One seed's ancestors: the fewest generations to each, and the child it was reached
    from on a shortest way (to walk back down)."""

    seed: int
    dist: dict[int, int] = field(default_factory=dict)
    via: dict[int, int] = field(default_factory=dict)
    families: dict[tuple[int, int], set[int]] = field(default_factory=lambda: defaultdict(set))
    parents: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def chain_down(self, ancestor: int) -> list[int]:
        """[ancestor, …, seed]."""
        chain = [ancestor]
        node = ancestor
        guard = len(self.dist) + 1
        while node != self.seed and guard:
            node = self.via[node]
            chain.append(node)
            guard -= 1
        return chain


def _ancestries(edges: list[ParentEdge], seeds: list[int]) -> dict[int, _Ancestry]:
    result = {seed: _Ancestry(seed, {seed: 0}) for seed in seeds}
    for edge in sorted(edges, key=lambda e: e.depth):
        anc = result[edge.seed]
        anc.families[(edge.child, edge.parent)].add(edge.family)
        anc.parents[edge.child].add(edge.parent)
        if edge.parent not in anc.dist:
            anc.dist[edge.parent] = edge.depth
            anc.via[edge.parent] = edge.child
    return result


@dataclass
class _Blood:
    up: list[int]  # [a, …, common ancestor]
    down: list[int]  # [common ancestor, …, b]
    common: list[int]
    half: bool

    @property
    def length(self) -> int:
        return len(self.up) + len(self.down) - 2


def _blood(x: _Ancestry, y: _Ancestry) -> _Blood | None:
    common = set(x.dist) & set(y.dist)
    if not common:
        return None
    best = min(common, key=lambda c: (x.dist[c] + y.dist[c], max(x.dist[c], y.dist[c]), c))
    u, d = x.dist[best], y.dist[best]
    apex = sorted(c for c in common if x.dist[c] == u and y.dist[c] == d)
    up = list(reversed(x.chain_down(best)))
    down = y.chain_down(best)
    half = False
    if u >= 1 and d >= 1:
        # Full siblings at the apex share a family with the common ancestor; half ones do not.
        left, right = up[-2], down[1]
        half = not (x.families[(left, best)] & y.families[(right, best)])
        if not half:
            apex = [c for c in apex if x.families[(left, c)] & y.families[(right, c)]] or apex
        else:
            apex = [best]
    return _Blood(up, down, apex, half)


def spouses_of(ids: list[int]) -> dict[int, list[int]]:
    if not ids:
        return {}
    t = _tables()
    marks = _placeholders(ids)
    result: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT partner1_id, partner2_id FROM {t['family']}"  # noqa: S608
            f" WHERE partner1_id IN ({marks}) AND partner2_id IS NOT NULL"
            f" UNION SELECT partner2_id, partner1_id FROM {t['family']}"
            f" WHERE partner2_id IN ({marks}) AND partner1_id IS NOT NULL",
            [*ids, *ids],
        )
        for person, spouse in cursor.fetchall():
            if spouse not in result[person]:
                result[person].append(spouse)
    return result


def children_of(ids: list[int]) -> dict[int, list[int]]:
    if not ids:
        return {}
    t = _tables()
    marks = _placeholders(ids)
    result: dict[int, list[int]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.partner1_id, cl.child_id FROM {t['family']} f"  # noqa: S608
            f" JOIN {t['childlink']} cl ON cl.family_id = f.id WHERE f.partner1_id IN ({marks})"
            f" UNION SELECT f.partner2_id, cl.child_id FROM {t['family']} f"
            f" JOIN {t['childlink']} cl ON cl.family_id = f.id WHERE f.partner2_id IN ({marks})",
            [*ids, *ids],
        )
        for parent, child in cursor.fetchall():
            result[parent].append(child)
    return result


def _steps_blood(blood: _Blood) -> list[Step]:
    steps = [Step(blood.up[0], "")]
    steps += [Step(p, "parent") for p in blood.up[1:]]
    steps += [Step(c, "child") for c in blood.down[1:]]
    return steps


def _loop_in(edges: list[ParentEdge]) -> list[int]:
    graph: dict[int, set[int]] = defaultdict(set)
    for edge in edges:
        graph[edge.child].add(edge.parent)
    return find_cycle(graph)


def relationship(a: int, b: int, *, depth: int = RELATIONSHIP_DEPTH) -> Relationship:
    """How ``b`` is related to ``a``: by blood (through the nearest common ancestors), as a
    spouse, or by marriage (a spouse's blood relative, a blood relative's spouse, a spouse's
    relative's spouse, the parent of a child's spouse). Three to four queries whatever the
    size of the tree."""
    result = Relationship(a, b, depth_limit=depth)
    if a == b:
        result.kind = "self"
        result.path = [Step(a, "")]
        return result
    spouses = spouses_of([a, b])
    if b in spouses.get(a, []):
        result.kind = "spouse"
        result.path = [Step(a, ""), Step(b, "spouse")]
        return result
    seeds = list(dict.fromkeys([a, b, *spouses.get(a, []), *spouses.get(b, [])]))
    edges = ancestor_edges(seeds, depth)
    result.loop = _loop_in(edges)
    anc = _ancestries(edges, seeds)
    blood = _blood(anc[a], anc[b])
    if blood is not None:
        result.kind = "blood"
        result.path = _steps_blood(blood)
        result.common_ancestors = blood.common
        result.half = blood.half
        return result
    # By marriage: the shortest of spouse's relative, relative's spouse, spouse's relative's
    # spouse.
    options: list[tuple[int, list[Step], list[int], bool]] = []
    for sa in spouses.get(a, []):
        found = _blood(anc[sa], anc[b])
        if found is not None:
            steps = [Step(a, ""), Step(sa, "spouse"), *_steps_blood(found)[1:]]
            options.append((found.length + 1, steps, found.common, found.half))
    for sb in spouses.get(b, []):
        found = _blood(anc[a], anc[sb])
        if found is not None:
            steps = [*_steps_blood(found), Step(b, "spouse")]
            options.append((found.length + 1, steps, found.common, found.half))
    for sa, sb in itertools.product(spouses.get(a, []), spouses.get(b, [])):
        found = _blood(anc[sa], anc[sb])
        if found is not None and sa != sb:
            steps = [Step(a, ""), Step(sa, "spouse"), *_steps_blood(found)[1:], Step(b, "spouse")]
            options.append((found.length + 2, steps, found.common, found.half))
    if options:
        _length, steps, common, half = min(options, key=lambda o: o[0])
        result.kind = "affinal"
        result.path = steps
        result.common_ancestors = common
        result.half = half
        return result
    # Co-parents-in-law (құда): a child of a is married to a child of b.
    kids = children_of([a, b])
    kid_spouses = spouses_of(kids.get(a, []))
    for child in kids.get(a, []):
        for spouse in kid_spouses.get(child, []):
            if spouse in kids.get(b, []):
                result.kind = "affinal"
                result.path = [
                    Step(a, ""),
                    Step(child, "child"),
                    Step(spouse, "spouse"),
                    Step(b, "parent"),
                ]
                return result
    return result


# -- жеті ата ----------------------------------------------------------------------------------


@dataclass
class JetiAta:
    line_a: list[int]  # [a, father, grandfather, …] up to seven generations
    line_b: list[int] = field(default_factory=list)
    common: int | None = None
    generations_a: int | None = None
    generations_b: int | None = None
    loop: list[int] = field(default_factory=list)

    @property
    def within_seven(self) -> bool:
        return self.common is not None


def _paternal_line(anc: _Ancestry, edges: list[ParentEdge], depth: int) -> list[int]:
    """The line of fathers from the seed: the first father recorded at each step."""
    fathers: dict[int, int] = {}
    for edge in sorted(edges, key=lambda e: (e.depth, e.family)):
        if edge.seed == anc.seed:
            fathers.setdefault(edge.child, edge.parent)
    line = [anc.seed]
    seen = {anc.seed}
    while len(line) <= depth and line[-1] in fathers:
        father = fathers[line[-1]]
        if father in seen:
            break
        line.append(father)
        seen.add(father)
    return line


def jeti_ata(a: int, b: int | None = None, *, depth: int = JETI_ATA) -> JetiAta:
    """The paternal line of ``a`` up to seven fathers, and, given ``b``, whether the two share
    a paternal ancestor within seven generations (the traditional bar to marriage)."""
    seeds = [a] if b is None or b == a else [a, b]
    edges = ancestor_edges(seeds, depth, paternal=True)
    anc = _ancestries(edges, seeds)
    result = JetiAta(line_a=_paternal_line(anc[a], edges, depth), loop=_loop_in(edges))
    if b is None or b == a:
        return result
    result.line_b = _paternal_line(anc[b], edges, depth)
    position_b = {p: i for i, p in enumerate(result.line_b)}
    for i, person in enumerate(result.line_a):
        if person in position_b:
            result.common = person
            result.generations_a = i
            result.generations_b = position_b[person]
            result.line_a = result.line_a[: i + 1]
            result.line_b = result.line_b[: position_b[person] + 1]
            break
    return result


# -- consanguinity -----------------------------------------------------------------------------


@dataclass
class Consanguinity:
    kinship: float  # Malécot's coefficient of kinship φ: the inbreeding coefficient of a child
    loop: list[int] = field(default_factory=list)

    @property
    def relationship(self) -> float:
        """Wright's coefficient of relationship r = 2φ (for parents who are not inbred)."""
        return 2 * self.kinship


def consanguinity(a: int, b: int, *, depth: int = CONSANGUINITY_DEPTH) -> Consanguinity:
    """The coefficient of kinship of ``a`` and ``b`` by blood links within ``depth``
    generations (adoptive, foster and step links do not count)."""
    edges = ancestor_edges([a, b], depth, blood=True)
    parents: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        if edge.parent not in parents[edge.child]:
            parents[edge.child].append(edge.parent)
    graph = {child: set(ps) for child, ps in parents.items()}
    loop = find_cycle(graph)
    if loop:
        return Consanguinity(0.0, loop)
    # Children before parents (Kahn): a person can only be an ancestor of someone before them.
    nodes = {a, b} | set(parents) | {p for ps in parents.values() for p in ps}
    indegree = dict.fromkeys(nodes, 0)
    for ps in parents.values():
        for p in ps:
            indegree[p] += 1
    order: dict[int, int] = {}
    queue = deque(n for n in nodes if indegree[n] == 0)
    while queue:
        node = queue.popleft()
        order[node] = len(order)
        for p in parents.get(node, ()):
            indegree[p] -= 1
            if indegree[p] == 0:
                queue.append(p)
    memo: dict[tuple[int, int], float] = {}

    def phi(x: int, y: int) -> float:
        key = (x, y) if x <= y else (y, x)
        if key in memo:
            return memo[key]
        if x == y:
            ps = parents.get(x, [])
            value = 0.5 * (1 + (phi(ps[0], ps[1]) if len(ps) >= 2 else 0.0))
        else:
            lower, other = (x, y) if order[x] < order[y] else (y, x)
            ps = parents.get(lower, [])[:2]
            value = 0.5 * sum(phi(p, other) for p in ps)
        memo[key] = value
        return value

    return Consanguinity(phi(a, b) if a != b else 0.5)
