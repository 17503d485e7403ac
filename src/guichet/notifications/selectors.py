"""Reads of notifications: delivery statuses are the agency's to see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import Reader
from guichet.notifications.models import Notification


def call_notifications_visible_to(*, user: Reader, call: Any) -> QuerySet[Notification]:
    if not user_is_agency(user):
        return Notification.objects.none()
    return Notification.objects.filter(call=call).select_related("authority").order_by("-created_at", "-id")
