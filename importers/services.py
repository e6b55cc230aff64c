"""Import and export jobs: run them in the background, report progress, keep exported files.

Imports: the web request only stores the file and enqueues a task; parsing happens in the
worker. The import itself is one database transaction, so its progress cannot be written to the
database (no one else would see it before the commit): it goes to the cache, which the web
server and the worker share (Redis in production, a file cache on a single machine).

Exports: a request finds or makes an :class:`~importers.models.ExportJob` for the tree, GEDCOM
version and variant (full or redacted); the worker writes the file under ``MEDIA_ROOT/exports/``
with a random name, reporting progress through the cache as imports do. A finished file serves
everyone who asks for the same variant until the tree changes; a newer file of the tree replaces
the older ones, and purging the tree deletes them all (:func:`export_files_purge`).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExportJob, ImportJob

logger = logging.getLogger(__name__)

IMPORT_DIR = "imports"
PROGRESS_TIMEOUT = 60 * 60 * 6
PROGRESS_INTERVAL_SECONDS = 0.5
ALLOWED_SUFFIXES = {".ged", ".gdz", ".zip"}


class UploadTooLarge(ValueError):
    pass


def _media_folder(name: str) -> Path:
    """A folder of MEDIA_ROOT for the importers' files, made when missing."""
    path = Path(settings.MEDIA_ROOT) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_dir() -> Path:
    return _media_folder(IMPORT_DIR)


def _progress_to(key: str) -> Callable[[int, int], None]:
    """A progress callback for a job: ``(done, total)`` into the cache under ``key``, where the
    job's page reads it, at most every PROGRESS_INTERVAL_SECONDS and always at the end."""
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_INTERVAL_SECONDS or done >= total:
            last = now
            cache.set(key, {"done": done, "total": total}, PROGRESS_TIMEOUT)

    return progress


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
    data["finished"] = job.is_finished
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
    progress = _progress_to(progress_key(job.pk))

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


# -- exports -----------------------------------------------------------------------------------

EXPORT_DIR = "exports"
# A job still waiting or running after this long is taken for lost (its worker stopped).
EXPORT_STALE_AFTER = timedelta(hours=6)
# Failed and expired jobs (no file) keep their status pages this long after they were asked
# for, then their rows go: each request of a changed tree would otherwise leave one for good.
EXPORT_ROWS_KEPT = timedelta(days=7)


def export_dir() -> Path:
    return _media_folder(EXPORT_DIR)


def export_progress_key(job_id) -> str:
    return f"tamyr:export-progress:{job_id}"


def export_file_path(job: ExportJob) -> Path | None:
    """The job's file on disk, or None when it has none or it is gone."""
    if not job.file:
        return None
    path = Path(settings.MEDIA_ROOT) / job.file
    return path if path.is_file() else None


def _delete_export_file(name: str) -> None:
    """Delete one stored export. Only names the site made are ever passed in; the check is
    a second guard that nothing outside the exports folder can be removed."""
    if not name:
        return
    folder = (Path(settings.MEDIA_ROOT) / EXPORT_DIR).resolve()
    path = (Path(settings.MEDIA_ROOT) / name).resolve()
    if path.parent != folder:
        logger.warning("Refused to delete %s: not an export file", name)
        return
    path.unlink(missing_ok=True)


def export_file_delete_on_commit(name: str) -> None:
    """Delete a stored export once the transaction that dropped it commits (at once outside
    one): a rollback must not leave a row whose file is gone."""
    if name:
        transaction.on_commit(lambda: _delete_export_file(name))


def _reusable_export(tree, version: str, redacted: bool) -> ExportJob | None:
    """A job that already serves this tree as it is now: a file on disk, or one on its way."""
    current = ExportJob.objects.filter(
        tree=tree, version=version, redacted=redacted, tree_updated=tree.updated
    )
    stale = timezone.now() - EXPORT_STALE_AFTER
    current.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING], created__lt=stale
    ).update(status=ExportJob.Status.FAILED, error="Never finished: the worker stopped.")
    for job in current.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING, ExportJob.Status.SUCCEEDED]
    ).order_by("-created"):
        if job.status != ExportJob.Status.SUCCEEDED or export_file_path(job) is not None:
            return job
        export_job_expire(job=job)  # its file was removed behind the site's back
    return None


def export_job_request(*, tree, version: str, redacted: bool, requested_by=None) -> ExportJob:
    """The job that gives ``tree`` as GEDCOM ``version`` (``redacted`` or in full): a finished
    file of the tree as it is now, or a job already on its way, or else a new job, enqueued
    once it is committed. Who may have which variant is the caller's decision."""
    if version not in ExportJob.Version.values:
        raise ValueError(f"Cannot export GEDCOM version {version!r}")
    job = _reusable_export(tree, version, redacted)
    if job is not None:
        return job
    user = requested_by if getattr(requested_by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                tree=tree,
                tree_updated=tree.updated,
                version=version,
                redacted=redacted,
                requested_by=user,
            )
            transaction.on_commit(lambda: _enqueue_export(job.pk))
    except IntegrityError:
        # Another request (a double click) made the same job a moment ago: one job serves both.
        job = _reusable_export(tree, version, redacted)
        if job is None:
            raise
    return job


def _enqueue_export(job_id) -> None:
    from .tasks import run_export_job

    run_export_job.enqueue(str(job_id))


