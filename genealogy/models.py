"""The family-history data model: the Gramps model, extended for Kazakhstan and Central Asia.

A :class:`Tree` is one published dataset. Everything in it (people, names, families, events,
places, sources, citations, notes, media) points at the tree, keeps the cross-reference id it had
in its GEDCOM file (``xref``, without at-signs), a stable short ``public_id`` for URLs, a
``private`` flag and the GEDCOM restriction (``resn``). ``gedcom_extra`` keeps every GEDCOM
subtree the model does not hold (vendor tags such as ``_UID``, standard tags not modelled) as
nested ``[tag, value, children]`` lists, so an export writes them back where they came from.

The importer writes these tables with COPY, not with the ORM, so every default that matters is
set in Python (:func:`new_public_id`) and invariants live in the database as constraints.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PUBLIC_ID_LENGTH = 12


def new_public_id() -> str:
    """A random 72-bit id, 12 URL-safe characters."""
    return base64.urlsafe_b64encode(os.urandom(9)).decode("ascii")


# The 64 characters of URL-safe base64 in ASCII order: ids written with them sort, byte by byte
# (the column's "C" collation), as their numbers do.
_ORDERED_DIGITS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_TO_ORDERED_DIGITS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", _ORDERED_DIGITS
)
_ID_BITS = 6 * PUBLIC_ID_LENGTH
_GAP_BITS = 32


def ordered_public_ids(*, block: int = 50_000, start: int | None = None) -> Iterator[str]:
    """Public ids in increasing order, for bulk loads (the importer needs millions).

    Random ids land all over each table's unique index, and PostgreSQL reads, splits and logs
    a different page for nearly every row: the server's CPU for a 100,000-person import was
    7.8-9.4 s with random ids, 5.7-6.9 s with these (same minutes, alternating). Each id is
    the one before plus a random step of 1 to 2**32 (from a random start, ``start`` in tests),
    so every row goes to the page the last one went to; an id still tells nothing about its
    neighbours short of 2**32 guesses (ids are no secret anyway: every view checks
    permissions). The numbers are written with :data:`_ORDERED_DIGITS`, the same 64
    characters as :func:`new_public_id`'s, so ``ORDER BY public_id`` is generation order.
    Should the numbers ever run out of 72 bits, the sequence starts again at a random point.
    """
    limit = 1 << _ID_BITS
    number = secrets.randbelow(limit >> 1) if start is None else start
    while True:
        if number + (block << _GAP_BITS) >= limit:
            number = secrets.randbelow(limit >> 1)
        numbers = []
        for gap in array("I", os.urandom(4 * block)):
            number += gap + 1
            numbers.append(number.to_bytes(9, "big"))
        text = base64.urlsafe_b64encode(b"".join(numbers)).decode("ascii")
        text = text.translate(_TO_ORDERED_DIGITS)
        yield from (text[i : i + PUBLIC_ID_LENGTH] for i in range(0, len(text), PUBLIC_ID_LENGTH))


class CodeField(models.CharField):
    """A CharField for ASCII codes and ids (public ids, xrefs, type codes). On PostgreSQL the
    column uses the "C" collation: byte comparison makes its indexes several times cheaper to
    build and search than a linguistic collation, which such values never need."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not self.db_collation:
            params["collation"] = "C"
        return params


def _public_id_field() -> CodeField:
    # Unique through a constraint in Meta, not unique=True: that would add a second, LIKE-only
    # index on PostgreSQL, which nobody needs for random ids.
    return CodeField(
        _("public id"), max_length=PUBLIC_ID_LENGTH, default=new_public_id, editable=False
    )


def _nullable_fk_indexes(prefix: str, fields: list[str]) -> list[models.Index]:
    """Partial indexes for nullable links that are mostly empty: they cost nothing for the
    rows that leave them NULL, and those are most rows."""
    return [
        models.Index(
            fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"{prefix}_{name}_idx"
        )
        for name in fields
    ]


# -- choices -----------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private (owner only)")
    USERS = "users", _("Signed-in users")
    PUBLIC = "public", _("Public")


class ModerationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Restriction(models.TextChoices):
    """GEDCOM RESN."""

    NONE = "", _("None")
    CONFIDENTIAL = "confidential", _("Confidential")
    LOCKED = "locked", _("Locked")
    PRIVACY = "privacy", _("Privacy")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    INTERSEX = "X", _("Intersex / other")
    UNKNOWN = "U", _("Unknown")


class NameType(models.TextChoices):
    BIRTH = "birth", _("Birth name")
    MARRIED = "married", _("Married name")
    AKA = "aka", _("Also known as")
    IMMIGRANT = "immigrant", _("Immigrant name")
    PROFESSIONAL = "professional", _("Professional name")
    RELIGIOUS = "religious", _("Religious name")
    RUSSIFIED = "russified", _("Russified name")
    RESTORED = "restored", _("Restored name")
    MAIDEN = "maiden", _("Maiden name")
    PHONETIC = "phonetic", _("Phonetic variant")
    ROMANIZED = "romanized", _("Romanized variant")
    TRANSLATION = "translation", _("Translation")
    OTHER = "other", _("Other")


