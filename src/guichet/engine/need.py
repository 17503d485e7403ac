"""A project's need, stated once: each figure with the one current value and where it comes from.

Pure values (no Django, no I/O). ``guichet.projects.selectors.project_need`` builds a :class:`Need` from a
project; a call for offers stores it (:meth:`Need.as_json`) when it is sent, so the officers answer, and the
comparison scores, against the need as published; every page, e-mail, comparison, dossier and export shows
the same values with their origins (phrased by ``guichet.phrasing.need``).

Origins (:class:`Origin`): the agency's figure, the investor's (stated on the portal), the adopted sizing
(:class:`SizingRef`: its number and date), the jobs announced when the project was created, an estimate
from another figure of the need by a stated rule (``method``), a figure stated on the project record, the
house default, or nothing known.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

from guichet.engine.scoring import ProjectNeeds, ScoringInputError

__all__ = [
    "NEED_FORMAT",
    "Difference",
    "Need",
    "NeedFigure",
    "Origin",
    "SizingRef",
]

NEED_FORMAT = "guichet.need/1"

T = TypeVar("T")


class Origin(StrEnum):
    AGENCY = "agency"
    INVESTOR = "investor"  # stated by the investor on the public portal, not yet replaced by a sizing
    SIZING = "sizing"
    CREATION = "creation"
    ESTIMATE = "estimate"
    PROJECT = "project"
    DEFAULT = "default"
    NONE = "none"


# The rules an estimate may follow (``NeedFigure.method``).
METHOD_AREA_FROM_SEATS = "seats_x_default_area"
METHOD_JOBS_FROM_SEATS = "one_job_per_seat"
METHOD_HIRING_PLAN = "hiring_plan"
METHOD_WEEKLY_HOURS = "weekly_hours"


@dataclass(frozen=True, slots=True)
class NeedFigure(Generic[T]):
    """One figure of the need: its value, its origin, and for an estimate the rule it follows."""

    value: T
    origin: Origin
    method: str = ""


@dataclass(frozen=True, slots=True)
class SizingRef:
    """A sizing of the project: its number, the day it was made and the figures it gives."""

    number: int
    sized_on: date
    seats: int | None
    jobs: int | None
    floor_area_m2: int | None


@dataclass(frozen=True, slots=True)
class Difference:
    """A figure of the need that the latest sizing puts otherwise (the reconciliation the agency sees)."""

    figure: str  # "seats", "jobs_at_cruise" or "floor_area_m2"
    value: int | None
    origin: Origin
    sized: int
    sizing: SizingRef


@dataclass(frozen=True, slots=True)
class Need:
    """The project's need. ``jobs_by_year`` is the headcount in place each year of the hiring plan and
    ``hires_by_year`` the hires of each year (both follow the jobs at cruise: the adopted sizing's plan when
    the jobs come from it, else the hiring plan estimated from them). ``parking_spaces`` None: not stated.
    ``announced_jobs``: the jobs the investor announced (at creation, or the decision's figure when
    ``announced_at_decision``). ``adopted_sizing`` is the sizing the need's figures come from (None: never
    adopted one) and ``latest_sizing`` the latest sizing, for the reconciliation."""

    seats: NeedFigure[int | None]
    floor_area_m2: NeedFigure[int | None]
    jobs_at_cruise: NeedFigure[int | None]
    jobs_by_year: NeedFigure[tuple[int, ...]]
    hires_by_year: NeedFigure[tuple[int, ...]]
    opening_date: NeedFigure[date | None]
    opening_hours: NeedFigure[str]
    hours_per_week: int | None
    around_the_clock: NeedFigure[bool]
    parking_spaces: NeedFigure[int | None]
    fibre: NeedFigure[bool]
    public_transport: NeedFigure[bool]
    max_rent_eur_m2_year: NeedFigure[float | None]
    announced_jobs: int | None = None
    announced_at_decision: bool = False
    adopted_sizing: SizingRef | None = None
    latest_sizing: SizingRef | None = None

    # --- derived figures, computed here once ------------------------------------------------------

    @property
    def complete(self) -> bool:
        """Seats and floor area known: enough to compare offers."""
        return bool(self.seats.value) and bool(self.floor_area_m2.value)

    @property
    def area_per_seat_m2(self) -> float | None:
        seats, area = self.seats.value, self.floor_area_m2.value
        return float(area) / seats if seats and area else None

    @property
    def hiring_years(self) -> int:
        return len(self.hires_by_year.value)

    @property
    def hires_total(self) -> int:
        return sum(self.hires_by_year.value)

    @property
    def hires_peak(self) -> int:
        return max(self.hires_by_year.value, default=0)

    def hires_within(self, years: int) -> int:
        """The hires of the first ``years`` years of the plan (none counted after it)."""
        return sum(self.hires_by_year.value[:years])

    def seats_held(self, area_m2: float) -> int | None:
        """The seats ``area_m2`` holds at the need's m² per seat (None while the need is incomplete)."""
        seats, area = self.seats.value, self.floor_area_m2.value
        if not seats or not area:
            return None
        return math.floor(float(area_m2) * seats / float(area) + 1e-9)

    def differences(self) -> tuple[Difference, ...]:
        """The figures the latest sizing gives otherwise than the need does (nothing when the need's
        figures are the latest sizing's)."""
        latest = self.latest_sizing
        if latest is None:
            return ()
        found = []
        for name, sized in (
            ("seats", latest.seats),
            ("jobs_at_cruise", latest.jobs),
            ("floor_area_m2", latest.floor_area_m2),
        ):
            figure: NeedFigure[int | None] = getattr(self, name)
            if sized is not None and figure.value != sized:
                found.append(Difference(name, figure.value, figure.origin, sized, latest))
        return tuple(found)

    @property
    def latest_not_adopted(self) -> bool:
        """A sizing newer than the adopted one (or the first one, never adopted) exists."""
        latest, adopted = self.latest_sizing, self.adopted_sizing
        return latest is not None and (adopted is None or adopted.number != latest.number)

    def scoring_needs(self) -> ProjectNeeds:
        """The need as the scoring engine takes it; a ScoringInputError (field ``seats`` or
        ``area_wanted_m2``) while it is incomplete."""
        seats, area = self.seats.value, self.floor_area_m2.value
        if not seats:
            raise ScoringInputError("seats", "the need has no seats")
        if not area:
            raise ScoringInputError("area_wanted_m2", "the need has no floor area")
        jobs = tuple(float(j) for j in self.jobs_by_year.value) or (
            float(self.jobs_at_cruise.value or seats),
        )
        opening = self.opening_date.value
        parking = self.parking_spaces.value
        return ProjectNeeds(
            seats=int(seats),
            area_wanted_m2=float(area),
            jobs_per_year=jobs,
            hires_per_year=tuple(float(h) for h in self.hires_by_year.value),
            opening=opening,
            parking_spaces=None if parking is None else float(parking),
        )

    # --- stored with a call -------------------------------------------------------------------------

    def as_json(self) -> dict[str, Any]:
        def figure(item: NeedFigure[Any]) -> dict[str, Any]:
            value = item.value
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            return {"value": value, "origin": item.origin.value, "method": item.method}

        return {
            "format": NEED_FORMAT,
            **{name: figure(getattr(self, name)) for name in _FIGURES},
            "hours_per_week": self.hours_per_week,
            "announced_jobs": self.announced_jobs,
            "announced_at_decision": self.announced_at_decision,
            "adopted_sizing": _sizing_json(self.adopted_sizing),
            "latest_sizing": _sizing_json(self.latest_sizing),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Need:
        if data.get("format") != NEED_FORMAT:
            raise ValueError(f"not a stored need: format {data.get('format')!r}")

        def figure(name: str) -> NeedFigure[Any]:
            item = data[name]
            value = item.get("value")
            if name == "opening_date" and value is not None:
                value = date.fromisoformat(value)
            elif name in ("jobs_by_year", "hires_by_year"):
                value = tuple(int(v) for v in value or ())
            elif name == "max_rent_eur_m2_year" and value is not None:
                value = float(value)
            return NeedFigure(value, Origin(item.get("origin", Origin.NONE)), str(item.get("method", "")))

        return cls(
            **{name: figure(name) for name in _FIGURES},
            hours_per_week=data.get("hours_per_week"),
            announced_jobs=data.get("announced_jobs"),
            announced_at_decision=bool(data.get("announced_at_decision", False)),
            adopted_sizing=_sizing_from_json(data.get("adopted_sizing")),
            latest_sizing=_sizing_from_json(data.get("latest_sizing")),
        )

    def same_figures(self, other: Need) -> bool:
        """Whether two needs state the same values (origins aside): a call's published need against the
        project's need now."""
        return all(getattr(self, name).value == getattr(other, name).value for name in _FIGURES)

    def changed_figures(self, other: Need) -> tuple[str, ...]:
        """The figures whose value differs between two needs."""
        return tuple(name for name in _FIGURES if getattr(self, name).value != getattr(other, name).value)


_FIGURES = (
    "seats",
    "floor_area_m2",
    "jobs_at_cruise",
    "jobs_by_year",
    "hires_by_year",
    "opening_date",
    "opening_hours",
    "around_the_clock",
    "parking_spaces",
    "fibre",
    "public_transport",
    "max_rent_eur_m2_year",
)


def _sizing_json(ref: SizingRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "number": ref.number,
        "sized_on": ref.sized_on.isoformat(),
        "seats": ref.seats,
        "jobs": ref.jobs,
        "floor_area_m2": ref.floor_area_m2,
    }


def _sizing_from_json(data: Mapping[str, Any] | None) -> SizingRef | None:
    if not data:
        return None
    return SizingRef(
        number=int(data["number"]),
        sized_on=date.fromisoformat(data["sized_on"]),
        seats=data.get("seats"),
        jobs=data.get("jobs"),
        floor_area_m2=data.get("floor_area_m2"),
    )
