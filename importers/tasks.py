"""Background tasks of the importers: they take ids, never files or model instances."""

from django_tasks import task

from .services import import_job_run


@task(backend="db", queue_name="imports")
def run_import_job(job_id: str) -> str:
    return import_job_run(job_id=job_id).status
