"""What an incentive is worth for one offer and one project, within its cap.

Pure computations (no Django, no I/O). One function values an incentive for every reader: the occupancy
terms of the first ranking and of the comparison (engine/occupancy.py), which feed the cost engine with the
rate after the cap, and the offers side by side (offers/side_by_side.py), which show the nominal total.
Both read the same :class:`IncentiveValue`, so they never disagree on what a cap leaves.

Conventions:

- ``unit`` and ``kind`` are the catalogue's codes (``eur_per_job``, ``eur_per_hire``, ``eur``,
  ``eur_per_m2``, ``months`` with the kind ``rent_free``); any other unit, or no amount, is not valued.
- A cap bounds the nominal total: a grant per job of 2 000 EUR for 100 jobs capped at 150 000 EUR is worth
  150 000 EUR, that is 1 500 EUR per job. A cap of 0 is a cap (the incentive is worth nothing); no cap is
  ``None``.
- Rent-free months are worth the rent they waive (``monthly_rent_eur`` a month); a cap bounds that value,
  so fewer months count.
- Per job: the jobs at full ramp-up; per hire: the hires the comparison counts (over the years compared).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["BASES", "IncentiveValue", "value_incentive"]

PER_JOB = "per_job"
PER_HIRE = "per_hire"
LUMP_SUM = "lump_sum"
PER_M2 = "per_m2"
RENT_MONTHS = "rent_months"
NOT_VALUED = "not_valued"
BASES = (PER_JOB, PER_HIRE, LUMP_SUM, PER_M2, RENT_MONTHS, NOT_VALUED)

# The catalogue's unit codes (catalogue.models.IncentiveUnit, IncentiveKind), repeated here as plain text.
_UNIT_BASIS = {"eur_per_job": PER_JOB, "eur_per_hire": PER_HIRE, "eur": LUMP_SUM, "eur_per_m2": PER_M2}


@dataclass(frozen=True, slots=True)
class IncentiveValue:
    """An incentive valued: ``total_eur`` the nominal value within the cap (None: not valued), ``rate`` what
    the cost engine takes after the cap (EUR per job or per hire, months rent-free, or the EUR of a lump sum
    or an amount per m²), ``capped`` whether the cap cut it."""

    basis: str
    total_eur: float | None
    rate: float
    capped: bool

    @property
    def valued(self) -> bool:
        return self.total_eur is not None


NOT_VALUED_VALUE = IncentiveValue(NOT_VALUED, None, 0.0, False)


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def value_incentive(
    *,
    unit: str,
    kind: str,
    amount: object,
    cap_eur: object,
    jobs: float,
    hires: float,
    area_m2: float,
    monthly_rent_eur: float,
) -> IncentiveValue:
    """The value of one incentive (``amount`` in its ``unit``) for this offer and project, within
    ``cap_eur`` (None: no cap; 0 is a cap). Amounts may be any real numbers (``Decimal`` included)."""
    quantity = _number(amount)
    cap = _number(cap_eur)
    if cap is not None:
        cap = max(cap, 0.0)
    if quantity is None or quantity < 0:
        return NOT_VALUED_VALUE
    basis = _UNIT_BASIS.get(unit)
    if basis is None and unit == "months" and kind == "rent_free":
        basis = RENT_MONTHS
    if basis is None:
        return NOT_VALUED_VALUE
    count = {PER_JOB: float(jobs), PER_HIRE: float(hires)}.get(basis)
    if basis == RENT_MONTHS:
        per_month = max(float(monthly_rent_eur), 0.0)
        full = quantity * per_month
        if cap is not None and full > cap:
            return IncentiveValue(basis, cap, cap / per_month, True)
        return IncentiveValue(basis, full, quantity, False)
    if count is not None:  # per job, per hire
        count = max(count, 0.0)
        full = quantity * count
        if cap is not None and full > cap:
            return IncentiveValue(basis, cap, cap / count, True)
        return IncentiveValue(basis, full, quantity, False)
    full = quantity * float(area_m2) if basis == PER_M2 else quantity
    if cap is not None and full > cap:
        return IncentiveValue(basis, cap, cap, True)
    return IncentiveValue(basis, full, full, False)
