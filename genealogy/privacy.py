"""Privacy of the living: who may open a tree, and whose details they may see.

Every surface that shows people of a family tree (pages, charts, relationship results,
statistics, indexes, search, feeds, exports) asks this module, never the models directly:

- :func:`can_view_tree` — may ``user`` open ``tree`` at all (its visibility, moderation,
  owner, invited members, staff);
- :func:`has_full_access` — may ``user`` see everything in ``tree``, living people included
  (owner, invited members, staff);
- :func:`person_is_visible` — may ``user`` see this person's details;
- :func:`visible_people` — a QuerySet of the persons whose details ``user`` may see;
- :class:`TreeViewer` — the same answers for one request and one tree, computed once.

A person is *hidden* from everyone without full access when they are probably living, flagged
private, or restricted by GEDCOM RESN (confidential, locked or privacy): the restriction wins
over any evidence of death. "Probably living" is the stored ``Person.living`` flag that
the importer writes with the people (:class:`LivingRule`, over what it read) and
:func:`tree_living_update` recomputes in bulk after edits (set-wise SQL, so it stays fast for
a million people), with a rule in the spirit of Gramps' ``probably_alive`` and webtrees'
``isDead``:

- a death, burial or cremation event (with or without a date) → dead;
- any own event dated more than 110 years ago (a birth among them) → dead;
- a family event (marriage, …) dated more than 95 years ago → both partners dead;
- a parent born more than 155 years ago, or dead more than 111 years ago → dead;
- a sibling or spouse born more than 130 years ago → dead;
- a child born more than 95 years ago, a grandchild more than 80 years ago → dead;
- otherwise, no evidence at all → living.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import models as g

MAX_AGE_YEARS = 110
# How much older than a person each relative can be at most, or younger at least: a relative's
# date before today minus (MAX_AGE_YEARS + margin) means the person was born over 110 years ago.
PARENT_BIRTH_MARGIN = 45  # a parent is at most this much older (webtrees uses the same)
PARENT_DEATH_MARGIN = 1  # a child is born at most nine months after the father's death
SIBLING_MARGIN = 20  # Gramps' MAX_SIB_AGE_DIFF
SPOUSE_MARGIN = 20
CHILD_MARGIN = -15  # a parent is at least 15 at a child's birth
GRANDCHILD_MARGIN = -30
MARRIAGE_MARGIN = -15  # at least 15 at a marriage

HIDDEN_RESTRICTIONS = (
    g.Restriction.CONFIDENTIAL,
    g.Restriction.LOCKED,
    g.Restriction.PRIVACY,
)
BIRTH_EVENT_TYPES = ("BIRT", "CHR", "BAPM")

PRIVATE_LABEL = _("Private")

# Julian Day Number of 0001-01-01 minus its proleptic Gregorian ordinal.
_JDN_OFFSET = 1721425


def jdn(day: datetime.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


# -- trees -------------------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def _is_staff(user) -> bool:
    return _signed_in(user) and bool(user.is_staff or user.is_superuser)


def is_member(user, tree: g.Tree) -> bool:
    if not _signed_in(user):
        return False
    return g.TreeMembership.objects.filter(tree=tree, user=user).exists()


def has_full_access(user, tree: g.Tree) -> bool:
    """The owner, invited members and staff see everything in the tree, the living included."""
    if not _signed_in(user):
        return False
    if _is_staff(user) or (tree.owner_id is not None and tree.owner_id == user.pk):
        return True
    return is_member(user, tree)


def can_view_tree(user, tree: g.Tree) -> bool:
    """Whether ``user`` may open ``tree``: approved public trees for everyone, approved
    members-only trees when signed in, any tree for its owner, members and staff."""
    if tree.moderation_state == g.ModerationState.APPROVED:
        if tree.visibility == g.Visibility.PUBLIC:
            return True
        if tree.visibility == g.Visibility.USERS and _signed_in(user):
            return True
    return has_full_access(user, tree)


def full_access_trees(user) -> QuerySet[g.Tree]:
    if not _signed_in(user):
        return g.Tree.objects.none()
    if _is_staff(user):
        return g.Tree.objects.all()
    return g.Tree.objects.filter(
        Q(owner=user) | Q(pk__in=g.TreeMembership.objects.filter(user=user).values("tree"))
    )


def viewable_trees(user) -> QuerySet[g.Tree]:
    """Trees ``user`` may open (the QuerySet form of :func:`can_view_tree`)."""
    return g.Tree.objects.visible_to(user)


# -- people ------------------------------------------------------------------------------------


def hidden_q(prefix: str = "") -> Q:
    """Persons hidden from those without full access (``prefix`` e.g. ``"partner1__"``)."""
    return (
        Q(**{f"{prefix}living": True})
        | Q(**{f"{prefix}private": True})
        | Q(**{f"{prefix}resn__in": HIDDEN_RESTRICTIONS})
    )


def person_is_hidden_record(person: g.Person) -> bool:
    """Whether the record itself is living, private or restricted (who looks does not matter)."""
    return bool(person.living or person.private or person.resn in HIDDEN_RESTRICTIONS)


def person_is_visible(user, person: g.Person) -> bool:
    """Whether ``user`` may see the details of ``person``."""
    tree = person.tree
    if not can_view_tree(user, tree):
        return False
    return not person_is_hidden_record(person) or has_full_access(user, tree)


def visible_people(user, queryset: QuerySet[g.Person] | None = None) -> QuerySet[g.Person]:
    """The persons of ``queryset`` (all persons by default) whose details ``user`` may see:
    everyone in trees they have full access to; in other trees they may open, the people who
    are neither probably living, nor private, nor restricted."""
    if queryset is None:
        queryset = g.Person.objects.all()
    if _is_staff(user):
        return queryset
    shown = Q(tree__in=viewable_trees(user).values("pk")) & ~hidden_q()
    if _signed_in(user):
        shown |= Q(tree__in=full_access_trees(user).values("pk"))
    return queryset.filter(shown)


@dataclass
class TreeViewer:
    """One user looking at one tree: the access answers, computed once per request."""

    user: object
    tree: g.Tree
    full_access: bool = field(init=False)
    can_view: bool = field(init=False)

    def __post_init__(self) -> None:
        self.full_access = has_full_access(self.user, self.tree)
        self.can_view = self.full_access or can_view_tree(self.user, self.tree)

    def shows(self, person: g.Person | None) -> bool:
        """Whether the details of ``person`` (a row with living/private/resn) may be shown."""
        if person is None or not self.can_view:
            return False
        return self.full_access or not person_is_hidden_record(person)

    def shows_row(self, living: bool, private: bool, resn: str) -> bool:
        """:meth:`shows` for raw SQL rows."""
        if not self.can_view:
            return False
        return self.full_access or not (living or private or resn in HIDDEN_RESTRICTIONS)

    def shows_record(self, record) -> bool:
        """Whether a sub-record (name, event, note, citation, media) flagged ``private`` or
        restricted may be shown."""
        if self.full_access:
            return True
        if getattr(record, "private", False):
            return False
        return getattr(record, "resn", "") not in HIDDEN_RESTRICTIONS


# -- the living flag ---------------------------------------------------------------------------


def without_jit(cursor) -> None:
    """Switch PostgreSQL's JIT compiler off for the rest of the transaction. The set-wise
    queries over a whole tree have huge cost estimates, so PostgreSQL compiles them, and the
    compiling took 2.5 s of the 3 s the living-flag query needed for 100,000 people here."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL jit = off")


