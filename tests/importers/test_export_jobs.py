"""GEDCOM export on the site as a background job: the request, the job, the kept file, who may
have which file, and what happens to the files when the tree changes or goes."""

import io
import uuid
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, TestCase

from genealogy import models as g
from genealogy.services import tree_purge
from importers import exporter
from importers.exporter import tree_export
from importers.models import ExportJob
from importers.services import export_job_run
from tests.factories import SuperUserFactory, UserFactory
from tests.genealogy.factories import TreeMembershipFactory, import_tree
from tests.importers.exports import (
    client_for,
    download,
    download_url,
    job_from,
    job_url,
    read,
    request_export,
)
from tests.importers.test_export_privacy import CANARY_GEDCOM, TOKENS, leaked

pytestmark = pytest.mark.django_db


def stored(job: ExportJob, settings) -> Path:
    return Path(settings.MEDIA_ROOT) / job.file


def export_files(settings) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def exports_counted(monkeypatch):
    """Counts the exporter's runs (the job calls it through the module)."""
    calls = []

    def counting(**kwargs):
        calls.append((kwargs["version"], kwargs["redact"]))
        return tree_export(**kwargs)

    monkeypatch.setattr(exporter, "tree_export", counting)
    return calls


# -- request → job → file ----------------------------------------------------------------------


def test_request_runs_a_job_that_writes_the_file_and_redirects_to_its_page(canary, owner, settings):
    client = client_for(owner)
    response = request_export(client, "canary", "7.0")
    job = job_from(response)
    assert response["Location"] == f"/en/trees/canary/export/{job.pk}/"
    assert job.status == ExportJob.Status.SUCCEEDED
    assert (job.version, job.redacted, job.requested_by, job.tree) == ("7.0", False, owner, canary)
    assert job.progress == 100 and job.finished is not None
    assert stored(job, settings).is_file()
    assert job.file_size == stored(job, settings).stat().st_size
    page = client.get(response["Location"]).content.decode()
    assert f'href="{download_url(job)}"' in page
    text = read(client.get(download_url(job)))
    assert "2 VERS 7.0" in text and "Canaryliving /Tokenalpha/" in text


def test_the_stored_file_has_a_generated_name_in_its_own_folder(canary, owner, settings):
    job = job_from(request_export(client_for(owner), "canary"))
    folder, name = job.file.split("/")
    assert folder == "exports"
    assert name.endswith(".ged")
    assert "canary" not in name and str(job.pk) not in name
    assert len(name) > 30  # a random name, not guessable from anything a visitor sees


def test_download_is_an_attachment_no_shared_cache_may_keep(canary):
    client = Client()
    job = job_from(request_export(client, "canary"))
    response = client.get(download_url(job))
    read(response)
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="canary-5.5.1.ged"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    for url in (job_url(job), f"{job_url(job)}status/"):
        assert "private" in client.get(url)["Cache-Control"]


def test_status_endpoint_reports_the_finished_job_as_json(canary):
    client = Client()
    job = job_from(request_export(client, "canary"))
    data = client.get(f"/en/trees/canary/export/{job.pk}/status/").json()
    assert data["status"] == "succeeded"
    assert data["finished"] is True
    assert data["percent"] == 100


def test_a_queued_job_shows_a_live_progress_bar_without_inline_script(canary):
    client = Client()
    job = job_from(request_export(client, "canary", run=False))
    assert job.status == ExportJob.Status.QUEUED
    html = client.get(f"/en/trees/canary/export/{job.pk}/").content.decode()
    assert f'data-status-url="/en/trees/canary/export/{job.pk}/status/"' in html
    assert "js/import-progress.js" in html
    assert "<script>" not in html
    assert 'http-equiv="refresh"' in html  # without JavaScript the page reloads itself
    data = client.get(f"/en/trees/canary/export/{job.pk}/status/").json()
    assert (data["status"], data["finished"], data["percent"]) == ("queued", False, 0)


def test_the_worker_runs_a_queued_job(canary, settings):
    job = job_from(request_export(Client(), "canary", run=False))
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.SUCCEEDED
    assert stored(job, settings).is_file()


def test_progress_is_reported_up_to_the_total(canary):
    calls = []
    tree_export(
        tree=canary, fileobj=io.BytesIO(), progress=lambda done, total: calls.append((done, total))
    )
    total = calls[-1][1]
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert total == sum(
        rows.filter(tree=canary).count()
        for rows in (
            g.Person.objects,
            g.Family.objects,
            g.Source.objects,
            g.Repository.objects,
            g.Note.objects.filter(shared=True),
            g.Media.objects.filter(shared=True),
            g.ExtraRecord.objects,
        )
    )


