"""The living rule (genealogy.privacy.tree_living_update) and who may see what."""

import datetime

import pytest

from genealogy import models as g
from genealogy import privacy
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import (
    FamilyFactory,
    PersonFactory,
    PublishedTreeFactory,
    TreeFactory,
    TreeMembershipFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 1)


def year(y: int) -> int:
    return privacy.jdn(datetime.date(y, 6, 1))


def event(person, event_type, when=None, *, family=None):
    ev = g.Event.objects.create(
        tree=person.tree if person else family.tree,
        event_type=event_type,
        date_start_jdn=when,
        date_end_jdn=when,
        date_sort=when,
    )
    if family is not None:
        g.EventParticipant.objects.create(event=ev, family=family, tree=family.tree, role="family")
    else:
        g.EventParticipant.objects.create(event=ev, person=person, tree=person.tree)
    return ev


def child_of(family, person):
    return g.ChildLink.objects.create(family=family, child=person, tree=family.tree)


def living(person) -> bool:
    privacy.tree_living_update(tree=person.tree, today=TODAY)
    person.refresh_from_db()
    return person.living


@pytest.fixture
def tree():
    return PublishedTreeFactory()


def test_person_without_any_evidence_is_living(tree):
    assert living(PersonFactory(tree=tree)) is True


def test_death_without_a_date_means_dead(tree):
    person = PersonFactory(tree=tree)
    event(person, "DEAT")
    assert living(person) is False


@pytest.mark.parametrize("event_type", ["BURI", "CREM"])
def test_burial_or_cremation_means_dead(tree, event_type):
    person = PersonFactory(tree=tree)
    event(person, event_type)
    assert living(person) is False


def test_birth_more_than_110_years_ago_means_dead(tree):
    person = PersonFactory(tree=tree)
    event(person, "BIRT", year(1910))
    assert living(person) is False


def test_birth_less_than_110_years_ago_means_living(tree):
    person = PersonFactory(tree=tree)
    event(person, "BIRT", year(1920))
    assert living(person) is True


def test_parent_born_155_years_ago_makes_the_child_dead(tree):
    parent, child = PersonFactory(tree=tree), PersonFactory(tree=tree)
    event(parent, "BIRT", year(1860))
    child_of(FamilyFactory(tree=tree, partner1=parent), child)
    assert living(child) is False


def test_own_recent_birth_outweighs_an_old_parent(tree):
    """A tree error (a father born in 1860 for a child born in 1995) must not publish the
    child: their own dated birth decides, as in Gramps' probably_alive."""
    parent, child = PersonFactory(tree=tree), PersonFactory(tree=tree)
    event(parent, "BIRT", year(1860))
    event(child, "BIRT", year(1995))
    child_of(FamilyFactory(tree=tree, partner1=parent), child)
    assert living(child) is True
    assert living(parent) is False


def test_own_recent_birth_outweighs_an_old_marriage_and_an_old_spouse(tree):
    husband, wife = PersonFactory(tree=tree), PersonFactory(tree=tree)
    family = FamilyFactory(tree=tree, partner1=husband, partner2=wife)
    event(None, "MARR", year(1880), family=family)
    event(husband, "BIRT", year(1850))
    event(wife, "BIRT", year(1990))
    assert living(wife) is True
    assert living(husband) is False


def test_parent_born_120_years_ago_leaves_the_child_living(tree):
    parent, child = PersonFactory(tree=tree), PersonFactory(tree=tree)
    event(parent, "BIRT", year(1905))
    child_of(FamilyFactory(tree=tree, partner1=parent), child)
    assert living(child) is True


def test_child_born_more_than_95_years_ago_makes_the_parent_dead(tree):
    parent, child = PersonFactory(tree=tree), PersonFactory(tree=tree)
    event(child, "BIRT", year(1925))
    child_of(FamilyFactory(tree=tree, partner2=parent), child)
    assert living(parent) is False


def test_sibling_born_more_than_130_years_ago_makes_a_sibling_dead(tree):
    elder, younger = PersonFactory(tree=tree), PersonFactory(tree=tree)
    family = FamilyFactory(tree=tree)
    child_of(family, elder)
    child_of(family, younger)
    event(elder, "BIRT", year(1890))
    assert living(younger) is False


def test_spouse_born_more_than_130_years_ago_makes_the_spouse_dead(tree):
    husband, wife = PersonFactory(tree=tree), PersonFactory(tree=tree)
    FamilyFactory(tree=tree, partner1=husband, partner2=wife)
    event(husband, "BIRT", year(1890))
    assert living(wife) is False


