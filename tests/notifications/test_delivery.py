"""Delivering an e-mail: claim the row, send outside any transaction, record the result."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from guichet.notifications.models import DeliveryStatus, Notification, NotificationKind
from guichet.notifications.services import notification_deliver

SEEN: list[bool] = []


class RecordingBackend(BaseEmailBackend):
    """Remembers whether a transaction was open while the message was handed to the server."""

    def send_messages(self, email_messages: Any) -> int:
        SEEN.append(connection.in_atomic_block)
        return len(email_messages)


def _queued(status: str = DeliveryStatus.QUEUED) -> Notification:
    return Notification.objects.create(
        kind=NotificationKind.LEAD,
        recipient="agence@example.org",
        subject="Nouveau projet",
        body="Un projet attend.",
        status=status,
    )


@pytest.mark.django_db
def test_a_refused_send_is_recorded_as_failed_with_its_error(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.offers.failing_mail.Backend"
    row = _queued()
    assert notification_deliver(notification_id=row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED
    assert row.error == "ConnectionRefusedError: SMTP refused the connection"
    assert row.attempts == 1
    assert row.sent_at is None


@pytest.mark.django_db
def test_a_sent_message_is_recorded_as_sent(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = _queued(DeliveryStatus.FAILED)
    assert notification_deliver(notification_id=row.pk) == DeliveryStatus.SENT
    row.refresh_from_db()
    assert (row.status, row.error, row.attempts) == (DeliveryStatus.SENT, "", 1)
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["agence@example.org"]]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [DeliveryStatus.SENDING, DeliveryStatus.SENT])
def test_a_row_already_claimed_or_sent_is_not_sent_again(settings: Any, status: str) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = _queued(status)
    assert notification_deliver(notification_id=row.pk) == status
    row.refresh_from_db()
    assert row.status == status
    assert row.attempts == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_two_deliveries_of_one_row_send_it_once(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = _queued()
    first = notification_deliver(notification_id=row.pk)
    second = notification_deliver(notification_id=row.pk)
    assert (first, second) == (DeliveryStatus.SENT, DeliveryStatus.SENT)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_message_leaves_outside_any_transaction(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.RecordingBackend"
    SEEN.clear()
    row = _queued()
    assert notification_deliver(notification_id=row.pk) == DeliveryStatus.SENT
    assert SEEN == [False]


def test_smtp_connections_have_a_timeout() -> None:
    assert django_settings.EMAIL_TIMEOUT == 20
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == 20


@pytest.mark.django_db
def test_a_claim_abandoned_by_a_dead_worker_is_sent_again_and_a_live_one_is_not(
    settings: Any, agnes: Any, call: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from guichet.notifications.services import notifications_resend_failed

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_TIMEOUT = 20
    now = timezone.now()
    abandoned, live = _queued(DeliveryStatus.SENDING), _queued(DeliveryStatus.SENDING)
    Notification.objects.filter(pk=abandoned.pk).update(call=call, claimed_at=now - dt.timedelta(seconds=261))
    Notification.objects.filter(pk=live.pk).update(call=call, claimed_at=now - dt.timedelta(seconds=200))
    # A worker still sending the live one: no second send of it.
    assert notification_deliver(notification_id=live.pk) == DeliveryStatus.SENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_resend_failed(actor=agnes, call=call) == 1
    assert Notification.objects.get(pk=abandoned.pk).status == DeliveryStatus.SENT
    assert Notification.objects.get(pk=live.pk).status == DeliveryStatus.SENDING
    assert [m.to for m in mail.outbox] == [["agence@example.org"]]


class TakenOverBackend(BaseEmailBackend):
    """A send so slow that, meanwhile, the claim was abandoned and another worker claimed the message."""

    def send_messages(self, email_messages: Any) -> int:
        import datetime as dt

        from django.utils import timezone

        Notification.objects.filter(status=DeliveryStatus.SENDING).update(
            claimed_at=timezone.now() + dt.timedelta(seconds=1)
        )
        raise TimeoutError("the server answered too late")


@pytest.mark.django_db
def test_a_worker_whose_claim_was_taken_over_does_not_overwrite_the_outcome(settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.test_delivery.TakenOverBackend"
    row = _queued()
    notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    # The other worker's claim stands, for it to record its own outcome; this worker's failure is not written.
    assert (row.status, row.error) == (DeliveryStatus.SENDING, "")
