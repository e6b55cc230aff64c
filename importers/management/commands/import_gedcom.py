"""Import a GEDCOM file (or GEDZIP archive) into a family tree.

Exit status: 0 when imported (or checked, with --dry-run), 2 when the file was refused; the
reason goes to stderr. With --json exactly one JSON object is written to stdout.
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from genealogy.models import Visibility
from importers.gedcom.errors import GedcomRefused
from importers.loader import tree_import
from importers.progress import ProgressBar

REPORT_KEYS = [
    "tree", "version", "encoding", "individuals", "families", "events", "places", "sources",
    "repositories", "notes", "media",
]  # fmt: skip


class Command(BaseCommand):
    # The system checks took a second of each run here; `manage.py check` and the test
    # suite run them, and a deployment runs them on migrate.
    requires_system_checks: list = []
    help = "Import a GEDCOM 5.5/5.5.1/7.0 file or a GEDZIP archive into a family tree."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .ged or .gdz file")
        parser.add_argument("--tree", required=True, help="the tree's slug (its address)")
        parser.add_argument("--title", help="the tree's title (default: the slug)")
        parser.add_argument("--owner", help="username of the tree's owner")
        parser.add_argument(
            "--visibility",
            choices=Visibility.values,
            default=Visibility.PRIVATE,
            help="who may see the tree (default: private)",
        )
        parser.add_argument("--dry-run", action="store_true", help="read and check; write nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args, path, tree, title, owner, visibility, dry_run, json, **options):
        source = Path(path)
        if not source.is_file():
            self._refuse(f"There is no file at {path}.", as_json=json)
        owner_user = None
        if owner:
            try:
                owner_user = get_user_model().objects.get(username=owner)
            except get_user_model().DoesNotExist as missing:
                raise CommandError(f"There is no user called {owner!r}.") from missing
        bar = ProgressBar(f"Importing {source.name}")
        try:
            report = tree_import(
                source=source,
                slug=tree,
                title=title or tree,
                owner=owner_user,
                visibility=visibility,
                origin_filename=source.name,
                dry_run=dry_run,
                progress=None if json else bar,
            )
        except GedcomRefused as refusal:
            bar.close()
            self._refuse(str(refusal), as_json=json)
        bar.close()
        data = {**report.as_dict(), "tree": report.tree_slug}
        if json:
            self._write_json(data)
            return
        self._write_summary(data, dry_run=dry_run)

    def _refuse(self, reason: str, *, as_json: bool) -> None:
        self.stderr.write(reason)
        if as_json:  # the reason, not a report of nulls
            self.stdout.write(json.dumps({"error": reason}, ensure_ascii=False))
        sys.exit(2)

    def _write_json(self, data: dict) -> None:
        out = {key: data.get(key) for key in REPORT_KEYS}
        out["warnings"] = [
            {"line": w.get("line"), "message": w.get("message")} for w in data.get("warnings", [])
        ]
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _write_summary(self, data: dict, *, dry_run: bool) -> None:
        verb = "Checked (nothing written)" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: tree {data['tree']} (GEDCOM {data.get('version') or '?'}, "
                f"{data.get('encoding')})"
            )
        )
        for key in REPORT_KEYS[3:]:
            self.stdout.write(f"  {key:<13} {data.get(key, 0):>10,}")
        warnings = data.get("warnings", [])
        self.stdout.write(f"  {'warnings':<13} {len(warnings):>10,}")
        for warning in warnings[:20]:
            line = warning.get("line")
            self.stdout.write(
                f"    line {line}: {warning['message']}" if line else warning["message"]
            )
        if len(warnings) > 20:
            self.stdout.write(f"    … and {len(warnings) - 20} more (use --json for all)")
