"""Wagtail admin registrations of the local-history side: the shared vocabularies."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Archive, SubjectHeading


class ArchiveViewSet(SnippetViewSet):
    model = Archive
    icon = "home"
    menu_label = _("Archives")
    list_display = ["name", "abbreviation", "city"]
    search_fields = ["name", "abbreviation", "city"]


class SubjectHeadingViewSet(SnippetViewSet):
    model = SubjectHeading
    icon = "tag"
    menu_label = _("Subject headings")
    list_display = ["label_kk", "label_ru", "label_en", "scheme"]
    search_fields = ["label_kk", "label_ru", "label_en"]


class LocalHistoryViewSetGroup(SnippetViewSetGroup):
    items = (ArchiveViewSet, SubjectHeadingViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Local history")
    menu_name = "local-history"


register_snippet(LocalHistoryViewSetGroup)
