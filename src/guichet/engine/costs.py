"""Occupancy cost of a premises over the years, net of the incentives that come with it.

Pure computations (no Django, no I/O). One proposal's terms (:class:`OccupancyTerms`) and the project's
seats, jobs and hires give a cash-flow series over ``years`` (default 9, the French commercial lease
"3-6-9") discounted at ``discount_rate`` (default 4%). Many proposals are computed at once as arrays
(:func:`occupancy_cost_table`, the path the scoring engine takes); :func:`occupancy_cost` is the same
computation for one, with its year-by-year series for a cost chart.

Conventions, stated because every figure shown must say how it was made:

- Year 0 is signing/opening: the sale price, the fit-out contribution and lump sums dated year 0 fall there,
  undiscounted. Yearly flows of year ``y`` (1..N) are discounted as if paid at the end of the year,
  ``1 / (1 + r) ** y`` (the textbook ordinary-annuity convention).
- Gross cost = rent at the full rate + charges + sale price. Incentives = the value of rent-free months +
  fit-out contribution + grants per job created + training support per hire + lump sums. Net = gross -
  incentives, and it may be negative (an authority offering more than the premises cost): it is reported
  as it is, never floored at zero, with gross and incentives alongside.
- Rent-free months waive rent from the first month on, not charges (a French "franchise de loyer").
- A sale price replaces the rent (then the rent must be 0); the building's value at the end of the horizon
  is not counted, which favours renting: say so when comparing a sale with a lease.
- ``jobs_per_year[y - 1]`` is the headcount in place in year y (the staffing engine's
  ``HiringYear.headcount``); after the list the last value holds, as in the staffing engine's ramp. Jobs
  created in year y are the rise in headcount, never negative, and earn the grant per job.
  ``hires_per_year`` has no such extension: years past the list count no hires, so no training support is
  credited on hires nobody forecast.
- Lump sums dated after the horizon are outside the comparison and not counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DEFAULT_DISCOUNT_RATE",
    "DEFAULT_YEARS",
    "SOURCES",
    "CashFlowYear",
    "CostInputError",
    "LumpSum",
    "OccupancyCost",
    "OccupancyCostTable",
    "OccupancyTerms",
    "occupancy_cost",
    "occupancy_cost_table",
]

FloatArray = NDArray[np.float64]

DEFAULT_YEARS = 9
DEFAULT_DISCOUNT_RATE = 0.04

SOURCES: dict[str, str] = {
    "years": (
        "French commercial lease '3-6-9': 9 years minimum term, the tenant may leave at each 3-year "
        "term (Code de commerce, art. L145-4); default 9 years"
    ),
    "discount_rate": "house assumption: 4% a year, stated with every result and changeable",
}


class CostInputError(ValueError):
    """An input the cost engine refuses; ``field`` names it and ``index`` the proposal (if any)."""

    def __init__(self, field: str, message: str, *, index: int | None = None) -> None:
        self.field = field
        self.index = index
        self.message = message
        where = f"terms #{index}: " if index is not None else ""
        super().__init__(f"{where}{field}: {message}")


@dataclass(frozen=True, slots=True)
class LumpSum:
    """A one-off incentive of ``amount_eur`` received in ``year`` (0 = signing/opening)."""

    amount_eur: float
    year: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class OccupancyTerms:
    """What a proposal offers for one premises. Money in EUR excluding VAT; areas in m²."""

    area_m2: float
    rent_eur_m2_year: float = 0.0
    charges_eur_m2_year: float = 0.0
    rent_free_months: float = 0.0
    fit_out_contribution_eur: float = 0.0
    grant_per_job_eur: float = 0.0
    training_per_hire_eur: float = 0.0
    lump_sums: tuple[LumpSum, ...] = ()
    sale_price_eur: float | None = None


@dataclass(frozen=True, slots=True)
class CashFlowYear:
    """One year of the series; amounts undiscounted except ``net_present_eur``."""

    year: int
    rent_eur: float
    charges_eur: float
    purchase_eur: float
    gross_eur: float
    rent_free_eur: float
    fit_out_eur: float
    grants_eur: float
    training_eur: float
    lump_sums_eur: float
    incentives_eur: float
    net_eur: float
    discount_factor: float
    net_present_eur: float


@dataclass(frozen=True, slots=True)
class OccupancyCost:
    """Occupancy cost of one proposal. ``*_pv_eur`` are present values at year 0; ``net_pv_eur`` may be
    negative. ``per_job_eur`` is None when the project creates no job."""

    years: int
    discount_rate: float
    seats: int
    jobs_at_full_ramp: float
    gross_pv_eur: float
    incentives_pv_eur: float
    net_pv_eur: float
    rent_pv_eur: float
    charges_pv_eur: float
    purchase_pv_eur: float
    rent_free_pv_eur: float
    fit_out_pv_eur: float
    grants_pv_eur: float
    training_pv_eur: float
    lump_sums_pv_eur: float
    gross_eur: float
    incentives_eur: float
    net_eur: float
    per_seat_eur: float
    per_job_eur: float | None
    cash_flows: tuple[CashFlowYear, ...]


_COMPONENTS = ("rent", "charges", "purchase", "rent_free", "fit_out", "grants", "training", "lump_sums")


@dataclass(frozen=True)
class OccupancyCostTable:
    """Occupancy costs of many proposals as read-only arrays: ``flows[name]`` has shape (n, years + 1),
    one column per year from 0; ``pv[name]`` has shape (n,). Names are ``rent``, ``charges``,
    ``purchase``, ``rent_free``, ``fit_out``, ``grants``, ``training``, ``lump_sums``."""

    years: int
    discount_rate: float
    seats: int
    jobs_at_full_ramp: float
    discount_factors: FloatArray
    flows: Mapping[str, FloatArray]
    pv: Mapping[str, FloatArray]
    gross_pv_eur: FloatArray
    incentives_pv_eur: FloatArray
    net_pv_eur: FloatArray
    per_seat_eur: FloatArray
    per_job_eur: FloatArray

    def __len__(self) -> int:
        return int(self.net_pv_eur.shape[0])

    def take(self, order: NDArray[np.intp]) -> OccupancyCostTable:
        """The same table with its rows in ``order`` (the scoring engine keeps rows in rank order)."""
        return OccupancyCostTable(
            years=self.years,
            discount_rate=self.discount_rate,
            seats=self.seats,
            jobs_at_full_ramp=self.jobs_at_full_ramp,
            discount_factors=self.discount_factors,
            flows=MappingProxyType({name: _frozen(values[order]) for name, values in self.flows.items()}),
            pv=MappingProxyType({name: _frozen(values[order]) for name, values in self.pv.items()}),
            gross_pv_eur=_frozen(self.gross_pv_eur[order]),
            incentives_pv_eur=_frozen(self.incentives_pv_eur[order]),
            net_pv_eur=_frozen(self.net_pv_eur[order]),
            per_seat_eur=_frozen(self.per_seat_eur[order]),
            per_job_eur=_frozen(self.per_job_eur[order]),
        )

    def row(self, index: int) -> OccupancyCost:
        """Row ``index`` as an :class:`OccupancyCost` with its year-by-year series."""
        flows = {name: [float(v) for v in values[index]] for name, values in self.flows.items()}
        cash_flows = []
        for year in range(self.years + 1):
            parts = {name: flows[name][year] for name in _COMPONENTS}
            gross = parts["rent"] + parts["charges"] + parts["purchase"]
            incentives = (
                parts["rent_free"]
                + parts["fit_out"]
                + parts["grants"]
                + parts["training"]
                + parts["lump_sums"]
            )
            factor = float(self.discount_factors[year])
            cash_flows.append(
                CashFlowYear(
                    year=year,
                    rent_eur=parts["rent"],
                    charges_eur=parts["charges"],
                    purchase_eur=parts["purchase"],
                    gross_eur=gross,
                    rent_free_eur=parts["rent_free"],
                    fit_out_eur=parts["fit_out"],
                    grants_eur=parts["grants"],
                    training_eur=parts["training"],
                    lump_sums_eur=parts["lump_sums"],
                    incentives_eur=incentives,
                    net_eur=gross - incentives,
                    discount_factor=factor,
                    net_present_eur=(gross - incentives) * factor,
                )
            )
        per_job = float(self.per_job_eur[index])
        return OccupancyCost(
            years=self.years,
            discount_rate=self.discount_rate,
            seats=self.seats,
            jobs_at_full_ramp=self.jobs_at_full_ramp,
            gross_pv_eur=float(self.gross_pv_eur[index]),
            incentives_pv_eur=float(self.incentives_pv_eur[index]),
            net_pv_eur=float(self.net_pv_eur[index]),
            rent_pv_eur=float(self.pv["rent"][index]),
            charges_pv_eur=float(self.pv["charges"][index]),
            purchase_pv_eur=float(self.pv["purchase"][index]),
            rent_free_pv_eur=float(self.pv["rent_free"][index]),
            fit_out_pv_eur=float(self.pv["fit_out"][index]),
            grants_pv_eur=float(self.pv["grants"][index]),
            training_pv_eur=float(self.pv["training"][index]),
            lump_sums_pv_eur=float(self.pv["lump_sums"][index]),
            gross_eur=math.fsum(c.gross_eur for c in cash_flows),
            incentives_eur=math.fsum(c.incentives_eur for c in cash_flows),
            net_eur=math.fsum(c.net_eur for c in cash_flows),
            per_seat_eur=float(self.per_seat_eur[index]),
            per_job_eur=None if math.isnan(per_job) else per_job,
            cash_flows=tuple(cash_flows),
        )


def _frozen(values: FloatArray) -> FloatArray:
    values.setflags(write=False)
    return values


def _check_count(field: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CostInputError(field, f"must be a whole number, {minimum} or more, got {value!r}")
    return value


def _check_series(field: str, values: Sequence[float]) -> list[float]:
    series = [float(v) for v in values]
    if any(not math.isfinite(v) or v < 0 for v in series):
        raise CostInputError(field, f"must be finite numbers, 0 or more, got {list(values)!r}")
    return series


def _column(terms: Sequence[OccupancyTerms], name: str) -> FloatArray:
    try:
        values = np.fromiter(map(attrgetter(name), terms), dtype=np.float64, count=len(terms))
    except (TypeError, ValueError):
        index = next(i for i, t in enumerate(terms) if not isinstance(getattr(t, name), int | float))
        culprit = getattr(terms[index], name)
        raise CostInputError(name, f"must be a number, got {culprit!r}", index=index) from None
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise CostInputError(name, f"must be a finite amount, 0 or more, got {values[index]!r}", index=index)
    return values


def occupancy_cost_table(
    terms: Sequence[OccupancyTerms],
    *,
    seats: int,
    jobs_per_year: Sequence[float],
    hires_per_year: Sequence[float] = (),
    years: int = DEFAULT_YEARS,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> OccupancyCostTable:
    """Occupancy costs of every proposal in ``terms`` (rows in the same order), vectorised over proposals."""
    _check_count("seats", seats, minimum=1)
    _check_count("years", years, minimum=1)
    if years > 50:
        raise CostInputError("years", f"must be 50 or fewer, got {years!r}")
    rate = float(discount_rate)
    if not math.isfinite(rate) or not -0.5 < rate <= 1:
        raise CostInputError("discount_rate", f"is a yearly rate (0.04 for 4%), got {discount_rate!r}")
    jobs = _check_series("jobs_per_year", jobs_per_year)
    if not jobs:
        raise CostInputError("jobs_per_year", "needs at least one year")
    hires = _check_series("hires_per_year", hires_per_year)

    n = len(terms)
    width = years + 1
    flows = _flows(terms, jobs=jobs, hires=hires, years=years)
    factors = (1.0 + rate) ** -np.arange(width, dtype=np.float64)
    # An explicit loop over years keeps each proposal's sum in the same order wherever its row sits, so a
    # reordering of the proposals never changes a single bit of any result.
    pv: dict[str, FloatArray] = {}
    for name, values in flows.items():
        total = np.zeros(n)
        for year in range(width):
            total = total + values[:, year] * factors[year]
        pv[name] = _frozen(total)
        _frozen(values)
    gross = pv["rent"] + pv["charges"] + pv["purchase"]
    incentives = pv["rent_free"] + pv["fit_out"] + pv["grants"] + pv["training"] + pv["lump_sums"]
    net = gross - incentives
    jobs_full = max(jobs)
    per_job = net / jobs_full if jobs_full > 0 else np.full(n, np.nan)
    return OccupancyCostTable(
        years=years,
        discount_rate=rate,
        seats=seats,
        jobs_at_full_ramp=jobs_full,
        discount_factors=_frozen(factors),
        flows=MappingProxyType(flows),
        pv=MappingProxyType(pv),
        gross_pv_eur=_frozen(gross),
        incentives_pv_eur=_frozen(incentives),
        net_pv_eur=_frozen(net),
        per_seat_eur=_frozen(net / seats),
        per_job_eur=_frozen(per_job),
    )


def _flows(
    terms: Sequence[OccupancyTerms], *, jobs: Sequence[float], hires: Sequence[float], years: int
) -> dict[str, FloatArray]:
    """Each component's undiscounted cash flows, shape (proposals, years + 1), year 0 the signing."""
    n = len(terms)
    width = years + 1
    area = _column(terms, "area_m2")
    if (area <= 0).any():
        index = int(np.flatnonzero(area <= 0)[0])
        raise CostInputError("area_m2", "must be more than 0", index=index)
    rent = _column(terms, "rent_eur_m2_year")
    charges = _column(terms, "charges_eur_m2_year")
    free_months = _column(terms, "rent_free_months")
    fit_out = _column(terms, "fit_out_contribution_eur")
    grant = _column(terms, "grant_per_job_eur")
    training = _column(terms, "training_per_hire_eur")
    sale = _sale_column(terms, rent)
    sold = ~np.isnan(sale)

    # Year-indexed project series shared by every proposal.
    headcount = [jobs[min(y, len(jobs)) - 1] for y in range(1, width)]
    created = np.zeros(width)
    created[1:] = np.maximum(0.0, np.diff(np.concatenate(([0.0], headcount))))
    hired = np.zeros(width)
    hired[1 : 1 + min(len(hires), years)] = hires[:years]

    flows: dict[str, FloatArray] = {name: np.zeros((n, width)) for name in _COMPONENTS}
    full_rent = area * rent
    for year in range(1, width):
        paid_share = np.clip(12.0 * year - free_months, 0.0, 12.0) / 12.0
        flows["rent"][:, year] = full_rent
        flows["rent_free"][:, year] = full_rent * (1.0 - paid_share)
        flows["charges"][:, year] = area * charges
    flows["purchase"][:, 0] = np.where(sold, sale, 0.0)
    flows["fit_out"][:, 0] = fit_out
    flows["grants"][:] = np.outer(grant, created)
    flows["training"][:] = np.outer(training, hired)
    for index, item in enumerate(terms):
        for lump in item.lump_sums:
            if isinstance(lump.year, bool) or not isinstance(lump.year, int) or lump.year < 0:
                raise CostInputError(
                    "lump_sums.year", f"must be a whole year, 0 or more, got {lump.year!r}", index=index
                )
            if not math.isfinite(lump.amount_eur) or lump.amount_eur < 0:
                raise CostInputError(
                    "lump_sums.amount_eur", "must be a finite amount, 0 or more", index=index
                )
            if lump.year <= years:
                flows["lump_sums"][index, lump.year] += lump.amount_eur
    return flows


