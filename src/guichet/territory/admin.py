from django.contrib import admin

from guichet.territory.models import (
    Commune,
    DatasetSource,
    Departement,
    Epci,
    FormerCommune,
    NationalCommune,
    Region,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Territory data comes from public files through `guichet data load`; nobody edits it by hand."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name")


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region")


@admin.register(Epci)
class EpciAdmin(ReadOnlyAdmin):
    list_display = ("siren", "name", "kind", "member_count", "population_municipal")
    search_fields = ("name", "siren")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ("insee", "name", "departement", "epci", "population", "population_20_64")
    list_filter = ("departement",)
    search_fields = ("name", "insee")


@admin.register(FormerCommune)
class FormerCommuneAdmin(ReadOnlyAdmin):
    list_display = ("insee", "name", "current")
    search_fields = ("insee", "name")


@admin.register(DatasetSource)
class DatasetSourceAdmin(ReadOnlyAdmin):
    list_display = ("key", "source", "package", "version", "licence", "vintage", "loaded_at")


@admin.register(NationalCommune)
class NationalCommuneAdmin(ReadOnlyAdmin):
    list_display = ("insee", "name", "departement", "population", "population_20_64")
    list_filter = ("departement",)
    search_fields = ("name", "insee")
    exclude = ("contour",)
