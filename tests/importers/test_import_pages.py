"""Uploading a tree on the site: the form, the background job, the progress and the report."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from genealogy.models import Tree
from importers.models import ImportJob
from tests.factories import UserFactory
from tests.importers.exports import download, request_export

pytestmark = pytest.mark.django_db

SMALL_GEDCOM = (
    "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n"
    "0 @I1@ INDI\n1 NAME Әлихан /Бөкейхан/\n1 SEX M\n1 BIRT\n2 DATE 5 MAR 1866\n"
    "2 PLAC Тоқырауын болысы\n1 DEAT\n2 DATE 27 SEP 1937\n1 FAMC @F1@\n"
    "0 @I2@ INDI\n1 NAME Нұрмұхамед /Бөкейхан/\n1 SEX M\n1 FAMS @F1@\n1 DEAT\n"
    "0 @F1@ FAM\n1 HUSB @I2@\n1 CHIL @I1@\n1 CHIL @I9@\n"
    "0 TRLR\n"
).encode()


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def upload(client, content=SMALL_GEDCOM, name="bokeikhan.ged", **fields):
    data = {"title": "Бөкейхан әулеті", "slug": "", "visibility": "public", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post("/kk/trees/import/", data)


def test_upload_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/kk/trees/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/accounts/login/?next=")


def test_upload_page_shows_the_form_with_csrf_protection(client, user):
    response = client.get("/ru/trees/import/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html


def test_upload_runs_the_import_and_redirects_to_the_report(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert job.report["individuals"] == 2
    tree = Tree.objects.get(slug=job.tree_slug)
    assert tree.owner == user
    assert tree.visibility == "public"


def test_report_page_shows_counts_and_warnings_with_their_line(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    job = ImportJob.objects.get()
    html = client.get(f"/en/trees/import/{job.pk}/").content.decode()
    assert '<th scope="row">People</th><td>2</td>' in html
    broken = [w for w in job.report["warnings"] if "I9" in w["message"]]
    assert broken, job.report["warnings"]
    assert f"{broken[0]['line']}" in html


def test_the_stored_file_name_is_generated_not_taken_from_the_upload(
    client, user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, name="../../etc/passwd.ged")
    job = ImportJob.objects.get()
    assert job.stored_file == f"imports/{job.pk}.ged"
    assert job.original_filename == "passwd.ged"
    assert (settings.MEDIA_ROOT / job.stored_file).is_file()


@override_settings(TAMYR_GEDCOM_MAX_UPLOAD_BYTES=100)
def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(client, user):
    response = upload(client)
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0
    assert "100" in response.content.decode()


def test_a_file_of_another_type_is_refused(client, user):
    response = upload(client, content=b"%PDF-1.4", name="tree.pdf")
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_a_file_that_is_not_gedcom_fails_with_one_sentence_and_no_tree(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content=b"<!DOCTYPE html><html><body>hi</body></html>", name="x.ged")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert job.error
    assert not Tree.objects.exists()
    html = client.get(job.get_absolute_url()).content.decode()
    assert job.error.replace("'", "&#x27;") in html


def test_an_address_owned_by_someone_else_is_refused(client, user):
    Tree.objects.create(slug="taken", title="Other", owner=UserFactory())
    response = upload(client, slug="taken")
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_status_endpoint_reports_progress_as_json(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    job = ImportJob.objects.get()
    data = client.get(f"/en/trees/import/{job.pk}/status/").json()
    assert data["status"] == "succeeded"
    assert data["percent"] == 100


def test_another_users_import_is_forbidden(client, user):
    other = ImportJob.objects.create(
        owner=UserFactory(), tree_slug="x", tree_title="x", visibility="private",
        stored_file="imports/x.ged", original_filename="x.ged", file_size=1,
    )  # fmt: skip
    assert client.get(other.get_absolute_url()).status_code == 403
    assert client.get(f"/en/trees/import/{other.pk}/status/").status_code == 403


def test_an_unknown_import_is_not_found(client, user):
    assert client.get(f"/en/trees/import/{uuid.uuid4()}/").status_code == 404


def test_owner_downloads_the_tree_as_gedcom(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    job = ImportJob.objects.get()
    assert 'action="/en/trees/' in client.get(f"/en/trees/import/{job.pk}/").content.decode()
    body = download(client, job.tree_slug, "7.0")
    assert "2 VERS 7.0" in body
    assert "Әлихан /Бөкейхан/" in body


def test_others_cannot_download_a_tree_they_may_not_open(client, user):
    Tree.objects.create(slug="someone", title="Other", owner=UserFactory())  # private, draft
    assert client.get("/en/trees/someone/export/").status_code == 404
    assert request_export(client, "someone").status_code == 404
