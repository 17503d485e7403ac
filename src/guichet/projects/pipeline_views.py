"""Pages of the pipeline: the board's dashboard (with its charts and downloads), the yearly follow-up of
jobs created, the decision's outcome on the project page, and each authority's own results."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import agency_required
from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import SignedInRequest
from guichet.catalogue.models import Authority
from guichet.files import download_response
from guichet.projects import selectors, services
from guichet.projects.charts import CHART_TABLES, CHARTS
from guichet.projects.dashboard import (
    Dashboard,
    DashboardFilters,
    Table,
    dashboard_figures,
    dashboard_version,
)
from guichet.projects.exports import table_csv, tables_xlsx
from guichet.projects.formatting import format_cell
from guichet.projects.forms import DashboardFilterForm, OutcomeForm
from guichet.projects.views import project_action

CHART_CACHE_SECONDS = 3600
# The order of the tables on the page and in the workbook.
TABLE_ORDER = (
    "summary",
    "years",
    "stages",
    "funnel",
    "durations",
    "losses",
    "lost_to",
    "departements",
    "epci",
)


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, DashboardFilters]:
    """The period and filters asked for; the last five years, unfiltered, by default or on a bad value."""
    this_year = timezone.localdate().year
    defaults = {"year_from": this_year - 4, "year_to": this_year}
    data = {**{k: str(v) for k, v in defaults.items()}, **request.GET.dict()}
    form = DashboardFilterForm(data)
    if form.is_valid():
        values = form.cleaned_data
        return form, DashboardFilters(
            year_from=values["year_from"],
            year_to=values["year_to"],
            departement=values["departement"],
            epci=values["epci"],
            sector=values["sector"],
            source=values["source"],
        )
    return form, DashboardFilters(**defaults)  # type: ignore[arg-type]


def _tables(dashboard: Dashboard) -> list[Any]:
    return [dashboard.tables[key] for key in TABLE_ORDER]


def _written(table: Table) -> dict[str, Any]:
    """A table with its cells written for the page (by column kind and language), codes left out: the
    template only places strings."""
    shown = [index for index, column in enumerate(table.columns) if column.key != "code"]
    numeric = {index: table.columns[index].kind not in ("text", "year") for index in shown}
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "headers": [(table.columns[index].label, numeric[index]) for index in shown],
        "rows": [
            [(format_cell(row[index], table.columns[index].kind), numeric[index]) for index in shown]
            for row in table.rows
        ],
    }


@agency_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    form, filters = _filters(request)
    figures = dashboard_figures(filters=filters)
    query = urlencode(filters.as_query())
    return render(
        request,
        "projects/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "dashboard": figures,
            "totals": figures.totals,
            "tables": [_written(table) for table in _tables(figures)],
            "query": query,
            "charts": [
                ("jobs", _("Jobs per year against the target"), CHART_TABLES["jobs"]),
                ("funnel", _("The conversion funnel"), CHART_TABLES["funnel"]),
                ("map", _("Jobs announced by territory"), CHART_TABLES["map"]),
            ],
        },
    )


@agency_required
def dashboard_chart(request: SignedInRequest, name: str) -> HttpResponse:
    if name not in CHARTS:
        raise Http404
    _form, filters = _filters(request)
    # Drawing takes a moment: a chart is drawn once for the same data, filters and language.
    key_text = f"{name}|{filters}|{get_language()}|{dashboard_version()}"
    key = "dashboard-chart:" + hashlib.sha256(key_text.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = CHARTS[name](dashboard_figures(filters=filters))
        cache.set(key, svg, CHART_CACHE_SECONDS)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response


@agency_required
def dashboard_export(request: SignedInRequest, table: str, extension: str) -> HttpResponse:
    _form, filters = _filters(request)
    figures = dashboard_figures(filters=filters)
    if table != "all" and table not in figures.tables:
        raise Http404
    name = f"guichet-{table}-{filters.slug()}"
    if extension == "csv" and table != "all":
        response = HttpResponse(table_csv(figures.tables[table]), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        tables = _tables(figures) if table == "all" else [figures.tables[table]]
        response = HttpResponse(
            tables_xlsx(figures, tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{extension}") or "attachment"
    return response


@agency_required
def follow_up(request: SignedInRequest) -> HttpResponse:
    """The yearly campaign: which sites owe their report of jobs created for a year (last year by default)."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year - 1))
    except ValueError:
        year = this_year - 1
    year = min(max(year, 1990), this_year)
    rows = selectors.jobs_follow_up(year=year)
    if request.GET.get("format") == "csv":
        from guichet.projects.dashboard import Column

        table = Table(
            key="follow_up",
            title=_("Jobs follow-up"),
            columns=[
                Column("reference", _("Reference"), "text"),
                Column("project", _("Project"), "text"),
                Column("won", _("Won in"), "year"),
                Column("opening", _("Opening year"), "year"),
                Column("jobs", _("Jobs created during the year")),
                Column("source", _("Source"), "text"),
            ],
            rows=[
                (
                    row.project.reference,
                    row.project.code_name,
                    row.won_on.year,
                    row.opening_year,
                    row.jobs_reported,
                    row.source,
                )
                for row in rows
            ],
        )
        return download_response(
            table_csv(table), content_type="text/csv; charset=utf-8", filename=f"guichet-follow-up-{year}.csv"
        )
    return render(
        request,
        "projects/follow_up.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 10, -1)),
            "rows": rows,
            "due": sum(1 for row in rows if row.due),
            "follow_up_years": selectors.agency_settings().follow_up_years,
        },
    )


@agency_required
@require_POST
def project_outcome(request: SignedInRequest, pk: int) -> HttpResponse:
    return project_action(request, pk, OutcomeForm, services.project_record_outcome, _("Decision completed."))


@login_required
def results(request: SignedInRequest) -> HttpResponse:
    """An authority's results: the projects that chose its premises, with their jobs; of the others, only
    the decisions made public. Agency staff may look at any authority's page."""
    try:
        asked = int(request.GET.get("authority", "") or 0) or None
    except ValueError:
        asked = None
    authority = selectors.results_authority(user=request.user, authority_id=asked)
    visible = selectors.results_visible_to(authority=authority)
    public = visible["public"]
    return render(
        request,
        "projects/results.html",
        {
            "authority": authority,
            "own": visible["own"],
            "public": public,
            "public_jobs_announced": sum(project.jobs_announced or 0 for project in public),
            "public_jobs_created": sum(row.jobs for project in public for row in project.jobs_created.all()),
            "authorities": Authority.objects.order_by("name") if user_is_agency(request.user) else None,
        },
    )