class FamilyRelationship(models.TextChoices):
    MARRIED = "married", _("Married")
    UNMARRIED = "unmarried", _("Unmarried")
    CIVIL_UNION = "civil_union", _("Civil union")
    UNKNOWN = "unknown", _("Unknown")


class Pedigree(models.TextChoices):
    """How a child is related to one parent of a family."""

    BIRTH = "birth", _("Birth")
    ADOPTED = "adopted", _("Adopted")
    FOSTER = "foster", _("Foster")
    STEP = "step", _("Step")
    SEALING = "sealing", _("Sealing")
    UNKNOWN = "unknown", _("Unknown")


class EventType(models.TextChoices):
    """GEDCOM individual and family events and attributes (by their tag), plus this region's."""

    # individual events
    BIRTH = "BIRT", _("Birth")
    CHRISTENING = "CHR", _("Christening")
    DEATH = "DEAT", _("Death")
    BURIAL = "BURI", _("Burial")
    CREMATION = "CREM", _("Cremation")
    ADOPTION = "ADOP", _("Adoption")
    BAPTISM = "BAPM", _("Baptism")
    BAR_MITZVAH = "BARM", _("Bar mitzvah")
    BAT_MITZVAH = "BASM", _("Bat mitzvah")
    BLESSING = "BLES", _("Blessing")
    ADULT_CHRISTENING = "CHRA", _("Adult christening")
    CONFIRMATION = "CONF", _("Confirmation")
    FIRST_COMMUNION = "FCOM", _("First communion")
    ORDINATION = "ORDN", _("Ordination")
    NATURALIZATION = "NATU", _("Naturalization")
    EMIGRATION = "EMIG", _("Emigration")
    IMMIGRATION = "IMMI", _("Immigration")
    CENSUS = "CENS", _("Census")
    PROBATE = "PROB", _("Probate")
    WILL = "WILL", _("Will")
    GRADUATION = "GRAD", _("Graduation")
    RETIREMENT = "RETI", _("Retirement")
    # attributes
    CASTE = "CAST", _("Caste")
    DESCRIPTION = "DSCR", _("Physical description")
    EDUCATION = "EDUC", _("Education")
    ID_NUMBER = "IDNO", _("Identification number")
    NATIONALITY = "NATI", _("Nationality / ethnicity")
    CHILDREN_COUNT = "NCHI", _("Number of children")
    MARRIAGE_COUNT = "NMR", _("Number of marriages")
    OCCUPATION = "OCCU", _("Occupation")
    PROPERTY = "PROP", _("Property")
    RELIGION = "RELI", _("Religion")
    RESIDENCE = "RESI", _("Residence")
    SOCIAL_SECURITY = "SSN", _("Social security number")
    TITLE = "TITL", _("Title")
    FACT = "FACT", _("Fact")
    # family events
    ANNULMENT = "ANUL", _("Annulment")
    DIVORCE = "DIV", _("Divorce")
    DIVORCE_FILED = "DIVF", _("Divorce filed")
    ENGAGEMENT = "ENGA", _("Engagement")
    MARRIAGE_BANNS = "MARB", _("Marriage banns")
    MARRIAGE_CONTRACT = "MARC", _("Marriage contract")
    MARRIAGE = "MARR", _("Marriage")
    MARRIAGE_LICENCE = "MARL", _("Marriage licence")
    MARRIAGE_SETTLEMENT = "MARS", _("Marriage settlement")
    # this region
    MILITARY_SERVICE = "MILITARY_SERVICE", _("Military service")
    DEPORTATION = "DEPORTATION", _("Deportation")
    SPECIAL_SETTLEMENT = "SPECIAL_SETTLEMENT", _("Special settlement registration")
    REHABILITATION = "REHABILITATION", _("Rehabilitation")
    NAME_CHANGE = "NAME_CHANGE", _("Name change")
    # EVEN with a TYPE, or anything else
    CUSTOM = "CUSTOM", _("Other event")


ATTRIBUTE_TYPES = frozenset(
    {
        "CAST",
        "DSCR",
        "EDUC",
        "IDNO",
        "NATI",
        "NCHI",
        "NMR",
        "OCCU",
        "PROP",
        "RELI",
        "RESI",
        "SSN",
        "TITL",
        "FACT",
    }
)
FAMILY_EVENT_TYPES = frozenset(
    {"ANUL", "DIV", "DIVF", "ENGA", "MARB", "MARC", "MARR", "MARL", "MARS"}
)
DEATH_EVENT_TYPES = frozenset({"DEAT", "BURI", "CREM"})


