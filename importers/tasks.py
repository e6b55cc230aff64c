"""Background tasks of the importers: they take ids, never files or model instances."""

from django_tasks import task

from .services import export_job_run, import_job_run


@task(backend="db", queue_name="imports")
def run_import_job(job_id: str) -> str:
    return import_job_run(job_id=job_id).status


@task(backend="db", queue_name="exports")
def run_export_job(job_id: str) -> str:
    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "gone"
