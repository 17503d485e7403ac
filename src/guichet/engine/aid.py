"""The public aid an offer contains, and the ceilings the law puts on it.

Plain values in, frozen dataclasses out; codes, never sentences. Each form of aid is valued once, at its
gross grant equivalent discounted to the year the aid is granted (year 0):

- ``subsidy``: the amount paid in its year;
- ``rent_below_market``: (market or catalogue rent - rent charged) x floor area, each year of the lease,
  rent-free months included (they are a rent charged of zero; never counted again elsewhere);
- ``fit_out``: the authority's contribution to the fit-out works;
- ``tax_exemption``: the tax a local decision forgoes (CFE, property tax), each year;
- ``hiring_aid``: the amount paid per hire or per job created.

Each item is granted under one scheme: ``regional`` (regional investment aid, GBER art. 14, within the
AFR map), ``sme_investment`` (GBER art. 17, outside the map) or ``de_minimis`` (Regulation (EU) 2023/2831).
Items of the first two schemes add up against one ceiling: the intensity times the eligible costs, where
the eligible costs are the investment costs or two years of wage costs of the jobs created, whichever is
higher (GBER art. 14(4)). De minimis aid adds up against 300,000 EUR per undertaking over three years,
less what it already received. The rules and their texts: docs/aid.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
KINDS = ("subsidy", "rent_below_market", "fit_out", "tax_exemption", "hiring_aid")
SCHEMES = ("regional", "sme_investment", "de_minimis")
SIZES = ("small", "medium", "large")
# AFR zone types of the 2022-2027 map: mainland France has only 'c' zones (no 'a' zone).
ZONES = ("c_predefined", "c_non_predefined", "none", "unknown")

# Maximum intensities, percent of eligible costs (docs/aid.md quotes the texts). Large enterprises in
# mainland 'c' zones: 15 % (décret n° 2022-968, annex 2, as the 2022-2027 map approved by the Commission
# on 21 January 2022, C(2022) 288); SMEs add 10 points (medium) or 20 points (small) for eligible costs up to
# 50 M EUR (Regional aid guidelines 2022-2027, point 189; GBER art. 14(12)). Outside the map, only SMEs:
# 20 % small, 10 % medium (GBER art. 17(6)).
REGIONAL_BASE_PCT = {"c_predefined": Decimal(15), "c_non_predefined": Decimal(15)}
SME_BONUS_PCT = {"small": Decimal(20), "medium": Decimal(10), "large": Decimal(0)}
SME_INVESTMENT_PCT = {"small": Decimal(20), "medium": Decimal(10), "large": Decimal(0)}
DE_MINIMIS_CEILING = Decimal(300_000)
DE_MINIMIS_YEARS = 3
WAGE_COST_YEARS = 2


class AidError(ValueError):
    def __init__(self, field: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class AidItem:
    """One aid in an offer: ``amounts`` by year from the grant (year 0 first); for ``rent_below_market``,
    ``area_m2``, ``market_rent_eur_m2_year`` and the ``amounts`` are the rent charged per m² each year."""

    kind: str
    scheme: str
    amounts: tuple[Decimal, ...]
    label: str = ""
    area_m2: Decimal | None = None
    market_rent_eur_m2_year: Decimal | None = None


@dataclass(frozen=True)
class ValuedAid:
    kind: str
    scheme: str
    label: str
    nominal: Decimal
    value: Decimal  # discounted to the year of grant


@dataclass(frozen=True)
class SchemeCheck:
    scheme: str  # "regional_or_sme" or "de_minimis"
    aid: Decimal
    ceiling: Decimal | None  # None: not known (the zone is not known)
    intensity_pct: Decimal | None
    eligible_costs: Decimal | None
    headroom: Decimal | None
    excess: Decimal
    status: str  # "within", "excess", "not_known", "none"
    basis: str  # which rule sets the ceiling (a code)


@dataclass(frozen=True)
class AidAssessment:
    items: tuple[ValuedAid, ...]
    total: Decimal
    zone: str
    size: str
    checks: tuple[SchemeCheck, ...]
    status: str  # "within", "excess", "not_known"
    conditions: tuple[str, ...]  # codes of conditions the ceilings assume


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def discount_factor(year: int, rate: Decimal) -> Decimal:
    return Decimal(1) / (Decimal(1) + rate) ** year


def value_item(item: AidItem, *, discount_rate: Decimal) -> ValuedAid:
    """One aid's gross grant equivalent, discounted to the year of grant (rule in the module docstring)."""
    if item.kind not in KINDS:
        raise AidError("kind", f"one of {', '.join(KINDS)}")
    if item.scheme not in SCHEMES:
        raise AidError("scheme", f"one of {', '.join(SCHEMES)}")
    yearly = list(item.amounts)
    if item.kind == "rent_below_market":
        if item.area_m2 is None or item.market_rent_eur_m2_year is None:
            raise AidError("market_rent_eur_m2_year", "rent below market needs the area and the market rent")
        yearly = [max(Decimal(0), item.market_rent_eur_m2_year - rent) * item.area_m2 for rent in yearly]
    if any(amount < 0 for amount in yearly):
        raise AidError("amounts", "must not be negative")
    nominal = sum(yearly, Decimal(0))
    value = sum(
        (amount * discount_factor(year, discount_rate) for year, amount in enumerate(yearly)), Decimal(0)
    )
    return ValuedAid(item.kind, item.scheme, item.label, _money(nominal), _money(value))


