"""`manage.py import_gedcom` and `export_gedcom`: the JSON contract, exit codes, and that a
failing system check (run by `manage.py check`, not by every import) does not stop them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from genealogy.models import Person, Tree
from importers.management.commands.export_gedcom import Command as ExportCommand
from importers.management.commands.import_gedcom import Command as ImportCommand

pytestmark = pytest.mark.django_db

SMALL = (
    "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
    "0 @I1@ INDI\n1 NAME Абай /Құнанбайұлы/\n1 BIRT\n2 DATE 10 AUG 1845\n2 PLAC Қасқабұлақ\n"
    "1 DEAT\n2 DATE 1904\n"
    "0 @I2@ INDI\n1 NAME Құнанбай /Өскенбайұлы/\n1 FAMS @F1@\n"
    "0 @F1@ FAM\n1 HUSB @I2@\n1 CHIL @I1@\n"
    "0 @I3@ INDI\n1 FAMC @F9@\n"
    "0 TRLR\n"
)

REPORT_KEYS = {
    "tree", "version", "encoding", "individuals", "families", "events", "places", "sources",
    "repositories", "notes", "media", "warnings",
}  # fmt: skip


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.ged"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.fixture
def failing_check():
    """A system check that always fails, registered for the test only."""

    def always_fails(app_configs=None, **kwargs):
        return [checks.Error("deliberately failing check", id="tamyr.E999")]

    checks.register(always_fails)
    yield
    checks.registry.registry.registered_checks.discard(always_fails)


def import_json(*args: str) -> dict:
    out = StringIO()
    call_command("import_gedcom", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_import_json_is_one_object_with_the_documented_keys(small_file: Path) -> None:
    data = import_json(str(small_file), "--tree", "abai")
    assert set(data) == REPORT_KEYS
    assert (data["tree"], data["version"], data["encoding"]) == ("abai", "5.5.1", "UTF-8")
    assert (data["individuals"], data["families"], data["events"], data["places"]) == (3, 1, 2, 1)
    # The broken FAMC pointer is reported with the line it is on.
    assert [w["line"] for w in data["warnings"]] == [19]
    assert set(data["warnings"][0]) == {"line", "message"}
    tree = Tree.objects.get(slug="abai")
    assert Person.objects.filter(tree=tree).count() == 3


def test_import_dry_run_writes_nothing(small_file: Path) -> None:
    data = import_json(str(small_file), "--tree", "dry", "--dry-run")
    assert data["individuals"] == 3
    assert not Tree.objects.filter(slug="dry").exists()


def test_refused_file_exits_2_with_the_reason_on_stderr(tmp_path: Path) -> None:
    page = tmp_path / "page.ged"
    page.write_text("<!DOCTYPE html><html><body>Not found</body></html>\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_gedcom", str(page), "--tree", "x", "--json", stdout=out, stderr=err)
    assert exit_.value.code == 2
    assert "HTML" in err.getvalue()
    assert json.loads(out.getvalue())["error"] == err.getvalue().strip()
    assert not Tree.objects.filter(slug="x").exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_gedcom", str(tmp_path / "none.ged"), "--tree", "x", stderr=err)
    assert exit_.value.code == 2
    assert "There is no file" in err.getvalue()


def test_commands_do_not_wait_for_the_system_checks(
    small_file: Path, tmp_path: Path, failing_check, monkeypatch
) -> None:
    # run_from_argv closes the connections when done; the test's transaction needs its own.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    # From the command line, a command that asks for the system checks fails on this one.
    with pytest.raises(SystemCheckError, match="deliberately failing check"):
        call_command("check", stdout=StringIO(), stderr=StringIO())
    # The same path for the import and the export (argv parsed, checks as configured).
    out = StringIO()
    ImportCommand(stdout=out).run_from_argv(
        ["manage.py", "import_gedcom", str(small_file), "--tree", "checked", "--json"]
    )
    assert json.loads(out.getvalue())["individuals"] == 3
    target = tmp_path / "out.ged"
    ExportCommand(stderr=StringIO()).run_from_argv(
        ["manage.py", "export_gedcom", "--tree", "checked", "--output", str(target)]
    )
    assert "Абай" in target.read_text(encoding="utf-8")
