from __future__ import annotations

from django.db.models import QuerySet

from guichet.accounts.models import User
from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import Reader
from guichet.jobs.models import Job


def jobs_started_by(*, user: Reader) -> QuerySet[Job]:
    """The jobs a person started (their list), newest first."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def jobs_visible_to(*, user: Reader) -> QuerySet[Job]:
    """A job is seen by whoever started it and by the agency: no other officer sees its file name,
    progress or refusals (another authority's import activity is none of theirs)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Job.objects.none()
    if user_is_agency(user):
        return Job.objects.all()
    return Job.objects.filter(owner=user)