def regional_intensity(zone: str, size: str) -> tuple[Decimal | None, str]:
    """The maximum intensity (percent) for regional or SME investment aid, and the rule that sets it."""
    if zone in REGIONAL_BASE_PCT:
        return REGIONAL_BASE_PCT[zone] + SME_BONUS_PCT[size], "gber_art_14_afr_map"
    if zone == "none":
        return SME_INVESTMENT_PCT[size], "gber_art_17_sme"
    return None, "zone_not_known"


def assess(
    items: Sequence[AidItem],
    *,
    zone: str,
    size: str,
    investment_costs: Decimal,
    jobs_created: int = 0,
    annual_wage_cost_per_job: Decimal = Decimal(0),
    de_minimis_received: Decimal = Decimal(0),
    discount_rate: Decimal = Decimal("0.04"),
) -> AidAssessment:
    """Value each aid once, add them up by scheme, and set each sum against its ceiling."""
    if zone not in ZONES:
        raise AidError("zone", f"one of {', '.join(ZONES)}")
    if size not in SIZES:
        raise AidError("size", f"one of {', '.join(SIZES)}")
    for name, number in (
        ("investment_costs", investment_costs),
        ("de_minimis_received", de_minimis_received),
        ("annual_wage_cost_per_job", annual_wage_cost_per_job),
    ):
        if number < 0:
            raise AidError(name, "must not be negative")
    valued = tuple(value_item(item, discount_rate=discount_rate) for item in items)
    regional_aid = sum((v.value for v in valued if v.scheme != "de_minimis"), Decimal(0))
    minimis_aid = sum((v.value for v in valued if v.scheme == "de_minimis"), Decimal(0))
    wage_costs = _money(Decimal(jobs_created) * annual_wage_cost_per_job * WAGE_COST_YEARS)
    eligible = max(investment_costs, wage_costs)
    intensity, basis = regional_intensity(zone, size)
    checks = [_regional_check(regional_aid, intensity, eligible, basis)]
    checks.append(_minimis_check(minimis_aid, de_minimis_received))
    conditions = ["initial_investment", "incentive_effect"]
    if size == "large" and zone in REGIONAL_BASE_PCT:
        conditions.append("large_new_activity_only")
    if eligible == wage_costs and wage_costs > 0:
        conditions.append("jobs_kept_five_years" if size == "large" else "jobs_kept_three_years")
    statuses = {check.status for check in checks}
    status = "excess" if "excess" in statuses else "not_known" if "not_known" in statuses else "within"
    return AidAssessment(
        valued, _money(regional_aid + minimis_aid), zone, size, tuple(checks), status, tuple(conditions)
    )


def _regional_check(aid: Decimal, intensity: Decimal | None, eligible: Decimal, basis: str) -> SchemeCheck:
    aid = _money(aid)
    if aid == 0 and intensity is not None:
        ceiling = _money(eligible * intensity / 100)
        return SchemeCheck(
            "regional_or_sme", aid, ceiling, intensity, eligible, ceiling, Decimal("0.00"), "none", basis
        )
    if intensity is None:
        return SchemeCheck(
            "regional_or_sme", aid, None, None, eligible, None, Decimal("0.00"), "not_known", basis
        )
    ceiling = _money(eligible * intensity / 100)
    excess = max(Decimal("0.00"), aid - ceiling)
    return SchemeCheck(
        "regional_or_sme",
        aid,
        ceiling,
        intensity,
        eligible,
        ceiling - aid,
        excess,
        "excess" if excess > 0 else "within",
        basis,
    )


def _minimis_check(aid: Decimal, received: Decimal) -> SchemeCheck:
    aid = _money(aid)
    ceiling = _money(max(Decimal(0), DE_MINIMIS_CEILING - received))
    excess = max(Decimal("0.00"), aid - ceiling)
    status = "none" if aid == 0 else "excess" if excess > 0 else "within"
    return SchemeCheck(
        "de_minimis", aid, ceiling, None, None, ceiling - aid, excess, status, "de_minimis_2023_2831"
    )
