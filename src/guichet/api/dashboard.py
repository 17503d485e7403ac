"""The board's dashboard figures (agency) and an authority's own results (officers), as JSON.

The same `dashboard_figures` and `results_visible_to` as the pages: each table comes with its columns
(key, label in the request's language, kind) and rows, exactly the rows the page, the charts and the
CSV/xlsx downloads show. Shares are fractions (0.35 for 35 %), months have their decimals."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from guichet.api.auth import AuthedRequest, agency_only, officer_only
from guichet.api.errors import invalid
from guichet.api.schemas import problems
from guichet.inputs import StrictSchema
from guichet.projects import selectors
from guichet.projects.dashboard import DashboardFilters, dashboard_figures
from guichet.projects.models import LeadSource, Project, Sector, Stage

agency = Router(tags=["agency: dashboard"], auth=agency_only)
mine = Router(tags=["authority: my results"], auth=officer_only)

Year = Annotated[int, Field(ge=1990, le=2100)]
Cell = str | int | float | None


class DashboardParams(StrictSchema):
    year_from: Year | None = Field(None, description="First year of the period (default: four years ago)")
    year_to: Year | None = Field(None, description="Last year of the period (default: this year)")
    departement: str | None = Field(None, max_length=3, description="Code of the site's département")
    epci: str | None = Field(None, max_length=9, description="SIREN of the site's EPCI")
    sector: Sector | None = None
    source: LeadSource | None = None


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(description="text, int, year, share (a fraction), months, eur or area (m²)")


class TableOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[list[Cell]]
    note: str


class DashboardOut(Schema):
    year_from: int
    year_to: int
    departement: str
    epci: str
    sector: str
    source: str
    target_per_year: int
    totals: dict[str, Cell]
    tables: list[TableOut]


class JobsYear(Schema):
    year: int
    jobs: int
    source: str


class ResultOut(Schema):
    # No database id: the code name identifies the project to an officer, and a sequential id would let
    # her count the agency's projects (the same rule as the pages).
    code_name: str
    stage: Stage
    won_on: dt.date | None
    public_from: dt.date | None
    site_commune: str | None = Field(description="INSEE code of the site's commune")
    premises_id: int | None = Field(description="The premises chosen, when they are the authority's")
    jobs_announced: int | None
    floor_area_taken_m2: int | None
    jobs_created: list[JobsYear]


class ResultsOut(Schema):
    authority_id: int
    own: list[ResultOut]
    public: list[ResultOut]


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value) if not hasattr(value, "__int__") else int(value)


@agency.get(
    "/dashboard",
    response={200: DashboardOut, **problems(401, 403, 422)},
    summary="Pipeline, jobs against the target, losses, funnel and territories for a period",
)
def dashboard(request: AuthedRequest, params: Query[DashboardParams]) -> dict[str, Any]:
    this_year = timezone.localdate().year
    year_from = params.year_from if params.year_from is not None else this_year - 4
    year_to = params.year_to if params.year_to is not None else this_year
    if year_from > year_to:
        raise invalid("year_to", "The period ends before it starts.", location="query")
    if year_to - year_from >= 30:
        raise invalid("year_to", "Choose at most 30 years.", location="query")
    filters = DashboardFilters(
        year_from=year_from,
        year_to=year_to,
        departement=params.departement or "",
        epci=params.epci or "",
        sector=params.sector or "",
        source=params.source or "",
    )
    figures = dashboard_figures(filters=filters)
    return {
        **{name: getattr(filters, name) for name in ("year_from", "year_to", "departement", "epci")},
        "sector": filters.sector,
        "source": filters.source,
        "target_per_year": figures.target_per_year,
        "totals": {key: _cell(value) for key, value in figures.totals.items()},
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "columns": [
                    {"key": column.key, "label": column.label, "kind": column.kind}
                    for column in table.columns
                ],
                "rows": [[_cell(value) for value in row] for row in table.rows],
                "note": table.note,
            }
            for table in figures.tables.values()
        ],
    }


def _result(project: Project, *, authority_id: int) -> dict[str, Any]:
    premises = project.chosen_premises
    return {
        "code_name": project.code_name,
        "stage": project.stage,
        "won_on": getattr(project, "won_on", None),
        "public_from": project.public_from,
        "site_commune": project.site_commune_id,
        "premises_id": premises.pk if premises and premises.owner_id == authority_id else None,
        "jobs_announced": project.jobs_announced,
        "floor_area_taken_m2": project.floor_area_taken_m2,
        "jobs_created": [
            {"year": row.year, "jobs": row.jobs, "source": row.source} for row in project.jobs_created.all()
        ],
    }


@mine.get(
    "/results",
    response={200: ResultsOut, **problems(401, 403)},
    summary="The projects that chose my premises, and the decisions made public in the region",
)
def my_results(request: AuthedRequest) -> dict[str, Any]:
    authority = selectors.results_authority(user=request.auth)
    assert authority is not None  # officer_only lets only an authority's officers in
    visible = selectors.results_visible_to(authority=authority)
    return {
        "authority_id": authority.pk,
        "own": [_result(project, authority_id=authority.pk) for project in visible["own"]],
        "public": [_result(project, authority_id=authority.pk) for project in visible["public"]],
    }
