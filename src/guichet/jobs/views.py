"""A job's page (its progress, then its result) and the small JSON status its script polls."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from guichet.accounts.types import SignedInRequest
from guichet.jobs.models import Job
from guichet.jobs.selectors import jobs_started_by, jobs_visible_to
from guichet.phrasing.jobs import phrase_cell, phrase_problem


def _status(job: Job) -> dict[str, object]:
    return {
        "id": str(job.public_id),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "stage": job.stage,
        "stage_label": str(job.get_stage_display()) if job.stage else "",
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        # The counts (rows read, kept, refused...) once the job is over; the page phrases them.
        "result": {k: v for k, v in job.result.items() if isinstance(v, int)} if job.finished else None,
    }


@login_required
@never_cache
def job_detail(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(user=request.user), public_id=public_id)
    result = job.result if isinstance(job.result, dict) else {}
    refused = result.get("refused")
    refused = (
        [{**cell, "text": phrase_cell(cell)} for cell in refused if isinstance(cell, dict)]
        if isinstance(refused, list)
        else []
    )
    # The refusal in the reader's language (the stored `error` is in the language of who started the job).
    problem = phrase_problem(result.get("problem")) or job.error
    return render(request, "jobs/job.html", {"job": job, "refused": refused, "problem": problem})


@login_required
@never_cache
def job_status(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    job = get_object_or_404(jobs_visible_to(user=request.user), public_id=public_id)
    return JsonResponse(_status(job))


@login_required
def job_list(request: SignedInRequest) -> HttpResponse:
    return render(request, "jobs/list.html", {"jobs": jobs_started_by(user=request.user)[:100]})
