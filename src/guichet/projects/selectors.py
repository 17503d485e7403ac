"""Reads of projects. Who sees which project, and whether its identity shows, is decided here only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from guichet.accounts.models import User
from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.catalogue.models import Authority, Premises, PremisesStatus
from guichet.projects.models import AgencySettings, JobsCreated, Project, Stage

Viewer = User | AnonymousUser

# Used when a project gives seats but no floor area: the staffing engine's default area per seat.
DEFAULT_AREA_PER_SEAT_M2 = 10.7


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


def project_floor_area_wanted(*, project: Project) -> int | None:
    if project.floor_area_wanted_m2:
        return project.floor_area_wanted_m2
    if project.sizing and project.sizing.get("floor_area_m2"):
        return int(project.sizing["floor_area_m2"] + 0.999999)
    if project.seats:
        return int(project.seats * DEFAULT_AREA_PER_SEAT_M2 + 0.999999)
    return None


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


def project_sized_jobs(*, project: Project) -> int | None:
    """Jobs at full ramp-up from the latest sizing: the largest headcount of its hiring plan (or the site's
    headcount when the sizing has no plan); None when the project is not sized."""
    sizing = project.sizing or {}
    hiring = sizing.get("hiring") or []
    if hiring:
        return max(int(year["headcount"]) for year in hiring)
    if sizing.get("headcount") is not None:
        return int(sizing["headcount"])
    return None


def agency_settings() -> AgencySettings:
    """The agency's targets; the defaults (400 jobs a year, 5 years of follow-up) until it sets its own."""
    return AgencySettings.objects.order_by("pk").first() or AgencySettings()


def premises_offered_for(*, project: Project) -> QuerySet[Premises]:
    """The premises a project can choose at its decision: those offered in its calls' submitted proposals,
    and the one already chosen."""
    from guichet.offers.models import OfferedPremises, ProposalStatus

    offered = OfferedPremises.objects.filter(
        proposal__call__project=project, proposal__status=ProposalStatus.SUBMITTED
    ).values("premises_id")
    return (
        Premises.objects.filter(Q(pk__in=offered) | Q(pk=project.chosen_premises_id or 0))
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


def results_authority(*, user: Viewer, authority_id: int | None = None) -> Authority | None:
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
