"""Settings per environment: what is read from the environment and what production enforces."""

import json
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.conftest import REPO_ROOT

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "hosts": settings.ALLOWED_HOSTS,
    "cache": settings.CACHES["default"]["BACKEND"],
    "media": str(settings.MEDIA_ROOT),
    "secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "hsts": settings.SECURE_HSTS_SECONDS,
    "csp": settings.CONTENT_SECURITY_POLICY,
    "debug": settings.DEBUG,
}))
"""


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("tamyr.settings.production")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = load_settings("tamyr.settings.production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_sets_secure_cookies_hsts_and_a_content_security_policy():
    result = load_settings("tamyr.settings.production", SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["secure"] == [True, True]
    assert values["hsts"] >= 31536000
    assert "default-src 'self'" in values["csp"]
    assert values["debug"] is False


def test_base_reads_database_url_allowed_hosts_redis_and_media_root_from_the_environment():
    result = load_settings(
        "tamyr.settings.production",
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://librarian@db.internal:5432/tamyr",
        ALLOWED_HOSTS="tamyr.example.kz,www.tamyr.example.kz",
        REDIS_URL="redis://cache.internal:6379/1",
        MEDIA_ROOT="/srv/tamyr-media",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "tamyr"
    assert values["hosts"] == ["tamyr.example.kz", "www.tamyr.example.kz"]
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["media"] == "/srv/tamyr-media"


def test_without_database_url_the_site_uses_embedded_sqlite_under_var(tmp_path):
    result = load_settings("tamyr.settings.dev", TAMYR_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "tamyr.sqlite3")
    assert (tmp_path / "secret_key").exists()


@pytest.mark.django_db
@override_settings(CONTENT_SECURITY_POLICY="default-src 'self'")
def test_content_security_policy_header_is_sent_when_configured(client):
    response = client.get("/healthz/")
    assert response["Content-Security-Policy"] == "default-src 'self'"


@pytest.mark.django_db
def test_no_content_security_policy_header_when_not_configured(client):
    assert "Content-Security-Policy" not in client.get("/healthz/")
