"""An offer's total cost of operation and its aid against the law: the sealed offer as the engine takes it.

One adapter for every reader (the comparison's rows, the offers side by side, the dossier and the API), so
that each shows the same figure (`engine/operation_cost.py`; docs/comparison.md, docs/aid.md). The zone is
the AFR zone of the premises' commune (`territory.selectors.zoning_of_place`), the payroll tables and the
mobility levy the bundled ones (`data/payroll/`), the firm's size the project's.

Who sees it: the agency only. The aid check rests on the investor's size, which the authorities are not
told; neither the comparison published to the authorities nor their results carry it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from guichet.data.payroll_tables import bundled_mobility_rates, bundled_parameters
from guichet.engine import incentives as incentives_engine
from guichet.engine.aid import AidError
from guichet.engine.operation_cost import OfferAid, OperationCost, OperationInput, operation_cost, series
from guichet.engine.payroll import PayrollError
from guichet.engine.scoring import ProjectNeeds
from guichet.offers.sealing import SealedIncentive, SealedOffer
from guichet.phrasing import operation as operation_phrasing
from guichet.territory.selectors import ZoningFact, afr_zone_of, zoning_of_place

__all__ = ["OfferOperation", "offer_operation", "offer_zoning"]


@dataclass(frozen=True)
class OfferOperation:
    """The engine's result for one offer, with the zoning it read and the incentives it could not value."""

    cost: OperationCost | None  # None: the engine refused the inputs (``error`` says why)
    zoning: tuple[ZoningFact, ZoningFact, ZoningFact]
    not_valued: tuple[str, ...]
    mobility_authority: str
    mobility_vintage: str
    error: str = ""
    mobility_pct: Decimal | None = None

    @property
    def notes(self) -> list[str]:
        """The result's notes in the reader's language, the mobility levy's source first."""
        if self.cost is None:
            return []
        lines = operation_phrasing.notes(self.cost)
        if self.mobility_pct is not None:
            lines.insert(
                0,
                operation_phrasing.mobility_text(
                    self.mobility_pct, self.mobility_authority, self.mobility_vintage
                ),
            )
        return lines


class ShowsOperation:
    """The total cost of operation and the aid check as a row or a column shows them, for the classes that
    carry an ``operation`` (the comparison's rows, the side by side's columns): rounded once, phrased in the
    reader's language, empty when it was not computed (an authority's reader)."""

    operation: OfferOperation | None

    @property
    def operation_figures(self) -> operation_phrasing.OperationFigures | None:
        cost = self.operation.cost if self.operation else None
        return None if cost is None else operation_phrasing.operation_figures(cost)

    @property
    def aid_text(self) -> str:
        cost = self.operation.cost if self.operation else None
        return "" if cost is None else operation_phrasing.aid_text(cost)

    @property
    def operation_notes(self) -> list[str]:
        return self.operation.notes if self.operation else []

    @property
    def operation_method(self) -> str:
        cost = self.operation.cost if self.operation else None
        return "" if cost is None else operation_phrasing.method_text(cost)


def offer_zoning(offer: SealedOffer) -> tuple[ZoningFact, ZoningFact, ZoningFact]:
    """QPV, AFR and FRR of an offered premises (its own point unless located by its commune)."""
    return zoning_of_place(
        insee=offer.commune_insee,
        latitude=offer.latitude,
        longitude=offer.longitude,
        exact=not offer.located_by_commune,
    )


def _aid(
    offer: SealedOffer, incentives: Sequence[SealedIncentive], *, jobs: float, hires: float
) -> tuple[OfferAid, tuple[str, ...]]:
    """The offer's aid, each incentive valued within its cap by the one valuation (`engine.incentives`)."""
    subsidies = tax = per_job = per_hire = Decimal(0)
    fit_out = Decimal(offer.fit_out_contribution_eur)
    months = Decimal(offer.rent_free_months)
    not_valued: list[str] = []
    for incentive in incentives:
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
        rate = Decimal(repr(value.rate))
        if value.basis == incentives_engine.PER_JOB:
            per_job += rate
        elif value.basis == incentives_engine.PER_HIRE:
            per_hire += rate
        elif value.basis == incentives_engine.RENT_MONTHS:
            months += rate
        elif not value.valued:
            not_valued.append(incentive.name)
        elif incentive.kind == "tax_exemption":
            tax += rate
        elif incentive.kind == "fit_out":
            fit_out += rate
        else:
            subsidies += rate
    aid = OfferAid(
        subsidies_eur=subsidies,
        fit_out_contribution_eur=fit_out,
        per_hire_eur=per_hire,
        per_job_eur=per_job,
        catalogue_rent_eur_m2_year=offer.catalogue.rent_eur_m2_year,
        rent_free_months=months,
        tax_exemptions_eur=tax,
    )
    return aid, tuple(not_valued)


def _opening(needs: ProjectNeeds, fallback: dt.date) -> dt.date:
    if isinstance(needs.opening, dt.date):
        return needs.opening
    if isinstance(needs.opening, int):
        return dt.date.fromordinal(needs.opening)
    return fallback


def offer_operation(
    *,
    offer: SealedOffer,
    incentives: Sequence[SealedIncentive],
    needs: ProjectNeeds,
    firm_size: str,
    years: int,
    discount_rate: Decimal,
    opening_fallback: dt.date,
) -> OfferOperation:
    """The offer's total cost of operation over the call's years, its aid checked against its ceiling."""
    zoning = offer_zoning(offer)
    jobs = needs.jobs_at_full_ramp
    aid, not_valued = _aid(offer, incentives, jobs=jobs, hires=float(sum(needs.hires_per_year[:years])))
    mobility = bundled_mobility_rates().get(offer.commune_insee)
    data = OperationInput(
        years=years,
        discount_rate=Decimal(discount_rate),
        opening=_opening(needs, opening_fallback),
        seats=needs.seats,
        jobs_per_year=series(needs.jobs_per_year),
        hires_per_year=tuple(round(h) for h in needs.hires_per_year),
        area_m2=Decimal(offer.area_m2),
        rent_eur_m2_year=Decimal(offer.rent_eur_m2_year),
        charges_eur_m2_year=Decimal(offer.charges_eur_m2_year),
        fit_out_state=offer.fit_out_state,
        zone=afr_zone_of(zoning[1]),
        size=firm_size,
        aid=aid,
        mobility_pct=mobility.rate_pct if mobility else None,
    )
    authority = mobility.authority if mobility else ""
    vintage = mobility.vintage if mobility else ""
    try:
        cost = operation_cost(bundled_parameters(), data)
    except (AidError, PayrollError) as error:
        return OfferOperation(None, zoning, not_valued, authority, vintage, error=str(error))
    return OfferOperation(cost, zoning, not_valued, authority, vintage, mobility_pct=data.mobility_pct)
