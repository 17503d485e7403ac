"""A project's need in the reader's language: each figure once, with where it comes from.

The need (:class:`guichet.engine.need.Need`) holds values and origin codes; this module writes each figure
and its origin once, so the project page, the call pages, the answer form, the e-mails, the comparison, the
dossier (page, PDF, workbook) and the API read the same words and the same figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from guichet.engine import staffing
from guichet.engine.need import (
    METHOD_AREA_FROM_SEATS,
    METHOD_HIRING_PLAN,
    METHOD_JOBS_FROM_SEATS,
    METHOD_WEEKLY_HOURS,
    Difference,
    Need,
    NeedFigure,
    Origin,
    SizingRef,
)
from guichet.engine.scoring import ScoringParameters
from guichet.phrasing.numbers import join, labelled, money, number, percent, trimmed
from guichet.phrasing.sizing import opening_hours_text


@dataclass(frozen=True)
class NeedRow:
    """One line of the need as every reader sees it."""

    key: str
    label: str
    value: str
    origin: str


def sizing_text(ref: SizingRef) -> str:
    """ "sizing no. 2 of 12 March 2026"."""
    return _("sizing no. %(number)s of %(date)s") % {
        "number": ref.number,
        "date": date_format(ref.sized_on, "DATE_FORMAT"),
    }


def origin_text(figure: NeedFigure[Any], need: Need) -> str:
    """Where a figure of the need comes from, in words."""
    origin = figure.origin
    if origin is Origin.AGENCY:
        return _("the agency's figure")
    if origin is Origin.INVESTOR:
        return _("stated by the investor")
    if origin is Origin.SIZING:
        if need.adopted_sizing is None:
            return _("the agency's sizing")
        return _("from the adopted %(sizing)s") % {"sizing": sizing_text(need.adopted_sizing)}
    if origin is Origin.CREATION:
        return _("announced when the project was created")
    if origin is Origin.ESTIMATE:
        return _estimate_text(figure.method)
    if origin is Origin.PROJECT:
        return _("stated on the project")
    if origin is Origin.DEFAULT:
        return _("house default")
    return _("not stated")


def _estimate_text(method: str) -> str:
    if method == METHOD_AREA_FROM_SEATS:
        return _("estimate: the seats × %(area)s m² a seat (house default)") % {
            "area": trimmed(staffing.DEFAULT_AREA_PER_SEAT_M2, 1)
        }
    if method == METHOD_JOBS_FROM_SEATS:
        return _("estimate: one job per seat")
    if method == METHOD_HIRING_PLAN:
        return _(
            "estimate: the hiring plan from the jobs at full ramp-up, the project's ramp-up and "
            "%(attrition)s yearly staff turnover"
        ) % {"attrition": percent(staffing.DEFAULT_ANNUAL_ATTRITION)}
    if method == METHOD_WEEKLY_HOURS:
        return _("estimate from the weekly hours")
    return _("estimate")


def yes_no(value: bool) -> str:
    return _("required") if value else _("not required")


def hires_text(need: Need) -> str:
    """ "Year 1: 190, year 2: 165, year 3: 140 (495 in years 1 to 3)": every period named."""
    hires = need.hires_by_year.value
    if not hires:
        return "—"
    years = pgettext("between items of a list", ", ").join(
        _("year %(year)s: %(hires)s") % {"year": index, "hires": number(count)}
        for index, count in enumerate(hires, start=1)
    )
    if len(hires) == 1:
        return years
    return _("%(years)s (%(total)s in years 1 to %(last)s)") % {
        "years": years,
        "total": number(need.hires_total),
        "last": len(hires),
    }


def hires_counted_text(need: Need, years: int) -> str:
    """The hires a comparison over ``years`` years counts, with the period they fall in."""
    plan = need.hiring_years
    counted = need.hires_within(years)
    if plan == 0:
        return _("no hire planned")
    last = min(plan, years)
    return ngettext(
        "%(hires)s hire in year 1 of the hiring plan (none counted after it)",
        "%(hires)s hires in years 1 to %(last)s of the hiring plan (none counted after it)",
        last,
    ) % {"hires": number(counted), "last": last}


def parking_text(need: Need) -> str:
    spaces = need.parking_spaces.value
    if spaces is not None:
        return ngettext("%(count)s space", "%(count)s spaces", spaces) % {"count": number(spaces)}
    target = ScoringParameters().parking_spaces_per_seat_target
    return _("not stated: the comparison counts %(per_seat)s spaces per seat") % {
        "per_seat": trimmed(target, 2)
    }


def area_text(need: Need) -> str:
    area = need.floor_area_m2.value
    if area is None:
        return "—"
    per_seat = need.area_per_seat_m2
    text = _("%(area)s m²") % {"area": number(area)}
    if per_seat is not None:
        text += " " + _("(%(per_seat)s m² a seat)") % {"per_seat": number(per_seat, 1)}
    return text


def max_rent_text(need: Need) -> str:
    rent = need.max_rent_eur_m2_year.value
    if rent is None:
        return _("not stated")
    return _("%(rent)s per m² a year, excluding VAT") % {"rent": money(rent)}


def need_rows(need: Need) -> list[NeedRow]:
    """The need, figure by figure, each with its value and origin in the reader's language."""

    def row(key: str, label: str, value: str, figure: NeedFigure[Any]) -> NeedRow:
        # A figure not stated says so in its value: no origin beside it.
        return NeedRow(key, label, value, "" if figure.origin is Origin.NONE else origin_text(figure, need))

    def whole(value: int | None) -> str:
        return "—" if value is None else number(value)

    hours = opening_hours_text(need.opening_hours.value)
    if need.hours_per_week:
        hours += " " + _("(%(hours)s h a week)") % {"hours": need.hours_per_week}
    opening = need.opening_date.value
    rows = [
        row("seats", _("Seats"), whole(need.seats.value), need.seats),
        row("floor_area_m2", _("Floor area"), area_text(need), need.floor_area_m2),
        row(
            "jobs_at_cruise", _("Jobs at full ramp-up"), whole(need.jobs_at_cruise.value), need.jobs_at_cruise
        ),
    ]
    if need.announced_jobs is not None:
        rows.append(
            NeedRow(
                "announced_jobs",
                _("Jobs announced by the investor"),
                number(need.announced_jobs),
                _("recorded at the decision")
                if need.announced_at_decision
                else _("at the project's creation"),
            )
        )
    rows += [
        row("hires_by_year", _("Hires by year"), hires_text(need), need.hires_by_year),
        row(
            "opening_date",
            _("Opening date"),
            "—" if opening is None else date_format(opening, "DATE_FORMAT"),
            need.opening_date,
        ),
        row("opening_hours", _("Opening hours"), hours, need.opening_hours),
        row(
            "around_the_clock",
            _("Access 24 hours a day"),
            yes_no(need.around_the_clock.value),
            need.around_the_clock,
        ),
        row("parking_spaces", _("Parking"), parking_text(need), need.parking_spaces),
        row("fibre", _("Fibre optic"), yes_no(need.fibre.value), need.fibre),
        row(
            "public_transport",
            _("Public transport"),
            yes_no(need.public_transport.value),
            need.public_transport,
        ),
        row("max_rent_eur_m2_year", _("Maximum rent"), max_rent_text(need), need.max_rent_eur_m2_year),
    ]
    return rows


