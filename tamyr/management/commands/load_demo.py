"""Load the demo content; safe to run again (it only adds what is missing)."""

from django.core.management.base import BaseCommand

from localhistory.demo import load_demo


class Command(BaseCommand):
    help = "Load demo content (home page in three languages); safe to run more than once."

    def handle(self, *args, **options):
        counts = load_demo()
        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({summary})."))
