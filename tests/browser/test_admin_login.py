"""Signing in to the Wagtail admin in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import SuperUserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_librarian_signs_in_to_the_admin_and_sees_the_dashboard(
    page: Page, live_server, home_pages
):
    SuperUserFactory(username="librarian")
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "librarian")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("main")).to_contain_text("Pages")


def test_wrong_password_is_refused_with_a_message(page: Page, live_server, home_pages):
    SuperUserFactory(username="librarian")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "librarian")
    page.fill("#id_password", "wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/admin/login/")
    expect(page.locator("body")).to_contain_text("username and password didn't match")
