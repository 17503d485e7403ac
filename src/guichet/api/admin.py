from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.accounts.types import SignedInRequest
from guichet.api.models import ApiToken
from guichet.api.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are created through the API (POST /api/tokens) or `api_token_create`; the admin lists and
    revokes them. The token itself is never stored, so it cannot be shown here."""

    list_display = ("prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = (
        "user",
        "prefix",
        "token_sha256",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    fields = ("user", "name", *readonly_fields[1:])
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: SignedInRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)
