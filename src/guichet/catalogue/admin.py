"""Agency staff manage the whole catalogue here too; officers use the catalogue pages."""

from django.contrib import admin

from guichet.catalogue.models import Authority, Incentive, Plot, Premises, PremisesPhoto, Site


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "siren", "territory_label", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "siren")
    autocomplete_fields = ("commune",)


class PremisesPhotoInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PremisesPhoto
    extra = 0


@admin.register(Premises)
class PremisesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "owner", "commune", "available_area_m2", "rent_eur_m2_year", "status", "is_demo")
    list_filter = ("status", "fit_out", "is_public", "is_demo", "owner")
    search_fields = ("name", "address", "commune__name")
    autocomplete_fields = ("commune",)
    inlines = [PremisesPhotoInline]


class PlotInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Plot
    extra = 0
    fields = ("terr_id", "gross_area_ha", "sale_status", "price_eur_m2")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("site_id", "name", "owner", "commune", "usable_area_ha", "is_demo")
    search_fields = ("site_id", "name")
    inlines = [PlotInline]


@admin.register(Incentive)
class IncentiveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "owner", "kind", "amount", "unit", "valid_until", "is_demo")
    list_filter = ("kind", "is_demo", "owner")