def test_marriage_more_than_95_years_ago_makes_both_partners_dead(tree):
    husband, wife = PersonFactory(tree=tree), PersonFactory(tree=tree)
    family = FamilyFactory(tree=tree, partner1=husband, partner2=wife)
    event(None, "MARR", year(1925), family=family)
    assert living(wife) is False


def test_living_count_is_returned(tree):
    PersonFactory(tree=tree)
    dead = PersonFactory(tree=tree)
    event(dead, "DEAT")
    assert privacy.tree_living_update(tree=tree, today=TODAY) == 1


def test_import_computes_the_living_flag():
    from tests.genealogy.factories import import_tree

    gedcom = (
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
        "0 @I1@ INDI\n1 NAME Old /One/\n1 BIRT\n2 DATE 1850\n"
        "0 @I2@ INDI\n1 NAME New /One/\n1 BIRT\n2 DATE 2001\n0 TRLR\n"
    )
    tree = import_tree(gedcom, slug="living-import")
    flags = dict(g.Person.objects.filter(tree=tree).values_list("xref", "living"))
    assert flags == {"I1": False, "I2": True}


def test_import_weighs_relatives_defined_after_the_person():
    """The flags are written with the people, after every family and event is read: a family
    listed before its members, and a parent who comes after the child, still count."""
    from tests.genealogy.factories import import_tree

    gedcom = (
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
        "0 @F1@ FAM\n1 HUSB @I2@\n1 CHIL @I1@\n1 CHIL @I3@\n"
        "0 @I1@ INDI\n1 NAME Child /One/\n1 FAMC @F1@\n"
        "0 @I3@ INDI\n1 NAME Young /One/\n1 BIRT\n2 DATE 2001\n1 FAMC @F1@\n"
        "0 @I2@ INDI\n1 NAME Father /One/\n1 BIRT\n2 DATE 1801\n1 FAMS @F1@\n"
        "0 @I4@ INDI\n1 NAME Nobody /Else/\n0 TRLR\n"
    )
    tree = import_tree(gedcom, slug="living-order")
    flags = dict(g.Person.objects.filter(tree=tree).values_list("xref", "living"))
    assert flags == {"I1": False, "I2": False, "I3": True, "I4": True}


@pytest.mark.parametrize("people", [60, 400])
def test_import_flags_equal_the_recomputed_ones(people):
    """The importer's flags (written with the people) and tree_living_update's (recomputed
    over the stored rows) come from the same SQL and agree on a synthetic tree."""
    import io

    from bench.generate_gedcom import generate
    from tests.genealogy.factories import import_tree

    out = io.BytesIO()
    generate(people, 7, out)
    out.seek(0)
    tree = import_tree(out, slug=f"living-synthetic-{people}")
    imported = dict(g.Person.objects.filter(tree=tree).values_list("pk", "living"))
    assert len(imported) == people
    assert set(imported.values()) == {True, False}  # the tree has both, or nothing is compared
    privacy.tree_living_update(tree=tree)
    assert dict(g.Person.objects.filter(tree=tree).values_list("pk", "living")) == imported


def random_tree_gedcom(seed: int, people: int = 40) -> str:
    """A small tree that exercises every branch of the living rule: births, christenings,
    deaths, burials and other events dated around each cutoff (or undated, or open-ended),
    families with one or two partners, several children, shared children, FAMC-only links and
    links to people the file never defines."""
    import random

    rng = random.Random(seed)
    this_year = datetime.date.today().year
    margins = (0, 155, 111, 95, 80, 130, 130, 95)  # around every cutoff of the rule

    def date() -> str:
        year = this_year - privacy.MAX_AGE_YEARS - rng.choice(margins) + rng.randint(-2, 2)
        form = rng.choice(["{y}", "{y}", "ABT {y}", "BEF {y}", "AFT {y}", "BET {y} AND {z}"])
        return form.format(y=year, z=year + rng.randint(0, 30))

    lines = ["0 HEAD", "1 GEDC", "2 VERS 5.5.1", "1 CHAR UTF-8"]
    famc: dict[int, list[int]] = {}
    families = []
    for number in range(1, people // 3 + 1):
        husband, wife = rng.randint(1, people), rng.randint(1, people)
        record = [f"0 @F{number}@ FAM"]
        if rng.random() < 0.8:
            record.append(f"1 HUSB @I{husband}@")
        if rng.random() < 0.8:
            record.append(f"1 WIFE @I{wife}@")
        if rng.random() < 0.5:
            record += ["1 MARR", f"2 DATE {date()}"]
        for child in rng.sample(range(1, people + 1), rng.randint(0, 4)):
            if rng.random() < 0.8:
                record.append(f"1 CHIL @I{child}@")
            else:  # only the child's FAMC says so
                famc.setdefault(child, []).append(number)
        if rng.random() < 0.1:
            record.append("1 CHIL @I999@")  # never defined
        families.append(record)
    for number in range(1, people + 1):
        lines += [f"0 @I{number}@ INDI", f"1 NAME Person /N{number}/"]
        for _ in range(rng.randint(0, 3)):
            tag = rng.choice(["BIRT", "CHR", "BAPM", "DEAT", "BURI", "CREM", "RESI", "OCCU"])
            lines.append(f"1 {tag}")
            if rng.random() < 0.8:
                lines.append(f"2 DATE {date()}")
        for family in famc.get(number, []):
            lines.append(f"1 FAMC @F{family}@")
    for record in families:
        lines += record
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(12))
def test_the_importers_rule_in_memory_agrees_with_the_sql(seed):
    """LivingRule (the importer, over what it read) and tree_living_update (SQL over the stored
    rows) give every person the same flag."""
    from tests.genealogy.factories import import_tree

    tree = import_tree(random_tree_gedcom(seed), slug=f"living-random-{seed}")
    imported = dict(g.Person.objects.filter(tree=tree).values_list("xref", "living"))
    privacy.tree_living_update(tree=tree)
    assert dict(g.Person.objects.filter(tree=tree).values_list("xref", "living")) == imported
    assert set(imported.values()) == {True, False}