# -- the request itself ------------------------------------------------------------------------


def test_get_shows_the_export_page_with_a_csrf_protected_form_and_makes_no_job(canary):
    response = Client().get("/en/trees/canary/export/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post" action="/en/trees/canary/export/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="version" value="7.0"' in html
    assert not ExportJob.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(canary):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/trees/canary/export/", {"version": "5.5.1"})
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_a_post_with_the_csrf_token_is_accepted(canary):
    client = Client(enforce_csrf_checks=True)
    client.get("/en/trees/canary/export/")
    token = client.cookies["csrftoken"].value
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/en/trees/canary/export/", {"version": "5.5.1", "csrfmiddlewaretoken": token}
        )
    assert job_from(response).status == ExportJob.Status.SUCCEEDED


def test_other_methods_are_not_allowed(canary):
    job = job_from(request_export(Client(), "canary"))
    assert Client().put("/en/trees/canary/export/").status_code == 405
    assert Client().post(download_url(job)).status_code == 405


def test_an_unknown_version_is_5_5_1(canary):
    job = job_from(request_export(Client(), "canary", "8.0"))
    assert job.version == "5.5.1"


# -- the kept file -----------------------------------------------------------------------------


def test_a_second_request_serves_the_kept_file_without_a_new_job(canary, owner, exports_counted):
    first = job_from(request_export(client_for(owner), "canary"))
    again = job_from(request_export(client_for(owner), "canary"))
    assert again.pk == first.pk
    assert ExportJob.objects.count() == 1
    assert exports_counted == [("5.5.1", False)]


def test_the_redacted_file_is_shared_by_every_visitor_without_full_access(canary, exports_counted):
    first = job_from(request_export(Client(), "canary"))
    stranger = job_from(request_export(client_for(UserFactory()), "canary"))
    assert stranger.pk == first.pk
    assert exports_counted == [("5.5.1", True)]


def test_each_version_and_variant_has_its_own_file(canary, owner, exports_counted):
    for client in (Client(), client_for(owner)):
        for version in ("5.5.1", "7.0"):
            request_export(client, "canary", version)
    assert sorted(exports_counted) == [
        ("5.5.1", False),
        ("5.5.1", True),
        ("7.0", False),
        ("7.0", True),
    ]
    assert ExportJob.objects.filter(status=ExportJob.Status.SUCCEEDED).count() == 4


def test_a_request_while_the_job_waits_joins_it(canary, owner):
    first = job_from(request_export(client_for(owner), "canary", run=False))
    again = job_from(request_export(client_for(owner), "canary", run=False))
    assert again.pk == first.pk
    assert ExportJob.objects.count() == 1


def test_the_database_allows_one_job_of_a_kind_on_its_way(canary):
    job = job_from(request_export(Client(), "canary", run=False))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(
            tree=canary, tree_updated=job.tree_updated, version=job.version, redacted=True
        )


def test_a_reimport_makes_the_kept_files_go_and_a_new_request_writes_a_new_one(
    canary, owner, settings, exports_counted
):
    old = job_from(request_export(client_for(owner), "canary"))
    path = stored(old, settings)
    with TestCase.captureOnCommitCallbacks(execute=True):
        tree = import_tree(CANARY_GEDCOM.replace("Visible /Sibling/", "Renamed /Sibling/"),
                           slug="canary", owner=owner)  # fmt: skip
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not path.exists()
    new = job_from(request_export(client_for(owner), "canary"))
    assert new.pk != old.pk and new.tree == tree
    assert "Renamed /Sibling/" in read(client_for(owner).get(download_url(new)))
    assert len(exports_counted) == 2


def test_a_changed_tree_gets_a_new_file_and_the_old_one_goes(canary, owner, settings):
    client = client_for(owner)
    old = job_from(request_export(client, "canary"))
    other_kind = job_from(request_export(client, "canary", "7.0"))
    canary.refresh_from_db()
    canary.description = "Changed"
    canary.save()  # moves the tree's "updated" marker
    new = job_from(request_export(client, "canary"))
    assert new.pk != old.pk
    old.refresh_from_db()
    other_kind.refresh_from_db()
    # Files of the tree as it was go, of whatever version, as soon as a newer one is written.
    assert old.status == other_kind.status == ExportJob.Status.EXPIRED
    assert old.file == other_kind.file == ""
    assert export_files(settings) == [Path(new.file).name]