class DateModifier(models.TextChoices):
    """Mirrors ``importers.gedcom.dates.DateModifier`` (the values are the same strings)."""

    NONE = "none", _("Exact")
    ABOUT = "about", _("About")
    CALCULATED = "calculated", _("Calculated")
    ESTIMATED = "estimated", _("Estimated")
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    BETWEEN = "between", _("Between")
    FROM = "from", _("From")
    TO = "to", _("To")
    FROM_TO = "from_to", _("From … to")
    INTERPRETED = "interpreted", _("Interpreted")
    PHRASE_ONLY = "phrase_only", _("Phrase only")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    JULIAN = "julian", _("Julian")
    HEBREW = "hebrew", _("Hebrew")
    FRENCH_R = "french_r", _("French republican")
    HIJRI = "hijri", _("Hijri")
    UNKNOWN = "unknown", _("Unknown")


class ParticipantRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    FAMILY = "family", _("Family")
    WITNESS = "witness", _("Witness")
    GODPARENT = "godparent", _("Godparent")
    INFORMANT = "informant", _("Informant")
    OFFICIATOR = "officiator", _("Officiator")
    CLERGY = "clergy", _("Clergy")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour")
    PARENT = "parent", _("Parent")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    CHILD = "child", _("Child")
    SPOUSE = "spouse", _("Spouse")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    OTHER = "other", _("Other")


class LineageLevel(models.TextChoices):
    ZHUZ = "zhuz", _("Жүз (horde)")
    RU = "ru", _("Ру (clan)")
    BRANCH = "branch", _("Branch")
    ATA = "ata", _("Ата (ancestor line)")


class CitationQuality(models.IntegerChoices):
    UNRELIABLE = 0, _("Unreliable")
    QUESTIONABLE = 1, _("Questionable")
    SECONDARY = 2, _("Secondary evidence")
    DIRECT = 3, _("Direct and primary evidence")


# -- query sets --------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.is_staff))


class TreeQuerySet(models.QuerySet):
    def published(self):
        """Approved by a moderator and visible beyond its owner."""
        return self.filter(moderation_state=ModerationState.APPROVED).exclude(
            visibility=Visibility.PRIVATE
        )

    def visible_to(self, user):
        """Trees ``user`` may open: published public ones; published members-only ones when
        signed in; their own in any state; everything for staff."""
        if _is_staff(user):
            return self.all()
        published = Q(moderation_state=ModerationState.APPROVED)
        if user is None or not user.is_authenticated:
            return self.filter(published & Q(visibility=Visibility.PUBLIC))
        return self.filter(
            (published & Q(visibility__in=[Visibility.PUBLIC, Visibility.USERS]))
            | Q(owner=user)
            | Q(pk__in=TreeMembership.objects.filter(user=user).values("tree"))
        )


class RecordQuerySet(models.QuerySet):
    def in_tree(self, tree):
        return self.filter(tree=tree)

    def published(self):
        """Records of published trees that are not flagged private or restricted."""
        return self.filter(tree__in=Tree.objects.published(), private=False).exclude(
            resn__in=[Restriction.CONFIDENTIAL, Restriction.PRIVACY]
        )

    def visible_to(self, user):
        """Records of trees ``user`` may open; private or restricted ones only to the tree's
        owner and staff."""
        if _is_staff(user):
            return self.all()
        trees = Tree.objects.visible_to(user)
        public = Q(private=False) & ~Q(resn__in=[Restriction.CONFIDENTIAL, Restriction.PRIVACY])
        if user is not None and user.is_authenticated:
            public |= Q(tree__owner=user) | Q(
                tree__in=TreeMembership.objects.filter(user=user).values("tree")
            )
        return self.filter(Q(tree__in=trees) & public)


# -- abstract bases ----------------------------------------------------------------------------


class GedcomRecord(models.Model):
    """What every record imported from GEDCOM carries."""

    tree = models.ForeignKey(
        "genealogy.Tree", verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    xref = CodeField(_("GEDCOM id"), max_length=64, blank=True)
    public_id = _public_id_field()
    private = models.BooleanField(_("private"), default=False)
    resn = models.CharField(
        _("GEDCOM restriction"),
        max_length=16,
        choices=Restriction.choices,
        blank=True,
        default=Restriction.NONE,
    )
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


def _record_constraints(name: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=["tree", "xref"], condition=~Q(xref=""), name=f"{name}_unique_xref"
        ),
        models.UniqueConstraint(fields=["public_id"], name=f"{name}_unique_public_id"),
    ]


def _exactly_one(name: str, fields: list[str]) -> models.CheckConstraint:
    """A check that exactly one of the nullable FK ``fields`` is set."""
    options = []
    for chosen in fields:
        clause = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                clause &= Q(**{f"{other}__isnull": True})
        options.append(clause)
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return models.CheckConstraint(condition=condition, name=name)


# -- the tree ----------------------------------------------------------------------------------


