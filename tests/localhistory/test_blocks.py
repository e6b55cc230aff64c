"""Exhibition blocks: each has an icon, a template and a preview that renders."""

import pytest
from django.template.loader import get_template

from localhistory.blocks import ExhibitionStreamBlock
from localhistory.templatetags.localhistory_tags import footnote_links

pytestmark = pytest.mark.django_db

BLOCKS = list(ExhibitionStreamBlock.base_blocks.items())
EXPECTED = {
    "paragraph",
    "image",
    "item_card",
    "gallery",
    "quote",
    "timeline",
    "map",
    "person_card",
    "chart",
}


def test_the_exhibition_offers_every_block_type_of_the_issue():
    assert {name for name, _ in BLOCKS} == EXPECTED


@pytest.mark.parametrize(("name", "block"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_each_block_has_an_icon_a_template_and_a_preview_value(name, block):
    assert block.meta.icon
    assert get_template(block.meta.template)
    assert hasattr(block.meta, "preview_value")


@pytest.mark.parametrize(("name", "block"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_each_block_renders_its_preview_value(name, block):
    block.render(block.get_preview_value())


def test_quote_block_escapes_the_quotation():
    block = ExhibitionStreamBlock.base_blocks["quote"]
    html = block.render(block.to_python({"text": "<b>x</b>", "attribution": "", "source": ""}))
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_map_block_renders_a_map_container_with_its_coordinates():
    block = ExhibitionStreamBlock.base_blocks["map"]
    html = block.render(block.get_preview_value())
    assert 'data-lat="43.23830"' in html
    assert 'class="lh-map__canvas"' in html


def test_person_card_of_a_person_that_does_not_exist_renders_nothing():
    block = ExhibitionStreamBlock.base_blocks["person_card"]
    value = block.to_python({"tree_slug": "none", "person_ref": "I1", "note": "Note"})
    assert block.render(value).strip() == ""


def test_footnote_marks_beyond_the_number_of_notes_stay_text():
    assert footnote_links("<p>a [1] b [2]</p>", 1) == (
        '<p>a <sup class="note-ref"><a href="#note-1" id="note-ref-1" '
        'aria-describedby="notes-heading">[1]</a></sup> b [2]</p>'
    )
