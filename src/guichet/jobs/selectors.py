from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.selectors import user_is_agency
from guichet.jobs.models import Job


def jobs_started_by(*, user: Any) -> QuerySet[Job]:
    """The jobs a person started (their list), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def jobs_visible_to(*, user: Any) -> QuerySet[Job]:
    """A job is seen by whoever started it and by the agency: no other officer sees its file name,
    progress or refusals (another authority's import activity is none of theirs)."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if user_is_agency(user):
        return Job.objects.all()
    return Job.objects.filter(owner=user)
