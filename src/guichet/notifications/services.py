"""Writing and delivering notifications. Rows are written inside the caller's transaction; delivery runs
after it commits (as a background task where the queue is available), so nothing leaves for a change
that is rolled back, and a slow mail server never holds a page."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.notifications.models import DeliveryStatus, Notification, to_send_again

log = logging.getLogger(__name__)


def notification_queue(
    *,
    kind: str,
    recipients: Iterable[str],
    subject: str,
    body: str,
    call: Any = None,
    authority: Any = None,
    project: Any = None,
    actor: Actor | None = None,
) -> list[Notification]:
    """One row per recipient, queued for delivery after commit; one `no_address` row if there is none."""
    common = {
        "kind": kind,
        "subject": subject[:300],
        "body": body,
        "call": call,
        "authority": authority,
        "project": project,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    addresses = sorted({address.strip() for address in recipients if address and address.strip()})
    if not addresses:
        return [Notification.objects.create(recipient="", status=DeliveryStatus.NO_ADDRESS, **common)]
    rows = [Notification.objects.create(recipient=address, **common) for address in addresses]
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _dispatch(ids))
    return rows


def _dispatch(ids: list[int]) -> None:
    """After commit: hand each message to the task queue (the immediate backend sends it at once)."""
    from guichet.notifications.tasks import deliver_notification

    for notification_id in ids:
        deliver_notification.enqueue(notification_id)


def _claim(notification_id: int) -> Notification | None:
    """Mark a queued (or failed) message as being sent, in one short transaction: the conditional UPDATE
    lets exactly one worker claim it, so a message is never sent twice. None when it is not to be sent."""
    with transaction.atomic():
        claimed = (
            Notification.objects.filter(pk=notification_id)
            .filter(Q(status=DeliveryStatus.QUEUED) | to_send_again())
            .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
        )
        if not claimed:
            return None
        return Notification.objects.get(pk=notification_id)


def notification_deliver(*, notification_id: int) -> str:
    """Send one queued message and record the outcome; a message already sent (or being sent by another
    worker) is not sent again.

    Three steps, so that no transaction (and on SQLite no write lock) is held while the mail server
    answers: claim the row (status SENDING), send outside any transaction (bounded by EMAIL_TIMEOUT),
    record the result."""
    notification = _claim(notification_id)
    if notification is None:
        return str(Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first())
    values: dict[str, Any]
    try:
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient],
        )
    except Exception as error:  # any transport failure (a timeout too) is recorded and shown, never lost
        log.warning("notification %s to %s failed: %s", notification.pk, notification.recipient, error)
        values = {"status": DeliveryStatus.FAILED, "error": f"{type(error).__name__}: {error}"[:500]}
    else:
        values = {"status": DeliveryStatus.SENT, "sent_at": timezone.now(), "error": ""}
    with transaction.atomic():
        # Only this worker's own claim: if the claim was taken over (the send outlived the stale limit and the
        # message was sent again), the later worker records its own outcome.
        Notification.objects.filter(
            pk=notification.pk, status=DeliveryStatus.SENDING, claimed_at=notification.claimed_at
        ).update(**values)
    return str(values["status"])


@transaction.atomic
def notifications_resend_failed(*, actor: Actor, call: Any) -> int:
    """Queue again the call's e-mails that failed (after the mail server is fixed, say), and those a worker
    took and never finished (it died during the send)."""
    from guichet.accounts.selectors import require_agency

    require_agency(actor, _("Only agency staff send e-mails again."))
    ids = list(Notification.objects.filter(to_send_again(), call=call).values_list("pk", flat=True))
    if ids:
        Notification.objects.filter(pk__in=ids).update(status=DeliveryStatus.QUEUED)
        transaction.on_commit(lambda: _dispatch(ids))
    return len(ids)
