"""`ensure_admin` creates the first administrator with a generated password, once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_ensure_admin_creates_a_superuser_with_a_generated_password(tmp_path, capsys):
    credentials = tmp_path / "admin.txt"
    call_command("ensure_admin", credentials_file=str(credentials))
    username, password = credentials.read_text().strip().split(" / ")
    user = get_user_model().objects.get(username=username)
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 16
    assert (credentials.stat().st_mode & 0o777) == 0o600
    assert password in capsys.readouterr().out


def test_ensure_admin_generates_a_different_password_on_each_machine(tmp_path):
    call_command("ensure_admin", credentials_file=str(tmp_path / "a.txt"))
    get_user_model().objects.all().delete()
    call_command("ensure_admin", credentials_file=str(tmp_path / "b.txt"))
    assert (tmp_path / "a.txt").read_text() != (tmp_path / "b.txt").read_text()


def test_ensure_admin_twice_keeps_the_first_password(tmp_path, capsys):
    credentials = tmp_path / "admin.txt"
    call_command("ensure_admin", credentials_file=str(credentials))
    first = credentials.read_text()
    call_command("ensure_admin", credentials_file=str(credentials))
    assert credentials.read_text() == first
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert capsys.readouterr().out.count(first.strip()) == 2