class Tree(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    public_id = _public_id_field()
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trees",
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    moderation_state = models.CharField(
        _("moderation state"),
        max_length=16,
        choices=ModerationState.choices,
        default=ModerationState.DRAFT,
    )
    licence = models.CharField(_("licence"), max_length=255, blank=True)
    origin_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    gedcom_version = models.CharField(_("GEDCOM version"), max_length=16, blank=True)
    encoding = models.CharField(_("detected encoding"), max_length=32, blank=True)
    header_extra = models.JSONField(_("GEDCOM header"), default=list, blank=True)
    import_report = models.JSONField(_("import report"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("family tree")
        verbose_name_plural = _("family trees")
        ordering = ["title"]
        indexes = [models.Index(fields=["visibility", "moderation_state"])]
        constraints = [models.UniqueConstraint(fields=["public_id"], name="tree_unique_public_id")]

    def __str__(self) -> str:
        return self.title or self.slug


class MembershipRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")


class TreeMembership(models.Model):
    """A user the tree's owner invited: they see the tree and its living people."""

    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="tree_memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.VIEWER
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tree membership")
        verbose_name_plural = _("tree memberships")
        constraints = [
            models.UniqueConstraint(fields=["tree", "user"], name="treemembership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.tree_id} ({self.role})"


# -- lineage (шежіре) --------------------------------------------------------------------------


class Lineage(models.Model):
    """A node of the шежіре hierarchy: жүз → ру → branch → ата. Shared by all trees."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=16, choices=LineageLevel.choices)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineages")
        ordering = ["name_kk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="lineage_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name_kk

    def ancestors(self) -> list[Lineage]:
        """This node's parents up to the жүз, nearest first (stops on a cycle)."""
        chain: list[Lineage] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


# -- places ------------------------------------------------------------------------------------


class Place(GedcomRecord):
    """A place; one row per distinct place string of a tree, with its hierarchy over time."""

    name = models.CharField(_("name"), max_length=255)
    full_name = models.TextField(_("full name as written"), blank=True)
    place_type = models.CharField(_("type"), max_length=64, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The phonetic and stem keys of the place's names over time (see genealogy.search).
    name_keys = models.TextField(_("name search keys"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            *_record_constraints("place"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["tree", "name"])]

    def __str__(self) -> str:
        return self.full_name or self.name


class PlaceName(models.Model):
    """A dated name of a place in one language (Верный 1854–1921, Алма-Ата 1921–1993, ...)."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    language = models.CharField(_("language"), max_length=35, blank=True)
    date_phrase = models.CharField(_("date as written"), max_length=255, blank=True)
    start_jdn = models.IntegerField(_("valid from (JDN)"), null=True, blank=True)
    end_jdn = models.IntegerField(_("valid until (JDN)"), null=True, blank=True)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class NameToken(models.Model):
    """A phonetic name key used in a tree and how often: the vocabulary that autocompletion
    (prefix) and typo tolerance (trigram similarity) look words up in, before the people."""

    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    token = CodeField(_("key"), max_length=64)
    count = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        constraints = [
            models.UniqueConstraint(fields=["tree", "token"], name="nametoken_unique_token")
        ]
        indexes = [
            # Prefix lookups (LIKE 'kas%'): the C collation makes a plain b-tree serve them.
            models.Index(fields=["token"], name="nametoken_token"),
        ]

    def __str__(self) -> str:
        return self.token


class PlaceHierarchy(models.Model):
    """A dated link from a place to the place it lay in (uezd → oblast, raion → oblast)."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="parent_links"
    )
    parent = models.ForeignKey(
        Place, verbose_name=_("lies in"), on_delete=models.CASCADE, related_name="child_links"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    date_phrase = models.CharField(_("date as written"), max_length=255, blank=True)
    start_jdn = models.IntegerField(_("from (JDN)"), null=True, blank=True)
    end_jdn = models.IntegerField(_("until (JDN)"), null=True, blank=True)

    class Meta:
        verbose_name = _("place hierarchy link")
        verbose_name_plural = _("place hierarchy links")
        constraints = [
            models.CheckConstraint(
                condition=~Q(place=models.F("parent")), name="placehierarchy_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} → {self.parent_id}"


# -- people and families -----------------------------------------------------------------------


class Person(GedcomRecord):
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    lineage = models.ForeignKey(
        Lineage,
        verbose_name=_("lineage (шежіре)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        db_index=False,
        help_text=_("The ру or branch this person descends from in the paternal line."),
    )
    lineage_generations = models.PositiveSmallIntegerField(
        _("generations from the lineage founder"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the generations in between are not known."),
    )
    # Written by the importer with the person (genealogy.privacy.LivingRule) and recomputed
    # in bulk by genealogy.privacy.tree_living_update after edits; living until evidence says
    # otherwise.
    living = models.BooleanField(
        _("probably living"),
        default=True,
        db_default=True,
        help_text=_("Computed from the person's and their relatives' events."),
    )

    # Search columns, written by the importer (and genealogy.search.person_reindex after an
    # edit): the phonetic and stem keys of all the person's names, one space-separated string
    # with a space at each end (see genealogy.search), and the years of birth and death.
    name_keys = models.TextField(_("name search keys"), blank=True, default="", db_default="")
    birth_year = models.SmallIntegerField(_("year of birth"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("year of death"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = _record_constraints("person")
        indexes = [
            *_nullable_fk_indexes("person", ["lineage"]),
            # The GIN index over the keys (PostgreSQL) is created in migration 0003.
        ]

    def __str__(self) -> str:
        name = self.primary_name
        return str(name) if name is not None else (self.xref or self.public_id)

    @property
    def primary_name(self) -> Name | None:
        names = getattr(self, "_prefetched_objects_cache", {}).get("names")
        if names is not None:
            return min(names, key=lambda n: n.sort_order, default=None)
        return self.names.order_by("sort_order").first()


class Name(models.Model):
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="names",
        db_index=False,  # the (person, sort_order) index serves
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    variant_of = models.ForeignKey(
        "self",
        verbose_name=_("variant of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="variants",
        db_index=False,
        help_text=_("The name this is a phonetic, romanized or translated form of."),
    )
    gedcom_tag = models.CharField(
        _("GEDCOM tag"),
        max_length=16,
        blank=True,
        default="NAME",
        help_text=_("NAME, _MARNM, FONE, ROMN or TRAN: where the name came from in the file."),
    )
    name_type = models.CharField(
        _("type"), max_length=16, choices=NameType.choices, default=NameType.BIRTH
    )
    custom_type = models.CharField(_("type as written"), max_length=255, blank=True)
    language = models.CharField(
        _("language"),
        max_length=35,
        blank=True,
        help_text=_("BCP 47 tag: kk-Cyrl, kk-Latn, ru, de, ko, ..."),
    )
    script = models.CharField(_("script"), max_length=4, blank=True)
    full = models.TextField(_("full name as written"), blank=True)
    given = models.CharField(_("given name"), max_length=255, blank=True)
    surname = models.CharField(_("surname"), max_length=255, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=255, blank=True)
    prefix = models.CharField(_("prefix"), max_length=255, blank=True)
    surname_prefix = models.CharField(_("surname prefix"), max_length=255, blank=True)
    suffix = models.CharField(_("suffix"), max_length=255, blank=True)
    nickname = models.CharField(_("nickname"), max_length=255, blank=True)
    search_key = models.CharField(_("search key (Latin)"), max_length=255, blank=True)
    phonetic_key = models.CharField(_("phonetic key"), max_length=255, blank=True)
    private = models.BooleanField(_("private"), default=False)
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    class Meta:
        verbose_name = _("name")
        verbose_name_plural = _("names")
        ordering = ["person", "sort_order"]
        # Surname pages and exhibitions look names up by surname; nothing by the given name
        # alone (the search reads Person.name_keys), so it has no index of its own.
        indexes = [
            models.Index(fields=["surname", "given"]),
            models.Index(fields=["person", "sort_order"]),
            *_nullable_fk_indexes("name", ["variant_of"]),
        ]

    def __str__(self) -> str:
        parts = [
            self.prefix,
            self.given,
            self.patronymic,
            self.surname_prefix,
            self.surname,
            self.suffix,
        ]
        text = " ".join(p for p in parts if p)
        return text or self.full.replace("/", "").strip()


class Family(GedcomRecord):
    """Two partners (either may be missing; any sexes) and their children."""

    partner1 = models.ForeignKey(
        Person,
        verbose_name=_("partner 1 (GEDCOM HUSB)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="families_as_partner1",
    )
    partner2 = models.ForeignKey(
        Person,
        verbose_name=_("partner 2 (GEDCOM WIFE)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="families_as_partner2",
    )
    relationship = models.CharField(
        _("relationship"),
        max_length=16,
        choices=FamilyRelationship.choices,
        default=FamilyRelationship.UNKNOWN,
    )

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            *_record_constraints("family"),
            models.CheckConstraint(
                condition=Q(partner1__isnull=True)
                | Q(partner2__isnull=True)
                | ~Q(partner1=models.F("partner2")),
                name="family_partners_differ",
            ),
        ]

    def __str__(self) -> str:
        return self.xref or self.public_id


class ChildLink(models.Model):
    """A child of a family, with how the child is related to each of the two partners."""

    family = models.ForeignKey(
        Family,
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="child_links",
        db_index=False,  # the unique (family, child) index serves
    )
    child = models.ForeignKey(
        Person, verbose_name=_("child"), on_delete=models.CASCADE, related_name="parent_links"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    pedigree1 = models.CharField(
        _("relation to partner 1"),
        max_length=16,
        choices=Pedigree.choices,
        default=Pedigree.BIRTH,
    )
    pedigree2 = models.CharField(
        _("relation to partner 2"),
        max_length=16,
        choices=Pedigree.choices,
        default=Pedigree.BIRTH,
    )
    private = models.BooleanField(_("private"), default=False)
    gedcom_extra = models.JSONField(_("other GEDCOM data under CHIL"), default=list, blank=True)
    famc_extra = models.JSONField(_("other GEDCOM data under FAMC"), default=list, blank=True)

    class Meta:
        verbose_name = _("child link")
        verbose_name_plural = _("child links")
        ordering = ["family", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["family", "child"], name="childlink_unique_child"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.family_id}"


# -- events ------------------------------------------------------------------------------------


class Event(GedcomRecord):
    event_type = CodeField(_("type"), max_length=24, choices=EventType.choices)
    custom_type = models.CharField(_("type as written"), max_length=255, blank=True)
    value = models.TextField(_("value"), blank=True)
    date_phrase = models.CharField(_("date as written"), max_length=255, blank=True)
    date_modifier = models.CharField(
        _("date modifier"), max_length=16, choices=DateModifier.choices, blank=True
    )
    date_calendar = models.CharField(
        _("calendar"), max_length=16, choices=Calendar.choices, blank=True
    )
    date_start_jdn = models.IntegerField(_("earliest day (JDN)"), null=True, blank=True)
    date_end_jdn = models.IntegerField(_("latest day (JDN)"), null=True, blank=True)
    date_sort = models.IntegerField(_("sort key"), null=True, blank=True)
    date_valid = models.BooleanField(_("date is readable"), default=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    age = models.CharField(_("age"), max_length=64, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *_record_constraints("event"),
            models.CheckConstraint(
                condition=Q(date_start_jdn__isnull=True)
                | Q(date_end_jdn__isnull=True)
                | Q(date_start_jdn__lte=models.F("date_end_jdn")),
                name="event_date_range_ordered",
            ),
        ]
        # No index on (event_type, date_sort): every query reads events through a person's or
        # a place's links, and keeping it cost 0.6-0.8 s of PostgreSQL's time in every
        # 100,000-person import.

    def __str__(self) -> str:
        label = self.custom_type or self.get_event_type_display()
        return f"{label} {self.date_phrase}".strip()


class EventParticipant(models.Model):
    """A person or a family taking part in an event, with their role."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_roles",
        db_index=False,  # the (person, role) index serves
    )
    family = models.ForeignKey(
        Family,
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_roles",
        db_index=False,
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PRIMARY,
    )
    role_phrase = models.CharField(_("role as written"), max_length=255, blank=True)
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    class Meta:
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [_exactly_one("eventparticipant_person_or_family", ["person", "family"])]
        indexes = [
            models.Index(
                fields=["person", "role"],
                condition=Q(person__isnull=False),
                name="participant_person_role_idx",
            ),
            *_nullable_fk_indexes("participant", ["family"]),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.person_id or self.family_id}"


# -- sources -----------------------------------------------------------------------------------


class Repository(GedcomRecord):
    """An archive or library that holds sources (ЦГА РК, ГАРФ, a regional archive, ...)."""

    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(_("abbreviation"), max_length=64, blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        verbose_name = _("repository")
        verbose_name_plural = _("repositories")
        constraints = _record_constraints("repository")

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Source(GedcomRecord):
    title = models.TextField(_("title"), blank=True)
    author = models.TextField(_("author"), blank=True)
    publication = models.TextField(_("publication facts"), blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=255, blank=True)
    text = models.TextField(_("text from source"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = _record_constraints("source")

    def __str__(self) -> str:
        return self.abbreviation or self.title[:100] or self.xref or self.public_id


class RepositoryRef(models.Model):
    """A source held by a repository, under a call number."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="repository_refs"
    )
    repository = models.ForeignKey(
        Repository,
        verbose_name=_("repository"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="source_refs",
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    call_number = models.CharField(_("call number"), max_length=255, blank=True)
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    class Meta:
        verbose_name = _("repository reference")
        verbose_name_plural = _("repository references")

    def __str__(self) -> str:
        return self.call_number or str(self.repository_id)


class Citation(models.Model):
    """A source cited for exactly one person, family, event or name."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="citations"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    public_id = _public_id_field()
    page = models.TextField(_("page / sheet as written"), blank=True)
    quality = models.PositiveSmallIntegerField(
        _("quality"), choices=CitationQuality.choices, null=True, blank=True
    )
    date_phrase = models.CharField(_("date as written"), max_length=255, blank=True)
    text = models.TextField(_("text from source"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        db_index=False,
    )
    family = models.ForeignKey(
        Family,
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        db_index=False,
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        db_index=False,
    )
    name = models.ForeignKey(
        Name,
        verbose_name=_("name"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        db_index=False,
    )
    private = models.BooleanField(_("private"), default=False)
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            _exactly_one("citation_exactly_one_target", ["person", "family", "event", "name"]),
            models.UniqueConstraint(fields=["public_id"], name="citation_unique_public_id"),
            models.CheckConstraint(
                condition=Q(quality__isnull=True) | Q(quality__lte=3), name="citation_quality_0_3"
            ),
        ]
        indexes = _nullable_fk_indexes("citation", ["person", "family", "event", "name"])

    def __str__(self) -> str:
        return f"{self.source_id}: {self.page}".strip()


_VERSO_RE = re.compile(r"\s*(?:об(?:ор(?:от)?)?\.?|арт\.?|v\.?|verso)\s*$", re.IGNORECASE)


class ArchivalReference(models.Model):
    """Archive → fond → inventory (опись) → file (дело) → sheets (листы, with verso)."""

    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    repository = models.ForeignKey(
        Repository,
        verbose_name=_("archive"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="archival_references",
        db_index=False,
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="archival_references",
        db_index=False,
    )
    citation = models.ForeignKey(
        Citation,
        verbose_name=_("citation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="archival_references",
        db_index=False,
    )
    archive = models.CharField(_("archive as written"), max_length=255, blank=True)
    fond = models.CharField(_("fond"), max_length=32, blank=True)
    inventory = models.CharField(_("inventory (opis)"), max_length=32, blank=True)
    file = models.CharField(_("file (delo)"), max_length=32, blank=True)
    sheets = models.CharField(_("sheets"), max_length=64, blank=True)
    verso = models.BooleanField(_("verso (оборот)"), default=False)
    text = models.TextField(_("reference as written"), blank=True)

    class Meta:
        verbose_name = _("archival reference")
        verbose_name_plural = _("archival references")
        indexes = [
            models.Index(fields=["fond", "inventory", "file"]),
            *_nullable_fk_indexes("archivalref", ["repository", "source", "citation"]),
        ]

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        """The reference as Russian archives cite it: ``ЦГА РК, ф. 15, оп. 1, д. 123, л. 45 об.``"""
        archive = self.archive
        if not archive and self.repository_id is not None:
            archive = str(self.repository)
        parts = [archive] if archive else []
        if self.fond:
            parts.append(f"ф. {self.fond}")
        if self.inventory:
            parts.append(f"оп. {self.inventory}")
        if self.file:
            parts.append(f"д. {self.file}")
        if self.sheets:
            many = "-" in self.sheets or "," in self.sheets
            sheets = f"{'лл.' if many else 'л.'} {self.sheets}"
            parts.append(f"{sheets} об." if self.verso else sheets)
        return ", ".join(parts)


@dataclass(frozen=True)
class ParsedArchivalReference:
    archive: str = ""
    fond: str = ""
    inventory: str = ""
    file: str = ""
    sheets: str = ""
    verso: bool = False


_NUMBER = r"([A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{0,3}-?\s?\d+[A-Za-zА-Яа-яЁё]?)"
_PARTS = {
    "fond": r"(?:ф(?:онд)?|фнд|қор|f(?:ond)?)",
    "inventory": r"(?:оп(?:ись)?|тізбе|тіз|op(?:is)?|inv(?:entory)?)",
    "file": r"(?:д(?:ело)?|іс|d(?:elo)?|file)",
}
_PART_RES = {
    key: re.compile(rf"(?<![\w]){word}\s*\.?\s*(?:№\s*)?{_NUMBER}", re.IGNORECASE)
    for key, word in _PARTS.items()
}
_SHEETS_RE = re.compile(
    r"(?<![\w])(?:лл?|листы?|лист|п(?:арақ)?|пп|ll?|fol|sheets?)\s*\.?\s*"
    r"(\d+(?:[а-яa-z](?![а-яa-z]))?(?:\s*(?:об\.?|арт\.?|v)\s*)?"
    r"(?:\s*[-–—,]\s*\d+(?:[а-яa-z](?![а-яa-z]))?"
    r"(?:\s*(?:об\.?|арт\.?|v)\s*)?)*)"
    r"(\s*(?:об(?:ор(?:от)?)?\.?|арт\.?|v\.?|verso)(?![\w]))?",
    re.IGNORECASE,
)


def parse_archival_reference(text: str) -> ParsedArchivalReference | None:
    """Read fond / inventory / file / sheets from a citation string in Russian or Kazakh style.

    ``"ф. 15, оп. 1, д. 123, л. 45 об."``, ``"Ф.15 Оп.1 Д.123 Л.45-46"``,
    ``"ЦГА РК, қор 15, тізбе 1, іс 123, п. 45"``. Returns None unless at least a fond and a file
    (or a fond and an inventory) are found: a lone number is not an archival reference.
    """
    if not text:
        return None
    found: dict[str, str] = {}
    first_start = len(text)
    for key, pattern in _PART_RES.items():
        match = pattern.search(text)
        if match:
            found[key] = re.sub(r"\s+", "", match.group(1))
            first_start = min(first_start, match.start())
    if "fond" not in found or not ({"file", "inventory"} & found.keys()):
        return None
    sheets = ""
    verso = False
    match = _SHEETS_RE.search(text)
    if match:
        sheets = match.group(1).strip()
        verso = bool(match.group(2))
        if not verso and _VERSO_RE.search(sheets):
            verso = True
            sheets = _VERSO_RE.sub("", sheets)
        sheets = re.sub(r"\s*[-–—]\s*", "-", sheets)
        sheets = re.sub(r"\s*,\s*", ", ", sheets)
    archive = text[:first_start].strip(" ,;:.")
    return ParsedArchivalReference(
        archive=archive,
        fond=found.get("fond", ""),
        inventory=found.get("inventory", ""),
        file=found.get("file", ""),
        sheets=sheets,
        verso=verso,
    )


# -- notes and media ---------------------------------------------------------------------------


class Note(GedcomRecord):
    """A note: shared (a GEDCOM NOTE / SNOTE record) or inline (written under one record)."""

    text = models.TextField(_("text"), blank=True)
    shared = models.BooleanField(_("shared"), default=False)
    mime_type = models.CharField(_("format"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = _record_constraints("note")

    def __str__(self) -> str:
        return self.text[:80]


LINK_TARGETS = [
    "person",
    "family",
    "event",
    "source",
    "repository",
    "place",
    "name",
    "citation",
    "media",
]


class Media(GedcomRecord):
    file = models.TextField(_("file path or URL"), blank=True)
    format = models.CharField(_("format"), max_length=64, blank=True)
    title = models.TextField(_("title"), blank=True)
    shared = models.BooleanField(_("shared"), default=False)

    class Meta:
        verbose_name = _("media object")
        verbose_name_plural = _("media objects")
        constraints = _record_constraints("media")

    def __str__(self) -> str:
        return self.title[:80] or self.file[:80]


def _link_target(model: str, related: str, **kwargs) -> models.ForeignKey:
    # Indexed by a partial index in Meta (see _nullable_fk_indexes).
    return models.ForeignKey(
        f"genealogy.{model}",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related,
        db_index=False,
        **kwargs,
    )


class NoteLink(models.Model):
    """A note attached to exactly one record."""

    note = models.ForeignKey(
        Note, verbose_name=_("note"), on_delete=models.CASCADE, related_name="links"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    person = _link_target("Person", "note_links", verbose_name=_("person"))
    family = _link_target("Family", "note_links", verbose_name=_("family"))
    event = _link_target("Event", "note_links", verbose_name=_("event"))
    source = _link_target("Source", "note_links", verbose_name=_("source"))
    repository = _link_target("Repository", "note_links", verbose_name=_("repository"))
    place = _link_target("Place", "note_links", verbose_name=_("place"))
    name = _link_target("Name", "note_links", verbose_name=_("name"))
    citation = _link_target("Citation", "note_links", verbose_name=_("citation"))
    media = _link_target("Media", "note_links", verbose_name=_("media object"))

    class Meta:
        verbose_name = _("note link")
        verbose_name_plural = _("note links")
        constraints = [_exactly_one("notelink_exactly_one_target", LINK_TARGETS)]
        indexes = _nullable_fk_indexes("notelink", LINK_TARGETS)

    def __str__(self) -> str:
        return f"note {self.note_id}"


class MediaLink(models.Model):
    """A media object attached to exactly one record."""

    media = models.ForeignKey(
        Media, verbose_name=_("media object"), on_delete=models.CASCADE, related_name="links"
    )
    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    person = _link_target("Person", "media_links", verbose_name=_("person"))
    family = _link_target("Family", "media_links", verbose_name=_("family"))
    event = _link_target("Event", "media_links", verbose_name=_("event"))
    source = _link_target("Source", "media_links", verbose_name=_("source"))
    citation = _link_target("Citation", "media_links", verbose_name=_("citation"))
    gedcom_extra = models.JSONField(_("other GEDCOM data"), default=list, blank=True)

    class Meta:
        verbose_name = _("media link")
        verbose_name_plural = _("media links")
        constraints = [
            _exactly_one(
                "medialink_exactly_one_target", ["person", "family", "event", "source", "citation"]
            ),
        ]
        indexes = _nullable_fk_indexes(
            "medialink", ["person", "family", "event", "source", "citation"]
        )

    def __str__(self) -> str:
        return f"media {self.media_id}"


class ExtraRecord(models.Model):
    """A top-level GEDCOM record the model does not hold (SUBM, _LOC, vendor records), verbatim."""

    tree = models.ForeignKey(
        Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    xref = models.CharField(_("GEDCOM id"), max_length=64, blank=True)
    tag = models.CharField(_("tag"), max_length=64)
    value = models.TextField(_("value"), blank=True)
    children = models.JSONField(_("subtree"), default=list, blank=True)

    class Meta:
        verbose_name = _("other GEDCOM record")
        verbose_name_plural = _("other GEDCOM records")
        ordering = ["tree", "sort_order"]

    def __str__(self) -> str:
        return f"{self.tag} {self.xref}".strip()