def export_progress(job: ExportJob) -> dict:
    """What the export's status page polls: status, records done of total, percent."""
    data = {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.is_finished,
        "url": job.get_absolute_url(),
    }
    if job.status == ExportJob.Status.RUNNING:
        state = cache.get(export_progress_key(job.pk)) or {}
        done, total = state.get("done", 0), state.get("total") or 1
        data.update(done=done, total=total, percent=min(100, int(done * 100 / total)))
    else:
        data.update(percent=job.progress)
    return data


def export_job_expire(*, job: ExportJob) -> None:
    """Mark a finished export as no longer available and delete its file."""
    name = job.file
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
    job.status, job.file = ExportJob.Status.EXPIRED, ""
    export_file_delete_on_commit(name)


def _supersede(job: ExportJob) -> None:
    """After ``job`` wrote its file: older files of the tree go (those of an older state of the
    tree, of whatever version and variant, and older ones of the same version and variant);
    should a newer file of the same kind already be there, this one goes instead."""

    def rank(one: ExportJob) -> tuple:
        return (one.tree_updated, one.created, str(one.pk))

    for other in ExportJob.objects.filter(tree_id=job.tree_id, status=ExportJob.Status.SUCCEEDED):
        if other.pk == job.pk:
            continue
        same_kind = other.version == job.version and other.redacted == job.redacted
        if other.tree_updated < job.tree_updated or (same_kind and rank(other) < rank(job)):
            export_job_expire(job=other)
        elif same_kind or other.tree_updated > job.tree_updated:
            export_job_expire(job=job)
            return


def export_job_run(*, job_id) -> ExportJob | None:
    """Write one queued export; it ends SUCCEEDED with its file, or FAILED without one. Returns
    None when the job is gone (its tree was purged while the file was being written)."""
    from .exporter import tree_export

    job = ExportJob.objects.select_related("tree").filter(pk=job_id).first()
    if job is None or job.status != ExportJob.Status.QUEUED:
        return job
    started = timezone.now()
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started=started
    )
    if not claimed:  # another worker took it
        return job
    job.status, job.started = ExportJob.Status.RUNNING, started
    progress = _progress_to(export_progress_key(job.pk))

    # A random name: the job's id is seen by whoever requested it, the file's name by no one.
    name = f"{EXPORT_DIR}/{secrets.token_urlsafe(24)}.ged"
    target = export_dir() / Path(name).name
    partial = target.with_name(target.name + ".part")
    try:
        # Written beside the target and renamed, so a failure never leaves half a file.
        with partial.open("xb") as out:
            tree_export(
                tree=job.tree,
                version=job.version,
                fileobj=out,
                redact=job.redacted,
                progress=progress,
            )
        partial.replace(target)
    except Exception as error:
        logger.exception("Export job %s failed", job.pk)
        outcome = {
            "status": ExportJob.Status.FAILED,
            "error": f"{type(error).__name__}: {error}"[:1000],
            "progress": 0,
        }
    else:
        outcome = {
            "status": ExportJob.Status.SUCCEEDED,
            "file": name,
            "file_size": target.stat().st_size,
            "progress": 100,
        }
    finally:
        partial.unlink(missing_ok=True)  # whatever stopped the writing (even the worker's end)
    outcome["finished"] = timezone.now()
    cache.delete(export_progress_key(job.pk))
    if not ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(**outcome):
        # The tree was purged (re-imported or deleted) meanwhile, and the job with it.
        _delete_export_file(outcome.get("file", ""))
        return None
    for field, value in outcome.items():
        setattr(job, field, value)
    if job.status == ExportJob.Status.SUCCEEDED:
        _supersede(job)
    _forget_old_exports(job.tree_id)
    return job


def _forget_old_exports(tree_id: int) -> None:
    """Delete the tree's failed and expired jobs asked for more than :data:`EXPORT_ROWS_KEPT`
    ago (none has a file: an expired job's went when it expired)."""
    ExportJob.objects.filter(
        tree_id=tree_id,
        status__in=[ExportJob.Status.FAILED, ExportJob.Status.EXPIRED],
        created__lt=timezone.now() - EXPORT_ROWS_KEPT,
    ).delete()


def export_files_purge(*, tree_id: int) -> int:
    """Delete every export of a tree; their files go once the deletion commits (the
    ``post_delete`` receiver, which also covers an ORM delete of the tree). Returns how many
    jobs there were. Runs when the tree is purged."""
    deleted, _per_model = ExportJob.objects.filter(tree_id=tree_id).delete()
    return deleted


def export_job_deleted(sender, instance: ExportJob, **kwargs) -> None:
    """``post_delete`` of ExportJob: its file goes with it."""
    export_file_delete_on_commit(instance.file)


def tree_record_changed(sender, instance, **kwargs) -> None:
    """``post_save``/``post_delete`` of a tree's records, for edits through the ORM (the
    importer writes with COPY and makes a new tree anyway): the tree's ``updated`` marker moves,
    so no file kept of the tree as it was is given out again. A record made private by an edit
    must not stay readable in a kept visitors' file."""
    if kwargs.get("raw"):
        return
    tree_id = getattr(instance, "tree_id", None)
    if tree_id is not None:
        from genealogy.models import Tree

        Tree.objects.filter(pk=tree_id).update(updated=timezone.now())


def exports_on_tree_purge(sender, tree, **kwargs) -> None:
    """``genealogy.services.tree_purging``: the tree's exported files describe what is gone."""
    export_files_purge(tree_id=tree.pk)