class TestLivingRule:
    """LivingRule.dead_ids on hand-made evidence: the relatives' rules one by one."""

    rule = privacy.LivingRule(TODAY)

    def born(self, y: int) -> int:
        return self.rule.person_flags(year(y), None, year(y), False)

    def dead(self, flags, partners=None, links=(), old_families=()):
        # dead_ids writes its findings into the flags: a copy for each call.
        return self.rule.dead_ids(dict(flags), partners or {}, list(links), set(old_families))

    def test_own_evidence(self):
        flags = {
            1: self.rule.person_flags(None, None, None, True),  # a death without a date
            2: self.born(1900),  # born over 110 years ago
            3: self.born(2000),
            4: self.rule.person_flags(None, None, year(1890), False),  # an old residence
            5: 0,  # nothing known
        }
        assert self.dead(flags) == [1, 2, 4]

    def test_what_the_own_bits_settle_no_relative_changes(self):
        """living_by_own (the importer writes these people at once) against dead_ids over
        every combination of own bits, with and without each relative's finding."""
        relatives = [
            ({}, [], ()),
            ({10: (1, 2)}, [], (10,)),  # an old marriage
            ({10: (2, 3)}, [(10, 1)], ()),  # an old parent
            ({}, [(10, 1), (10, 2)], ()),  # an old sibling
        ]
        settled = 0
        for own in range(2 * privacy._OLD_AS_SPOUSE):
            verdict = privacy.LivingRule.living_by_own(own)
            old = self.born(1850)
            for partners, links, old_families in relatives:
                flags = {1: own, 2: old, 3: old}
                dead = 1 in self.dead(flags, partners, links, old_families)
                if verdict is not None:
                    assert verdict is not dead, (own, partners, links)
            settled += verdict is not None
        # Half the combinations have a death bit, a quarter more a dated birth.
        assert settled == 3 * privacy._OLD_AS_SPOUSE // 2
        # Waiting is needed: a person without either is dead only by a relative.
        assert self.dead({1: 0, 2: old}, {10: (2, 0)}, [(10, 1)]) == [1, 2]

    def test_a_sibling_old_enough_makes_the_others_dead_but_not_a_dated_birth(self):
        flags = {1: self.born(1880), 2: 0, 3: self.born(2000), 4: 0}
        links = [(10, 1), (10, 2), (10, 3), (11, 4)]
        # 1 is dead by its own birth; 2 by its sibling; 3 has a dated birth; 4 is elsewhere.
        assert self.dead(flags, links=links) == [1, 2]

    def test_parents_children_grandparents_spouses_and_marriages(self):
        old_parent = self.born(1850)
        old_grandchild = self.born(1940)  # not dead itself, nor old enough as a child
        flags = {1: old_parent, 2: 0, 3: 0, 4: old_grandchild, 5: 0, 6: 0, 7: 0, 8: 0}
        partners = {10: (1, 0), 11: (2, 5), 12: (6, 0), 13: (7, 8)}
        links = [(10, 2), (11, 3), (12, 7)]
        # 2: child of an old parent; 3 has no evidence nearby; 4 alone.
        assert self.dead(flags, partners, links) == [1, 2]
        # 4 is 3's child: 3's parents (2 and 5) are its grandparents.
        links.append((14, 4))
        partners[14] = (3, 0)
        assert self.dead(flags, partners, links) == [1, 2, 5]
        # A family event old enough: both partners of family 13.
        assert self.dead(flags, partners, links, {13}) == [1, 2, 5, 7, 8]

    def test_a_spouse_born_long_ago(self):
        flags = {1: self.born(1880), 2: 0, 3: 0}
        assert self.dead(flags, {10: (1, 2), 11: (3, 0)}) == [1, 2]

    def test_a_parent_dead_long_ago(self):
        flags = {1: self.rule.person_flags(None, year(1900), year(1900), True), 2: 0}
        assert self.dead(flags, {10: (1, 0)}, [(10, 2)]) == [1, 2]


