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
from guichet.catalogue.selectors import listed_rent_band
from guichet.engine import labour as labour_engine
from guichet.engine import profiles, scoring, staffing
from guichet.engine.hiring import HiringYear, hiring_plan
from guichet.engine.need import (
    METHOD_AREA_FROM_SEATS,
    METHOD_HIRING_PLAN,
    METHOD_JOBS_FROM_SEATS,
    METHOD_WEEKLY_HOURS,
    Need,
    NeedFigure,
    Origin,
    SizingRef,
)
from guichet.engine.profiles import OpeningHours
from guichet.engine.scales import CostCeiling, Scales, cost_ceiling, scales_for
from guichet.engine.sizing import read_sizing
from guichet.hooks import Hook
from guichet.phrasing.scoring import scoring_input_message
from guichet.projects.models import (
    AgencySettings,
    JobsCreated,
    LeadSource,
    Project,
    ProjectSizing,
    Sector,
    Stage,
)

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


def project_floor_area_wanted(*, project: Project) -> int | None:
    """The floor area the premises must offer (whole m²): the need's (:func:`project_need`)."""
    return project_need(project=project).floor_area_m2.value


def project_figure_origins(*, project: Project) -> dict[str, str]:
    """Where each of the project's seats, jobs and floor area comes from, as the need says it
    (:class:`guichet.engine.need.Origin` codes)."""
    need = project_need(project=project)
    return {
        "seats": need.seats.origin.value,
        "jobs_target": need.jobs_at_cruise.origin.value,
        "floor_area_wanted_m2": need.floor_area_m2.origin.value,
    }


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
    """Hires per year of the project's need (:func:`project_need`)."""
    return list(project_need(project=project).hires_by_year.value)


# --- the project's need: one value per figure, with its origin ----------------------------------------


def _sizing_ref(record: ProjectSizing | None) -> SizingRef | None:
    if record is None:
        return None
    stored = read_sizing(record.summary)

    def whole(value: float | None) -> int | None:
        return None if value is None else math.ceil(value)

    return SizingRef(
        number=record.number,
        sized_on=timezone.localdate(record.created_at),
        seats=whole(stored.seats),
        jobs=whole(stored.headcount),
        floor_area_m2=whole(stored.floor_area_m2),
    )


def _origin(value: int | None, *, overridden: bool, adopted: int | None, portal: bool = False) -> Origin:
    """A sized figure's origin: the adopted sizing's when it holds that sizing's value and the agency did
    not set it; the investor's when a portal lead stated it and nobody changed it since; else the agency's."""
    if value is None:
        return Origin.NONE
    if not overridden and adopted is not None and value == adopted:
        return Origin.SIZING
    if portal and not overridden:
        return Origin.INVESTOR
    return Origin.AGENCY


def _need_jobs(project: Project, adopted: SizingRef | None, seats: int | None) -> NeedFigure[int | None]:
    """Jobs at cruise: the agency's or the adopted sizing's figure, else the jobs announced at creation,
    else one job per seat (an estimate)."""
    jobs = project.jobs_target
    if jobs is not None:
        origin = _origin(
            jobs,
            overridden=project.jobs_target_overridden,
            adopted=adopted.jobs if adopted else None,
            portal=project.source == LeadSource.PORTAL,
        )
        return NeedFigure(jobs, origin)
    if project.jobs_announced is not None:
        return NeedFigure(project.jobs_announced, Origin.CREATION)
    if seats:
        return NeedFigure(seats, Origin.ESTIMATE, METHOD_JOBS_FROM_SEATS)
    return NeedFigure(None, Origin.NONE)


def _plan_years(
    project: Project, adopted_body: Any, jobs: NeedFigure[int | None], seats: int | None
) -> tuple[tuple[HiringYear, ...], Origin, str]:
    """The hiring plan behind the need: the adopted sizing's when the jobs are its own, else the one the
    staffing engine estimates from the jobs at cruise and the project's ramp-up."""
    stored = read_sizing(adopted_body)
    if jobs.origin is Origin.SIZING and stored.hiring:
        return stored.hiring, Origin.SIZING, ""
    if not jobs.value:
        return (), Origin.NONE, ""
    plan = hiring_plan(
        target_headcount=int(jobs.value),
        target_seats=seats or 0,
        ramp=project.ramp_shares() if project.ramp_up else staffing.DEFAULT_RAMP,
    )
    return plan.years, Origin.ESTIMATE, METHOD_HIRING_PLAN


def _need_plan(
    project: Project, adopted_body: Any, jobs: NeedFigure[int | None], seats: int | None
) -> tuple[NeedFigure[tuple[int, ...]], NeedFigure[tuple[int, ...]]]:
    """Headcount and hires by year, from the plan behind the need (:func:`_plan_years`)."""
    years, origin, method = _plan_years(project, adopted_body, jobs, seats)
    return (
        NeedFigure(tuple(int(y.headcount) for y in years), origin, method),
        NeedFigure(tuple(int(y.hires) for y in years), origin, method),
    )


def project_hiring_years(*, project: Project) -> tuple[HiringYear, ...]:
    """The years of the hiring plan behind the need's hires (headcounts included, so that the labour page
    can vary the attrition): the same plan as :func:`project_need`'s."""
    record = project.adopted_sizing
    jobs = _need_jobs(project, _sizing_ref(record), project.seats)
    return _plan_years(project, record.summary if record else None, jobs, project.seats)[0]


