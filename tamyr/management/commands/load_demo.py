"""Load the demo content; safe to run again (it only adds what is missing).

It lives in the project package because it spans the apps: the home pages come from
`localhistory`, the demo family tree is read through the GEDCOM importer.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from genealogy.models import ModerationState, Person, Tree, Visibility
from importers.loader import tree_import
from localhistory.demo import load_demo as load_demo_pages
from localhistory.demo import load_demo_collections

DEMO_TREE_FILE = settings.BASE_DIR / "site" / "demo" / "demo-tree.ged"
DEMO_TREE_SLUG = "demo"


class Command(BaseCommand):
    help = "Load demo content (home pages, a demo family tree); safe to run more than once."

    def handle(self, *args, **options):
        counts = load_demo_pages()
        if not Tree.objects.filter(slug=DEMO_TREE_SLUG).exists():
            report = tree_import(
                source=DEMO_TREE_FILE,
                slug=DEMO_TREE_SLUG,
                title="Демо шежіре · Демо-родословная · Demo family tree",
                visibility=Visibility.PUBLIC,
                origin_filename=DEMO_TREE_FILE.name,
            )
            Tree.objects.filter(slug=DEMO_TREE_SLUG).update(
                moderation_state=ModerationState.APPROVED
            )
            self.stdout.write(f"Imported the demo tree: {report.individuals} people.")
        counts["demo_tree_people"] = Person.objects.filter(tree__slug=DEMO_TREE_SLUG).count()
        counts.update(load_demo_collections())
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({summary})."))
