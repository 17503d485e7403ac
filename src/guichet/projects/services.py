"""Writes of projects: creation, sizing with the staffing engine, pipeline moves, jobs, disclosure.

Sizing: :func:`project_size` builds the engine's one request (the same as the command line's and the API's)
with the project's opening hours and ramp-up, keeps every sizing in the project's history, and gives the
project its seats, jobs at full ramp-up and floor area wanted, except those the agency set itself.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.accounts.selectors import require_agency
from guichet.accounts.types import Actor
from guichet.audit.services import audit_record
from guichet.catalogue.models import Premises
from guichet.concurrency import check_and_bump_version, locked_update
from guichet.engine import profiles, sizing, staffing
from guichet.engine.need import Origin
from guichet.phrasing.sizing import sizing_error_message
from guichet.projects import selectors
from guichet.projects.models import (
    STAGE_TRANSITIONS,
    JobsBasis,
    JobsCreated,
    LossReason,
    Project,
    ProjectSizing,
    Stage,
    StageChange,
)
from guichet.territory.models import Commune

MAX_RECORDED = 2_147_483_647  # PostgreSQL's integer, the type of a project's seats, jobs and floor area

# The project's figures a sizing gives: the key of the sizing's result each one takes, and the flag saying
# that the agency set it itself.
SIZED_FIGURES = {
    "seats": ("seats", "seats_overridden"),
    "jobs_target": ("headcount", "jobs_target_overridden"),
    "floor_area_wanted_m2": ("floor_area_m2", "floor_area_wanted_overridden"),
}


def _overrides(project: Project, values: dict[str, Any], *, agency: bool) -> None:
    """A figure the agency sets overrides the adopted sizing's; left empty, it goes back to that sizing's."""
    adopted = project.adopted_sizing.summary if project.adopted_sizing is not None else None
    for name, (key, flag) in SIZED_FIGURES.items():
        if name not in values:
            continue
        sized = getattr(sizing.read_sizing(adopted), key)
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
    *,
    actor: Actor | None,
    code_name: str,
    preferred_departements: Any = (),
    source: str = "agency",
    entered_on: dt.date | None = None,
    **values: Any,
) -> Project:
    """Create a project. Agency staff create them; the public portal creates leads with `actor=None`.

    `entered_on` is the day the lead came in (today unless the agency records an older one): the first
    move of its history, from which every duration is counted."""
    if source != "portal":
        require_agency(actor, _("Only agency staff manage projects."))
    today = timezone.localdate()
    if entered_on is not None and entered_on > today:
        raise ValidationError({"entered_on": _("A lead cannot come in after today.")})
    project = Project(code_name=code_name, reference=_next_reference(), source=source)
    # Figures the agency gives override a later sizing; what an investor states is replaced by it.
    _overrides(project, values, agency=source != "portal")
    _opening_hours(project, values)
    for name, value in values.items():
        setattr(project, name, value)
    if getattr(actor, "is_authenticated", False):
        project.created_by = actor
    project.full_clean()
    project.save()
    project.preferred_departements.set(preferred_departements)
    StageChange.objects.create(
        project=project,
        stage=project.stage,
        at=entered_on or today,
        note=str(project.get_source_display()),
        recorded_by=actor if isinstance(actor, User) else None,
    )
    audit_record(actor=actor, action="create", target=project, summary=project.code_name)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Actor,
    project: Project,
    preferred_departements: Any = None,
    expected_version: Any = None,
    **values: Any,
) -> Project:
    """Change some fields of a project: the stored row is locked and read afresh, a stale or malformed
    `expected_version` is refused (409 in the API), and only the changed fields are written."""
    require_agency(actor, _("Only agency staff manage projects."))

    def prepare(stored: Project, values: dict[str, Any]) -> None:
        # The sizing's rules read the stored project: run them on the locked, fresh copy. The flags they set
        # go into the values, so that the helper sees them changed and writes them.
        flags = {flag: getattr(stored, flag) for _name, (_key, flag) in SIZED_FIGURES.items()}
        _overrides(stored, values, agency=True)
        for flag, before in flags.items():
            if getattr(stored, flag) != before:
                values[flag] = getattr(stored, flag)
                setattr(stored, flag, before)
        _opening_hours(stored, values)

    saved = locked_update(
        model=Project, pk=project.pk, values=values, expected_version=expected_version, prepare=prepare
    )
    project.refresh_from_db()  # the caller's copy becomes the stored record
    if preferred_departements is not None:
        project.preferred_departements.set(preferred_departements)
    changed = {name: [str(before), str(after)] for name, (before, after) in saved.changed.items()}
    audit_record(actor=actor, action="update", target=project, summary=", ".join(changed), details=changed)
    return project


@transaction.atomic
def project_size(*, actor: Actor, project: Project, **fields: Any) -> Project:
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
    record = ProjectSizing.objects.create(
        project=locked, number=number, summary=body, intervals=intervals, created_by=_user(actor)
    )
    check_and_bump_version(locked, None)
    locked.sizing = body
    changed = ["sizing", "version", "updated_at"]
    # The first sizing is the need's; a later one changes nothing until the agency adopts it.
    adopted = locked.adopted_sizing_id is None
    if adopted:
        changed += _adopt(locked, record, keep_agency_figures=True)
    locked.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="size",
        target=locked,
        summary=f"#{number}: {result.peak_agents} agents, {result.seats} seats, {result.floor_area_m2} m²",
        details={"number": number, "inputs": body["inputs"], "adopted": adopted},
    )
    for name in ("sizing", "adopted_sizing", "version", "updated_at", *SIZED_FIGURES):
        setattr(project, name, getattr(locked, name))
    return locked


def _adopt(project: Project, record: ProjectSizing, *, keep_agency_figures: bool) -> list[str]:
    """The sizing becomes the need's: its seats, jobs and floor area replace the project's (all of them, or
    those the agency did not set itself). The fields changed."""
    body = sizing.read_sizing(record.summary)
    project.adopted_sizing = record
    changed = ["adopted_sizing"]
    for name, (key, flag) in SIZED_FIGURES.items():
        if keep_agency_figures and getattr(project, flag):
            continue
        value = getattr(body, key)
        setattr(project, name, None if value is None else math.ceil(value))
        setattr(project, flag, False)
        changed += [name, flag]
    return changed


@transaction.atomic
def project_adopt_sizing(*, actor: Actor, project: Project, number: int) -> Project:
    """The agency adopts one of the project's sizings as its need: that sizing's seats, jobs at full ramp-up
    and floor area replace the project's current figures, its own figures included, and its hiring plan
    becomes the need's. One transaction, in the audit trail with the figures before and after."""
    require_agency(actor, _("Only agency staff manage projects."))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    record = locked.sizings.filter(number=number).first()
    if record is None:
        raise ValidationError(
            {"number": _("This project has no sizing number %(number)s.") % {"number": number}}
        )
    before = {name: getattr(locked, name) for name in SIZED_FIGURES}
    previous = locked.adopted_sizing.number if locked.adopted_sizing is not None else None
    check_and_bump_version(locked, None)
    changed = _adopt(locked, record, keep_agency_figures=False)
    locked.save(update_fields=[*changed, "version", "updated_at"])
    audit_record(
        actor=actor,
        action="adopt_sizing",
        target=locked,
        summary=f"#{number}",
        details={
            "number": number,
            "previous": previous,
            **{name: [before[name], getattr(locked, name)] for name in SIZED_FIGURES},
        },
    )
    for name in (
        "adopted_sizing",
        "version",
        "updated_at",
        *SIZED_FIGURES,
        *(f for _k, f in SIZED_FIGURES.values()),
    ):
        setattr(project, name, getattr(locked, name))
    return locked


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _last_move(project: Project) -> StageChange | None:
    return project.stage_changes.order_by("-at", "-id").first()


