"""E-mails the product sends, one row per addressee, with what became of each.

A row is written in the same transaction as the change it announces; the e-mail leaves only after that
transaction commits, so a rolled-back change never sends anything. An addressee without an address gets a
row too (`no_address`): the agency sees who was not told, instead of a silent success.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CALL_OPENED = "call_opened", _("Call for offers sent")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    CALL_REOPENED = "call_reopened", _("Call reopened")
    CALL_CLOSED_EARLY = "call_closed_early", _("Call closed early")
    CALL_CANCELLED = "call_cancelled", _("Call cancelled")
    QUESTION_ASKED = "question_asked", _("Clarification question asked")
    QUESTION_ANSWERED = "question_answered", _("Clarification answered")
    RECEIPT = "receipt", _("Proposal receipt")
    DECISION = "decision", _("Decision published")
    LEAD = "lead", _("New project from the portal")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NO_ADDRESS = "no_address", _("No e-mail address")


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    recipient = models.EmailField(_("recipient"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("delivery"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    error = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What the message is about, for the pages that show delivery statuses.
    call = models.ForeignKey(
        "offers.CallForOffers", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    authority = models.ForeignKey(
        "catalogue.Authority", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # When a worker took the message to send it: a claim older than the mail timeout allows is a worker
    # that died during the send, and the message may be claimed again.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient or '—'} ({self.status})"


def stale_claim_before() -> dt.datetime:
    """Claims made before this moment are abandoned. The mail timeout bounds each exchange with the server
    (connect, greeting, TLS, authentication, sender, each recipient, data, quit), so a live send may last
    several of them: a claim is abandoned after ten timeouts and a minute."""
    return timezone.now() - dt.timedelta(seconds=10 * settings.EMAIL_TIMEOUT + 60)


def to_send_again() -> models.Q:
    """The messages an agent may send again: failed, or claimed by a worker that never came back."""
    return models.Q(status=DeliveryStatus.FAILED) | models.Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=stale_claim_before()
    )