def _cutoffs(today: datetime.date | None) -> dict[str, int]:
    """The day (JDN) before which each kind of evidence shows a person dead: the SQL's
    parameters and LivingRule's attributes."""
    today = today or datetime.date.today()
    margins = {
        "own": 0,
        "marriage": MARRIAGE_MARGIN,
        "parent_birth": PARENT_BIRTH_MARGIN,
        "parent_death": PARENT_DEATH_MARGIN,
        "child": CHILD_MARGIN,
        "grandchild": GRANDCHILD_MARGIN,
        "sibling": SIBLING_MARGIN,
        "spouse": SPOUSE_MARGIN,
    }
    return {
        name: jdn(_years_before(today, MAX_AGE_YEARS + margin)) for name, margin in margins.items()
    }


def _dead_cte(tree_id: int, today: datetime.date | None) -> tuple[str, dict]:
    """``WITH … dead AS (SELECT pid …)``: the people of the tree that the evidence shows to be
    dead, read from events, families and child links only. Returns the SQL and its parameters.
    :class:`LivingRule` is the same rule over evidence in memory: change both together."""
    t = {
        model.__name__: connection.ops.quote_name(model._meta.db_table)
        for model in (g.Event, g.EventParticipant, g.Family, g.ChildLink)
    }
    births = ", ".join(f"'{code}'" for code in BIRTH_EVENT_TYPES)
    deaths = ", ".join(f"'{code}'" for code in sorted(g.DEATH_EVENT_TYPES))
    sql = f"""
    WITH own_events AS (
        SELECT ep.person_id AS pid, e.event_type AS etype, e.date_end_jdn AS dend
        FROM {t["EventParticipant"]} ep JOIN {t["Event"]} e ON e.id = ep.event_id
        WHERE ep.tree_id = %(tree)s AND e.tree_id = %(tree)s AND ep.person_id IS NOT NULL
            AND ep.role = 'primary'
    ),
    births AS (
        SELECT pid, MIN(dend) AS bend FROM own_events
        WHERE etype IN ({births}) AND dend IS NOT NULL GROUP BY pid
    ),
    deaths AS (
        SELECT pid, MIN(dend) AS dend FROM own_events WHERE etype IN ({deaths}) GROUP BY pid
    ),
    parent_edges AS (
        SELECT cl.child_id AS child, f.partner1_id AS parent
        FROM {t["ChildLink"]} cl JOIN {t["Family"]} f ON f.id = cl.family_id
        WHERE cl.tree_id = %(tree)s AND f.tree_id = %(tree)s AND f.partner1_id IS NOT NULL
        UNION ALL
        SELECT cl.child_id, f.partner2_id
        FROM {t["ChildLink"]} cl JOIN {t["Family"]} f ON f.id = cl.family_id
        WHERE cl.tree_id = %(tree)s AND f.tree_id = %(tree)s AND f.partner2_id IS NOT NULL
    ),
    spouse_edges AS (
        SELECT partner1_id AS a, partner2_id AS b FROM {t["Family"]}
        WHERE tree_id = %(tree)s AND partner1_id IS NOT NULL AND partner2_id IS NOT NULL
        UNION ALL
        SELECT partner2_id, partner1_id FROM {t["Family"]}
        WHERE tree_id = %(tree)s AND partner1_id IS NOT NULL AND partner2_id IS NOT NULL
    ),
    family_dates AS (
        SELECT ep.family_id AS fid, MIN(e.date_end_jdn) AS dend
        FROM {t["EventParticipant"]} ep JOIN {t["Event"]} e ON e.id = ep.event_id
        WHERE ep.tree_id = %(tree)s AND e.tree_id = %(tree)s AND ep.family_id IS NOT NULL
            AND e.date_end_jdn IS NOT NULL
        GROUP BY ep.family_id
    ),
    estimated AS (
        SELECT f.partner1_id AS pid FROM family_dates fd JOIN {t["Family"]} f ON f.id = fd.fid
            WHERE f.tree_id = %(tree)s AND fd.dend < %(marriage)s AND f.partner1_id IS NOT NULL
        UNION SELECT f.partner2_id FROM family_dates fd JOIN {t["Family"]} f ON f.id = fd.fid
            WHERE f.tree_id = %(tree)s AND fd.dend < %(marriage)s AND f.partner2_id IS NOT NULL
        UNION SELECT pe.child FROM parent_edges pe JOIN births b ON b.pid = pe.parent
            WHERE b.bend < %(parent_birth)s
        UNION SELECT pe.child FROM parent_edges pe JOIN deaths d ON d.pid = pe.parent
            WHERE d.dend < %(parent_death)s
        UNION SELECT pe.parent FROM parent_edges pe JOIN births b ON b.pid = pe.child
            WHERE b.bend < %(child)s
        UNION SELECT up.parent FROM parent_edges up
            JOIN parent_edges down ON down.parent = up.child
            JOIN births b ON b.pid = down.child
            WHERE b.bend < %(grandchild)s
        UNION SELECT c1.child_id FROM {t["ChildLink"]} c1
            JOIN {t["ChildLink"]} c2 ON c2.family_id = c1.family_id AND c2.child_id <> c1.child_id
            JOIN births b ON b.pid = c2.child_id
            WHERE c1.tree_id = %(tree)s AND b.bend < %(sibling)s
        UNION SELECT s.a FROM spouse_edges s JOIN births b ON b.pid = s.b
            WHERE b.bend < %(spouse)s
    ),
    dead AS (
        SELECT pid FROM deaths
        UNION SELECT pid FROM own_events WHERE dend < %(own)s
        -- A person's own dated birth outweighs estimates from relatives (as in Gramps'
        -- probably_alive): a child born in 1995 stays living though the tree gives them a
        -- father born in 1860.
        UNION SELECT es.pid FROM estimated es
            WHERE NOT EXISTS (SELECT 1 FROM births b WHERE b.pid = es.pid)
    )
    """  # noqa: S608 -- table names and event codes come from the models, values are bound
    params = {"tree": tree_id, **_cutoffs(today)}
    return sql, params


