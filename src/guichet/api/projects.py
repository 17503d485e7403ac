"""Agency endpoints for investor projects: list, create, change, size, eligible premises."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from guichet.accounts.types import Reader
from guichet.api.auth import AuthedRequest, agency_only
from guichet.api.catalogue import premises_out
from guichet.api.errors import invalid
from guichet.api.schemas import (
    EligiblePage,
    Id,
    JobsIn,
    MoveIn,
    OutcomeIn,
    Page,
    PageParams,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    SizingIn,
    money,
    paginate,
    problems,
)
from guichet.api.staffing import request_fields
from guichet.projects import selectors, services
from guichet.projects.models import Project, Stage
from guichet.projects.ranking import rank_eligible_premises
from guichet.territory.models import Commune, Departement

router = Router(tags=["agency: projects"], auth=agency_only)


def identity_out(*, user: Reader, project: Project) -> dict[str, str] | None:
    """The company behind the code name, if ``project_identity_visible`` says the user may see it."""
    if not selectors.project_identity_visible(user=user, project=project):
        return None
    return {
        "company_name": project.company_name,
        "company_siren": project.company_siren,
        "contact_name": project.contact_name,
        "contact_email": project.contact_email,
        "contact_phone": project.contact_phone,
    }


def project_out(project: Project, *, user: Reader) -> dict[str, Any]:
    return {
        "id": project.pk,
        "code_name": project.code_name,
        "reference": project.reference,
        "sector": project.sector,
        "stage": project.stage,
        "identity_disclosed": project.identity_disclosed,
        "identity": identity_out(user=user, project=project),
        "company_kind": project.company_kind,
        "activity": project.activity,
        "firm_size": project.firm_size,
        "channels": project.channels,
        "languages": project.languages,
        "description": project.description,
        "seats": project.seats,
        "jobs_target": project.jobs_target,
        "sizing": project.sizing,
        "adopted_sizing": project.adopted_sizing.number if project.adopted_sizing is not None else None,
        "latest_sizing": max((record.number for record in project.sizings.all()), default=None),
        "opening_hours": project.opening_hours,
        "opening_hours_per_week": project.opening_hours_per_week,
        "opening_date": project.opening_date,
        "ramp_up": project.ramp_up,
        "floor_area_wanted_m2": project.floor_area_wanted_m2,
        "max_rent_eur_m2_year": money(project.max_rent_eur_m2_year),
        "needs_fibre": project.needs_fibre,
        "needs_public_transport": project.needs_public_transport,
        "needs_parking_spaces": project.needs_parking_spaces,
        "needs_24_7": project.needs_24_7,
        "preferred_departements": sorted(d.code for d in project.preferred_departements.all()),
        "jobs_announced": project.jobs_announced,
        "source": project.source,
        "is_demo": project.is_demo,
        "version": getattr(project, "version", None),
        "created_at": project.created_at,
        "updated_at": project.updated_at,
        "decision": {
            "jobs_announced_basis": project.jobs_announced_basis,
            "investment_eur": money(project.investment_eur),
            "floor_area_taken_m2": project.floor_area_taken_m2,
            "chosen_premises": {"id": project.chosen_premises.pk, "name": project.chosen_premises.name}
            if project.chosen_premises
            else None,
            "site_commune": project.site_commune_id,
            "public_from": project.public_from,
            "loss_reason": project.loss_reason,
            "loss_details": project.loss_details,
            "lost_to": project.lost_to,
        },
        "moves": [
            {
                "from_stage": move.from_stage,
                "stage": move.stage,
                "at": move.at,
                "note": move.note,
                "recorded_at": move.recorded_at,
            }
            for move in project.stage_changes.all()
        ],
        "jobs_created": [
            {"year": row.year, "jobs": row.jobs, "source": row.source}
            for row in sorted(project.jobs_created.all(), key=lambda row: row.year)
        ],
    }


def _departements(codes: list[str]) -> list[Departement]:
    found = {d.code: d for d in Departement.objects.filter(code__in=codes)}
    for index, code in enumerate(codes):
        if code not in found:
            raise invalid(f"preferred_departements.{index}", f"Unknown département code {code!r}.")
    return [found[code] for code in codes]


def _values(payload: ProjectIn | ProjectPatch) -> dict[str, Any]:
    """The fields sent, ready for the service; a null on a text or yes/no field means its empty value."""
    values = payload.dict(exclude_unset=True)
    for name in ("expected_version", "identity_disclosed"):
        values.pop(name, None)
    blanks = {field: "" for field in ("company_name", "company_siren", "contact_name", "contact_email")}
    blanks.update(
        {
            "contact_phone": "",
            "company_kind": "",
            "activity": "",
            "firm_size": "",
            "channels": "",
            "languages": "",
        }
    )
    blanks.update({"description": "", "ramp_up": "", "opening_hours": ""})
    for name, blank in blanks.items():
        if name in values and values[name] is None:
            values[name] = blank
    if "preferred_departements" in values:
        values["preferred_departements"] = _departements(values["preferred_departements"] or [])
    return values


def _project(user: Reader, id: int) -> Project:
    return get_object_or_404(selectors.projects_visible_to(user=user), pk=id)


@router.get("/projects", response={200: Page[ProjectOut], **problems(401, 403, 422)}, summary="Projects")
def projects_list(
    request: AuthedRequest, page: Query[PageParams], stage: Stage | None = None
) -> dict[str, Any]:
    projects = (
        selectors.projects_visible_to(user=request.auth)
        .select_related("chosen_premises")
        .prefetch_related("preferred_departements", "stage_changes", "jobs_created")
    )
    if stage is not None:
        projects = projects.filter(stage=stage)
    return paginate(
        projects.order_by("-created_at", "-pk"), page, lambda p: project_out(p, user=request.auth)
    )


@router.post("/projects", response={201: ProjectOut, **problems(401, 403, 422)}, summary="Create a project")
def projects_create(request: AuthedRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    # On creation a null is the same as leaving the field out: the model's default.
    values = {name: value for name, value in _values(payload).items() if value is not None}
    project = services.project_create(actor=request.auth, **values)
    return Status(201, project_out(_project(request.auth, project.pk), user=request.auth))


@router.get("/projects/{id}", response={200: ProjectOut, **problems(401, 403, 404, 422)}, summary="A project")
def projects_detail(request: AuthedRequest, id: Id) -> dict[str, Any]:
    return project_out(_project(request.auth, id), user=request.auth)


@router.patch(
    "/projects/{id}",
    response={200: ProjectOut, **problems(401, 403, 404, 409, 422)},
    summary="Change some fields of a project",
)
def projects_update(request: AuthedRequest, id: Id, payload: ProjectPatch) -> dict[str, Any]:
    project = _project(request.auth, id)
    values = _values(payload)
    if values or payload.expected_version is not None:
        project = services.project_update(
            actor=request.auth, project=project, expected_version=payload.expected_version, **values
        )
    if payload.identity_disclosed and not project.identity_disclosed:
        project = services.project_disclose_identity(actor=request.auth, project=project)
    return project_out(_project(request.auth, id), user=request.auth)


@router.post(
    "/projects/{id}/sizing",
    response={200: ProjectOut, **problems(401, 403, 404, 422)},
    summary="Size the project with the staffing engine (kept on the project, with its history)",
    description=(
        "The same fields as POST /api/staffing, but the opening hours and the ramp-up are the project's own. "
        "The result (`sizing`) feeds the project's seats, jobs at full ramp-up and floor area wanted, "
        "unless the agency set them itself."
    ),
)
def projects_size(request: AuthedRequest, id: Id, payload: SizingIn) -> dict[str, Any]:
    project = _project(request.auth, id)
    services.project_size(actor=request.auth, project=project, **request_fields(payload))
    return project_out(_project(request.auth, id), user=request.auth)


@router.post(
    "/projects/{id}/sizings/{number}/adoption",
    response={200: ProjectOut, **problems(401, 403, 404, 422)},
    summary="Adopt one of the project's sizings as its need",
    description=(
        "The sizing's seats, jobs at full ramp-up and floor area replace the project's figures, the agency's "
        "own included, and its hiring plan becomes the need's; the page's button 'Adopt as the need'. "
        "A number the project has no sizing for is refused (422, field `number`)."
    ),
)
def projects_adopt_sizing(request: AuthedRequest, id: Id, number: Id) -> dict[str, Any]:
    project = _project(request.auth, id)
    services.project_adopt_sizing(actor=request.auth, project=project, number=number)
    return project_out(_project(request.auth, id), user=request.auth)


@router.get(
    "/projects/{id}/eligible",
    response={200: EligiblePage, **problems(401, 403, 404, 422)},
    summary="The premises meeting the project's hard constraints, ranked once it is sized",
)
def projects_eligible(request: AuthedRequest, id: Id, page: Query[PageParams]) -> dict[str, Any]:
    project = _project(request.auth, id)
    ranking = rank_eligible_premises(project=project, limit=page.offset + page.limit)
    if ranking is None:
        eligible = selectors.eligible_premises(project=project).order_by("name", "pk")
        result = paginate(
            eligible,
            page,
            lambda p: {
                "rank": None,
                "score": None,
                "per_seat_eur": None,
                "per_seat_year_eur": None,
                "job_seekers": None,
                "summary": "",
                "premises": premises_out(p),
            },
        )
        return {**result, "ranked": False, "labour_method": "", "tie_break_rule": ""}
    rows = ranking.rows[page.offset : page.offset + page.limit]
    return {
        "count": ranking.total,
        "limit": page.limit,
        "offset": page.offset,
        "items": [
            {
                "rank": row.rank,
                "score": row.score,
                "per_seat_eur": row.per_seat_eur,
                "per_seat_year_eur": row.per_seat_year_eur,
                "job_seekers": row.job_seekers,
                "summary": row.summary,
                "premises": premises_out(row.premises),
            }
            for row in rows
        ],
        "ranked": True,
        "labour_method": ranking.labour_method,
        "tie_break_rule": ranking.tie_break_rule,
    }


def _decision_values(project: Project, payload: MoveIn | OutcomeIn) -> dict[str, Any]:
    """The decision's fields for the service, the premises and the commune found as the page's form finds
    them: only a premises offered in the project's calls (or the one already chosen) can be chosen."""
    values = payload.dict()
    premises_id = values.pop("chosen_premises_id")
    values["chosen_premises"] = None
    if premises_id is not None:
        values["chosen_premises"] = (
            selectors.premises_offered_for(project=project).filter(pk=premises_id).first()
        )
        if values["chosen_premises"] is None:
            raise invalid("chosen_premises_id", "Not a premises offered in the project's calls.")
    code = (values.get("site_commune") or "").strip().upper()
    values["site_commune"] = None
    if code:
        values["site_commune"] = Commune.objects.filter(insee=code).first()
        if values["site_commune"] is None:
            raise invalid("site_commune", f"No commune has the INSEE code {code}.")
    return values


