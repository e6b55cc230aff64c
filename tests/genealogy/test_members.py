"""The members page of a tree: who may use it, inviting, changing roles, removing."""

import pytest
from django.test import Client

from genealogy import models as g
from genealogy.members import MembershipError, membership_invite
from genealogy.privacy import has_full_access
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import PublishedTreeFactory, TreeFactory, TreeMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return PublishedTreeFactory(slug="kin")


@pytest.fixture
def owner(tree):
    return tree.owner


def url(tree, lang="en"):
    return f"/{lang}/trees/{tree.slug}/members/"


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def follow_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def invite(client, tree, who, role="viewer"):
    return client.post(url(tree), {"action": "invite", "user": who, "role": role}, follow=True)


# -- who may use the page ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_owner_opens_the_members_page_in_every_language(tree, owner, lang):
    response = client_for(owner).get(url(tree, lang))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_staff_opens_the_members_page(tree):
    assert client_for(SuperUserFactory()).get(url(tree)).status_code == 200


def test_anonymous_is_sent_to_sign_in(tree, client):
    response = client.get(url(tree))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_anonymous_post_changes_nothing(tree, client):
    target = UserFactory()
    client.post(url(tree), {"action": "invite", "user": target.username, "role": "viewer"})
    assert not g.TreeMembership.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "member"])
def test_others_may_not_use_the_page_of_a_public_tree(tree, who):
    user = UserFactory() if who == "stranger" else TreeMembershipFactory(tree=tree).user
    client = client_for(user)
    assert client.get(url(tree)).status_code == 403
    target = UserFactory()
    response = client.post(url(tree), {"action": "invite", "user": target.username})
    assert response.status_code == 403
    assert not g.TreeMembership.objects.filter(user=target).exists()


def test_a_stranger_gets_404_for_a_private_tree(db):
    private = TreeFactory(slug="secret")
    assert client_for(UserFactory()).get(url(private)).status_code == 404


def test_a_member_may_not_remove_another_member(tree):
    member = TreeMembershipFactory(tree=tree).user
    other = TreeMembershipFactory(tree=tree)
    response = client_for(member).post(url(tree), {"action": "remove", "membership": other.pk})
    assert response.status_code == 403
    assert g.TreeMembership.objects.filter(pk=other.pk).exists()


def test_unknown_tree_is_404(db):
    assert client_for(SuperUserFactory()).get("/en/trees/nope/members/").status_code == 404


def test_post_without_csrf_token_is_refused(tree, owner):
    client = client_for(owner, enforce_csrf_checks=True)
    target = UserFactory()
    response = client.post(url(tree), {"action": "invite", "user": target.username})
    assert response.status_code == 403
    assert not g.TreeMembership.objects.exists()