def test_an_edit_of_a_record_makes_the_kept_visitors_file_out_of_date(canary):
    client = Client()
    first = job_from(request_export(client, "canary"))
    assert "Visible /Sibling/" in read(client.get(download_url(first)))
    sibling = g.Person.objects.get(tree=canary, xref="I9")
    sibling.private = True
    sibling.save()
    assert client.get(download_url(first)).status_code == 302
    again = job_from(request_export(client, "canary"))
    assert again.pk != first.pk
    assert "Visible /Sibling/" not in read(client.get(download_url(again)))


def test_an_out_of_date_file_is_not_served(canary, owner):
    client = client_for(owner)
    job = job_from(request_export(client, "canary"))
    canary.refresh_from_db()
    canary.save()
    response = client.get(download_url(job))
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED
    html = client.get(job_url(job)).content.decode()
    assert "no longer available" in html
    assert 'action="/en/trees/canary/export/"' in html  # a new one is one click away


def test_a_file_gone_from_the_disk_is_written_again(canary, owner, settings):
    client = client_for(owner)
    job = job_from(request_export(client, "canary"))
    stored(job, settings).unlink()
    again = job_from(request_export(client, "canary"))
    assert again.pk != job.pk and stored(again, settings).is_file()


# -- who gets which file -----------------------------------------------------------------------

ROLES = ["anonymous", "stranger", "member", "owner", "staff"]
FULL = {"anonymous": False, "stranger": False, "member": True, "owner": True, "staff": True}


def user_for(role, canary, owner):
    return {
        "anonymous": lambda: None,
        "stranger": UserFactory,
        "member": lambda: TreeMembershipFactory(tree=canary).user,
        "owner": lambda: owner,
        "staff": SuperUserFactory,
    }[role]()


@pytest.mark.parametrize("role", ROLES)
def test_public_tree_gives_each_role_its_variant(canary, owner, role):
    client = client_for(user_for(role, canary, owner))
    job = job_from(request_export(client, "canary"))
    assert job.redacted is not FULL[role]
    text = read(client.get(download_url(job)))
    if FULL[role]:
        assert set(leaked(text)) == set(TOKENS)
    else:
        assert leaked(text) == []
        assert "1 NAME Private" in text


@pytest.mark.parametrize("role", ROLES)
def test_private_tree_exists_only_for_those_with_full_access(canary, owner, role):
    canary.visibility = g.Visibility.PRIVATE
    canary.save(update_fields=["visibility"])
    client = client_for(user_for(role, canary, owner))
    if FULL[role]:
        assert client.get("/en/trees/canary/export/").status_code == 200
        assert not job_from(request_export(client, "canary")).redacted
    else:
        assert client.get("/en/trees/canary/export/").status_code == 404
        assert request_export(client, "canary").status_code == 404
        assert not ExportJob.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "stranger"])
def test_the_owners_full_file_is_not_found_by_anyone_else_with_its_address(canary, owner, role):
    job = job_from(request_export(client_for(owner), "canary"))
    assert not job.redacted
    client = client_for(user_for(role, canary, owner))
    base = f"/en/trees/canary/export/{job.pk}/"
    for url in (base, f"{base}status/", f"{base}download/"):
        assert client.get(url).status_code == 404, url


def test_those_with_full_access_are_not_given_the_redacted_file_either(canary, owner):
    job = job_from(request_export(Client(), "canary"))
    assert client_for(owner).get(download_url(job)).status_code == 404


def test_a_member_who_lost_access_no_longer_gets_the_full_file(canary):
    membership = TreeMembershipFactory(tree=canary)
    client = client_for(membership.user)
    job = job_from(request_export(client, "canary"))
    membership.delete()
    assert client.get(download_url(job)).status_code == 404
    assert leaked(download(client, "canary")) == []


def test_a_job_under_another_trees_address_is_not_found(canary, owner):
    job = job_from(request_export(client_for(owner), "canary"))
    import_tree(CANARY_GEDCOM, slug="other", owner=owner)
    url = f"/en/trees/other/export/{job.pk}/download/"
    assert client_for(owner).get(url).status_code == 404


def test_an_unknown_job_is_not_found(canary, owner):
    url = f"/en/trees/canary/export/{uuid.uuid4()}/"
    assert client_for(owner).get(url).status_code == 404