@router.post(
    "/projects/{id}/moves",
    response={200: ProjectOut, **problems(401, 403, 404, 409, 422)},
    summary="Move a project along the pipeline, with why; a win or a loss records what was decided",
    description=(
        "Only the moves the pages allow (e.g. lead → qualified → shortlist → call_for_offers → won, lost "
        "or abandoned; a decided project may reopen). A loss or an abandonment needs `loss_reason`. The "
        "move is kept in `moves` with its note."
    ),
)
def projects_move(request: AuthedRequest, id: Id, payload: MoveIn) -> dict[str, Any]:
    project = _project(request.auth, id)
    services.project_move(actor=request.auth, project=project, **_decision_values(project, payload))
    return project_out(_project(request.auth, id), user=request.auth)


@router.post(
    "/projects/{id}/outcome",
    response={200: ProjectOut, **problems(401, 403, 404, 409, 422)},
    summary="Complete or correct a decision (investment, floor area, public date...)",
)
def projects_outcome(request: AuthedRequest, id: Id, payload: OutcomeIn) -> dict[str, Any]:
    project = _project(request.auth, id)
    services.project_record_outcome(actor=request.auth, project=project, **_decision_values(project, payload))
    return project_out(_project(request.auth, id), user=request.auth)


@router.post(
    "/projects/{id}/jobs",
    response={200: ProjectOut, **problems(401, 403, 404, 409, 422)},
    summary="Record the jobs a won project created during a year",
)
def projects_jobs(request: AuthedRequest, id: Id, payload: JobsIn) -> dict[str, Any]:
    project = _project(request.auth, id)
    services.project_record_jobs(
        actor=request.auth, project=project, year=payload.year, jobs=payload.jobs, source=payload.source
    )
    return project_out(_project(request.auth, id), user=request.auth)