def _stated(value: Any) -> NeedFigure[Any]:
    return NeedFigure(value, Origin.PROJECT if value else Origin.NONE)


def project_need(*, project: Project) -> Need:
    """The project's need: one current value per figure with its origin (the agency's figure, the adopted
    sizing's, the jobs announced at creation, an estimate by a stated rule, the project's own statement or
    the house default), the adopted and latest sizings for the reconciliation. Every page, e-mail,
    comparison, dossier and export reads it here."""
    adopted_record = project.adopted_sizing
    adopted = _sizing_ref(adopted_record)
    latest_record = project.sizings.defer("intervals").order_by("-number").first()
    latest = adopted if latest_record is not None and adopted_record == latest_record else None
    latest = latest or _sizing_ref(latest_record)
    seats = NeedFigure(
        project.seats,
        _origin(
            project.seats,
            overridden=project.seats_overridden,
            adopted=adopted.seats if adopted else None,
            portal=project.source == LeadSource.PORTAL,
        ),
    )
    if project.floor_area_wanted_m2:
        area: NeedFigure[int | None] = NeedFigure(
            project.floor_area_wanted_m2,
            _origin(
                project.floor_area_wanted_m2,
                overridden=project.floor_area_wanted_overridden,
                adopted=adopted.floor_area_m2 if adopted else None,
                portal=project.source == LeadSource.PORTAL,
            ),
        )
    elif project.seats:
        estimate = math.ceil(project.seats * Fraction(repr(DEFAULT_AREA_PER_SEAT_M2)))
        area = NeedFigure(estimate, Origin.ESTIMATE, METHOD_AREA_FROM_SEATS)
    else:
        area = NeedFigure(None, Origin.NONE)
    jobs = _need_jobs(project, adopted, project.seats)
    by_year, hires = _need_plan(
        project, adopted_record.summary if adopted_record else None, jobs, project.seats
    )
    hours, hours_source = project_opening_hours(project=project)
    hours_origin = {"project": Origin.PROJECT, "project_weekly_hours": Origin.ESTIMATE}.get(
        hours_source, Origin.DEFAULT
    )
    return Need(
        seats=seats,
        floor_area_m2=area,
        jobs_at_cruise=jobs,
        jobs_by_year=by_year,
        hires_by_year=hires,
        opening_date=_stated(project.opening_date),
        opening_hours=NeedFigure(
            hours.text(), hours_origin, METHOD_WEEKLY_HOURS if hours_origin is Origin.ESTIMATE else ""
        ),
        hours_per_week=int(hours.hours_per_week + 0.5),
        around_the_clock=NeedFigure(project.needs_24_7, Origin.PROJECT),
        parking_spaces=_stated(project.needs_parking_spaces or None),
        fibre=NeedFigure(project.needs_fibre, Origin.PROJECT),
        public_transport=NeedFigure(project.needs_public_transport, Origin.PROJECT),
        max_rent_eur_m2_year=_stated(
            None if project.max_rent_eur_m2_year is None else float(project.max_rent_eur_m2_year)
        ),
        announced_jobs=project.jobs_announced,
        announced_at_decision=bool(project.jobs_announced_basis),
        adopted_sizing=adopted,
        latest_sizing=latest,
    )


def project_needs(*, project: Project, need: Need | None = None) -> scoring.ProjectNeeds:
    """The need as the scoring engine takes it (seats, floor area, jobs and hires per year, opening date,
    parking), for a ranking or a comparison; a ValidationError in the reader's language while the project
    is not sized."""
    need = need if need is not None else project_need(project=project)
    return need_for_scoring(need)


def need_for_scoring(need: Need) -> scoring.ProjectNeeds:
    """A need (the project's, or the one a call published) as the scoring engine takes it."""
    if not need.complete:
        raise ValidationError(_("Size the project (seats and floor area) before comparing the proposals."))
    try:
        return need.scoring_needs()
    except scoring.ScoringInputError as error:
        raise ValidationError(scoring_input_message(error)) from None


def project_needs_or_none(*, project: Project) -> scoring.ProjectNeeds | None:
    """The project's needs, or None while it is not sized."""
    try:
        return project_needs(project=project)
    except ValidationError:
        return None


def project_cost_ceiling(*, need: Need) -> CostCeiling:
    """The occupancy cost at which the cost criterion scores 0 for this need: its maximum rent plus the
    region's median charges, else the region's reference band of listed rents (the catalogue today), else
    the house ceiling."""
    band = listed_rent_band()
    return cost_ceiling(
        max_rent_eur_m2_year=need.max_rent_eur_m2_year.value,
        band=None
        if band is None
        else (band.count, band.low, band.median, band.high, band.charges_median, band.on),
    )


def need_scales(*, need: Need, ceiling: CostCeiling) -> Scales:
    """The criteria's fixed scales for a need (:func:`guichet.engine.scales.scales_for`); a ValidationError
    while the need is incomplete."""
    needs = need_for_scoring(need)
    return scales_for(
        area_per_seat_m2=needs.area_per_seat_m2,
        cost_ceiling_eur_m2_year=ceiling.eur_m2_year,
        hires_per_year=needs.hires_per_year,
        candidates_per_hire=labour_engine.DEFAULT_CANDIDATES_PER_HIRE,
    )


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
