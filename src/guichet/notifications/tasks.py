"""E-mail delivery as a background task on the project's queue (see guichet.jobs and settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> str:
    from guichet.notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id)
