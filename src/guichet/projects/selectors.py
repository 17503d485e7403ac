"""Reads of projects. Who sees which project, and whether its identity shows, is decided here only."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet

from guichet.accounts.selectors import user_is_agency
from guichet.catalogue.models import Authority, Premises, PremisesStatus
from guichet.engine import profiles, staffing
from guichet.engine.profiles import OpeningHours
from guichet.projects.models import Project, ProjectSizing

# Used when a project gives seats but no sizing: the staffing engine's default area per seat.
DEFAULT_AREA_PER_SEAT_M2 = staffing.DEFAULT_AREA_PER_SEAT_M2


def projects_visible_to(*, user: Any) -> QuerySet[Project]:
    """Agency staff see every project; an officer sees the projects of calls sent to its authority."""
    if user_is_agency(user):
        return Project.objects.all()
    authority_id = getattr(user, "authority_id", None) if getattr(user, "is_authenticated", False) else None
    if not authority_id:
        return Project.objects.none()
    return (
        Project.objects.filter(calls__addressees__authority_id=authority_id, calls__addressees__included=True)
        .exclude(calls__status="draft")
        .distinct()
    )


def project_identity_visible(*, user: Any, project: Project) -> bool:
    """The company behind a code name shows to agency staff always, to authorities only once disclosed."""
    return user_is_agency(user) or project.identity_disclosed


# --- sizing: the latest one, its history, and the figures it gives the project ------------------------


def project_latest_sizing(*, project: Project) -> ProjectSizing | None:
    """The project's latest sizing, with its agents per interval; None if it was never sized."""
    return project.sizings.order_by("-number").first()


def project_sizing_history(*, project: Project) -> QuerySet[ProjectSizing]:
    """Every sizing of the project, the latest first, without the intervals (a summary each)."""
    return project.sizings.order_by("-number").defer("intervals").select_related("created_by")


def _sized(project: Project, key: str) -> int | None:
    value = (project.sizing or {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return math.ceil(value)  # a sizing stored before areas were whole numbers had a decimal area


def project_sized_jobs(*, project: Project) -> int | None:
    """Jobs at full ramp-up from the latest sizing (its full-time headcount); None if never sized."""
    return _sized(project, "headcount")


def project_sized_seats(*, project: Project) -> int | None:
    """Seats from the latest sizing; None if never sized."""
    return _sized(project, "seats")


def project_sized_floor_area(*, project: Project) -> int | None:
    """Floor area (whole m²) from the latest sizing; None if never sized."""
    return _sized(project, "floor_area_m2")


def project_seats_wanted(*, project: Project) -> int | None:
    """The seats the project needs: the agency's figure if it set one, else the latest sizing's."""
    if project.seats is not None:
        return project.seats
    return project_sized_seats(project=project)


def project_jobs_target(*, project: Project) -> int | None:
    """Jobs at full ramp-up: the agency's figure if it set one, else the latest sizing's."""
    if project.jobs_target is not None:
        return project.jobs_target
    return project_sized_jobs(project=project)


def project_floor_area_wanted(*, project: Project) -> int | None:
    """The floor area the premises must offer (whole m²): the agency's (or the investor's) figure, else the
    latest sizing's, else the seats at the default area per seat (an estimate)."""
    if project.floor_area_wanted_m2:
        return project.floor_area_wanted_m2
    sized = project_sized_floor_area(project=project)
    if sized:
        return sized
    if project.seats:
        return math.ceil(project.seats * Fraction(repr(DEFAULT_AREA_PER_SEAT_M2)))
    return None


def project_figure_origins(*, project: Project) -> dict[str, str]:
    """Where each of the project's seats, jobs and floor area comes from: ``agency`` (set by the agency, or
    stated by the investor), ``sizing`` (the latest sizing's), ``estimate`` (seats x default area) or
    ``none``."""
    origins = {}
    for name, flag, sized in (
        ("seats", project.seats_overridden, project_sized_seats(project=project)),
        ("jobs_target", project.jobs_target_overridden, project_sized_jobs(project=project)),
        (
            "floor_area_wanted_m2",
            project.floor_area_wanted_overridden,
            project_sized_floor_area(project=project),
        ),
    ):
        value = getattr(project, name)
        if value is None or (value == 0 and name == "floor_area_wanted_m2"):
            origins[name] = "estimate" if name == "floor_area_wanted_m2" and project.seats else "none"
        elif flag or sized is None or value != sized:
            origins[name] = "agency"
        else:
            origins[name] = "sizing"
    return origins


def project_opening_hours(*, project: Project) -> tuple[OpeningHours, str]:
    """The opening hours a sizing of the project uses and where they come from: the project's own
    (``project``), a schedule made from its weekly hours (``project_weekly_hours``, an assumption) or the
    house default (``default``)."""
    if project.opening_hours:
        try:
            return profiles.parse_opening_hours(project.opening_hours), "project"
        except staffing.StaffingInputError:
            pass  # stored before validation existed: the weekly hours or the default instead
    if project.opening_hours_per_week:
        return profiles.opening_hours_from_weekly_hours(
            project.opening_hours_per_week
        ), "project_weekly_hours"
    return profiles.DEFAULT_OPENING_HOURS, "default"


def project_hires_per_year(*, project: Project) -> list[int]:
    """Hires per year from the latest sizing, or from the jobs and seats with the engine's defaults."""
    hiring = (project.sizing or {}).get("hiring")
    if hiring:
        return [int(year["hires"]) for year in hiring]
    jobs = project_jobs_target(project=project) or project.seats
    if jobs:
        plan = staffing.hiring_plan(
            target_headcount=jobs,
            target_seats=project.seats or 0,
            ramp=project.ramp_shares() if project.ramp_up else staffing.DEFAULT_RAMP,
        )
        return [year.hires for year in plan.years]
    return []


def eligible_premises(*, project: Project) -> QuerySet[Premises]:
    """The live premises that meet the project's hard constraints: area, date, rent and must-haves."""
    premises = Premises.objects.filter(
        archived_at__isnull=True, status__in=(PremisesStatus.AVAILABLE, PremisesStatus.UNDER_OPTION)
    ).select_related("owner", "commune", "commune__departement")
    area = project_floor_area_wanted(project=project)
    if area:
        # The premises holds the area, and either lets it whole or in lots small enough.
        premises = premises.filter(available_area_m2__gte=area).filter(
            Q(smallest_lot_m2__isnull=True) | Q(smallest_lot_m2__lte=area)
        )
    if project.opening_date:
        premises = premises.filter(available_from__lte=project.opening_date)
    if project.max_rent_eur_m2_year is not None:
        premises = premises.filter(
            Q(rent_eur_m2_year__lte=project.max_rent_eur_m2_year)
            | Q(rent_eur_m2_year__isnull=True, tenure="sale")
        )
    if project.needs_fibre:
        premises = premises.filter(fibre=True)
    if project.needs_public_transport:
        premises = premises.filter(public_transport=True)
    if project.needs_parking_spaces:
        premises = premises.filter(parking_spaces__gte=project.needs_parking_spaces)
    if project.needs_24_7:
        premises = premises.filter(access_24_7=True)
    departements = list(project.preferred_departements.values_list("code", flat=True))
    if departements:
        premises = premises.filter(commune__departement__in=departements)
    return premises


def eligible_authorities(*, project: Project) -> QuerySet[Authority]:
    return Authority.objects.filter(premises__in=eligible_premises(project=project)).distinct()
