"""What is mounted where: Wagtail admin yes, Django admin no; health check; media safety."""

import pytest

pytestmark = pytest.mark.django_db


def test_wagtail_admin_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["/django-admin/", "/kk/django-admin/", "/admin/auth/user/"])
def test_django_admin_is_not_exposed(client, path):
    assert client.get(path).status_code in (302, 404)
    assert b"Django administration" not in client.get(path, follow=True).content


def test_healthz_reports_ok_with_the_database_reachable(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_page_is_a_translated_404(client, home_pages):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404


def test_sitemap_lists_the_home_pages(client, home_pages):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<urlset" in response.content
