"""Rebuild the search columns of one tree or of all trees.

Imports write them as they go; this is for trees edited outside the site, or after a change
of the name rules in genealogy.names.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from genealogy import models as g
from genealogy.search import tree_reindex


class Command(BaseCommand):
    help = "Recompute the name search keys, years and vocabulary of family trees."

    def add_arguments(self, parser):
        parser.add_argument("--tree", help="the tree's slug (default: every tree)")

    def handle(self, *args, tree=None, **options):
        trees = g.Tree.objects.order_by("pk")
        if tree:
            trees = trees.filter(slug=tree)
            if not trees.exists():
                raise CommandError(f"There is no tree {tree!r}.")
        for item in trees:
            started = time.monotonic()
            people = tree_reindex(item)
            self.stdout.write(
                f"{item.slug}: {people} people indexed in {time.monotonic() - started:.1f} s"
            )
