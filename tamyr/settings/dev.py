"""Settings for a developer's or a library's trial machine: `make run`."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "1") != "0"

if not SECRET_KEY:  # noqa: F405
    # A per-machine key kept under var/, so sessions survive restarts without committing a secret.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
