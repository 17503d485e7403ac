"""The offers of a call side by side, as sealed: one column per premises offered, every term as offered,
the catalogue's published terms beside it, and each incentive valued where its terms allow.

Values are nominal (not discounted): what the authority commits to. The comparison's costs, discounted
over the lease, are the scoring's (offers/evaluation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import Reader
from guichet.engine import incentives as incentives_engine
from guichet.engine.need import Need
from guichet.engine.scoring import ProjectNeeds, ScoringInputError
from guichet.offers import selectors
from guichet.offers.models import CallForOffers, Proposal
from guichet.offers.operation import OfferOperation, ShowsOperation, offer_operation
from guichet.offers.scales import CallBasis, call_basis
from guichet.offers.sealing import SealedAttachment, SealedIncentive, SealedOffer, SealedProposal


@dataclass(frozen=True)
class ValuedIncentive:
    incentive: SealedIncentive
    value_eur: Decimal | None  # None: the terms give no amount (a tax exemption, a rule in words)
    basis: str  # "per_job", "per_hire", "lump_sum", "per_m2", "rent_months", "not_valued"
    capped: bool


@dataclass(frozen=True)
class OfferColumn(ShowsOperation):
    proposal: Proposal
    sealed: SealedProposal
    offer: SealedOffer
    incentives: list[ValuedIncentive]
    incentives_total_eur: Decimal
    attachments: tuple[SealedAttachment, ...]
    seats_held: int | None = None  # at the need's m² per seat (None: the need has no seats or area)
    seats_needed: int | None = None
    # The total cost of operation and the aid check (offers/operation.py): the agency's only, else None.
    operation: OfferOperation | None = None

    @property
    def undersized(self) -> bool:
        """The area offered cannot seat the need (the comparison does not rank it on cost)."""
        return (
            self.seats_held is not None
            and self.seats_needed is not None
            and self.seats_held < self.seats_needed
        )

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
    incentive: SealedIncentive, *, offer: SealedOffer, jobs: float, hires: float
) -> ValuedIncentive:
    """An incentive's nominal value for this offer and this project's jobs and hires, within its cap: the
    engine's valuation (`engine.incentives`), the one the comparison feeds its cost engine with."""
    value = incentives_engine.value_incentive(
        unit=incentive.unit,
        kind=incentive.kind,
        amount=incentive.amount,
        cap_eur=incentive.cap_eur,
        jobs=jobs,
        hires=hires,
        area_m2=float(offer.area_m2),
        monthly_rent_eur=float(offer.rent_eur_m2_year) * float(offer.area_m2) / 12,
    )
    if value.total_eur is None:
        return ValuedIncentive(incentive, None, incentives_engine.NOT_VALUED, False)
    total = Decimal(repr(value.total_eur)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return ValuedIncentive(incentive, total, value.basis, value.capped)


def offer_columns(
    *,
    call: CallForOffers,
    proposals: list[tuple[Proposal, SealedProposal]],
    jobs: float,
    hires: float,
    need: Need | None = None,
    operation_needs: ProjectNeeds | None = None,
) -> list[OfferColumn]:
    """One column per premises offered; with ``operation_needs`` (the agency reading), each with its total
    cost of operation and aid check, computed as the comparison's rows compute them."""
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
                    seats_held=None if need is None else need.seats_held(offer.area_m2),
                    seats_needed=None if need is None else need.seats.value,
                    operation=None
                    if operation_needs is None
                    else offer_operation(
                        offer=offer,
                        incentives=sealed.incentives,
                        needs=operation_needs,
                        firm_size=call.project.firm_size,
                        years=call.years,
                        discount_rate=call.discount_rate,
                        opening_fallback=call.deadline.date(),
                    ),
                )
            )
    return sorted(columns, key=lambda column: (column.sealed.authority_name, column.offer.name))


@dataclass(frozen=True)
class SideBySide:
    """What the page and the API show: the columns, and the jobs and hires the incentives are valued for
    (zero, and ``sized`` false, while the need has no seats or floor area), read from the need the call
    published (``basis``; the project's today for a call sent before needs were published)."""

    columns: list[OfferColumn]
    jobs: int
    hires: int
    sized: bool
    basis: CallBasis


def call_side_by_side(*, user: Reader, call: CallForOffers) -> SideBySide:
    """The offers of a call the user may read, side by side; refused while the proposals are sealed."""
    if not call.deadline_passed:
        raise ValidationError(_("Proposals stay sealed until the deadline."))
    readable = set(selectors.proposals_readable_by(user=user, call=call).values_list("pk", flat=True))
    proposals = [pair for pair in selectors.submitted_proposals(call=call) if pair[0].pk in readable]
    basis = call_basis(call=call)
    need = basis.need
    sized = need.complete
    jobs = round(max(need.jobs_by_year.value, default=need.jobs_at_cruise.value or 0)) if sized else 0
    # The hires the comparison counts: those of the hiring plan within the years compared (docs/calls.md).
    hires = round(need.hires_within(call.years)) if sized else 0
    operation_needs = None
    if sized and user_is_agency(user):  # the aid check rests on the investor's size: the agency's only
        try:
            operation_needs = need.scoring_needs()
        except ScoringInputError:
            operation_needs = None
    columns = offer_columns(
        call=call, proposals=proposals, jobs=jobs, hires=hires, need=need, operation_needs=operation_needs
    )
    return SideBySide(columns=columns, jobs=jobs, hires=hires, sized=sized, basis=basis)
