"""The offers of a call side by side, as sealed: one column per premises offered, every term as offered,
the catalogue's published terms beside it, and each incentive valued where its terms allow.

Values are nominal (not discounted): what the authority commits to. The comparison's costs, discounted
over the lease, are the scoring's (offers/evaluation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from guichet.catalogue.models import IncentiveKind, IncentiveUnit
from guichet.offers.models import CallForOffers, Proposal
from guichet.offers.sealing import SealedAttachment, SealedIncentive, SealedOffer, SealedProposal


@dataclass(frozen=True)
class ValuedIncentive:
    incentive: SealedIncentive
    value_eur: Decimal | None  # None: the terms give no amount (a tax exemption, a rule in words)
    basis: str  # "per_job", "per_hire", "lump_sum", "per_m2", "rent_months", "not_valued"
    capped: bool


@dataclass(frozen=True)
class OfferColumn:
    proposal: Proposal
    sealed: SealedProposal
    offer: SealedOffer
    incentives: list[ValuedIncentive]
    incentives_total_eur: Decimal
    attachments: tuple[SealedAttachment, ...]

    @property
    def rent_change(self) -> Decimal | None:
        """Offered rent minus the catalogue's (negative: cheaper than published)."""
        published = self.offer.catalogue.rent_eur_m2_year
        return None if published is None else self.offer.rent_eur_m2_year - published

    @property
    def charges_change(self) -> Decimal | None:
        published = self.offer.catalogue.charges_eur_m2_year
        return None if published is None else self.offer.charges_eur_m2_year - published

    @property
    def yearly_rent_eur(self) -> Decimal:
        return (self.offer.rent_eur_m2_year + self.offer.charges_eur_m2_year) * self.offer.area_m2


def value_incentive(
    incentive: SealedIncentive, *, offer: SealedOffer, jobs: int, hires: int
) -> ValuedIncentive:
    """An incentive's nominal value for this offer and this project's jobs and hires, capped."""
    amount = incentive.amount
    if amount is None:
        return ValuedIncentive(incentive, None, "not_valued", False)
    value: Decimal | None
    if incentive.unit == IncentiveUnit.EUR_PER_JOB:
        value, basis = amount * jobs, "per_job"
    elif incentive.unit == IncentiveUnit.EUR_PER_HIRE:
        value, basis = amount * hires, "per_hire"
    elif incentive.unit == IncentiveUnit.EUR:
        value, basis = amount, "lump_sum"
    elif incentive.unit == IncentiveUnit.EUR_PER_M2:
        value, basis = amount * offer.area_m2, "per_m2"
    elif incentive.unit == IncentiveUnit.MONTHS and incentive.kind == IncentiveKind.RENT_FREE:
        monthly = offer.rent_eur_m2_year * offer.area_m2 / 12
        value, basis = amount * monthly, "rent_months"
    else:
        return ValuedIncentive(incentive, None, "not_valued", False)
    capped = incentive.cap_eur is not None and value > incentive.cap_eur
    if capped and incentive.cap_eur is not None:
        value = incentive.cap_eur
    return ValuedIncentive(incentive, value.quantize(Decimal(1)), basis, capped)


def offer_columns(
    *, call: CallForOffers, proposals: list[tuple[Proposal, SealedProposal]], jobs: int, hires: int
) -> list[OfferColumn]:
    columns = []
    for proposal, sealed in proposals:
        for offer in sealed.offers:
            valued = [
                value_incentive(item, offer=offer, jobs=jobs, hires=hires) for item in sealed.incentives
            ]
            columns.append(
                OfferColumn(
                    proposal=proposal,
                    sealed=sealed,
                    offer=offer,
                    incentives=valued,
                    incentives_total_eur=sum((v.value_eur for v in valued if v.value_eur), Decimal(0)),
                    attachments=sealed.attachments,
                )
            )
    return sorted(columns, key=lambda column: (column.sealed.authority_name, column.offer.name))
