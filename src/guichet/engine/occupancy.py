"""An offer's terms as the cost engine takes them: rent, charges and incentives, each within its cap.

Pure computations (no Django, no I/O). The first ranking of a project (the catalogue's published terms)
and the comparison of a call's proposals (the sealed terms) both turn what a premises is offered for into
:class:`guichet.engine.costs.OccupancyTerms` here, so that the two never value an incentive differently.
An incentive is valued by :func:`guichet.engine.incentives.value_incentive`, which the offers side by side
read too: per job on the jobs at full ramp-up, per hire on the hires of the years compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from guichet.engine import costs
from guichet.engine import incentives as incentives_engine
from guichet.engine.scoring import ProjectNeeds

__all__ = ["IncentiveTerms", "hires_compared", "occupancy_terms"]


class IncentiveTerms(Protocol):
    """An incentive's terms: a catalogue record (first ranking) or a sealed one (calls for offers)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def cap_eur(self) -> Decimal | None: ...


def occupancy_terms(
    *,
    area_m2: float,
    rent_eur_m2_year: float,
    charges_eur_m2_year: float,
    rent_free_months: float,
    fit_out_contribution_eur: float,
    incentives: Iterable[IncentiveTerms],
    jobs: float,
    hires: float,
    sale_price_eur: float | None = None,
) -> tuple[costs.OccupancyTerms, list[str]]:
    """Money terms for the cost engine, incentives included, each within its cap; the names of those that
    cannot be valued are listed. `jobs`: the jobs at full ramp-up; `hires`: the hires the cost engine counts
    (over the years compared)."""
    grant_per_job = training_per_hire = 0.0
    rent_free = float(rent_free_months)
    lump_sums: list[costs.LumpSum] = []
    not_valued: list[str] = []
    monthly_rent = 0.0 if sale_price_eur is not None else float(rent_eur_m2_year) * float(area_m2) / 12
    for incentive in incentives:
        value = _value(incentive, jobs=jobs, hires=hires, area_m2=area_m2, monthly_rent_eur=monthly_rent)
        if value.basis == incentives_engine.PER_JOB:
            grant_per_job += value.rate
        elif value.basis == incentives_engine.PER_HIRE:
            training_per_hire += value.rate
        elif value.basis == incentives_engine.RENT_MONTHS:
            rent_free += value.rate
        elif value.valued:
            lump_sums.append(costs.LumpSum(amount_eur=value.rate, year=0))
        else:
            not_valued.append(incentive.name)
    terms = costs.OccupancyTerms(
        area_m2=float(area_m2),
        rent_eur_m2_year=0.0 if sale_price_eur is not None else float(rent_eur_m2_year),
        charges_eur_m2_year=float(charges_eur_m2_year),
        rent_free_months=0.0 if sale_price_eur is not None else rent_free,
        fit_out_contribution_eur=float(fit_out_contribution_eur),
        grant_per_job_eur=grant_per_job,
        training_per_hire_eur=training_per_hire,
        lump_sums=tuple(lump_sums),
        sale_price_eur=sale_price_eur,
    )
    return terms, not_valued


def _value(
    incentive: IncentiveTerms, *, jobs: float, hires: float, area_m2: float, monthly_rent_eur: float
) -> incentives_engine.IncentiveValue:
    return incentives_engine.value_incentive(
        unit=incentive.unit,
        kind=incentive.kind,
        amount=incentive.amount,
        cap_eur=incentive.cap_eur,
        jobs=jobs,
        hires=hires,
        area_m2=float(area_m2),
        monthly_rent_eur=monthly_rent_eur,
    )


def hires_compared(needs: ProjectNeeds, *, years: int) -> float:
    """The hires the cost engine credits a training aid on: those of the years compared (none after)."""
    return float(sum(needs.hires_per_year[:years]))
