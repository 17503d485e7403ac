from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "email", "role", "authority", "is_active", "is_superuser")
    list_filter = ("role", "authority", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Guichet"), {"fields": ("role", "authority")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Guichet"), {"fields": ("role", "authority")}),
    )