# -- who sees what -----------------------------------------------------------------------------


def dead_person(tree, **kwargs):
    person = PersonFactory(tree=tree, living=False, **kwargs)
    return person


def test_anonymous_sees_a_dead_person_of_a_public_tree(tree):
    assert privacy.person_is_visible(None, dead_person(tree)) is True


def test_anonymous_does_not_see_a_living_person(tree):
    assert privacy.person_is_visible(None, PersonFactory(tree=tree)) is False


@pytest.mark.parametrize("resn", ["confidential", "locked", "privacy"])
def test_restriction_hides_a_dead_person(tree, resn):
    assert privacy.person_is_visible(None, dead_person(tree, resn=resn)) is False


def test_private_flag_hides_a_dead_person(tree):
    assert privacy.person_is_visible(None, dead_person(tree, private=True)) is False


def test_owner_sees_a_living_person(tree):
    assert privacy.person_is_visible(tree.owner, PersonFactory(tree=tree)) is True


def test_invited_member_sees_a_living_person(tree):
    member = TreeMembershipFactory(tree=tree).user
    assert privacy.person_is_visible(member, PersonFactory(tree=tree)) is True


def test_signed_in_stranger_does_not_see_a_living_person(tree):
    assert privacy.person_is_visible(UserFactory(), PersonFactory(tree=tree)) is False


def test_staff_sees_a_living_person(tree):
    assert privacy.person_is_visible(SuperUserFactory(), PersonFactory(tree=tree)) is True


def test_private_tree_is_closed_to_a_stranger_and_open_to_a_member():
    tree = TreeFactory(visibility=g.Visibility.PRIVATE)
    member = TreeMembershipFactory(tree=tree).user
    assert privacy.can_view_tree(UserFactory(), tree) is False
    assert privacy.can_view_tree(member, tree) is True


def test_members_only_tree_is_closed_to_anonymous_and_open_to_signed_in():
    tree = PublishedTreeFactory(visibility=g.Visibility.USERS)
    assert privacy.can_view_tree(None, tree) is False
    assert privacy.can_view_tree(UserFactory(), tree) is True


def test_unapproved_public_tree_is_closed_to_anonymous():
    tree = TreeFactory(visibility=g.Visibility.PUBLIC)
    assert privacy.can_view_tree(None, tree) is False


def test_visible_people_leaves_out_the_living_for_anonymous(tree):
    dead = dead_person(tree)
    PersonFactory(tree=tree)
    assert list(privacy.visible_people(None)) == [dead]


def test_visible_people_gives_a_member_everyone_in_their_private_tree():
    tree = TreeFactory(visibility=g.Visibility.PRIVATE)
    member = TreeMembershipFactory(tree=tree).user
    people = {PersonFactory(tree=tree), dead_person(tree)}
    assert set(privacy.visible_people(member)) == people


def test_visible_people_filters_a_given_queryset(tree):
    first, second = dead_person(tree), dead_person(tree)
    queryset = g.Person.objects.filter(pk=second.pk)
    assert list(privacy.visible_people(None, queryset)) == [second]
    assert first not in privacy.visible_people(None, queryset)


def test_tree_visible_to_lists_a_private_tree_for_its_member_once():
    tree = TreeFactory(visibility=g.Visibility.PRIVATE)
    member = TreeMembershipFactory(tree=tree).user
    TreeMembershipFactory(tree=tree)
    assert list(g.Tree.objects.visible_to(member)) == [tree]


def test_reimport_keeps_the_invited_members():
    from tests.genealogy.factories import import_tree

    gedcom = "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n0 @I1@ INDI\n1 NAME A /B/\n0 TRLR\n"
    tree = import_tree(gedcom, slug="members-kept")
    member = TreeMembershipFactory(tree=tree).user
    tree = import_tree(gedcom, slug="members-kept")
    assert g.TreeMembership.objects.filter(tree=tree, user=member).exists()
