"""Hiring defaults: French where a French source exists, each with its range."""

from __future__ import annotations

from fractions import Fraction

import pytest

from guichet.engine import hiring_defaults as hiring
from guichet.engine import labour, staffing


def test_defaults_and_their_scope() -> None:
    by_key = {d.key: d for d in hiring.HIRING_DEFAULTS}
    assert set(by_key) == {
        "annual_attrition",
        "candidates_per_hire",
        "part_time_share",
        "part_time_hours_per_week",
        "absenteeism",
    }
    assert (hiring.ANNUAL_ATTRITION.value, hiring.ANNUAL_ATTRITION.low, hiring.ANNUAL_ATTRITION.high) == (
        0.20,
        0.08,
        0.50,
    )
    assert hiring.PART_TIME_SHARE.value == 0.09 and hiring.ABSENTEEISM.value == 0.09
    assert [d.key for d in hiring.HIRING_DEFAULTS if d.scope == "international"] == ["candidates_per_hire"]
    # The labour verdict's range is the sourced one.
    assert labour.DEFAULT_CANDIDATES_PER_HIRE_RANGE == (3.0, 4.0)
    assert hiring.CANDIDATES_PER_HIRE.value == labour.DEFAULT_CANDIDATES_PER_HIRE
    assert (hiring.PART_TIME_HOURS.value, hiring.PART_TIME_HOURS.unit) == (24.0, "hours")


def test_the_sizing_takes_its_defaults_from_here() -> None:
    """The hiring defaults the labour page lists are the sizing's: attrition, candidates per hire, part
    time; absenteeism is in the sizing's time away (21 % = 11.9 % of leave and public holidays + 9 %)."""
    assert staffing.DEFAULT_ANNUAL_ATTRITION == hiring.ANNUAL_ATTRITION.value == 0.20
    assert hiring.CANDIDATES_PER_HIRE.value == staffing.DEFAULT_CANDIDATES_PER_HIRE
    assert hiring.PART_TIME_SHARE.value == staffing.DEFAULT_PART_TIME_SHARE
    assert hiring.PART_TIME_HOURS.value == staffing.DEFAULT_PART_TIME_HOURS_PER_WEEK
    assert Fraction(218, 1825) == staffing.LEAVE_AND_PUBLIC_HOLIDAYS_SHARE
    assert staffing.DEFAULT_ABSENCE_SHRINKAGE == round(218 / 1825 + hiring.ABSENTEEISM.value, 2) == 0.21


def test_a_default_outside_its_range_is_refused() -> None:
    with pytest.raises(ValueError, match="low <= value <= high"):
        hiring.SourcedDefault("x", 0.5, 0.1, 0.2, "france", "s")
