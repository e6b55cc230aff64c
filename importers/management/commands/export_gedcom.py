"""Export a family tree as GEDCOM 5.5.1 or 7.0 (UTF-8), in full or as visitors see it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from genealogy.models import Tree
from importers.exporter import tree_export


class Command(BaseCommand):
    # The system checks took a second of each run here; `manage.py check` and the test
    # suite run them, and a deployment runs them on migrate.
    requires_system_checks: list = []
    help = "Export a family tree as a GEDCOM file."

    def add_arguments(self, parser):
        parser.add_argument("--tree", required=True, help="the tree's slug")
        parser.add_argument("--gedcom-version", choices=["5.5.1", "7.0"], default="5.5.1")
        parser.add_argument("--output", required=True, help="the file to write ('-' for stdout)")
        parser.add_argument(
            "--redact",
            action="store_true",
            help="write what visitors without full access see: living, private and restricted "
            "people as placeholders, private records left out",
        )

    def handle(self, *args, tree, gedcom_version, output, redact=False, **options):
        try:
            tree_obj = Tree.objects.get(slug=tree)
        except Tree.DoesNotExist as missing:
            raise CommandError(f"There is no tree {tree!r}.") from missing
        if output == "-":
            tree_export(
                tree=tree_obj, version=gedcom_version, fileobj=self.stdout.buffer, redact=redact
            )
            return
        target = Path(output)
        partial = target.with_name(target.name + ".part")
        # Written beside the target and renamed, so a failed export never leaves half a file.
        with partial.open("wb") as out:
            tree_export(tree=tree_obj, version=gedcom_version, fileobj=out, redact=redact)
        partial.replace(target)
        kind = ", redacted" if redact else ""
        self.stderr.write(f"Wrote {target} (GEDCOM {gedcom_version}{kind}).")
