"""Writes of projects: creation, sizing with the staffing engine, pipeline moves, jobs, disclosure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.selectors import require_agency
from guichet.audit.services import audit_record
from guichet.concurrency import locked_update
from guichet.engine import staffing
from guichet.projects.models import STAGE_TRANSITIONS, JobsCreated, Project, Stage, StageChange


def _next_reference() -> str:
    year = timezone.now().year
    prefix = f"GU-{year}-"
    last = (
        Project.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def project_create(
    *, actor: Any, code_name: str, preferred_departements: Any = (), source: str = "agency", **values: Any
) -> Project:
    """Create a project. Agency staff create them; the public portal creates leads with `actor=None`."""
    if source == "agency":
        require_agency(actor, _("Only agency staff manage projects."))
    project = Project(code_name=code_name, reference=_next_reference(), source=source, **values)
    if getattr(actor, "is_authenticated", False):
        project.created_by = actor
    project.full_clean()
    project.save()
    project.preferred_departements.set(preferred_departements)
    StageChange.objects.create(project=project, stage=project.stage, at=timezone.localdate(), note=source)
    audit_record(actor=actor, action="create", target=project, summary=project.code_name)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    preferred_departements: Any = None,
    expected_version: Any = None,
    **values: Any,
) -> Project:
    """Change some fields of a project: the stored row is locked and read afresh, a stale or malformed
    `expected_version` is refused (409 in the API), and only the changed fields are written."""
    require_agency(actor, _("Only agency staff manage projects."))
    saved = locked_update(model=Project, pk=project.pk, values=values, expected_version=expected_version)
    project.refresh_from_db()  # the caller's copy becomes the stored record
    if preferred_departements is not None:
        project.preferred_departements.set(preferred_departements)
    changed = {name: [str(before), str(after)] for name, (before, after) in saved.changed.items()}
    audit_record(actor=actor, action="update", target=project, summary=", ".join(changed), details=changed)
    return project


@transaction.atomic
def project_size(
    *,
    actor: Any,
    project: Project,
    calls: float,
    aht_seconds: float,
    interval_minutes: float = 30,
    service_level: float = 0.8,
    answer_seconds: float = 20,
    max_occupancy: float | None = None,
    shrinkage: float = 0.3,
    open_hours_per_week: float = staffing.DEFAULT_OPEN_HOURS_PER_WEEK,
    area_per_seat_m2: float = staffing.DEFAULT_AREA_PER_SEAT_M2,
    annual_attrition: float = staffing.DEFAULT_ANNUAL_ATTRITION,
    candidates_per_hire: float = staffing.DEFAULT_CANDIDATES_PER_HIRE,
    years: int = 3,
) -> Project:
    """Size the project from its peak interval with the staffing engine and keep the result with its inputs.

    The peak interval's staffing is held over the opening hours, which is conservative for FTE; a full
    forecast can be sized with `guichet size --forecast`."""
    require_agency(actor, _("Only agency staff manage projects."))
    try:
        target = staffing.Target(
            service_level=service_level, answer_seconds=answer_seconds, max_occupancy=max_occupancy
        )
        result = staffing.required_agents(
            calls, aht_seconds, target, interval_minutes=interval_minutes, shrinkage=shrinkage
        )
        parameters = staffing.SiteParameters(
            area_per_seat_m2=area_per_seat_m2, open_hours_per_week=open_hours_per_week
        )
        site = staffing.site_from_interval(result, parameters)
        plan = staffing.hiring_plan(
            target_headcount=site.headcount,
            target_seats=site.seats,
            years=years,
            ramp=project.ramp_shares() if project.ramp_up else staffing.DEFAULT_RAMP,
            annual_attrition=annual_attrition,
            candidates_per_hire=candidates_per_hire,
        )
    except staffing.StaffingInputError as error:
        raise ValidationError({error.field: str(error)}) from None
    project.sizing = {
        "method": "Erlang C, peak interval held over the opening hours",
        "inputs": {
            "calls": calls,
            "aht_seconds": aht_seconds,
            "interval_minutes": interval_minutes,
            "service_level": service_level,
            "answer_seconds": answer_seconds,
            "max_occupancy": max_occupancy,
            "shrinkage": shrinkage,
            "open_hours_per_week": open_hours_per_week,
            "area_per_seat_m2": area_per_seat_m2,
            "contract_hours_per_week": parameters.contract_hours_per_week,
            "spare_seat_ratio": parameters.spare_seat_ratio,
            "annual_attrition": annual_attrition,
            "candidates_per_hire": candidates_per_hire,
        },
        "agents": result.agents,
        "scheduled_agents": result.scheduled_agents,
        "service_level_achieved": result.metrics.service_level,
        "occupancy": result.metrics.occupancy,
        "fte": site.fte,
        "headcount": site.headcount,
        "seats": site.seats,
        "floor_area_m2": site.floor_area_m2,
        "hiring": [
            {
                "year": year.year,
                "seats": year.seats,
                "headcount": year.headcount,
                "hires": year.hires,
                "candidates": year.candidates,
            }
            for year in plan.years
        ],
        "sources": dict(staffing.SOURCES),
    }
    project.seats = site.seats
    project.jobs_target = site.headcount
    project.save(update_fields=["sizing", "seats", "jobs_target", "updated_at"])
    audit_record(
        actor=actor,
        action="size",
        target=project,
        summary=f"{result.agents} agents, {site.seats} seats, {site.floor_area_m2:.0f} m²",
    )
    return project


def project_hires_per_year(*, project: Project) -> list[int]:
    """Hires per year from the stored sizing, or from seats with the engine's default assumptions."""
    if project.sizing and project.sizing.get("hiring"):
        return [int(year["hires"]) for year in project.sizing["hiring"]]
    if project.jobs_target or project.seats:
        plan = staffing.hiring_plan(
            target_headcount=project.jobs_target or project.seats or 0,
            target_seats=project.seats or 0,
            ramp=project.ramp_shares() if project.ramp_up else staffing.DEFAULT_RAMP,
        )
        return [year.hires for year in plan.years]
    return []


