"""Reads of projects. Who sees which project, and whether its identity shows, is decided here only."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.accounts.types import Reader
from guichet.catalogue.models import Authority, Premises, PremisesStatus
from guichet.engine import profiles, scoring, staffing
from guichet.engine.hiring import HiringYear, hiring_plan
from guichet.engine.profiles import OpeningHours
from guichet.engine.sizing import read_sizing
from guichet.hooks import Hook
from guichet.phrasing.scoring import scoring_input_message
from guichet.projects.models import AgencySettings, JobsCreated, Project, ProjectSizing, Sector, Stage

# Used when a project gives seats but no sizing: the staffing engine's default area per seat.
DEFAULT_AREA_PER_SEAT_M2 = staffing.DEFAULT_AREA_PER_SEAT_M2


def projects_visible_to(*, user: Reader) -> QuerySet[Project]:
    """Agency staff see every project; an officer sees the projects of calls sent to its authority."""
    if user_is_agency(user):
        return Project.objects.all()
    authority_id = user_authority_id(user)
    if authority_id is None:
        return Project.objects.none()
    return (
        Project.objects.filter(calls__addressees__authority_id=authority_id, calls__addressees__included=True)
        .exclude(calls__status="draft")
        .distinct()
    )


def project_identity_visible(*, user: Reader, project: Project) -> bool:
    """The company behind a code name shows to agency staff always, to authorities only once disclosed."""
    return user_is_agency(user) or project.identity_disclosed


# --- sizing: the latest one, its history, and the figures it gives the project ------------------------


def projects_with_hiring_plans(*, user: Reader) -> QuerySet[Project]:
    """The projects whose hiring plan the reader may test on a premises' labour panel, by code name."""
    return projects_visible_to(user=user).order_by("code_name")


def project_latest_sizing(*, project: Project) -> ProjectSizing | None:
    """The project's latest sizing, with its agents per interval; None if it was never sized."""
    return project.sizings.order_by("-number").first()


def project_sizing_history(*, project: Project) -> QuerySet[ProjectSizing]:
    """Every sizing of the project, the latest first, without the intervals (a summary each)."""
    return project.sizings.order_by("-number").defer("intervals").select_related("created_by")


def _sized(project: Project, key: str) -> int | None:
    value: float | None = getattr(read_sizing(project.sizing), key)
    if value is None:
        return None
    return math.ceil(value)  # a sizing stored before areas were whole numbers had a decimal area


def project_sized_jobs(*, project: Project) -> int | None:
    """Jobs at full ramp-up from the latest sizing (its headcount: people, part-timers included); None if
    never sized."""
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


def project_hiring_years(*, project: Project) -> tuple[HiringYear, ...]:
    """The hiring plan's years from the latest sizing, or from the jobs and seats with the engine's
    defaults; empty when the project has neither."""
    hiring = read_sizing(project.sizing).hiring
    if hiring:
        return hiring
    jobs = project_jobs_target(project=project) or project.seats
    if jobs:
        plan = hiring_plan(
            target_headcount=jobs,
            target_seats=project.seats or 0,
            ramp=project.ramp_shares() if project.ramp_up else staffing.DEFAULT_RAMP,
        )
        return plan.years
    return ()


def project_hires_per_year(*, project: Project) -> list[int]:
    """Hires per year from the latest sizing, or from the jobs and seats with the engine's defaults."""
    return [year.hires for year in project_hiring_years(project=project)]


# --- the project's needs, as the scoring engine takes them ----------------------------------------


def project_needs(*, project: Project) -> scoring.ProjectNeeds:
    """Seats, floor area, jobs and hires per year and opening date, for a ranking or a comparison; a
    ValidationError in the reader's language while the project is not sized."""
    stored = read_sizing(project.sizing)
    seats = project.seats or stored.seats
    area = project_floor_area_wanted(project=project)
    if not seats or not area:
        raise ValidationError(_("Size the project (seats and floor area) before comparing the proposals."))
    jobs = [float(year.headcount) for year in stored.hiring] or [float(project.jobs_target or seats)]
    try:
        return scoring.ProjectNeeds(
            seats=int(seats),
            area_wanted_m2=float(area),
            jobs_per_year=tuple(jobs),
            hires_per_year=tuple(float(h) for h in project_hires_per_year(project=project)),
            opening=project.opening_date,
        )
    except scoring.ScoringInputError as error:
        raise ValidationError(scoring_input_message(error)) from None


def project_needs_or_none(*, project: Project) -> scoring.ProjectNeeds | None:
    """The project's needs, or None while it is not sized."""
    try:
        return project_needs(project=project)
    except ValidationError:
        return None


def project_preset_weights(*, project: Project) -> scoring.Weights:
    """The criteria's weights preset for the project's sector (a call may set its own)."""
    if project.sector == Sector.CONTACT_CENTRE:
        return scoring.CONTACT_CENTRE_WEIGHTS
    return scoring.BACK_OFFICE_WEIGHTS


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


def agency_settings() -> AgencySettings:
    """The agency's targets; the defaults (400 jobs a year, 5 years of follow-up) until it sets its own."""
    return AgencySettings.objects.order_by("pk").first() or AgencySettings()


def _nothing_offered(project: Project) -> QuerySet[Any] | None:
    """The ids of the premises offered to a project that it may choose (a queryset of `premises_id`); None
    while no app runs calls for offers."""
    return None


