"""Create the first administrator with a generated password, once.

The password is printed and kept in a file readable only by its owner, so a second `make run`
can show it again; it is never a fixed value in the repository.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an 'admin' superuser with a generated password if no superuser exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--credentials-file",
            default=str(Path(settings.VAR_DIR) / "admin-credentials.txt"),
            help="Where the generated password is kept (mode 600).",
        )

    def handle(self, *args, username, credentials_file, **options):
        user_model = get_user_model()
        path = Path(credentials_file)
        if user_model.objects.filter(is_superuser=True).exists():
            if path.exists():
                self.stdout.write(f"Admin login: {path.read_text().strip()}")
            else:
                self.stdout.write("An administrator already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{username} / {password}\n")
        path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Admin login: {username} / {password}"))
