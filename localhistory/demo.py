"""Demo content for a fresh site: the home page in Kazakh, Russian and English.

Every function here is idempotent, so `make run` can call `load_demo` on every start.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_CONTENT = {
    "kk": {
        "title": "Тамыр: отбасы және өлке тарихы",
        "slug": "home",
        "intro": "Шежіре, мұрағат құжаттары және өлкетану жинақтары бір жерде. "
        "Ата-бабаңызды, туған жеріңізді және оның тарихын іздеңіз.",
    },
    "ru": {
        "title": "Тамыр: семейная и краеведческая история",
        "slug": "home",
        "intro": "Родословные, архивные документы и краеведческие коллекции в одном месте. "
        "Ищите предков, родные места и их историю.",
    },
    "en": {
        "title": "Tamyr: family and local history",
        "slug": "home",
        "intro": "Family trees, archival records and local-history collections in one place. "
        "Find your ancestors, their places and their stories.",
    },
}


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES
    }


@transaction.atomic
def ensure_home_pages() -> HomePage:
    """Make a HomePage the default site's root, with a translation in every language."""
    locales = ensure_locales()
    default_code = settings.LANGUAGE_CODE
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migrations create the tree root; a flushed database (transactional tests,
        # `manage.py flush`) no longer has it.
        root = Page.add_root(title="Root", slug="root", locale=locales[default_code])
    home = HomePage.objects.filter(locale=locales[default_code]).first()
    if home is None:
        # Wagtail's placeholder "Welcome" page (a plain Page) is replaced, never a page someone
        # wrote; deleting it also deletes the placeholder site that points at it.
        for placeholder in root.get_children().filter(slug="home"):
            if placeholder.specific_class is Page:
                placeholder.delete()
        content = HOME_CONTENT[default_code]
        home = HomePage(
            title=content["title"],
            slug=content["slug"],
            intro=content["intro"],
            locale=locales[default_code],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Tamyr"
        )
    for code, content in HOME_CONTENT.items():
        if code == default_code or home.has_translation(locales[code]):
            continue
        translation = home.copy_for_translation(locales[code])
        translation = translation.specific
        translation.title = content["title"]
        translation.intro = content["intro"]
        translation.save_revision().publish()
    return home


def load_demo() -> dict[str, int]:
    home = ensure_home_pages()
    return {"home_pages": HomePage.objects.filter(translation_key=home.translation_key).count()}
