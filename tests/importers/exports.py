"""Helpers for tests that export a tree through the site: request, run the job, download."""

from __future__ import annotations

from django.test import Client, TestCase

from importers.models import ExportJob


def client_for(user) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def request_export(
    client: Client, slug: str, version: str = "5.5.1", *, language: str = "en", run: bool = True
):
    """POST the export request; with ``run``, the job's task runs as its transaction commits
    (the test settings' task backend is immediate). Returns the response."""
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(f"/{language}/trees/{slug}/export/", {"version": version})


def job_from(response) -> ExportJob:
    """The job a request redirected to."""
    assert response.status_code == 302, response.status_code
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return ExportJob.objects.get(pk=job_id)


def read(response) -> str:
    """The text of a download response. Reading it to the end closes the file (the test
    client's wrapper does, as a WSGI server would); calling ``response.close()`` here instead
    would also close the test's database connection on PostgreSQL."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def download(client: Client, slug: str, version: str = "5.5.1") -> str:
    """Export ``slug`` as ``client``'s visitor gets it and return the file's text."""
    job = job_from(request_export(client, slug, version))
    response = client.get(download_url(job))
    assert response.status_code == 200, response.status_code
    return read(response)


def job_url(job: ExportJob, language: str = "en") -> str:
    return f"/{language}/trees/{job.tree.slug}/export/{job.pk}/"


def download_url(job: ExportJob, language: str = "en") -> str:
    return f"{job_url(job, language)}download/"
