"""The agency sets its targets here (jobs per year, years of jobs follow-up); projects are kept through the
project pages and their services, so the admin only shows them with their history, read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.projects.models import AgencySettings, JobsCreated, Project, StageChange


@admin.register(AgencySettings)
class AgencySettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "jobs_target_per_year", "follow_up_years")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row: the dashboard reads the first.
        return not AgencySettings.objects.exists() and super().has_add_permission(request)


class StageChangeInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StageChange
    extra = 0
    fields = ("at", "from_stage", "stage", "note", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class JobsCreatedInline(admin.TabularInline):  # type: ignore[type-arg]
    model = JobsCreated
    extra = 0
    fields = ("year", "jobs", "source", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reference", "code_name", "sector", "source", "stage", "jobs_announced", "is_demo")
    list_filter = ("stage", "sector", "source", "is_demo")
    search_fields = ("reference", "code_name", "company_name")
    inlines = [StageChangeInline, JobsCreatedInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every write goes through the project pages, which keep the history and the audit

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
