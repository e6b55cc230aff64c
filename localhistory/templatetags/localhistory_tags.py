"""Template helpers of the local-history pages."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from localhistory import people

register = template.Library()

# "[12]" in rendered rich text, but not inside a tag or a link's text.
_NOTE_MARK = re.compile(r"\[(\d{1,3})\]")


@register.filter
def footnote_links(html: SafeString, count: int) -> SafeString:
    """Turn ``[n]`` marks of rendered, already-safe rich text into links to note ``n``.

    Only numbers of existing notes become links; the replacement is built from the number
    alone, so nothing the author wrote is unescaped.
    """

    def replace(match: re.Match) -> str:
        number = int(match.group(1))
        if not 1 <= number <= int(count or 0):
            return match.group(0)
        return format_html(
            '<sup class="note-ref"><a href="#note-{0}" id="note-ref-{0}" '
            'aria-describedby="notes-heading">[{0}]</a></sup>',
            number,
        )

    return mark_safe(_NOTE_MARK.sub(replace, str(html)))  # noqa: S308


@register.filter
def life_years(person) -> str:
    return people.life_years(person) if person is not None else ""


@register.filter
def person_url(person):
    return people.person_url(person) if person is not None else None