def _sale_column(terms: Sequence[OccupancyTerms], rent: FloatArray) -> FloatArray:
    """The sale prices (NaN: rented); a sale price replaces the rent."""
    sale = np.array(
        [np.nan if t.sale_price_eur is None else t.sale_price_eur for t in terms], dtype=np.float64
    )
    sold = ~np.isnan(sale)
    if (sold & (~np.isfinite(sale) | (sale < 0))).any():
        index = int(np.flatnonzero(sold & (~np.isfinite(sale) | (sale < 0)))[0])
        raise CostInputError("sale_price_eur", "must be a finite amount, 0 or more", index=index)
    if (sold & (rent > 0)).any():
        index = int(np.flatnonzero(sold & (rent > 0))[0])
        raise CostInputError(
            "sale_price_eur", "a sale price replaces the rent: give one or the other", index=index
        )
    return sale


def occupancy_cost(
    terms: OccupancyTerms,
    *,
    seats: int,
    jobs_per_year: Sequence[float],
    hires_per_year: Sequence[float] = (),
    years: int = DEFAULT_YEARS,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> OccupancyCost:
    """Occupancy cost of one proposal, with its year-by-year cash flows (see the module's conventions)."""
    table = occupancy_cost_table(
        [terms],
        seats=seats,
        jobs_per_year=jobs_per_year,
        hires_per_year=hires_per_year,
        years=years,
        discount_rate=discount_rate,
    )
    return table.row(0)
