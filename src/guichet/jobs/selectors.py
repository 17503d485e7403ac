from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.jobs.models import Job


def jobs_visible_to(*, user: Any) -> QuerySet[Job]:
    """A job is its owner's: nobody else sees its file name, progress or refusals."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user)
