from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.concurrency import VersionField
from guichet.inputs import StrictInputs
from guichet.sources import cnig
from guichet.territory.models import Commune
from guichet.territory.selectors import commune_resolve
from guichet.uploads import LimitedFileField


class CommuneCodeField(forms.CharField):
    """A commune given by its INSEE code; a former commune's code leads to the current commune."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        kwargs.setdefault("label", _("Commune (INSEE code)"))
        kwargs.setdefault("help_text", _("Five characters, e.g. 25056 for Besançon."))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        # A commune's primary key is its INSEE code, so a bound instance shows as its code.
        return value.insee if isinstance(value, Commune) else value

    def clean(self, value: Any) -> Commune | None:
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        commune = commune_resolve(insee=code)
        if commune is None:
            raise forms.ValidationError(
                _("Unknown INSEE code %(code)s."), code="unknown_insee", params={"code": code}
            )
        return commune


class OwnedForm(StrictInputs, forms.ModelForm):  # type: ignore[type-arg]
    """A catalogue form whose owner list is limited to the authorities the user may act for. It carries the
    version of the record it showed, so that a save over someone else's newer save is refused."""

    version = VersionField()

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Editing a stored record: the version it showed must come back (see guichet.concurrency).
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        owner = self.fields["owner"]
        owner.queryset = authorities  # type: ignore[attr-defined]
        if authorities.count() == 1:
            owner.initial = authorities.first()
            owner.widget = forms.HiddenInput()


class PremisesForm(OwnedForm):
    commune = CommuneCodeField()

    class Meta:
        model = Premises
        fields = [
            "owner",
            "name",
            "address",
            "commune",
            "latitude",
            "longitude",
            "total_area_m2",
            "available_area_m2",
            "smallest_lot_m2",
            "floors",
            "available_from",
            "tenure",
            "rent_eur_m2_year",
            "charges_eur_m2_year",
            "sale_price_eur",
            "fit_out",
            "fibre",
            "fibre_operators",
            "power_backup",
            "parking_spaces",
            "public_transport",
            "public_transport_details",
            "access_24_7",
            "accessible",
            "description_fr",
            "description_en",
            "status",
            "is_public",
        ]
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class IncentiveForm(OwnedForm):
    class Meta:
        model = Incentive
        fields = [
            "owner",
            "name",
            "kind",
            "amount",
            "unit",
            "cap_eur",
            "rule",
            "conditions",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CnigImportForm(StrictInputs, forms.Form):
    kind = forms.ChoiceField(
        label=_("CNIG class"),
        choices=[(cnig.SITE, _("site-eco (business parks)")), (cnig.PLOT, _("terrain-eco (plots)"))],
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Authority.objects.none())
    file = LimitedFileField(kind="cnig", label=_("CSV file (separator ;)"))

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = authorities  # type: ignore[attr-defined]
        if authorities.count() == 1:
            owner.initial = authorities.first()
            owner.widget = forms.HiddenInput()
