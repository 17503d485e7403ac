"""One valuation of an incentive, within its cap, for the comparison and the offers side by side."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.engine.incentives import value_incentive

PROJECT = {"jobs": 100.0, "hires": 40.0, "area_m2": 2000.0, "monthly_rent_eur": 15_000.0}


def valued(
    unit: str, amount: object, cap: object, kind: str = "other"
) -> tuple[str, float | None, float, bool]:
    value = value_incentive(unit=unit, kind=kind, amount=amount, cap_eur=cap, **PROJECT)
    return value.basis, value.total_eur, value.rate, value.capped


def test_a_training_aid_per_hire_stays_within_its_cap() -> None:
    # 1 500 EUR x 40 hires = 60 000 EUR, capped at 45 000: 1 125 EUR a hire for the cost engine.
    assert valued("eur_per_hire", Decimal(1500), Decimal(45000)) == ("per_hire", 45000.0, 1125.0, True)
    assert valued("eur_per_hire", Decimal(1500), Decimal(90000)) == ("per_hire", 60000.0, 1500.0, False)
    assert valued("eur_per_hire", Decimal(1500), None) == ("per_hire", 60000.0, 1500.0, False)


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("eur_per_job", "grant_per_job"),
        ("eur_per_hire", "training"),
        ("eur", "fit_out"),
        ("eur_per_m2", "other"),
        ("months", "rent_free"),
    ],
)
def test_a_cap_of_zero_is_a_cap_not_the_absence_of_one(unit: str, kind: str) -> None:
    basis, total, rate, capped = valued(unit, Decimal(10), Decimal(0), kind=kind)
    assert (total, rate, capped) == (0.0, 0.0, True) and basis != "not_valued"


def test_each_unit_is_valued_on_its_own_basis() -> None:
    assert valued("eur_per_job", 2000, None)[:2] == ("per_job", 200_000.0)
    assert valued("eur", 50_000, 30_000) == ("lump_sum", 30_000.0, 30_000.0, True)
    assert valued("eur_per_m2", 20, None) == ("per_m2", 40_000.0, 40_000.0, False)
    # Three rent-free months waive 45 000 EUR; capped at 30 000 EUR, two months count.
    assert valued("months", 3, 30_000, kind="rent_free") == ("rent_months", 30_000.0, 2.0, True)
    assert valued("months", 3, None, kind="other")[:2] == ("not_valued", None)
    assert valued("percent", 50, None)[:2] == ("not_valued", None)
    assert valued("eur_per_job", None, 1000)[:2] == ("not_valued", None)


def test_nothing_to_count_is_worth_nothing_and_divides_by_nothing() -> None:
    value = value_incentive(
        unit="eur_per_hire",
        kind="training",
        amount=1500,
        cap_eur=0,
        jobs=0,
        hires=0,
        area_m2=1,
        monthly_rent_eur=0,
    )
    assert (value.total_eur, value.capped) == (0.0, False)
    rent_free = value_incentive(
        unit="months", kind="rent_free", amount=6, cap_eur=0, jobs=0, hires=0, area_m2=1, monthly_rent_eur=0
    )
    assert rent_free.total_eur == 0.0