def need_lines(need: Need) -> list[str]:
    """The need as lines of plain text (e-mails): "Seats: 250 (the agency's figure)"."""
    return [
        labelled(row.label, f"{row.value} ({row.origin})" if row.origin else row.value)
        for row in need_rows(need)
    ]


def difference_text(item: Difference, need: Need) -> str:
    """ "Seats: 250 (the agency's figure); sizing no. 2 of 12 March 2026 gives 308"."""
    label = figure_labels()[item.figure]
    unit = " m²" if item.figure == "floor_area_m2" else ""
    current = "—" if item.value is None else number(item.value) + unit
    figure: NeedFigure[Any] = getattr(need, item.figure)
    return labelled(
        label,
        _("%(current)s (%(origin)s); %(sizing)s gives %(sized)s")
        % {
            "current": current,
            "origin": origin_text(figure, need),
            "sizing": sizing_text(item.sizing),
            "sized": number(item.sized) + unit,
        },
    )


def figure_labels() -> dict[str, str]:
    """Each figure of the need by its code, named in the reader's language."""
    return {
        "seats": _("Seats"),
        "floor_area_m2": _("Floor area"),
        "jobs_at_cruise": _("Jobs at full ramp-up"),
        "jobs_by_year": _("Jobs by year"),
        "hires_by_year": _("Hires by year"),
        "opening_date": _("Opening date"),
        "opening_hours": _("Opening hours"),
        "around_the_clock": _("Access 24 hours a day"),
        "parking_spaces": _("Parking"),
        "fibre": _("Fibre optic"),
        "public_transport": _("Public transport"),
        "max_rent_eur_m2_year": _("Maximum rent"),
    }


def changed_text(names: tuple[str, ...]) -> str:
    """The figures of a need that changed, named in a list."""
    labels = figure_labels()
    return join(labels.get(name, name).lower() for name in names)


def shortfall_warnings(
    need: Need, *, name: str, area_m2: int, available_from: dt.date, most: bool = False
) -> list[str]:
    """What an officer should know before offering a premises for this need (a warning, never a refusal):
    an area that cannot seat it (``most``: the premises' whole available area), an availability after the
    opening date."""
    warnings = []
    wanted, seats, held = need.floor_area_m2.value, need.seats.value, need.seats_held(area_m2)
    if wanted and seats and held is not None and held < seats:
        values = {
            "name": name,
            "area": number(area_m2),
            "wanted": number(wanted),
            "held": number(held),
            "seats": number(seats),
        }
        text = (
            _(
                "%(name)s offers at most %(area)s m², less than the %(wanted)s m² the need asks for: it "
                "would "
                "seat %(held)s of the %(seats)s seats, and the comparison would mark it as too small."
            )
            if most
            else _(
                "%(name)s: %(area)s m² offered, less than the %(wanted)s m² the need asks for: it seats "
                "%(held)s of the %(seats)s seats, and the comparison marks it as too small (not ranked on "
                "cost)."
            )
        )
        warnings.append(text % values)
    opening = need.opening_date.value
    if opening is not None and available_from > opening:
        warnings.append(
            _("%(name)s is available from %(available)s, after the opening date, %(opening)s.")
            % {
                "name": name,
                "available": date_format(available_from, "DATE_FORMAT"),
                "opening": date_format(opening, "DATE_FORMAT"),
            }
        )
    return warnings
