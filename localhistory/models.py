"""Wagtail pages and media models of the local-history side.

The librarians' side of Tamyr: the home page; collections (fonds) and their items described
with Dublin Core; virtual exhibitions; place pages with names over time; community pages;
research articles with numbered notes; and the archives and subject headings they share.
Pages point at people of the family trees by tree slug and GEDCOM id, and show only the
people that :func:`localhistory.people.visible_people` lets through.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from .blocks import ExhibitionStreamBlock
from .people import (
    events_at_places,
    matching_tree_places,
    people_by_surname_or_pk,
    person_exists,
    resolve_people,
)

INTRO_FEATURES = ["bold", "italic", "link"]
NOTE_FEATURES = ["italic", "link"]


def localized_unique(pages) -> list[Page]:
    """One page per translation group, in the active language where a translation is live."""
    seen = set()
    result = []
    for page in pages.specific().order_by("title"):
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        result.append(page.localized)
    locale = Locale.get_active()
    # `localized` keeps the original when no live translation exists; list the active
    # language's own pages first.
    result.sort(key=lambda p: (p.locale_id != locale.pk, p.title))
    return result


class CustomImage(AbstractImage):
    """The project's image model, in place from the first migration so items can extend it."""

    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit / rights holder"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HomePage(Page):
    """The site's front page in each language: an introduction and the search box."""

    intro = models.CharField(_("introduction"), max_length=500, blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class LinkedPagesMixin:
    """Places and communities a page is tagged with, live and in the active language."""

    def linked_places(self) -> list[Page]:
        return _live_localized(self.places.all())

    def linked_communities(self) -> list[Page]:
        return _live_localized(self.communities.all())


def _live_localized(pages) -> list[Page]:
    # Works on the in-memory relations of a preview too, where querysets are fakes.
    return sorted({page.localized for page in pages if page.live}, key=lambda p: p.title)


# -- shared vocabularies (snippets) -------------------------------------------------------------


class DcmiType(models.TextChoices):
    """The DCMI Type Vocabulary, for dc:type."""

    STILL_IMAGE = "StillImage", _("Still image (photograph, drawing)")
    TEXT = "Text", _("Text (document, book, letter)")
    SOUND = "Sound", _("Sound (recorded memory)")
    MOVING_IMAGE = "MovingImage", _("Moving image (film, video)")
    PHYSICAL_OBJECT = "PhysicalObject", _("Physical object")
    IMAGE = "Image", _("Image (map, other)")
    COLLECTION = "Collection", _("Collection")
    DATASET = "Dataset", _("Dataset")
    EVENT = "Event", _("Event")


class Archive(index.Indexed, models.Model):
    """An archive or library holding originals (ЦГА РК, a regional archive, the library itself)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=64, blank=True)
    city = models.CharField(_("city"), max_length=255, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("abbreviation"),
        FieldPanel("city"),
        FieldPanel("address"),
        FieldPanel("website"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("abbreviation"),
        index.AutocompleteField("abbreviation"),
        index.SearchField("city"),
    ]

    class Meta:
        verbose_name = _("archive")
        verbose_name_plural = _("archives")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class SubjectHeading(index.Indexed, models.Model):
    """A subject heading (dc:subject) with its label in the three languages of the site."""

    label_kk = models.CharField(_("heading (Kazakh)"), max_length=255)
    label_ru = models.CharField(_("heading (Russian)"), max_length=255, blank=True)
    label_en = models.CharField(_("heading (English)"), max_length=255, blank=True)
    scheme = models.CharField(
        _("scheme"),
        max_length=64,
        blank=True,
        help_text=_("The thesaurus the heading comes from, e.g. ГРНТИ, LCSH or local."),
    )
    uri = models.URLField(_("URI"), blank=True)

    panels = [
        FieldPanel("label_kk"),
        FieldPanel("label_ru"),
        FieldPanel("label_en"),
        FieldPanel("scheme"),
        FieldPanel("uri"),
    ]
    search_fields = [
        index.SearchField("label_kk"),
        index.AutocompleteField("label_kk"),
        index.SearchField("label_ru"),
        index.AutocompleteField("label_ru"),
        index.SearchField("label_en"),
        index.AutocompleteField("label_en"),
    ]

    class Meta:
        verbose_name = _("subject heading")
        verbose_name_plural = _("subject headings")
        ordering = ["label_kk"]
        constraints = [
            models.UniqueConstraint(fields=["label_kk", "scheme"], name="subjectheading_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The heading in the interface language, falling back to Kazakh."""
        language = (get_language() or "kk").split("-")[0]
        return getattr(self, f"label_{language}", "") or self.label_kk


# -- person links -------------------------------------------------------------------------------


class PersonLink(models.Model):
    """A person of a family tree, by tree slug and GEDCOM id (or public id).

    Stored as text, not as a foreign key: re-importing a tree replaces its rows (with new
    primary keys and public ids) while the GEDCOM ids stay, so the link survives; and the
    importer's bulk delete never trips over a page that points at a person.
    """

    tree_slug = models.SlugField(_("tree"), max_length=100, allow_unicode=True)
    person_ref = models.CharField(
        _("person"),
        max_length=64,
        help_text=_("The person's GEDCOM id (I5, without @) or public id in that tree."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("tree_slug"), FieldPanel("person_ref"), FieldPanel("note")]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.tree_slug}:{self.person_ref}"

    def clean(self):
        super().clean()
        self.person_ref = self.person_ref.strip().strip("@")
        if (
            self.tree_slug
            and self.person_ref
            and not person_exists(self.tree_slug, self.person_ref)
        ):
            raise ValidationError({"person_ref": _("There is no such person in a published tree.")})


# -- index pages --------------------------------------------------------------------------------


class IndexPage(Page):
    """What the section pages share: an introduction and a list of their live children."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["localhistory.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # Wagtail would look for one template per subclass; they all look alike.
        return "localhistory/index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.children()
        return context

    def children(self):
        return self.get_children().live().public().specific().order_by("title")


class CollectionIndexPage(IndexPage):
    subpage_types = ["localhistory.CollectionPage"]

    class Meta:
        verbose_name = _("collections index")
        verbose_name_plural = _("collections indexes")


class ExhibitionIndexPage(IndexPage):
    subpage_types = ["localhistory.ExhibitionPage"]

    class Meta:
        verbose_name = _("exhibitions index")
        verbose_name_plural = _("exhibitions indexes")


class PlaceIndexPage(IndexPage):
    subpage_types = ["localhistory.PlacePage"]

    class Meta:
        verbose_name = _("places index")
        verbose_name_plural = _("places indexes")


class CommunityIndexPage(IndexPage):
    subpage_types = ["localhistory.CommunityPage"]

    class Meta:
        verbose_name = _("communities index")
        verbose_name_plural = _("communities indexes")


class StoryIndexPage(IndexPage):
    subpage_types = ["localhistory.StoryPage"]

    class Meta:
        verbose_name = _("research articles index")
        verbose_name_plural = _("research articles indexes")

    def children(self):
        return self.get_children().live().public().specific().order_by("-first_published_at")


# -- collections and items ----------------------------------------------------------------------


class CollectionPage(Page):
    """A fonds of the library: a described body of items with one provenance."""

    description = RichTextField(_("description"), blank=True)
    period = models.CharField(
        _("period"), max_length=100, blank=True, help_text=_("For example 1880–1960.")
    )
    extent = models.CharField(
        _("extent"),
        max_length=255,
        blank=True,
        help_text=_("For example: 120 photographs, 14 maps, 6 hours of audio."),
    )
    rights = models.CharField(_("rights"), max_length=500, blank=True)
    shelf_mark = models.CharField(_("shelf mark"), max_length=100, blank=True)
    archive = models.ForeignKey(
        Archive,
        verbose_name=_("holding archive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subjects = ParentalManyToManyField(
        SubjectHeading, verbose_name=_("subjects"), blank=True, related_name="collections"
    )
    communities = ParentalManyToManyField(
        "localhistory.CommunityPage",
        verbose_name=_("communities"),
        blank=True,
        related_name="collections",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("period"),
                FieldPanel("extent"),
                FieldPanel("shelf_mark"),
                FieldPanel("archive"),
                FieldPanel("rights"),
            ],
            heading=_("Description to library standards"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
        FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("period"),
        index.SearchField("shelf_mark"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.CollectionIndexPage"]
    subpage_types = ["localhistory.ItemPage"]

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    @property
    def card_image(self):
        return self.cover_image

    def items(self):
        return ItemPage.objects.child_of(self).live().public().order_by("title")


class ItemPage(LinkedPagesMixin, Page):
    """One object of a collection, described with the fifteen Dublin Core elements."""

    # dc:title is the page title.
    creator = models.CharField(_("creator"), max_length=255, blank=True)
    subjects = ParentalManyToManyField(
        SubjectHeading, verbose_name=_("subjects"), blank=True, related_name="items"
    )
    description = RichTextField(_("description"), blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    contributor = models.CharField(_("contributor"), max_length=255, blank=True)
    date = models.CharField(
        _("date"),
        max_length=100,
        blank=True,
        help_text=_("As known: 1936, ca. 1910, 1941-09/1941-12."),
    )
    dc_type = models.CharField(
        _("type"), max_length=32, choices=DcmiType.choices, default=DcmiType.STILL_IMAGE
    )
    format = models.CharField(
        _("format"),
        max_length=255,
        blank=True,
        help_text=_("Medium and dimensions: gelatin silver print, 18×24 cm."),
    )
    identifier = models.CharField(
        _("identifier"),
        max_length=255,
        blank=True,
        help_text=_("Inventory number or URI of the item."),
    )
    source = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("The resource this item is derived from."),
    )
    language = models.CharField(
        _("language"),
        max_length=64,
        blank=True,
        help_text=_("ISO 639 codes, comma-separated: kk, ru, ko."),
    )
    relation = models.CharField(_("relation"), max_length=500, blank=True)
    coverage = models.CharField(
        _("coverage"),
        max_length=500,
        blank=True,
        help_text=_("Where and when the item is about: Алматы, 1930s."),
    )
    rights = models.CharField(_("rights"), max_length=500, blank=True)
    shelf_mark = models.CharField(_("shelf mark"), max_length=100, blank=True)
    archive = models.ForeignKey(
        Archive,
        verbose_name=_("holding archive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    places = ParentalManyToManyField(
        "localhistory.PlacePage", verbose_name=_("places"), blank=True, related_name="items"
    )
    communities = ParentalManyToManyField(
        "localhistory.CommunityPage",
        verbose_name=_("communities"),
        blank=True,
        related_name="items",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        InlinePanel("images", heading=_("Images"), label=_("image")),
        InlinePanel("media_files", heading=_("Documents, audio and video"), label=_("file")),
        MultiFieldPanel(
            [
                FieldPanel("creator"),
                FieldPanel("contributor"),
                FieldPanel("publisher"),
                FieldPanel("date"),
                FieldPanel("dc_type"),
                FieldPanel("format"),
                FieldPanel("identifier"),
                FieldPanel("source"),
                FieldPanel("language"),
                FieldPanel("relation"),
                FieldPanel("coverage"),
                FieldPanel("rights"),
                FieldPanel("subjects", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Dublin Core"),
        ),
        MultiFieldPanel([FieldPanel("shelf_mark"), FieldPanel("archive")], heading=_("Holding")),
        FieldPanel("places", widget=forms.CheckboxSelectMultiple),
        FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
        InlinePanel("person_links", heading=_("People in family trees"), label=_("person")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("creator"),
        index.SearchField("contributor"),
        index.SearchField("coverage"),
        index.SearchField("identifier"),
        index.SearchField("shelf_mark"),
        index.AutocompleteField("shelf_mark"),
        index.FilterField("dc_type"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.CollectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def dublin_core(self) -> list[tuple[str, str, object]]:
        """The fifteen elements in their DCMI order: (element name, label, value)."""
        return [
            ("title", _("Title"), self.title),
            ("creator", _("Creator"), self.creator),
            ("subject", _("Subject"), "; ".join(str(s) for s in self.subjects.all())),
            ("description", _("Description"), self.description_text()),
            ("publisher", _("Publisher"), self.publisher),
            ("contributor", _("Contributor"), self.contributor),
            ("date", _("Date"), self.date),
            ("type", _("Type"), self.get_dc_type_display()),
            ("format", _("Format"), self.format),
            ("identifier", _("Identifier"), self.identifier),
            ("source", _("Source"), self.source),
            ("language", _("Language"), self.language),
            ("relation", _("Relation"), self.relation),
            ("coverage", _("Coverage"), self.coverage),
            ("rights", _("Rights"), self.rights),
        ]

    @property
    def card_image(self):
        first = self.images.first()
        return first.image if first else None

    def description_text(self) -> str:
        return strip_tags(self.description).strip()

    def linked_people(self):
        return resolve_people(self.person_links.all())


class ItemImage(Orderable):
    page = ParentalKey(ItemPage, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        CustomImage, verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("text alternative"),
        max_length=255,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("item image")
        verbose_name_plural = _("item images")


class ItemMediaFile(Orderable):
    """A document, audio or video file of an item, served by the site itself."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    page = ParentalKey(ItemPage, related_name="media_files", on_delete=models.CASCADE)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("file"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("title"), max_length=255, blank=True)
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("A transcript makes audio and video accessible.")
    )

    panels = [
        FieldPanel("document"),
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("transcript"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("item file")
        verbose_name_plural = _("item files")


class ItemPersonLink(Orderable, PersonLink):
    page = ParentalKey(ItemPage, related_name="person_links", on_delete=models.CASCADE)

    class Meta(Orderable.Meta):
        verbose_name = _("person link")
        verbose_name_plural = _("person links")


# -- exhibitions --------------------------------------------------------------------------------


class ExhibitionPage(LinkedPagesMixin, Page):
    """A curated story built from blocks: text, images, items, people, timelines and maps."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    cover_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    curator = models.CharField(_("curator"), max_length=255, blank=True)
    body = StreamField(ExhibitionStreamBlock(), verbose_name=_("exhibition"), blank=True)
    places = ParentalManyToManyField(
        "localhistory.PlacePage", verbose_name=_("places"), blank=True, related_name="exhibitions"
    )
    communities = ParentalManyToManyField(
        "localhistory.CommunityPage",
        verbose_name=_("communities"),
        blank=True,
        related_name="exhibitions",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        FieldPanel("curator"),
        FieldPanel("body"),
        FieldPanel("places", widget=forms.CheckboxSelectMultiple),
        FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("curator"),
        index.SearchField("body"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.ExhibitionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")

    @property
    def card_image(self):
        return self.cover_image


# -- places -------------------------------------------------------------------------------------


class PlacePage(Page):
    """A place: its history, its names and parent places over time, a map, and what the site
    knows of it: items, exhibitions and events of the deceased in published family trees."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    history = RichTextField(_("history"), blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=11, validators=[MaxValueValidator(18)]
    )
    other_names = models.TextField(
        _("other spellings"),
        blank=True,
        help_text=_(
            "One per line: further spellings under which family trees record the "
            "place (Vernyi, Alma-Ata). They are matched like the names above."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("history"),
        InlinePanel("names", heading=_("Names over time"), label=_("name period"), min_num=1),
        InlinePanel("parent_places", heading=_("Parent places over time"), label=_("parent place")),
        MultiFieldPanel(
            [FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("zoom")], heading=_("Map")
        ),
        FieldPanel("other_names"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("history"),
        index.SearchField("other_names"),
        index.RelatedFields(
            "names",
            [
                index.SearchField("name_kk"),
                index.SearchField("name_ru"),
                index.SearchField("name_latn"),
            ],
        ),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.PlaceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def name_variants(self) -> set[str]:
        """Every name of the place, in every script, as family trees may record it."""
        names = set()
        for period in self.names.all():
            names.update(n.strip() for n in (period.name_kk, period.name_ru, period.name_latn))
        names.update(line.strip() for line in self.other_names.splitlines())
        names.discard("")
        return names

    def tree_places(self):
        return matching_tree_places(self.name_variants())

    def tree_events(self, limit: int = 200):
        return events_at_places(self.tree_places(), limit=limit)

    def related_items(self):
        return localized_unique(
            ItemPage.objects.live().public().filter(places__translation_key=self.translation_key)
        )

    def related_exhibitions(self):
        return localized_unique(
            ExhibitionPage.objects.live()
            .public()
            .filter(places__translation_key=self.translation_key)
        )

    def related_communities(self):
        return localized_unique(
            CommunityPage.objects.live()
            .public()
            .filter(places__translation_key=self.translation_key)
        )


class PlacePageName(Orderable):
    """One period of a place's name, written in Kazakh, Russian and Latin script."""

    page = ParentalKey(PlacePage, related_name="names", on_delete=models.CASCADE)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    name_latn = models.CharField(_("name in Latin script"), max_length=255, blank=True)
    start_year = models.SmallIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.SmallIntegerField(
        _("until (year)"), null=True, blank=True, help_text=_("Leave empty for the current name.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
        FieldRowPanel([FieldPanel("name_kk"), FieldPanel("name_ru"), FieldPanel("name_latn")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=models.F("end_year")),
                name="placepagename_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name_kk

    def clean(self):
        super().clean()
        if (
            self.start_year is not None
            and self.end_year is not None
            and self.start_year > self.end_year
        ):
            raise ValidationError({"end_year": _("The end comes before the start.")})


class PlacePageParent(Orderable):
    """A place this place lay in for a period (uezd, oblast, republic)."""

    page = ParentalKey(PlacePage, related_name="parent_places", on_delete=models.CASCADE)
    parent_page = models.ForeignKey(
        PlacePage,
        verbose_name=_("place page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("When the parent place has no page of its own."),
    )
    start_year = models.SmallIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.SmallIntegerField(_("until (year)"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
        FieldPanel("name"),
        FieldPanel("parent_page"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("parent place")
        verbose_name_plural = _("parent places")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        super().clean()
        if not self.name and self.parent_page_id is None:
            raise ValidationError(_("Name the parent place or choose its page."))

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return self.parent_page.title if self.parent_page_id else ""


# -- communities --------------------------------------------------------------------------------


class CommunityPage(Page):
    """A community of the region: its history, languages, places, people and dated events."""

    intro = models.TextField(_("introduction"), max_length=1000, blank=True)
    history = RichTextField(_("history"), blank=True)
    languages = models.CharField(_("languages"), max_length=255, blank=True)
    cover_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    places = ParentalManyToManyField(
        PlacePage, verbose_name=_("places"), blank=True, related_name="communities"
    )
    surnames = models.TextField(
        _("surnames of the community"),
        blank=True,
        help_text=_(
            "One per line, in every spelling (Ким, Kim, Пак, Цой). Deceased people of "
            "published trees with one of these surnames are listed on the page."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("history"),
        FieldPanel("languages"),
        FieldPanel("cover_image"),
        FieldPanel("places", widget=forms.CheckboxSelectMultiple),
        InlinePanel("events", heading=_("Dated events"), label=_("event")),
        InlinePanel("person_links", heading=_("People in family trees"), label=_("person")),
        FieldPanel("surnames"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("history"),
        index.SearchField("languages"),
        index.RelatedFields(
            "events", [index.SearchField("title"), index.SearchField("description")]
        ),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.CommunityIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    @property
    def card_image(self):
        return self.cover_image

    def surname_list(self) -> list[str]:
        return [line.strip() for line in self.surnames.splitlines() if line.strip()]

    def people(self, limit: int = 100):
        """Deceased people of published trees linked by hand or by surname, by name."""
        linked = [p.pk for p in resolve_people(self.person_links.all())]
        return people_by_surname_or_pk(self.surname_list(), linked, limit=limit)

    def related_items(self):
        return localized_unique(
            ItemPage.objects.live()
            .public()
            .filter(communities__translation_key=self.translation_key)
        )

    def related_collections(self):
        return localized_unique(
            CollectionPage.objects.live()
            .public()
            .filter(communities__translation_key=self.translation_key)
        )

    def related_exhibitions(self):
        return localized_unique(
            ExhibitionPage.objects.live()
            .public()
            .filter(communities__translation_key=self.translation_key)
        )

    def linked_places(self) -> list[Page]:
        return _live_localized(self.places.all())


class CommunityEvent(Orderable):
    """A dated event in a community's history (the 1937 deportation of the Koryo-saram)."""

    page = ParentalKey(CommunityPage, related_name="events", on_delete=models.CASCADE)
    date = models.CharField(
        _("date"), max_length=100, help_text=_("As it should be read: 21 August 1937, autumn 1941.")
    )
    year = models.SmallIntegerField(_("year (for ordering)"))
    title = models.CharField(_("event"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    from_place = models.CharField(_("from"), max_length=255, blank=True)
    to_place = models.CharField(_("to"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("year")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("from_place"), FieldPanel("to_place")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("community event")
        verbose_name_plural = _("community events")

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"


class CommunityPersonLink(Orderable, PersonLink):
    page = ParentalKey(CommunityPage, related_name="person_links", on_delete=models.CASCADE)

    class Meta(Orderable.Meta):
        verbose_name = _("person link")
        verbose_name_plural = _("person links")


# -- research articles --------------------------------------------------------------------------


class StoryPage(LinkedPagesMixin, Page):
    """A research article with numbered notes: write [1], [2] in the text where a note belongs."""

    author = models.CharField(_("author"), max_length=255, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    intro = models.TextField(_("summary"), max_length=1000, blank=True)
    body = RichTextField(
        _("text"),
        blank=True,
        help_text=_("Mark a note with its number in square brackets: [1]."),
    )
    places = ParentalManyToManyField(
        PlacePage, verbose_name=_("places"), blank=True, related_name="stories"
    )
    communities = ParentalManyToManyField(
        CommunityPage, verbose_name=_("communities"), blank=True, related_name="stories"
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("author"), FieldPanel("date")]),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("footnotes", heading=_("Notes"), label=_("note")),
        FieldPanel("places", widget=forms.CheckboxSelectMultiple),
        FieldPanel("communities", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("author"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("footnotes", [index.SearchField("text")]),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["localhistory.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("research article")
        verbose_name_plural = _("research articles")


class Footnote(Orderable):
    """A numbered note of a research article: a citation or a remark."""

    page = ParentalKey(StoryPage, related_name="footnotes", on_delete=models.CASCADE)
    text = RichTextField(_("note"), features=NOTE_FEATURES)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return strip_tags(self.text)[:80]
