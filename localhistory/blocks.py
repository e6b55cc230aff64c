"""StreamField blocks of virtual exhibitions.

Blocks that show a person of a family tree store only the tree slug and the person's GEDCOM id,
never a name, and look the person up through :func:`localhistory.people.resolve_person` when the
page renders: a person who is living, private or restricted is simply not shown.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .people import life_years, person_exists, person_url, resolve_person

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        label = _("Text")
        description = _("Formatted text with headings, lists and links.")
        preview_value = (
            "<h2>1937</h2><p>Autumn trains brought families from the Far East to the steppe.</p>"
        )


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"),
        max_length=255,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=255)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")
        description = _("One image that visitors can open and zoom.")
        preview_value = {
            "image": None,
            "alt_text": "A street of low houses",
            "caption": "Verny, about 1900",
            "credit": "Library collection",
        }


class ItemCardBlock(blocks.StructBlock):
    item = blocks.PageChooserBlock(label=_("item"), page_type="localhistory.ItemPage")
    note = blocks.CharBlock(label=_("curator's note"), required=False, max_length=500)

    class Meta:
        icon = "doc-full"
        template = "blocks/item_card.html"
        label = _("Item card")
        description = _("A card for one item of a collection, with its image and date.")
        preview_value = {"item": None, "note": "A letter written at the special settlement."}


class GalleryBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=255)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), min_num=1)

    class Meta:
        icon = "image"
        template = "blocks/gallery.html"
        label = _("Gallery")
        description = _("Several images in a grid.")
        preview_value = {"heading": "Photographs", "images": []}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("who said it"), required=False, max_length=255)
    source = blocks.CharBlock(label=_("source"), required=False, max_length=500)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Quotation")
        description = _("A quotation from a memoir, a letter or an interview.")
        preview_value = {
            "text": "We were given three days to pack.",
            "attribution": "A recorded memory",
            "source": "Oral history collection, 1989",
        }


class TimelineEntryBlock(blocks.StructBlock):
    date = blocks.CharBlock(label=_("date"), max_length=100)
    title = blocks.CharBlock(label=_("event"), max_length=255)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "date"
        label = _("Timeline entry")


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=255)
    entries = blocks.ListBlock(TimelineEntryBlock(), label=_("entries"), min_num=1)

    class Meta:
        icon = "history"
        template = "blocks/timeline.html"
        label = _("Timeline")
        description = _("Dated events in order.")
        preview_value = {
            "heading": "Names of the city",
            "entries": [
                {"date": "1854", "title": "Verny", "description": ""},
                {"date": "1921", "title": "Alma-Ata", "description": ""},
                {"date": "1993", "title": "Almaty", "description": ""},
            ],
        }


class MapBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=255)
    latitude = blocks.FloatBlock(label=_("latitude"), min_value=-90, max_value=90)
    longitude = blocks.FloatBlock(label=_("longitude"), min_value=-180, max_value=180)
    zoom = blocks.IntegerBlock(label=_("zoom"), min_value=1, max_value=18, default=10)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    place = blocks.PageChooserBlock(
        label=_("place page"), page_type="localhistory.PlacePage", required=False
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # Several maps may share a page; each needs its own element id.
        context["map_id"] = f"map-{uuid.uuid4().hex[:8]}"
        return context

    class Meta:
        icon = "site"
        template = "blocks/map.html"
        label = _("Map")
        description = _("A map centred on a point, with a link to the place page.")
        preview_value = {
            "heading": "Almaty",
            "latitude": 43.2383,
            "longitude": 76.9453,
            "zoom": 11,
            "caption": "The city at the foot of the Trans-Ili Alatau",
            "place": None,
        }


class PersonReferenceBlock(blocks.StructBlock):
    """A person of a published tree, by tree slug and GEDCOM id; rendered only if visible."""

    tree_slug = blocks.CharBlock(label=_("tree"), max_length=100)
    person_ref = blocks.CharBlock(
        label=_("person"),
        max_length=64,
        help_text=_("The person's GEDCOM id (I5, without @) or public id in that tree."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not person_exists(value["tree_slug"], value["person_ref"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "person_ref": ValidationError(_("There is no such person in a published tree."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        person = None
        if value.get("tree_slug") and value.get("person_ref"):
            person = resolve_person(value["tree_slug"], value["person_ref"])
        context["person"] = person
        context["person_url"] = person_url(person) if person else None
        context["life_years"] = life_years(person) if person else ""
        return context


class PersonCardBlock(PersonReferenceBlock):
    note = blocks.TextBlock(label=_("curator's note"), required=False)

    class Meta:
        icon = "user"
        template = "blocks/person_card.html"
        label = _("Person card")
        description = _("A person of a family tree; living people are never shown.")
        preview_value = {"tree_slug": "demo", "person_ref": "I98", "note": ""}


class ChartPlaceholderBlock(PersonReferenceBlock):
    chart = blocks.ChoiceBlock(
        label=_("chart"),
        choices=[
            ("ancestors", _("Ancestors")),
            ("descendants", _("Descendants")),
            ("hourglass", _("Ancestors and descendants")),
            ("fan", _("Fan chart")),
        ],
        default="ancestors",
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)

    class Meta:
        icon = "group"
        template = "blocks/chart.html"
        label = _("Family chart")
        description = _("A family chart of a person; it links to the person's page.")
        preview_value = {"tree_slug": "demo", "person_ref": "I98", "chart": "descendants"}


class ExhibitionStreamBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = ImageBlock()
    item_card = ItemCardBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    timeline = TimelineBlock()
    map = MapBlock()
    person_card = PersonCardBlock()
    chart = ChartPlaceholderBlock()

    class Meta:
        label = _("Exhibition")