@transaction.atomic
def project_move(
    *,
    actor: Any,
    project: Project,
    stage: str,
    at: dt.date | None = None,
    note: str = "",
    loss_reason: str = "",
    lost_to: str = "",
) -> Project:
    """Move a project along the pipeline; only the transitions of STAGE_TRANSITIONS are allowed."""
    require_agency(actor, _("Only agency staff manage projects."))
    if stage not in STAGE_TRANSITIONS.get(project.stage, set()):
        raise ValidationError(
            {
                "stage": _("A project cannot go from %(from)s to %(to)s.")
                % {"from": project.stage, "to": stage}
            }
        )
    project.stage = stage
    if stage == Stage.LOST:
        project.loss_reason = loss_reason
        project.lost_to = lost_to
    project.full_clean()
    project.save()
    StageChange.objects.create(
        project=project, stage=stage, at=at or timezone.localdate(), note=note, recorded_by=actor
    )
    audit_record(actor=actor, action="stage", target=project, summary=stage, details={"note": note})
    return project


@transaction.atomic
def project_record_jobs(*, actor: Any, project: Project, year: int, jobs: int) -> JobsCreated:
    require_agency(actor, _("Only agency staff manage projects."))
    record = JobsCreated(project=project, year=year, jobs=jobs)
    existing = JobsCreated.objects.filter(project=project, year=year).first()
    if existing is not None:
        record = existing
        record.jobs = jobs
    record.full_clean(validate_unique=False)
    record.save()
    audit_record(actor=actor, action="jobs", target=project, summary=f"{year}: {jobs}")
    return record


@transaction.atomic
def project_disclose_identity(*, actor: Any, project: Project) -> Project:
    require_agency(actor, _("Only agency staff manage projects."))
    project.identity_disclosed = True
    project.save(update_fields=["identity_disclosed", "updated_at"])
    audit_record(actor=actor, action="disclose", target=project, summary=project.company_name)
    return project
