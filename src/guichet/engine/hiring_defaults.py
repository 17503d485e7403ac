"""Defaults for hiring in a French contact centre, each with its range and its source.

Pure values (no Django, no I/O). Each default says whether its source describes French centres
(``scope="france"``) or comes from abroad (``scope="international"``, used where no French figure was found),
and gives the range its sources span, so that a verdict can be shown at both ends.

- **Annual attrition** (people leaving in a year over the average headcount): French trade press, about 8 %
  a year in provincial centres and over 50 % in Paris (En-Contact, January 2009, with Dimension Data's 2007
  European benchmark at 24 %), close to 20 % in Île-de-France (Relation Client Magazine, "Recrutements sous
  tension"). Default 20 %, a judgement inside that range for a regional centre; the former default, 40 %, was
  a US figure (ContactBabel), at the top of the French range.
- **Candidates per hire**: no French figure found; 3 to 4, central 3.5 (NACSMA, North America: 600 to 800
  candidates for 200 hires). International.
- **Part-time share** of agents: 8.5 % to 13.5 % in outsourced French centres (BearingPoint's yearly survey
  of the SP2C's members: 86.5 % full time in 2007, 91 % in 2008 and 2013, 92 % in 2011); default 9 %, the
  latest. In-house centres are not surveyed.
- **Part-timers' week**: no figure for contact centres found; 24 hours, the legal minimum for part time
  since 1 July 2014 (Code du travail, art. L3123-27, from the law of 14 June 2013), against an average of
  23.2 hours for all French part-timers in 2011 (DARES, "Le temps partiel en 2011", January 2013), before
  the minimum.
- **Absenteeism** (share of paid time lost to absence): 8 % to 10 % in provincial centres, 15 % to 20 % in
  Île-de-France, against 7.5 % for all French firms (Relation Client Magazine, "Comment lutter contre
  l'absentéisme", citing the Cegos 2009 survey for the national figure); default 9 %.

The sizing (:mod:`guichet.engine.staffing`) takes its defaults from these: attrition and candidates per hire
for the hiring plan, part time (share and week) to turn FTE into people, absenteeism into the time away of
its shrinkage. The labour verdict shows itself at both ends of the ranges of candidates per hire and of
attrition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ABSENTEEISM",
    "ANNUAL_ATTRITION",
    "CANDIDATES_PER_HIRE",
    "HIRING_DEFAULTS",
    "PART_TIME_HOURS",
    "PART_TIME_SHARE",
    "SourcedDefault",
]

Scope = Literal["france", "international"]
Unit = Literal["share", "number", "hours"]


@dataclass(frozen=True, slots=True)
class SourcedDefault:
    """A default value with the range its sources span. ``key`` names it for the pages; ``source`` cites
    it in English (command line, logs); ``scope`` says whether the sources describe French centres;
    ``unit`` how a page shows it (a share as a percentage)."""

    key: str
    value: float
    low: float
    high: float
    scope: Scope
    source: str
    unit: Unit = "share"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low <= self.value <= self.high):
            raise ValueError(
                f"{self.key}: need low <= value <= high, got {self.low}, {self.value}, {self.high}"
            )


ANNUAL_ATTRITION = SourcedDefault(
    key="annual_attrition",
    value=0.20,
    low=0.08,
    high=0.50,
    scope="france",
    source=(
        "French contact centres: about 8% a year in the provinces, over 50% in Paris (En-Contact, "
        "January 2009; Dimension Data European benchmark 2007: 24%), close to 20% in Ile-de-France "
        "(Relation Client Magazine)"
    ),
)
CANDIDATES_PER_HIRE = SourcedDefault(
    key="candidates_per_hire",
    value=3.5,
    low=3.0,
    high=4.0,
    scope="international",
    source="NACSMA (North America): 3-4 candidates per hire, 600-800 candidates for 200 hires",
    unit="number",
)
PART_TIME_SHARE = SourcedDefault(
    key="part_time_share",
    value=0.09,
    low=0.08,
    high=0.135,
    scope="france",
    source=(
        "outsourced French centres, BearingPoint survey of the SP2C's members: 86.5% full time in 2007, "
        "91% in 2008, 92% in 2011, 91% in 2013"
    ),
)
PART_TIME_HOURS = SourcedDefault(
    key="part_time_hours_per_week",
    value=24.0,
    low=23.2,
    high=24.0,
    scope="france",
    source=(
        "French legal minimum for part time, 24 h a week since 2014 (Code du travail art. L3123-27); "
        "all French part-timers 23.2 h on average in 2011 (DARES)"
    ),
    unit="hours",
)
ABSENTEEISM = SourcedDefault(
    key="absenteeism",
    value=0.09,
    low=0.075,
    high=0.20,
    scope="france",
    source=(
        "French contact centres: 8-10% in the provinces, 15-20% in Ile-de-France (Relation Client Magazine); "
        "all French firms 7.5% (Cegos, 2009)"
    ),
)

HIRING_DEFAULTS: tuple[SourcedDefault, ...] = (
    ANNUAL_ATTRITION,
    CANDIDATES_PER_HIRE,
    PART_TIME_SHARE,
    PART_TIME_HOURS,
    ABSENTEEISM,
)