def test_post_with_the_page_csrf_token_works(tree, owner):
    client = client_for(owner, enforce_csrf_checks=True)
    client.get(url(tree))
    token = client.cookies["csrftoken"].value
    target = UserFactory()
    response = client.post(
        url(tree),
        {
            "action": "invite",
            "user": target.username,
            "role": "viewer",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert g.TreeMembership.objects.filter(tree=tree, user=target).exists()


# -- the tree page links to it -----------------------------------------------------------------


def test_tree_page_links_the_members_page_for_the_owner_only(tree, owner):
    assert url(tree) in client_for(owner).get(f"/en/trees/{tree.slug}/").content.decode()
    member = TreeMembershipFactory(tree=tree).user
    for user in (None, UserFactory(), member):
        page = client_for(user).get(f"/en/trees/{tree.slug}/").content.decode()
        assert url(tree) not in page


# -- inviting ----------------------------------------------------------------------------------


def test_owner_invites_by_username(tree, owner):
    target = UserFactory(username="aigerim")
    page = follow_text(invite(client_for(owner), tree, "aigerim", "editor"))
    membership = g.TreeMembership.objects.get(tree=tree, user=target)
    assert membership.role == g.MembershipRole.EDITOR
    assert "aigerim now sees everything in this tree." in page
    assert has_full_access(target, tree)


def test_owner_invites_by_email_in_any_case(tree, owner):
    target = UserFactory(email="Aigerim@Example.org")
    invite(client_for(owner), tree, "aigerim@example.ORG")
    assert g.TreeMembership.objects.filter(tree=tree, user=target).exists()


def test_inviting_an_unknown_user_shows_an_error(tree, owner):
    response = invite(client_for(owner), tree, "nobody@example.org")
    assert "There is no account with this username or e-mail address." in follow_text(response)
    assert not g.TreeMembership.objects.exists()


def test_inviting_an_inactive_user_is_refused(tree, owner):
    target = UserFactory(is_active=False)
    invite(client_for(owner), tree, target.username)
    assert not g.TreeMembership.objects.exists()


def test_inviting_twice_is_refused(tree, owner):
    target = UserFactory()
    client = client_for(owner)
    invite(client, tree, target.username)
    page = follow_text(invite(client, tree, target.email))
    assert "is a member of this tree already" in page
    assert g.TreeMembership.objects.filter(tree=tree, user=target).count() == 1


def test_the_owner_cannot_be_invited(tree, owner):
    page = follow_text(invite(client_for(owner), tree, owner.username))
    assert "owner" in page
    assert not g.TreeMembership.objects.exists()


def test_an_email_shared_by_two_accounts_asks_for_the_username(tree, owner):
    UserFactory(email="family@example.org")
    UserFactory(email="family@example.org")
    page = follow_text(invite(client_for(owner), tree, "family@example.org"))
    assert "enter the username" in page
    assert not g.TreeMembership.objects.exists()


def test_invite_service_refuses_the_owner_and_an_unknown_role(tree, owner):
    with pytest.raises(MembershipError):
        membership_invite(tree=tree, user=owner)
    with pytest.raises(MembershipError):
        membership_invite(tree=tree, user=UserFactory(), role="admin")


def test_user_names_are_escaped(tree, owner):
    target = UserFactory(username="x", display_name="<script>alert(1)</script>")
    TreeMembershipFactory(tree=tree, user=target)
    page = follow_text(client_for(owner).get(url(tree)))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# -- changing roles and removing ---------------------------------------------------------------


def test_owner_changes_a_role(tree, owner):
    membership = TreeMembershipFactory(tree=tree)
    response = client_for(owner).post(
        url(tree), {"action": "role", "membership": membership.pk, "role": "editor"}, follow=True
    )
    membership.refresh_from_db()
    assert membership.role == g.MembershipRole.EDITOR
    assert "is now: Editor." in follow_text(response)


def test_an_unknown_role_is_refused(tree, owner):
    membership = TreeMembershipFactory(tree=tree)
    response = client_for(owner).post(
        url(tree), {"action": "role", "membership": membership.pk, "role": "owner"}, follow=True
    )
    membership.refresh_from_db()
    assert membership.role == g.MembershipRole.VIEWER
    assert "Unknown role." in follow_text(response)


def test_owner_removes_a_member(tree, owner):
    membership = TreeMembershipFactory(tree=tree)
    user = membership.user
    response = client_for(owner).post(
        url(tree), {"action": "remove", "membership": membership.pk}, follow=True
    )
    assert "is no longer a member of this tree." in follow_text(response)
    assert not g.TreeMembership.objects.filter(pk=membership.pk).exists()
    assert not has_full_access(user, tree)


def test_a_membership_of_another_tree_cannot_be_touched(tree, owner):
    elsewhere = TreeMembershipFactory()
    response = client_for(owner).post(url(tree), {"action": "remove", "membership": elsewhere.pk})
    assert response.status_code == 404
    assert g.TreeMembership.objects.filter(pk=elsewhere.pk).exists()


def test_a_bad_membership_id_is_404(tree, owner):
    response = client_for(owner).post(url(tree), {"action": "remove", "membership": "x"})
    assert response.status_code == 404


def test_an_unknown_action_is_400(tree, owner):
    assert client_for(owner).post(url(tree), {"action": "drop"}).status_code == 400


def test_page_lists_members_with_their_roles(tree, owner):
    TreeMembershipFactory(tree=tree, user=UserFactory(username="daulet"), role="editor")
    page = follow_text(client_for(owner).get(url(tree)))
    assert "daulet" in page
    assert "Editor" in page


# -- membership grants access --------------------------------------------------------------------


def test_an_invited_member_opens_a_private_tree(owner):
    private = TreeFactory(slug="private-kin", owner=owner)
    target = UserFactory()
    assert client_for(target).get(f"/en/trees/{private.slug}/").status_code == 404
    invite(client_for(owner), private, target.username)
    assert client_for(target).get(f"/en/trees/{private.slug}/").status_code == 200
