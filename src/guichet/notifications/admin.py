from django.contrib import admin

from guichet.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: what was sent is a record, not something to edit."""

    list_display = ("created_at", "kind", "recipient", "status", "call", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("recipient", "subject")
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
