"""Calls for offers in the admin, for the agency: to find and read them. Their life (sending, deadlines,
cancelling, deciding) goes through the call's page, which tells the authorities; sealed proposals are
never editable here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guichet.offers.models import Addressee, CallForOffers, Clarification, DeadlineChange


class AddresseeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Addressee
    extra = 0
    can_delete = False
    readonly_fields = ("authority", "included", "exclusion_reason", "eligible_premises", "notified_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeadlineChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeadlineChange
    extra = 0
    can_delete = False
    readonly_fields = ("previous_deadline", "new_deadline", "reason", "reopened", "changed_by", "changed_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CallForOffers)
class CallForOffersAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "project", "phase_label", "deadline", "opened_at", "decided_at", "page")
    list_filter = ("status",)
    search_fields = ("title", "project__code_name", "brief")
    date_hierarchy = "deadline"
    fields = (
        "title",
        "project",
        "brief",
        "status",
        "deadline",
        "opened_at",
        "decided_at",
        "cancelled_at",
        "cancel_reason",
        "years",
        "discount_rate",
        "chosen_premises",
        "chosen_at",
        "signed_at",
        "page",
    )
    readonly_fields = fields
    inlines = [AddresseeInline, DeadlineChangeInline]

    @admin.display(description=_("status"))
    def phase_label(self, call: CallForOffers) -> str:
        return call.phase_label

    @admin.display(description=_("page"))
    def page(self, call: CallForOffers) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("offers:call_detail", args=[call.public_id]), _("open")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("call", "asked_by_authority", "asked_at", "answered_at")
    search_fields = ("question", "answer", "call__title")
    readonly_fields = (
        "call",
        "asked_by_authority",
        "asked_by",
        "question",
        "asked_at",
        "published_question",
        "answer",
        "answered_at",
        "answered_by",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
