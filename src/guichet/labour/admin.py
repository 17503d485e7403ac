from django.contrib import admin

from guichet.labour.models import CommuneZone, ContactCentre, EmploymentZone, ImportRun, JobSeekerCount


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "kind", "file_name", "vintage", "rows_read", "kept", "rejected", "by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(EmploymentZone)
class EmploymentZoneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(CommuneZone)
class CommuneZoneAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["commune_code", "commune_name", "zone"]
    search_fields = ["commune_code", "commune_name"]


@admin.register(JobSeekerCount)
class JobSeekerCountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["territory_type", "territory_code", "period", "category", "rome", "value", "is_total"]
    list_filter = ["territory_type", "period", "rome"]


@admin.register(ContactCentre)
class ContactCentreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read here; recorded through the labour pages, so that every change goes through the services."""

    list_display = ["name", "siret", "commune_code", "origin", "band", "jobs_low", "jobs_high"]
    list_filter = ["origin", "departement"]
    search_fields = ["name", "siret", "commune_code"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