# What one person's own events show, as bits (see LivingRule.person_flags).
_DEAD = 1  # a death, burial or cremation, or any own event over 110 years ago
_BORN = 2  # a dated birth: estimates from relatives do not count
_OLD_AS_PARENT = 4  # born or dead long enough ago to make their children dead
_OLD_AS_CHILD = 8  # born long enough ago to make their parents dead
_OLD_AS_GRANDCHILD = 16
_OLD_AS_SIBLING = 32
_OLD_AS_SPOUSE = 64
# What LivingRule.dead_ids finds from the relatives.
_ESTIMATED = 128  # dead by a relative's dates (unless born on a known date)
_OLD_CHILD_OF_CHILD = 256  # has a child whose child is old enough for its grandparents
_NO_PARTNERS = (0, 0)


class LivingRule:
    """The rule of :func:`_dead_cte` over evidence held in memory: the importer gathers it
    while it reads the file and needs no query over the rows it wrote (2.4 s of a 100,000-person
    import here, with the importer waiting). The SQL stays the form for stored trees; a test
    holds the two to the same answers.

    Per person, :meth:`person_flags` turns the own events into a few bits; per family,
    :meth:`family_is_old` tells whether a family event is old enough; :meth:`dead_ids` then
    weighs the relatives."""

    # The cutoffs, as in _cutoffs.
    own: int
    marriage: int
    parent_birth: int
    parent_death: int
    child: int
    grandchild: int
    sibling: int
    spouse: int

    def __init__(self, today: datetime.date | None = None) -> None:
        vars(self).update(_cutoffs(today))

    def person_flags(
        self, birth_end: int | None, death_end: int | None, own_end: int | None, died: bool
    ) -> int:
        """The bits for one person: the earliest end of their dated births, of their dated
        deaths and of all their dated events, and whether they have a death event at all."""
        flags = 0
        if died or (own_end is not None and own_end < self.own):
            flags = _DEAD
        if birth_end is not None:
            flags |= _BORN
            if birth_end < self.parent_birth:
                flags |= _OLD_AS_PARENT
            if birth_end < self.child:
                flags |= _OLD_AS_CHILD
            if birth_end < self.grandchild:
                flags |= _OLD_AS_GRANDCHILD
            if birth_end < self.sibling:
                flags |= _OLD_AS_SIBLING
            if birth_end < self.spouse:
                flags |= _OLD_AS_SPOUSE
        if death_end is not None and death_end < self.parent_death:
            flags |= _OLD_AS_PARENT
        return flags

    @staticmethod
    def living_by_own(flags: int) -> bool | None:
        """The living flag that a person's own bits (:meth:`person_flags`) settle whatever
        the relatives show, or None when it waits for them: a death or an old event makes
        a person dead, a dated birth that does not makes them living (estimates from
        relatives do not count against it). The importer writes the settled people at once."""
        if flags & _DEAD:
            return False
        if flags & _BORN:
            return True
        return None

    def family_is_old(self, end: int | None) -> bool:
        """Whether a family event ending on ``end`` makes both partners dead."""
        return end is not None and end < self.marriage

    @staticmethod
    def dead_ids(
        flags: MutableMapping[int, int],
        partners: Mapping[int, tuple[int, int]],
        child_links: Iterable[tuple[int, int]],
        old_families: Container[int],
    ) -> list[int]:
        """The people of ``flags`` (id → :meth:`person_flags`) that the evidence shows to be
        dead, ascending. ``partners`` maps a family to its two partners (0 for none),
        ``child_links`` lists (family, child) and is read twice, ``old_families`` are the
        families with an old enough event. The relatives' findings are written into ``flags``
        as two more bits (no sets of a million people: the importer's flags are an array)."""
        get = flags.get
        siblings: dict[int, int] = {}  # family → its one old child, or -1 for several
        for family, child in child_links:
            child_flags = get(child, 0)
            if child_flags & _OLD_AS_SIBLING:
                siblings[family] = -1 if family in siblings else child
            for parent in partners.get(family, _NO_PARTNERS):
                if not parent:
                    continue
                if get(parent, 0) & _OLD_AS_PARENT:
                    flags[child] = get(child, 0) | _ESTIMATED
                if child_flags & _OLD_AS_CHILD:
                    flags[parent] = get(parent, 0) | _ESTIMATED
                if child_flags & _OLD_AS_GRANDCHILD:
                    flags[parent] = get(parent, 0) | _OLD_CHILD_OF_CHILD
        for family, child in child_links:
            old = siblings.get(family)
            if old is not None and old != child:
                flags[child] = get(child, 0) | _ESTIMATED
            if get(child, 0) & _OLD_CHILD_OF_CHILD:  # the child's parents are grandparents
                for parent in partners.get(family, _NO_PARTNERS):
                    if parent:
                        flags[parent] = get(parent, 0) | _ESTIMATED
        for family, (first, second) in partners.items():
            if first and second:
                if get(second, 0) & _OLD_AS_SPOUSE:
                    flags[first] = get(first, 0) | _ESTIMATED
                if get(first, 0) & _OLD_AS_SPOUSE:
                    flags[second] = get(second, 0) | _ESTIMATED
            if family in old_families:
                for partner in (first, second):
                    if partner:
                        flags[partner] = get(partner, 0) | _ESTIMATED
        own = LivingRule.living_by_own
        return sorted(
            person
            for person, bits in flags.items()
            if (settled := own(bits)) is False or (settled is None and bits & _ESTIMATED)
        )


