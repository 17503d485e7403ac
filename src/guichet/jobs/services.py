"""Submitting and running background jobs.

`job_submit` records the job, keeps its input file in a private folder (never under MEDIA_ROOT, whose files
a web server may serve) and enqueues it, all in the caller's transaction: with the database queue the task
row commits with the job, and a queue outside the database (Redis) is only told after the commit.
`job_run` is what the worker executes: it runs the kind's handler, records progress as it goes, and stores
the result or the reason of the refusal. The input file is removed whatever happens.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from guichet.jobs.models import Job, JobStatus
from guichet.jobs.registry import HANDLERS

logger = logging.getLogger(__name__)
# Queues that keep their tasks in the application's database see the job only once it commits: enqueue
# inside the transaction. Any other queue (Redis) could start before the commit: enqueue after it.
TRANSACTIONAL_BACKENDS = (
    "django_tasks_db.backend.DatabaseBackend",
    "django_tasks_db.DatabaseBackend",
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
)


class JobRefused(Exception):
    """The input is wrong: `message` says why; `refused` lists the wrong cells (row, column, message)."""

    def __init__(
        self,
        message: str,
        *,
        refused: Iterable[dict[str, Any]] = (),
        result: dict[str, Any] | None = None,
        problem: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.refused = list(refused)
        self.result = result or {}
        # What the page phrases in its reader's language instead of `message` (stored in the job's):
        # {"template", "params"} in English, and where when known ("source", "sheet", "row", "column").
        self.problem = problem


class Progress:
    """Records a job's progress, at most twice a second (each record is one UPDATE, committed at once
    when the handler is not inside a transaction, so the owner's page sees it)."""

    INTERVAL = 0.5

    def __init__(self, job: Job) -> None:
        self.job_id = job.pk
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.INTERVAL:
            return
        self._last = now
        values: dict[str, Any] = {"done": max(0, int(done))}
        if total is not None:
            values["total"] = max(0, int(total))
        if stage:
            values["stage"] = stage
        Job.objects.filter(pk=self.job_id).update(**values)


def job_input_dir() -> Path:
    directory = Path(settings.GUICHET_JOB_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    return directory


def _store_input(job: Job, *, content: bytes | None, chunks: Iterable[bytes] | None, suffix: str) -> str:
    safe_suffix = "".join(ch for ch in suffix[-16:] if ch.isalnum() or ch == ".")
    path = job_input_dir() / f"{job.pk}-{secrets.token_hex(8)}{safe_suffix}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        if content is not None:
            handle.write(content)
        for chunk in chunks or ():
            handle.write(chunk)
    return str(path)


def _enqueue(job: Job) -> None:
    from guichet.jobs.tasks import run_job

    backend_path = settings.TASKS[run_job.backend]["BACKEND"]

    def enqueue() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    if backend_path in TRANSACTIONAL_BACKENDS:
        enqueue()
    else:
        transaction.on_commit(enqueue)


@transaction.atomic
def job_submit(
    *,
    owner: Any,
    kind: str,
    label: str,
    params: dict[str, Any] | None = None,
    content: bytes | None = None,
    chunks: Iterable[bytes] | None = None,
    suffix: str = "",
    extra_inputs: dict[str, tuple[Iterable[bytes], str]] | None = None,
    return_url: str = "",
    enqueue: bool = True,
) -> Job:
    """Record a job for `owner` and queue it. The input is `content` (bytes) or `chunks` (an upload's);
    `extra_inputs` names further files (chunks, suffix), whose paths the handler finds in
    `job.params["inputs"]`."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        label=label[:200],
        params=params or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        return_url=return_url[:200],
    )
    if content is not None or chunks is not None:
        job.input_path = _store_input(job, content=content, chunks=chunks, suffix=suffix)
        job.save(update_fields=["input_path"])
    if extra_inputs:
        job.params["inputs"] = {
            name: _store_input(job, content=None, chunks=extra_chunks, suffix=extra_suffix)
            for name, (extra_chunks, extra_suffix) in extra_inputs.items()
        }
        job.save(update_fields=["params"])
    if enqueue:
        _enqueue(job)
    return job


def job_run(*, job_id: int) -> str:
    """Run a queued job to its end; returns its final status. A job already started is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return str(job.status)
    values: dict[str, Any]
    try:
        with translation.override(job.language):
            try:
                handler = import_string(HANDLERS[job.kind])
                result = handler(job=job, progress=Progress(job))
            except JobRefused as refusal:
                values = {
                    "status": JobStatus.FAILED,
                    "error": refusal.message[:5000],
                    "result": {
                        **refusal.result,
                        "refused": refusal.refused[:200],
                        "refused_count": len(refusal.refused),
                        **({"problem": refusal.problem} if refusal.problem else {}),
                    },
                }
            except Exception:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                values = {
                    "status": JobStatus.FAILED,
                    "error": _(
                        "The job stopped on an unexpected error; the administrators have its details."
                    ),
                }
            else:
                values = {"status": JobStatus.SUCCEEDED, "result": result}
    finally:
        for path in [job.input_path, *dict(job.params.get("inputs") or {}).values()]:
            if path:
                Path(path).unlink(missing_ok=True)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now(), input_path="", **values)
    return str(values["status"])