# Answered by the app that keeps the proposals (offers/apps.py).
offered_premises_ids = Hook(_nothing_offered)


def premises_offered_for(*, project: Project) -> QuerySet[Premises]:
    """The premises a project can choose at its decision: those offered in its calls
    (`offered_premises_ids`), and the one already chosen."""
    chosen = Q(pk=project.chosen_premises_id or 0)
    offered = offered_premises_ids(project)
    return (
        Premises.objects.filter(chosen if offered is None else Q(pk__in=offered) | chosen)
        .select_related("owner")
        .order_by("owner__name", "name")
    )


# --- the pipeline's history -------------------------------------------------------------------------------


def project_decision(*, project: Project) -> tuple[str, dt.date] | None:
    """The decision (won, lost or abandoned) first recorded for the project, with its date."""
    move = (
        project.stage_changes.filter(stage__in=(Stage.WON, Stage.LOST, Stage.ABANDONED))
        .order_by("at", "id")
        .values_list("stage", "at")
        .first()
    )
    return (move[0], move[1]) if move else None


def project_opening_year(*, project: Project) -> int | None:
    """The year the site opened (its move to "installed"), or else the planned opening date's year."""
    installed = project.stage_changes.filter(stage=Stage.INSTALLED).aggregate(at=Min("at"))["at"]
    if installed:
        return int(installed.year)
    return project.opening_date.year if project.opening_date else None


# --- the authorities' results -----------------------------------------------------------------------------


def results_authority(*, user: Reader, authority_id: int | None = None) -> Authority | None:
    """Whose results the user may read: an officer, those of its own authority whatever it asks for;
    agency staff, any authority it names. Anybody else: none."""
    if user_is_agency(user):
        return Authority.objects.filter(pk=authority_id).first() if authority_id else None
    own = user_authority_id(user)
    return Authority.objects.filter(pk=own).first() if own else None


def projects_that_chose(*, authority: Authority) -> QuerySet[Project]:
    """The projects won for premises the authority owns, public or not: they are its own results."""
    return (
        Project.objects.filter(chosen_premises__owner=authority, stage_changes__stage=Stage.WON)
        .select_related("chosen_premises", "site_commune")
        .prefetch_related("jobs_created")
        .annotate(won_on=Min("stage_changes__at", filter=Q(stage_changes__stage=Stage.WON)))
        .distinct()
        .order_by("-won_on", "code_name")
    )


def public_decisions(*, today: dt.date | None = None) -> QuerySet[Project]:
    """Won projects whose decision the agency has made public: every authority may read their figures."""
    today = today or timezone.localdate()
    return (
        Project.objects.filter(public_from__lte=today, stage_changes__stage=Stage.WON)
        .select_related("site_commune", "chosen_premises__owner")
        .prefetch_related("jobs_created")
        .annotate(won_on=Min("stage_changes__at", filter=Q(stage_changes__stage=Stage.WON)))
        .distinct()
        .order_by("-won_on", "code_name")
    )


def results_visible_to(*, authority: Authority | None) -> dict[str, list[Project]]:
    """An authority's results page: its own projects in full, and of the others only the public decisions.

    Pass the authority `results_authority` allows: an officer never gets another authority's projects that
    are not public, and the regional totals on the page are summed over public decisions only."""
    own = list(projects_that_chose(authority=authority)) if authority else []
    own_ids = {project.pk for project in own}
    return {"own": own, "public": [project for project in public_decisions() if project.pk not in own_ids]}


# --- the yearly follow-up of jobs created -----------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    project: Project
    won_on: dt.date
    opening_year: int
    jobs_reported: int | None
    source: str

    @property
    def due(self) -> bool:
        return self.jobs_reported is None


def jobs_follow_up(*, year: int) -> list[FollowUpRow]:
    """The sites that owe a report of their jobs created in `year`: won, not abandoned, opened in or before
    that year and still within the follow-up the agency set (from the opening year on). Reported ones are
    listed too, with their figure, so the list is the year's whole campaign."""
    follow_up_years = agency_settings().follow_up_years
    projects = (
        Project.objects.filter(stage__in=(Stage.WON, Stage.INSTALLED, Stage.AFTERCARE))
        .annotate(
            won_on=Min("stage_changes__at", filter=Q(stage_changes__stage=Stage.WON)),
            installed_on=Min("stage_changes__at", filter=Q(stage_changes__stage=Stage.INSTALLED)),
        )
        .filter(won_on__isnull=False)
        .select_related("site_commune", "chosen_premises__owner")
        .order_by("code_name")
    )
    reports = {row.project_id: row for row in JobsCreated.objects.filter(year=year, project__in=projects)}
    rows = []
    for project in projects:
        installed_on = project.installed_on
        opening = (
            installed_on.year
            if installed_on
            else (project.opening_date.year if project.opening_date else None)
        )
        if opening is None or not opening <= year < opening + follow_up_years:
            continue
        report = reports.get(project.pk)
        rows.append(
            FollowUpRow(
                project=project,
                won_on=project.won_on,
                opening_year=opening,
                jobs_reported=report.jobs if report else None,
                source=report.source if report else "",
            )
        )
    rows.sort(key=lambda row: (not row.due, row.project.code_name))
    return rows
