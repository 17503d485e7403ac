"""The hiring plan: headcount and seats ramping up to a target, with attrition and candidates per hire.

Pure (no Django, no I/O); the defaults and their sources are in :mod:`guichet.engine.staffing`. Whole
numbers are exact ceilings.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from guichet.engine import staffing as st
from guichet.engine.staffing import (
    DEFAULT_ANNUAL_ATTRITION,
    DEFAULT_CANDIDATES_PER_HIRE,
    DEFAULT_RAMP,
    Number,
    StaffingInputError,
    check_limit,
)

__all__ = ["HiringPlan", "HiringYear", "hires_at_attrition", "hiring_plan"]


@dataclass(frozen=True, slots=True)
class HiringYear:
    year: int
    share_of_target: float
    seats: int
    headcount: int
    growth_hires: int
    replacement_hires: int
    hires: int
    candidates: int


@dataclass(frozen=True, slots=True)
class HiringPlan:
    """Hires per year: growth (new headcount) + replacement (attrition x average headcount of the year);
    candidates = hires x candidates per hire. Whole numbers are exact ceilings."""

    target_headcount: int
    target_seats: int
    ramp: tuple[float, ...]
    annual_attrition: float
    candidates_per_hire: float
    years: tuple[HiringYear, ...]
    total_hires: int
    total_candidates: int


def hiring_plan(
    *,
    target_headcount: int,
    target_seats: int = 0,
    years: int = 3,
    ramp: Sequence[float] = DEFAULT_RAMP,
    annual_attrition: Number = DEFAULT_ANNUAL_ATTRITION,
    candidates_per_hire: Number = DEFAULT_CANDIDATES_PER_HIRE,
) -> HiringPlan:
    """Ramp-up of headcount and seats (``ramp[y]`` = share of the target reached in year y + 1; after the
    ramp the target holds), with annual attrition and candidates per hire."""
    for name, count in (("target_headcount", target_headcount), ("target_seats", target_seats)):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise StaffingInputError(
                name, f"must be a whole number, 0 or more, got {count!r}", code="not_whole"
            )
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 50:
        raise StaffingInputError(
            "years", f"must be a whole number from 1 to 50, got {years!r}", code="above_maximum", limit=50
        )
    if not ramp:
        raise StaffingInputError("ramp", "needs at least one share", code="required")
    shares = [st.exact(st.finite("ramp", share)) for share in ramp]
    if any(not 0 < share <= 1 for share in shares) or any(b < a for a, b in itertools.pairwise(shares)):
        raise StaffingInputError(
            "ramp", f"shares must rise from above 0 to at most 1, got {list(ramp)}", code="ramp_order"
        )
    attrition = st.non_negative("annual_attrition", annual_attrition)
    if attrition > 5:
        raise StaffingInputError(
            "annual_attrition",
            f"is a yearly rate (0.40 for 40%), got {annual_attrition!r}",
            code="above_maximum",
            limit=5,
        )
    per_hire = st.finite("candidates_per_hire", candidates_per_hire)
    if per_hire < 1:
        raise StaffingInputError(
            "candidates_per_hire",
            f"must be at least 1, got {candidates_per_hire!r}",
            code="below_minimum",
            limit=1,
        )
    check_limit("candidates_per_hire", per_hire)
    rows: list[HiringYear] = []
    previous = 0
    for year in range(1, years + 1):
        share = shares[min(year, len(shares)) - 1]
        headcount = math.ceil(target_headcount * share)
        growth = max(0, headcount - previous)
        replacement = math.ceil(st.exact(annual_attrition) * Fraction(previous + headcount, 2))
        hires = growth + replacement
        rows.append(
            HiringYear(
                year,
                float(share),
                math.ceil(target_seats * share),
                headcount,
                growth,
                replacement,
                hires,
                math.ceil(hires * st.exact(candidates_per_hire)),
            )
        )
        previous = headcount
    return HiringPlan(
        target_headcount,
        target_seats,
        tuple(float(s) for s in ramp),
        attrition,
        per_hire,
        tuple(rows),
        sum(r.hires for r in rows),
        sum(r.candidates for r in rows),
    )


def hires_at_attrition(years: Sequence[HiringYear], annual_attrition: Number) -> tuple[int, ...]:
    """The hires of each year of a plan had its attrition been ``annual_attrition``: the same growth, the
    replacements recomputed on the same headcounts (exact ceilings). Shows how a verdict moves across the
    range of attrition."""
    attrition = st.exact(check_limit("annual_attrition", annual_attrition))
    hires = []
    previous = 0
    for year in years:
        growth = max(0, year.headcount - previous)
        hires.append(growth + math.ceil(attrition * Fraction(previous + year.headcount, 2)))
        previous = year.headcount
    return tuple(hires)
