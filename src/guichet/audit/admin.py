from django.contrib import admin

from guichet.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Readable by agency staff; nobody can add, change or delete an event."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "summary", "actor_label")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
