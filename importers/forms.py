"""Forms of the import and export pages."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from genealogy.models import Tree, Visibility

from .services import ALLOWED_SUFFIXES


class GedcomUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GEDCOM file"),
        help_text=_("A .ged file from any genealogy program, or a .gdz archive with its media."),
        widget=forms.ClearableFileInput(attrs={"accept": ".ged,.gdz,.zip"}),
    )
    title = forms.CharField(label=_("Title of the tree"), max_length=255)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        allow_unicode=True,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the title when left empty."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        help_text=_("Living people stay hidden from visitors whatever you choose."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.TAMYR_GEDCOM_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."), code="empty")
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Choose a GEDCOM file (.ged) or a GEDZIP archive (.gdz)."), code="type"
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        title = cleaned.get("title", "")
        slug = cleaned.get("slug") or slugify(title, allow_unicode=True)[:100]
        if not slug:
            self.add_error("slug", _("Give the tree an address of letters and digits."))
            return cleaned
        existing = Tree.objects.filter(slug=slug).first()
        if existing is not None and existing.owner_id != self.user.pk:
            self.add_error("slug", _("This address belongs to another tree; choose another."))
        cleaned["slug"] = slug
        return cleaned
