"""`load_demo` creates the demo content once and can run again without losing anything."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from localhistory.models import HomePage

pytestmark = pytest.mark.django_db


def test_load_demo_replaces_the_wagtail_placeholder_with_home_pages_in_three_languages():
    call_command("load_demo", stdout=None)
    homes = HomePage.objects.all()
    assert sorted(h.locale.language_code for h in homes) == ["en", "kk", "ru"]
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.locale.language_code == "kk"


def test_load_demo_twice_keeps_existing_pages_and_edits(capsys):
    call_command("load_demo")
    home = HomePage.objects.get(locale__language_code="ru")
    home.intro = "Изменено библиотекарем"
    home.save_revision().publish()
    call_command("load_demo")
    assert HomePage.objects.count() == 3
    assert HomePage.objects.get(pk=home.pk).intro == "Изменено библиотекарем"
    assert "home_pages: 3" in capsys.readouterr().out