def test_members_only_tree_asks_anonymous_visitors_to_sign_in(canary):
    canary.visibility = g.Visibility.USERS
    canary.save(update_fields=["visibility"])
    job = job_from(request_export(client_for(UserFactory()), "canary"))
    for response in (
        Client().get("/en/trees/canary/export/"),
        request_export(Client(), "canary"),
        Client().get(download_url(job)),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_tree_is_not_found():
    assert Client().get("/en/trees/nowhere/export/").status_code == 404
    assert request_export(Client(), "nowhere").status_code == 404


# -- failure -----------------------------------------------------------------------------------


def test_a_failing_export_shows_an_error_and_leaves_no_file(canary, monkeypatch, settings):
    def broken(*, fileobj, **kwargs):
        fileobj.write(b"0 HEAD\n")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exporter, "tree_export", broken)
    client = Client()
    response = request_export(client, "canary")
    job = job_from(response)
    assert job.status == ExportJob.Status.FAILED
    assert job.file == "" and "disk on fire" in job.error
    assert export_files(settings) == []
    html = client.get(response["Location"]).content.decode()
    assert "The file could not be written" in html
    assert "disk on fire" not in html  # what went wrong is for the staff, not the page
    assert client.get(download_url(job)).status_code == 302
    monkeypatch.undo()
    again = job_from(request_export(client, "canary"))  # a new request tries again
    assert again.pk != job.pk and again.status == ExportJob.Status.SUCCEEDED


def test_old_failed_and_expired_jobs_go_when_the_worker_next_runs_one(canary, owner, settings):
    """Failed and expired jobs keep their pages for a week; the next export of the tree then
    deletes their rows (the files went already). Recent ones, other trees' and the kept file's
    job stay."""
    from datetime import timedelta

    from django.utils import timezone

    from importers.services import EXPORT_ROWS_KEPT

    tree = g.Tree.objects.get(slug="canary")
    other = import_tree(
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Other /Tree/\n0 TRLR\n",
        slug="other",
    )
    long_ago = timezone.now() - EXPORT_ROWS_KEPT - timedelta(hours=1)
    old = {}
    for status in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
        for t in (tree, other):
            job = ExportJob.objects.create(
                tree=t, tree_updated=t.updated, version="7.0", redacted=True, status=status
            )
            ExportJob.objects.filter(pk=job.pk).update(created=long_ago)
            old[(status, t.slug)] = job.pk
    recent = ExportJob.objects.create(
        tree=tree, tree_updated=tree.updated, version="7.0", redacted=True, status="failed"
    )
    job = job_from(request_export(client_for(owner), "canary"))
    assert job.status == ExportJob.Status.SUCCEEDED
    left = set(ExportJob.objects.values_list("pk", flat=True))
    assert old[("failed", "canary")] not in left and old[("expired", "canary")] not in left
    assert old[("failed", "other")] in left and old[("expired", "other")] in left
    assert recent.pk in left and job.pk in left
    assert client_for(owner).get(job_url(job)).status_code == 200
    gone = ExportJob(pk=old[("failed", "canary")], tree=tree)
    assert client_for(owner).get(job_url(gone)).status_code == 404  # its page went with it


# -- purge -------------------------------------------------------------------------------------


def test_purging_the_tree_deletes_its_exports_and_their_files(canary, owner, settings):
    request_export(client_for(owner), "canary")
    request_export(Client(), "canary", "7.0")
    other = import_tree(CANARY_GEDCOM, slug="other", owner=owner)
    kept = job_from(request_export(Client(), "other"))
    assert len(export_files(settings)) == 3
    with TestCase.captureOnCommitCallbacks(execute=True):
        tree_purge(tree=canary)
    assert list(ExportJob.objects.all()) == [kept]
    assert export_files(settings) == [Path(kept.file).name]
    assert other.pk == kept.tree_id


def test_a_job_whose_tree_went_meanwhile_leaves_no_file(canary, settings, monkeypatch):
    job = job_from(request_export(Client(), "canary", run=False))

    def purged_meanwhile(**kwargs):
        tree_export(**kwargs)
        ExportJob.objects.filter(pk=job.pk).delete()

    monkeypatch.setattr(exporter, "tree_export", purged_meanwhile)
    assert export_job_run(job_id=job.pk) is None
    assert export_files(settings) == []


# -- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "The file is ready"), ("ru", "Файл готов"), ("kk", "Файл дайын")],
)
def test_pages_speak_the_visitors_language(canary, language, phrase):
    client = Client()
    assert client.get(f"/{language}/trees/canary/export/").status_code == 200
    response = request_export(client, "canary", language=language)
    assert response["Location"].startswith(f"/{language}/trees/canary/export/")
    assert phrase in client.get(response["Location"]).content.decode()
