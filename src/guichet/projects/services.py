"""Writes of projects: creation, sizing with the staffing engine, pipeline moves, jobs, disclosure.

Sizing: :func:`project_size` builds the engine's one request (the same as the command line's and the API's)
with the project's opening hours and ramp-up, keeps every sizing in the project's history, and gives the
project its seats, jobs at full ramp-up and floor area wanted, except those the agency set itself.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.selectors import require_agency
from guichet.audit.services import audit_record
from guichet.concurrency import check_and_bump_version
from guichet.engine import profiles, sizing, staffing
from guichet.projects import selectors
from guichet.projects.models import (
    STAGE_TRANSITIONS,
    JobsCreated,
    Project,
    ProjectSizing,
    Stage,
    StageChange,
)
from guichet.projects.sizing_display import sizing_error_message

MAX_RECORDED = 2_147_483_647  # PostgreSQL's integer, the type of a project's seats, jobs and floor area

# The project's figures a sizing gives: the key of the sizing's result each one takes, and the flag saying
# that the agency set it itself.
SIZED_FIGURES = {
    "seats": ("seats", "seats_overridden"),
    "jobs_target": ("headcount", "jobs_target_overridden"),
    "floor_area_wanted_m2": ("floor_area_m2", "floor_area_wanted_overridden"),
}


def _overrides(project: Project, values: dict[str, Any], *, agency: bool) -> None:
    """A figure the agency sets overrides the sizing's; left empty, it goes back to the sizing's."""
    for name, (key, flag) in SIZED_FIGURES.items():
        if name not in values:
            continue
        sized = (project.sizing or {}).get(key)
        sized = None if sized is None else math.ceil(sized)
        if values[name] is None:
            values[name] = sized
            setattr(project, flag, False)
        else:
            setattr(project, flag, agency and values[name] != sized)


def _opening_hours(project: Project, values: dict[str, Any]) -> None:
    """Opening hours by weekday set the weekly hours; weekly hours alone must agree with them."""
    if values.get("opening_hours") == "" and project.opening_hours and "opening_hours_per_week" not in values:
        values["opening_hours_per_week"] = None  # the hours they made go with them
    if values.get("opening_hours"):
        try:
            hours = profiles.parse_opening_hours(values["opening_hours"])
        except staffing.StaffingInputError:
            return  # the model's validation names the field
        weekly = int(hours.hours_per_week + 0.5)
        given = values.get("opening_hours_per_week")
        if given is not None and given != weekly and given != project.opening_hours_per_week:
            raise ValidationError(
                {
                    "opening_hours_per_week": _(
                        "The opening hours make %(hours)s h a week: change them, not the weekly hours."
                    )
                    % {"hours": weekly}
                }
            )
        values["opening_hours_per_week"] = weekly
    elif (
        values.get("opening_hours_per_week") is not None
        and project.opening_hours
        and "opening_hours" not in values
    ) and values["opening_hours_per_week"] != project.opening_hours_per_week:
        raise ValidationError(
            {
                "opening_hours_per_week": _(
                    "The opening hours make %(hours)s h a week: change them, not the weekly hours."
                )
                % {"hours": project.opening_hours_per_week}
            }
        )


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
    project = Project(code_name=code_name, reference=_next_reference(), source=source)
    # Figures the agency gives override a later sizing; what an investor states is replaced by it.
    _overrides(project, values, agency=source == "agency")
    _opening_hours(project, values)
    for name, value in values.items():
        setattr(project, name, value)
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
    expected_version: int | None = None,
    **values: Any,
) -> Project:
    require_agency(actor, _("Only agency staff manage projects."))
    check_and_bump_version(project, expected_version)
    _overrides(project, values, agency=True)
    _opening_hours(project, values)
    before = {name: str(getattr(project, name)) for name in values}
    for name, value in values.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if preferred_departements is not None:
        project.preferred_departements.set(preferred_departements)
    changed = {
        name: [before[name], str(getattr(project, name))]
        for name in values
        if before[name] != str(values[name])
    }
    audit_record(actor=actor, action="update", target=project, summary=", ".join(changed), details=changed)
    return project


@transaction.atomic
def project_size(*, actor: Any, project: Project, **fields: Any) -> Project:
    """Size the project with the engine's one request and keep the result in the project's history.

    ``fields`` are the request's named values (:func:`guichet.engine.sizing.build_request`: one volume,
    handling time, profile, targets, seats policy, hiring...). The opening hours and the ramp-up are the
    project's own. The project's seats, jobs at full ramp-up and floor area wanted become the sizing's,
    except those the agency set itself. A value the engine refuses is a ValidationError on its field,
    phrased in the reader's language; nothing is saved then.
    """
    require_agency(actor, _("Only agency staff manage projects."))
    for name in ("opening_hours", "opening_hours_source", "ramp"):
        if fields.get(name) is not None:
            raise ValidationError({name: _("The project's own value is used: change it on the project.")})
        fields.pop(name, None)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    hours, source = selectors.project_opening_hours(project=locked)
    try:
        request = sizing.build_request(
            **fields,
            opening_hours=hours,
            opening_hours_source=source,
            ramp=locked.ramp_shares() if locked.ramp_up else None,
        )
        result = sizing.size(request)
    except staffing.StaffingInputError as error:
        raise ValidationError(
            {error.field: ValidationError(sizing_error_message(error), code=error.code)}
        ) from None
    # The project records its figures in database integers: a sizing beyond them is refused, not stored.
    too_big = next(
        (value for value in (result.seats, result.headcount, result.floor_area_m2) if value > MAX_RECORDED),
        None,
    )
    if too_big is not None:
        volume = next(
            (f for f in ("calls_per_day", "calls_per_week", "calls") if fields.get(f) is not None), "calls"
        )
        message = _(
            "The sizing gives %(value)s, beyond what a project records: check the volume and the areas."
        )
        raise ValidationError({volume: ValidationError(message % {"value": too_big}, code="above_maximum")})
    body = sizing.sizing_as_dict(result)
    intervals = body.pop("intervals")
    number = (locked.sizings.aggregate(last=Max("number"))["last"] or 0) + 1
    ProjectSizing.objects.create(
        project=locked, number=number, summary=body, intervals=intervals, created_by=_user(actor)
    )
    check_and_bump_version(locked, None)
    locked.sizing = body
    changed = ["sizing", "version", "updated_at"]
    for name, (key, flag) in SIZED_FIGURES.items():
        if not getattr(locked, flag):
            setattr(locked, name, body[key])
            changed.append(name)
    locked.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="size",
        target=locked,
        summary=f"#{number}: {result.peak_agents} agents, {result.seats} seats, {result.floor_area_m2} m²",
        details={"number": number, "inputs": body["inputs"]},
    )
    for name in ("sizing", "version", "updated_at", *SIZED_FIGURES):
        setattr(project, name, getattr(locked, name))
    return locked


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def project_hires_per_year(*, project: Project) -> list[int]:
    """Hires per year (see :func:`guichet.projects.selectors.project_hires_per_year`)."""
    return selectors.project_hires_per_year(project=project)


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
