"""Every interface string is translated into Kazakh and Russian, and the compiled catalogues
are those of the .po files."""

import shutil

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import REPO_ROOT

LOCALE_DIR = REPO_ROOT / "locale"
TRANSLATED = ["kk", "ru"]
SOURCE_DIRS = ["tamyr", "genealogy", "localhistory", "importers", "templates", "locale"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", [*TRANSLATED, "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))
    expected = {(e.msgid, e.msgstr) for e in po.translated_entries()}
    assert {(e.msgid, e.msgstr) for e in mo if e.msgid} == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path, monkeypatch):
    """Extract the strings afresh into a copy of the project: nothing may come out new.

    makemessages writes to the locale folder beside the files it reads, so it runs on a copy
    and never touches the repository's catalogues.
    """
    for name in SOURCE_DIRS:
        shutil.copytree(
            REPO_ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=TRANSLATED, no_location=True, verbosity=0)
    for language in TRANSLATED:
        fresh = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
        assert missing == [], f"untranslated in {language}: {missing}"