def project_stage_record(
    *, actor: Actor | None, project: Project, stage: str, at: dt.date | None = None, note: str = ""
) -> StageChange:
    """Keep one move in the project's history and set its current stage. Callers check who may move it
    and whether the move is allowed (`project_move` for the agency's moves, `call_open` for a call)."""
    at = at or timezone.localdate()
    last = _last_move(project)
    if at > timezone.localdate():
        raise ValidationError({"at": _("A move cannot be dated after today.")})
    if last is not None and at < last.at:
        raise ValidationError(
            {"at": _("A move cannot be dated before the previous one (%(date)s).") % {"date": last.at}}
        )
    change = StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        stage=stage,
        at=at,
        note=note,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    project.stage = stage
    project.save(update_fields=["stage", "updated_at"])
    return change


@transaction.atomic
def project_move(
    *,
    actor: Actor,
    project: Project,
    stage: str,
    at: dt.date | None = None,
    note: str = "",
    loss_reason: str = "",
    loss_details: str = "",
    lost_to: str = "",
    jobs_announced: int | None = None,
    investment_eur: Decimal | None = None,
    floor_area_taken_m2: int | None = None,
    chosen_premises: Premises | None = None,
    site_commune: Commune | None = None,
) -> Project:
    """Move a project along the pipeline (only the moves of STAGE_TRANSITIONS), keeping who, when and why.

    A win records what was decided: the jobs announced (the agency's figure, or else the jobs at full
    ramp-up of the project's sizing), the investment, the floor area taken up and where the site is
    (the premises chosen give their commune). A loss or an abandonment records its reason from the list,
    details, and the territory or country that won when known."""
    require_agency(actor, _("Only agency staff manage projects."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if stage not in STAGE_TRANSITIONS.get(project.stage, set()):
        raise ValidationError(
            {
                "stage": _("A project cannot go from %(from)s to %(to)s.")
                % {"from": Stage(project.stage).label, "to": Stage(stage).label}
            }
        )
    details: dict[str, Any] = {"note": note, "at": str(at or timezone.localdate())}
    if stage in (Stage.LOST, Stage.ABANDONED):
        if loss_reason not in LossReason.values:
            raise ValidationError({"loss_reason": _("Choose why the project was lost or abandoned.")})
        project.loss_reason = loss_reason
        project.loss_details = loss_details
        project.lost_to = lost_to
        details.update(loss_reason=loss_reason, lost_to=lost_to)
    if stage == Stage.WON:
        if jobs_announced is not None:
            project.jobs_announced, project.jobs_announced_basis = jobs_announced, JobsBasis.AGENCY
        elif project.jobs_announced is not None:
            project.jobs_announced_basis = JobsBasis.AGENCY
        else:
            jobs = selectors.project_need(project=project).jobs_at_cruise
            project.jobs_announced = jobs.value
            project.jobs_announced_basis = (
                JobsBasis.SIZING
                if jobs.origin is Origin.SIZING
                else JobsBasis.AGENCY
                if jobs.value is not None
                else ""
            )
        if investment_eur is not None:
            project.investment_eur = investment_eur
        if floor_area_taken_m2 is not None:
            project.floor_area_taken_m2 = floor_area_taken_m2
        if chosen_premises is not None:
            project.chosen_premises = chosen_premises
            project.site_commune = site_commune or chosen_premises.commune
        elif site_commune is not None:
            project.site_commune = site_commune
        details.update(jobs_announced=project.jobs_announced, basis=project.jobs_announced_basis)
    # Validate the project as it will be after the move, then let project_stage_record make the move.
    previous, project.stage = project.stage, stage
    project.full_clean()
    project.stage = previous
    project.save()
    project_stage_record(actor=actor, project=project, stage=stage, at=at, note=note)
    audit_record(actor=actor, action="stage", target=project, summary=stage, details=details)
    return project


@transaction.atomic
def project_record_outcome(
    *,
    actor: Actor,
    project: Project,
    jobs_announced: int | None = None,
    investment_eur: Decimal | None = None,
    floor_area_taken_m2: int | None = None,
    chosen_premises: Premises | None = None,
    site_commune: Commune | None = None,
    public_from: dt.date | None = None,
    loss_reason: str | None = None,
    loss_details: str | None = None,
    lost_to: str | None = None,
) -> Project:
    """Complete or correct what the decision recorded (the investment is often known later, the decision
    becomes public on a given day). Only the values given change; each change is in the audit trail."""
    require_agency(actor, _("Only agency staff manage projects."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    decided = project.stage_changes.filter(stage__in=(Stage.WON, Stage.LOST, Stage.ABANDONED)).exists()
    if not decided:
        raise ValidationError(_("Record the decision (won, lost or abandoned) first."))
    values: dict[str, Any] = {
        "jobs_announced": jobs_announced,
        "investment_eur": investment_eur,
        "floor_area_taken_m2": floor_area_taken_m2,
        "chosen_premises": chosen_premises,
        "site_commune": site_commune,
        "public_from": public_from,
        "loss_reason": loss_reason,
        "loss_details": loss_details,
        "lost_to": lost_to,
    }
    changed: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None or value == getattr(project, name):
            continue
        changed[name] = [str(getattr(project, name)), str(value)]
        setattr(project, name, value)
    if jobs_announced is not None and "jobs_announced" in changed:
        project.jobs_announced_basis = JobsBasis.AGENCY
    if chosen_premises is not None and site_commune is None:
        project.site_commune = chosen_premises.commune
    if public_from is not None and public_from > timezone.localdate():
        raise ValidationError({"public_from": _("A decision cannot be made public after today.")})
    project.full_clean()
    project.save()
    audit_record(actor=actor, action="outcome", target=project, summary=", ".join(changed), details=changed)
    return project


@transaction.atomic
def project_record_jobs(
    *, actor: Actor, project: Project, year: int, jobs: int, source: str = ""
) -> JobsCreated:
    """The jobs a won project created on its site during `year` (one figure per year; a new one corrects)."""
    require_agency(actor, _("Only agency staff manage projects."))
    won = project.stage_changes.filter(stage=Stage.WON).order_by("at").values_list("at", flat=True).first()
    if won is None:
        raise ValidationError({"year": _("Jobs created are recorded for a won project only.")})
    if year < won.year:
        raise ValidationError(
            {"year": _("%(year)s comes before the decision (%(won)s).") % {"year": year, "won": won.year}}
        )
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("Jobs created are reported for a year that has begun.")})
    # Two posts of the same year at once (a double click, two tabs) would both find no figure and both
    # insert one: the second would break the one-figure-per-year constraint. Locking the project first
    # makes the second wait, then find and correct the first's figure (SQLite's IMMEDIATE transactions
    # already serialise writers).
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()
    record = JobsCreated.objects.filter(project=project, year=year).first() or JobsCreated(
        project=project, year=year
    )
    before = record.jobs if record.pk else None
    record.jobs = jobs
    record.source = source
    record.recorded_by = actor if isinstance(actor, User) else None
    record.recorded_at = timezone.now()
    record.full_clean(validate_unique=False)
    record.save()
    project.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="jobs",
        target=project,
        summary=f"{year}: {jobs}",
        details={"year": year, "jobs": jobs, "before": before, "source": source},
    )
    return record


@transaction.atomic
def project_disclose_identity(*, actor: Actor, project: Project) -> Project:
    require_agency(actor, _("Only agency staff manage projects."))
    project.identity_disclosed = True
    project.save(update_fields=["identity_disclosed", "updated_at"])
    audit_record(actor=actor, action="disclose", target=project, summary=project.company_name)
    return project
