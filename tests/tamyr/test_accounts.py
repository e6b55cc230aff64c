"""Public accounts: community members sign up, sign in and sign out on the public site."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signup_creates_an_account_and_signs_in(client):
    response = client.post(
        "/ru/accounts/signup/",
        {
            "username": "aigerim",
            "email": "aigerim@example.kz",
            "display_name": "Айгерім",
            "password1": "Шежіре-1937-тамыр",
            "password2": "Шежіре-1937-тамыр",
            "next": "/ru/trees/import/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/trees/import/"
    user = get_user_model().objects.get(username="aigerim")
    assert not user.is_staff
    assert client.get("/ru/trees/import/").status_code == 200


def test_signup_does_not_redirect_to_another_site(client):
    response = client.post(
        "/en/accounts/signup/",
        {
            "username": "marat",
            "email": "marat@example.kz",
            "password1": "Шежіре-1937-тамыр",
            "password2": "Шежіре-1937-тамыр",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"


def test_signup_requires_an_email(client):
    response = client.post(
        "/en/accounts/signup/",
        {"username": "x", "password1": "Шежіре-1937-тамыр", "password2": "Шежіре-1937-тамыр"},
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="x").exists()


def test_sign_in_with_username_and_password(client):
    UserFactory(username="librarian")
    response = client.post(
        "/kk/accounts/login/", {"username": "librarian", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_sign_out_needs_a_post_with_csrf(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_pages_show_sign_in_for_visitors_and_sign_out_for_members(client, home_pages):
    assert 'href="/en/accounts/login/?next=/en/"' in client.get("/en/").content.decode()
    client.force_login(UserFactory())
    html = client.get("/en/").content.decode()
    assert 'action="/en/accounts/logout/"' in html
    assert 'href="/en/trees/import/"' in html
