"""Agency staff manage the whole catalogue here too; officers use the catalogue pages."""

from typing import Any

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Authority, Incentive, Plot, Premises, PremisesPhoto, Site
from guichet.files import IMAGE_KINDS, check_upload, max_upload_bytes


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "siren", "territory_label", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "siren")
    autocomplete_fields = ("commune",)


class PrivateFileInput(forms.ClearableFileInput):
    """Uploaded files have no public URL: the widget names no link; the preview goes through the view."""

    template_name = "catalogue/widgets/private_file_input.html"

    def is_initial(self, value: Any) -> bool:
        return bool(value)


class PremisesPhotoForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PremisesPhoto
        fields = ("image", "caption", "position")
        widgets = {"image": PrivateFileInput}

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image is not None and hasattr(image, "content_type"):  # a new upload, not the stored file
            check_upload(image, allowed=IMAGE_KINDS, max_bytes=max_upload_bytes(), field="image")
        return image


class PremisesPhotoInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PremisesPhoto
    form = PremisesPhotoForm
    extra = 0
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, photo: PremisesPhoto) -> str:
        if not photo.pk:
            return "—"
        url = reverse("catalogue:photo", args=[photo.public_id])
        return format_html('<img src="{}" alt="" style="max-height:80px">', url)


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