def tree_living_update(*, tree: g.Tree | int, today: datetime.date | None = None) -> int:
    """Compute ``Person.living`` for every person of ``tree`` with set-wise SQL (the same on
    SQLite and PostgreSQL); return how many are probably living. The importer does not call
    this: :class:`LivingRule` gives it the flags before it writes the people."""
    tree_id = tree if isinstance(tree, int) else tree.pk
    cte, params = _dead_cte(tree_id, today)
    person = connection.ops.quote_name(g.Person._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        without_jit(cursor)
        # Two statements, not one "SET living = id NOT IN (...)": PostgreSQL runs NOT IN over a
        # million rows as a plain subplan, IN as a hash semi-join.
        cursor.execute(
            f"UPDATE {person} SET living = %s WHERE tree_id = %s AND living = %s",  # noqa: S608
            [True, tree_id, False],
        )
        cursor.execute(
            f"{cte} UPDATE {person} SET living = %(false)s "  # noqa: S608
            "WHERE tree_id = %(tree)s AND id IN (SELECT pid FROM dead WHERE pid IS NOT NULL)",
            {**params, "false": False},
        )
    return g.Person.objects.filter(tree_id=tree_id, living=True).count()


def tree_after_import(*, new: g.Tree, old: g.Tree | None = None, living: bool = True) -> None:
    """What a finished import needs before the old tree goes: the invited members move to the
    new tree, and (unless the caller does it later, as the importer does after its commit)
    the living flags are computed."""
    if old is not None and old.pk != new.pk:
        g.TreeMembership.objects.filter(tree=old).exclude(
            user__in=g.TreeMembership.objects.filter(tree=new).values("user")
        ).update(tree=new)
    if living:
        tree_living_update(tree=new)
