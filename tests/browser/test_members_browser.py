"""The members page of a tree in a real browser: the owner signs in, invites a member by
username, changes the member's role and removes them; the page fits a phone screen."""

import pytest
from playwright.sync_api import Page, expect

from genealogy import models as g
from tests.factories import UserFactory
from tests.genealogy.factories import PublishedTreeFactory, TreeMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(live_server):
    return PublishedTreeFactory(slug="kin", owner=UserFactory(username="owner"))


def members_url(live_server, tree) -> str:
    return f"{live_server.url}/en/trees/{tree.slug}/members/"


def sign_in_to_the_members_page(page: Page, live_server, tree):
    """Open the members page, sign in as the owner on the page it sends to, come back."""
    page.goto(members_url(live_server, tree))
    expect(page).to_have_url(f"{live_server.url}/en/accounts/login/?next=/en/trees/kin/members/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(members_url(live_server, tree))


def test_the_owner_invites_a_member_changes_the_role_and_removes_them(
    page: Page, live_server, tree
):
    UserFactory(username="aigerim")
    sign_in_to_the_members_page(page, live_server, tree)
    members = page.locator(".members-list > li")
    expect(page.get_by_text("Nobody is invited yet")).to_be_visible()

    page.get_by_label("Username or e-mail address").fill("aigerim")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("aigerim now sees everything in this tree.")
    expect(members).to_have_count(1)
    expect(members.first).to_contain_text("aigerim · Viewer")
    assert g.TreeMembership.objects.get(tree=tree).role == g.MembershipRole.VIEWER

    page.get_by_label("Role of aigerim").select_option("editor")
    page.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status")).to_have_text("aigerim is now: Editor.")
    expect(members.first).to_contain_text("aigerim · Editor")
    assert g.TreeMembership.objects.get(tree=tree).role == g.MembershipRole.EDITOR

    page.get_by_role("button", name="Remove aigerim").click()
    expect(page.get_by_role("status")).to_have_text("aigerim is no longer a member of this tree.")
    expect(members).to_have_count(0)
    expect(page.get_by_text("Nobody is invited yet")).to_be_visible()
    assert not g.TreeMembership.objects.filter(tree=tree).exists()


def test_the_members_page_fits_a_phone_screen(page: Page, live_server, tree):
    TreeMembershipFactory(
        tree=tree, user=UserFactory(username="aigerim", display_name="Айгерім Қасымова")
    )
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_to_the_members_page(page, live_server, tree)
    expect(page.locator(".members-list > li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
