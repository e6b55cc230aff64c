"""Import jobs: store an upload safely, run it in the background, report progress.

The web request only stores the file and enqueues a task; parsing happens in the worker. The
import itself is one database transaction, so its progress cannot be written to the database
(no one else would see it before the commit): it goes to the cache, which the web server and the
worker share (Redis in production, a file cache on a single machine).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
PROGRESS_TIMEOUT = 60 * 60 * 6
PROGRESS_INTERVAL_SECONDS = 0.5
ALLOWED_SUFFIXES = {".ged", ".gdz", ".zip"}


class UploadTooLarge(ValueError):
    pass


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / IMPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_key(job_id) -> str:
    return f"tamyr:import-progress:{job_id}"


def import_job_create(
    *, owner, upload: UploadedFile, tree_slug: str, tree_title: str, visibility: str
) -> ImportJob:
    """Store the upload under a generated name and enqueue its import once committed."""
    limit = settings.TAMYR_GEDCOM_MAX_UPLOAD_BYTES
    suffix = Path(upload.name or "").suffix.lower()
    suffix = suffix if suffix in ALLOWED_SUFFIXES else ".ged"
    job = ImportJob(
        owner=owner,
        tree_slug=tree_slug,
        tree_title=tree_title,
        visibility=visibility,
        original_filename=(upload.name or "")[:255],
        file_size=0,
    )
    # The path is built from the job's UUID only: nothing the visitor sent reaches the file system.
    target = import_dir() / f"{job.pk}{suffix}"
    written = 0
    try:
        with target.open("xb") as out:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > limit:
                    raise UploadTooLarge(limit)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    job.stored_file = str(target.relative_to(settings.MEDIA_ROOT))
    job.file_size = written
    with transaction.atomic():
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id) -> None:
    from .tasks import run_import_job

    run_import_job.enqueue(str(job_id))


def import_progress(job: ImportJob) -> dict:
    """What the progress bar shows: status, bytes done of total, percent, report when done."""
    data = {"status": job.status, "status_label": job.get_status_display()}
    if job.status == ImportJob.Status.RUNNING:
        state = cache.get(progress_key(job.pk)) or {}
        done, total = state.get("done", 0), state.get("total") or job.file_size or 1
        data.update(done=done, total=total, percent=min(100, int(done * 100 / total)))
    elif job.status == ImportJob.Status.SUCCEEDED:
        data.update(done=job.file_size, total=job.file_size, percent=100)
    else:
        data.update(done=0, total=job.file_size, percent=0)
    if job.is_finished:
        data["error"] = job.error
        data["url"] = job.get_absolute_url()
    return data


def import_job_run(*, job_id) -> ImportJob:
    """Run one queued import; every outcome ends as SUCCEEDED or FAILED with a message."""
    from importers.gedcom.errors import GedcomRefused
    from importers.loader import tree_import

    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    job.status = ImportJob.Status.RUNNING
    job.started = timezone.now()
    job.save(update_fields=["status", "started"])
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL_SECONDS or done >= total:
            last = now
            cache.set(progress_key(job.pk), {"done": done, "total": total}, PROGRESS_TIMEOUT)

    path = Path(settings.MEDIA_ROOT) / job.stored_file
    try:
        report = tree_import(
            source=path,
            slug=job.tree_slug,
            title=job.tree_title,
            owner=job.owner,
            visibility=job.visibility,
            origin_filename=job.original_filename,
            progress=progress,
        )
    except GedcomRefused as refusal:
        job.status = ImportJob.Status.FAILED
        job.error = str(refusal)
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.error = _(
            "The import stopped because of an error on our side. Nothing was changed; "
            "the library's staff have been told."
        )
    else:
        job.status = ImportJob.Status.SUCCEEDED
        job.report = report.as_dict()
    job.finished = timezone.now()
    job.save(update_fields=["status", "error", "report", "finished"])
    cache.delete(progress_key(job.pk))
    return job
