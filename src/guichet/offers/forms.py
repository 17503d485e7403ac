from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.files import DOCUMENT_KINDS, check_upload, max_upload_bytes
from guichet.inputs import StrictInputs
from guichet.offers.drafts import OfferTerms, ProposalDraft
from guichet.offers.models import Proposal


class CallForm(StrictInputs, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    brief = forms.CharField(
        label=_("Anonymised brief"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the authorities will read: needs, dates, jobs; never the company's name."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    years = forms.IntegerField(label=_("Years compared"), min_value=1, max_value=30, initial=9)
    discount_rate = forms.DecimalField(
        label=_("Discount rate"), min_value=Decimal(0), max_value=Decimal("0.5"), initial=Decimal("0.04")
    )


class ExcludeForm(StrictInputs, forms.Form):
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=Authority.objects.all())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


# Bounds of what a proposal may state: those of the stored columns, so that every database keeps the
# same values and a wild number is a field error, never a server error.
MAX_RENT = Decimal("99999.99")  # EUR/m²/year: decimal(8, 2)
MAX_FIT_OUT = Decimal("999999999999")  # EUR: decimal(12, 0)
MAX_TRAINING_PLACES = 100_000
TEXT_MAX_LENGTH = 10_000


class ProposalForm(StrictInputs, forms.Form):
    """One block of terms per premises of the authority; ticked premises are offered."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)
    training_places = forms.IntegerField(
        label=_("Training places"), min_value=0, max_value=MAX_TRAINING_PLACES, initial=0
    )
    job_centre_partnership = forms.BooleanField(
        label=_("Job-centre (France Travail) partnership"), required=False
    )
    recruitment_support = forms.CharField(
        label=_("Recruitment support"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    free_text = forms.CharField(
        label=_("Presentation"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    incentives = forms.ModelMultipleChoiceField(
        label=_("Incentives"),
        queryset=Incentive.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    withdrawn_attachments = forms.MultipleChoiceField(
        label=_("Withdraw from the proposal"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        premises: list[Premises],
        incentives: Any,
        existing: Proposal | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.premises = premises
        self.fields["incentives"].queryset = incentives  # type: ignore[attr-defined]
        self.fields["attachment"].help_text = _(
            "PDF, pictures (PNG, JPEG, WebP) or office documents (Word, Excel, PowerPoint, OpenDocument), "
            "%(limit)s MB at most. Only the agency reads it, after the deadline."
        ) % {"limit": max_upload_bytes() // 2**20}
        self.current_attachments = (
            list(existing.attachments.filter(withdrawn_at__isnull=True)) if existing else []
        )
        self.fields["withdrawn_attachments"].choices = [  # type: ignore[attr-defined]
            (str(attachment.public_id), attachment.name) for attachment in self.current_attachments
        ]
        offered = {o.premises_id: o for o in existing.offered.all()} if existing else {}
        for item in premises:
            current = offered.get(item.pk)
            prefix = f"p{item.pk}"
            self.fields[f"{prefix}_offer"] = forms.BooleanField(
                label=_("Offer %(name)s") % {"name": item.name}, required=False, initial=current is not None
            )
            self.fields[f"{prefix}_area"] = forms.IntegerField(
                label=_("Area offered (m²)"),
                min_value=1,
                max_value=item.available_area_m2,
                required=False,
                initial=current.area_m2 if current else item.available_area_m2,
            )
            self.fields[f"{prefix}_rent"] = forms.DecimalField(
                label=_("Rent (EUR/m²/year excl. VAT)"),
                min_value=Decimal(0),
                max_value=MAX_RENT,
                decimal_places=2,
                required=False,
                initial=current.rent_eur_m2_year if current else item.rent_eur_m2_year,
            )
            self.fields[f"{prefix}_charges"] = forms.DecimalField(
                label=_("Charges (EUR/m²/year excl. VAT)"),
                min_value=Decimal(0),
                max_value=MAX_RENT,
                decimal_places=2,
                required=False,
                initial=current.charges_eur_m2_year if current else item.charges_eur_m2_year or 0,
            )
            self.fields[f"{prefix}_free"] = forms.IntegerField(
                label=_("Rent-free months"),
                min_value=0,
                max_value=120,
                required=False,
                initial=current.rent_free_months if current else 0,
            )
            self.fields[f"{prefix}_fitout"] = forms.DecimalField(
                label=_("Fit-out contribution (EUR)"),
                min_value=Decimal(0),
                max_value=MAX_FIT_OUT,
                decimal_places=0,
                required=False,
                initial=current.fit_out_contribution_eur if current else 0,
            )
        if existing:
            self.initial.update(
                {
                    "version": existing.version,
                    "training_places": existing.training_places,
                    "job_centre_partnership": existing.job_centre_partnership,
                    "recruitment_support": existing.recruitment_support,
                    "free_text": existing.free_text,
                    "incentives": list(existing.incentives.all()),
                }
            )

    def premises_rows(self, warnings: dict[int, list[str]] | None = None) -> list[dict[str, Any]]:
        """One block per premises: its fields, and what it lacks against the need (``warnings``, by id)."""
        return [
            {
                "premises": item,
                "fields": [
                    self[f"p{item.pk}_{name}"]
                    for name in ("offer", "area", "rent", "charges", "free", "fitout")
                ],
                "warnings": (warnings or {}).get(item.pk, []),
            }
            for item in self.premises
        ]

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                check_upload(upload, allowed=DOCUMENT_KINDS, max_bytes=max_upload_bytes(), field="attachment")
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        offers = []
        for item in self.premises:
            prefix = f"p{item.pk}"
            if not data.get(f"{prefix}_offer"):
                continue
            if data.get(f"{prefix}_area") is None or data.get(f"{prefix}_rent") is None:
                self.add_error(f"{prefix}_rent", _("Give the area and the rent of each premises offered."))
                continue
            offers.append(
                OfferTerms(
                    premises_id=item.pk,
                    area_m2=data[f"{prefix}_area"],
                    rent_eur_m2_year=data[f"{prefix}_rent"],
                    charges_eur_m2_year=data.get(f"{prefix}_charges") or Decimal(0),
                    rent_free_months=data.get(f"{prefix}_free") or 0,
                    fit_out_contribution_eur=data.get(f"{prefix}_fitout") or Decimal(0),
                )
            )
        if not offers and not self.errors:
            raise forms.ValidationError(_("Offer at least one premises."))
        data["offers"] = offers
        return data

    def draft(self) -> ProposalDraft:
        """The proposal as the officer drafted it, from a valid form."""
        data = self.cleaned_data
        return ProposalDraft(
            offers=tuple(data["offers"]),
            incentive_ids=tuple(incentive.pk for incentive in data["incentives"]),
            training_places=data["training_places"],
            job_centre_partnership=data["job_centre_partnership"],
            recruitment_support=data["recruitment_support"],
            free_text=data["free_text"],
            attachments=(data["attachment"],) if data.get("attachment") else (),
            withdrawn_attachments=tuple(data["withdrawn_attachments"]),
            # A form opened before any proposal existed carries no version: it expects none (0), so it
            # cannot overwrite a proposal a colleague sent meanwhile.
            expected_version=data["version"] or 0,
        )


class WeightsForm(StrictInputs, forms.Form):
    """Criterion weights in points; they are normalised to sum to one."""

    def __init__(self, *args: Any, criteria: list[tuple[str, str, float]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for key, label, weight in criteria:
            self.fields[key] = forms.FloatField(
                label=label, min_value=0, max_value=100, initial=round(weight * 100, 1)
            )

    def weights(self) -> dict[str, float]:
        return {key: float(value) / 100 for key, value in self.cleaned_data.items()}


class OpenForm(StrictInputs, forms.Form):
    unreachable_confirmed = forms.BooleanField(
        label=_("I will tell the authorities that no e-mail reaches myself"), required=False
    )


class DeadlineForm(StrictInputs, forms.Form):
    new_deadline = forms.DateTimeField(
        label=_("New deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(
        label=_("Reason (sent to every consulted authority)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(StrictInputs, forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to every consulted authority)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("Every consulted authority has answered."),
    )


class CancelForm(StrictInputs, forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to every consulted authority)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(StrictInputs, forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The agency answers every consulted authority at once, without saying who asked."),
    )


class AnswerForm(StrictInputs, forms.Form):
    published_question = forms.CharField(
        label=_("Question as published"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Reword it if it would reveal who asked; left empty, the question is published as asked."
        ),
    )
    answer = forms.CharField(label=_("Answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))


class ChoiceForm(StrictInputs, forms.Form):
    """The investor's choice: "<proposal id>:<premises id>" among the offers received."""

    choice = forms.ChoiceField(label=_("Offer chosen by the investor"))

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = options  # type: ignore[attr-defined]
