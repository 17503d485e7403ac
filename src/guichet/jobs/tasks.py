"""The one task the queue runs: a Job, by its id (see services.job_run)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from guichet.jobs.services import job_run

    return job_run(job_id=job_id)
