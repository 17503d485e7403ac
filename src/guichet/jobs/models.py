"""A background job as its owner sees it: what it does, how far it got, and its result.

The queue itself is django-tasks' (its database backend by default, see settings.TASKS); this record is the
application's side: who asked, the input file, progress, and a result in plain values that the page
phrases (rows read, kept, refused with their row and column).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Refused or failed")


class JobStage(models.TextChoices):
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking each row")
    SAVING = "saving", _("Saving")


class Job(models.Model):
    # What URLs carry: sequential ids would let anyone count (and try) other people's jobs.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_path = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=10, default="fr")
    return_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=20, choices=JobStage.choices, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
