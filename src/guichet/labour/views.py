"""Labour pages: a premises' labour panel, the territory overview, and the agency's imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import agency_required
from guichet.accounts.selectors import user_is_agency
from guichet.accounts.types import SignedInRequest
from guichet.catalogue.selectors import premises_visible_to
from guichet.data.dataset import DatasetError
from guichet.engine import hiring_defaults
from guichet.engine import labour as labour_engine
from guichet.engine.hiring import hires_at_attrition
from guichet.jobs.services import job_submit
from guichet.labour import jobs as labour_jobs
from guichet.labour import selectors, services
from guichet.labour.forms import (
    DEFAULT_HIRES_PER_YEAR,
    IMPORT_FORMS,
    ContactCentreForm,
    PanelForm,
    ZoningImportForm,
)
from guichet.labour.models import ContactCentre, ImportKind
from guichet.phrasing.jobs import phrase_reasons
from guichet.sources.zoning import ZoningFileError, read_commune_zoning
from guichet.territory import selectors as territory_selectors
from guichet.territory import services as territory_services
from guichet.territory.selectors import zoning_of_place

KIND_LABELS = {
    "imported": gettext_lazy("imported"),
    "estimate": gettext_lazy("estimate"),
    "mixed": gettext_lazy("partly estimated"),
    "unavailable": gettext_lazy("not available"),
}


def _figure_row(label: str, figure: labour_engine.Figure, note: str = "") -> dict[str, Any]:
    return {
        "label": label,
        "value": figure.value,
        "kind": figure.kind,
        "kind_label": KIND_LABELS[figure.kind],
        "figure": figure,
        "note": note,
    }


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100.0


def premises_panel(request: HttpRequest, pk: int) -> HttpResponse:
    premises = get_object_or_404(premises_visible_to(user=request.user), pk=pk)
    point = premises.point
    if point is None:
        raise Http404(_("This premises has no location."))
    projects = selectors.hiring_plans_visible_to(user=request.user) if user_is_agency(request.user) else None
    form = PanelForm(request.GET or None, projects=projects)
    radius, minutes, hires, project = selectors.DEFAULT_RADIUS_KM, None, DEFAULT_HIRES_PER_YEAR, None
    if form.is_bound and form.is_valid():
        radius = form.cleaned_data["radius"] or radius
        minutes = form.cleaned_data["minutes"]
        if form.cleaned_data["hires"] is not None:
            hires = form.cleaned_data["hires"]
        project = form.cleaned_data.get("project")
    if not form.is_bound:
        form = PanelForm(initial={"radius": radius, "hires": hires}, projects=projects)
    panel, inside = (
        selectors.labour_pool_around(
            latitude=point[0],
            longitude=point[1],
            radius_km=radius,
            minutes=minutes,
            workplace_insee=premises.commune_id,
            territory_only=territory_only,
        )
        for territory_only in (False, True)
    )
    pool = panel.pool
    feasibility = _feasibility(pool, hires, project)
    working_age = pool.population_20_64.value or 0.0
    inside_age = inside.pool.population_20_64.value or 0.0
    geojson = selectors.catchment_geojson(panel=panel)
    return render(
        request,
        "labour/panel.html",
        {
            "premises": premises,
            "form": form,
            "panel": panel,
            "inside": inside,
            "outside_share_pct": (100.0 * (working_age - inside_age) / working_age) if working_age else None,
            "not_drawn": geojson["not_drawn"],
            "pool": pool,
            "figures": _pool_figures(pool),
            "jobs": pool.contact_centre_jobs,
            "saturation": pool.saturation,
            "saturation_pct": {
                "low": _percent(pool.saturation.ratio_low),
                "mid": _percent(pool.saturation.ratio_mid),
                "high": _percent(pool.saturation.ratio_high),
            },
            "labour_force_kind": KIND_LABELS[pool.saturation.labour_force_kind],
            **_feasibility_context(feasibility),
            "project": project,
            "minutes": minutes,
            "map_data": {
                "centre": [point[0], point[1]],
                "radius_km": panel.catchment.radius_km,
                "premises": premises.name,
                "tile_url": settings.GUICHET_TILE_URL,
                "communes": geojson,
                "labels": {"people": _("people aged 20-64"), "legend": _("People aged 20-64 per commune")},
            },
            "centres": selectors.contact_centres_in(commune_ids=panel.catchment.ids).order_by(
                "-jobs_mid", "name"
            )[:50],
            "zoning": zoning_of_place(
                insee=premises.commune_id,
                latitude=point[0],
                longitude=point[1],
                exact=not premises.located_by_commune,
            ),
        },
    )


def _feasibility(pool: labour_engine.LabourPool, hires: int, project: Any) -> labour_engine.Feasibility:
    """The verdict on hires given directly, or on a project's hiring plan, then also at both ends of the
    range of attrition (the plan's headcounts with the low and the high rate)."""
    if project is None:
        return labour_engine.recruitment_feasibility_for_pool(pool, [hires])
    years = selectors.hiring_plan_years(project=project)
    attrition = hiring_defaults.ANNUAL_ATTRITION
    across = labour_engine.AttritionHires(
        low=attrition.low,
        high=attrition.high,
        hires_low=hires_at_attrition(years, attrition.low),
        hires_high=hires_at_attrition(years, attrition.high),
    )
    # A plan stored without its headcounts (an early sizing) has no attrition to vary.
    known = any(year.headcount for year in years)
    return labour_engine.recruitment_feasibility_for_pool(
        pool, [year.hires for year in years], hires_across_attrition=across if known else None
    )


def _pool_figures(pool: labour_engine.LabourPool) -> list[dict[str, Any]]:
    """The pool's figures, one row each, with where each comes from."""
    return [
        _figure_row(_("Population"), pool.population),
        _figure_row(_("People aged 20-64"), pool.population_20_64),
        _figure_row(_("Labour force"), pool.labour_force),
        _figure_row(
            _("Job seekers in category A"),
            pool.job_seekers_a,
            _("immediately available: no work at all; the pool of the verdict"),
        ),
        _figure_row(
            _("Job seekers in categories A, B, C"),
            pool.job_seekers,
            _("upper bound: categories B and C work reduced hours"),
        ),
        _figure_row(_("Job seekers in customer-relation occupations"), pool.customer_relation_job_seekers),
    ]


def _feasibility_context(feasibility: labour_engine.Feasibility) -> dict[str, Any]:
    """The recruitment verdict, its worst year and each year's share of the pool, as percentages."""
    worst = feasibility.years[feasibility.worst_year - 1] if feasibility.worst_year else None
    return {
        "pool_kind_label": KIND_LABELS[feasibility.job_seekers.kind],
        "worst_pct": {
            "low": _percent(worst.share_low) if worst else None,
            "mid": _percent(worst.share) if worst else None,
            "high": _percent(worst.share_high) if worst else None,
            "upper": _percent(worst.share_of_upper_bound) if worst else None,
        },
        "years": [
            {"year": y, "share_pct": _percent(y.share), "upper_pct": _percent(y.share_of_upper_bound)}
            for y in feasibility.years
        ],
        "thresholds_pct": {
            "demanding": feasibility.thresholds.demanding * 100,
            "unrealistic": feasibility.thresholds.unrealistic * 100,
        },
        "feasibility": feasibility,
        "worst": worst,
    }


def territory(request: HttpRequest) -> HttpResponse:
    overview = selectors.territory_overview()
    sections = [(_("By EPCI"), overview.by_epci), (_("By employment zone"), overview.by_zone)]
    return render(request, "labour/territory.html", {"overview": overview, "sections": sections})


def _imports_page(request: HttpRequest, bound: dict[str, Any] | None = None) -> HttpResponse:
    import_forms = []
    for kind, label in ImportKind.choices:
        form = (bound or {}).get(kind) or IMPORT_FORMS[kind](prefix=kind)
        import_forms.append({"kind": kind, "label": label, "form": form})
    # Each run with its reasons phrased in the reader's language (stored as English templates and values).
    runs = [(run, phrase_reasons(run.reasons)) for run in selectors.import_runs()[:100]]
    return render(
        request,
        "labour/imports.html",
        {
            "runs": runs,
            "import_forms": import_forms,
            "centres": selectors.contact_centres_recorded_by_hand(),
            "centre_form": (bound or {}).get("centre") or ContactCentreForm(),
            "zoning_form": (bound or {}).get("zoning") or ZoningImportForm(prefix="zoning"),
            "zoning_lists": territory_selectors.zoning_lists(),
        },
    )


@agency_required
@require_POST
def zoning_upload(request: SignedInRequest) -> HttpResponse:
    """An AFR or FRR list by commune: the service the command line runs (`guichet territory import-zoning`),
    in one transaction; a wrong row or column is named on the form and nothing is written."""
    form = ZoningImportForm(request.POST, request.FILES, prefix="zoning")
    if form.is_valid():
        data = form.cleaned_data
        try:
            records = read_commune_zoning(data["file"].read(), kind=data["kind"])
            zoning = territory_services.zoning_import_list(
                actor=request.user,
                kind=data["kind"],
                records=records,
                source=data["source"],
                vintage=data["vintage"],
                departements=data["departements"],
            )
        except (ZoningFileError, DatasetError) as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("%(kind)s list imported: %(rows)s communes classified, départements %(covered)s.")
                % {
                    "kind": zoning.kind.upper(),
                    "rows": zoning.rows,
                    "covered": zoning.departements.replace("|", ", "),
                },
            )
            return redirect("labour:imports")
    return _imports_page(request, bound={"zoning": form})


@agency_required
def imports(request: SignedInRequest) -> HttpResponse:
    return _imports_page(request)


@agency_required
@require_POST
def import_upload(request: SignedInRequest, kind: str) -> HttpResponse:
    """The file is imported by a background job: its page shows the progress, then the rows read, kept
    and rejected (or why the file was refused)."""
    if kind not in IMPORT_FORMS:
        raise Http404
    form = IMPORT_FORMS[kind](request.POST, request.FILES, prefix=kind)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        params: dict[str, Any] = {"kind": kind, "file_name": upload.name[:200]}
        extra_inputs = {}
        if kind == ImportKind.SIRENE:
            params |= {"naf": form.cleaned_data["naf"], "departements": form.cleaned_data["departements"]}
            geolocation = form.cleaned_data.get("geolocation")
            if geolocation:
                params["geolocation_file_name"] = geolocation.name[:200]
                extra_inputs["geolocation"] = (geolocation.chunks(), _suffix(geolocation.name))
        job = job_submit(
            owner=request.user,
            kind=labour_jobs.KIND,
            label=_("%(kind)s import: %(file)s") % {"kind": ImportKind(kind).label, "file": upload.name},
            params=params,
            chunks=upload.chunks(),
            suffix=_suffix(upload.name),
            extra_inputs=extra_inputs,
            return_url=reverse("labour:imports"),
        )
        return redirect("jobs:detail", public_id=job.public_id)
    return _imports_page(request, bound={kind: form})


def _suffix(name: str) -> str:
    """The SIRENE reader tells CSV, .csv.gz, .zip and Parquet apart by the name's suffixes."""
    return "".join(Path(name).suffixes[-2:]) or ".csv"


def _centre_save(
    request: SignedInRequest, form: ContactCentreForm, centre: ContactCentre | None = None
) -> bool:
    if not form.is_valid():
        return False
    values = dict(form.cleaned_data)
    try:
        if centre is None:
            services.contact_centre_create(
                actor=request.user, name=values.pop("name"), commune=values.pop("commune"), **values
            )
        else:
            # The bound form has written into its instance: the service gets the stored record.
            stored = selectors.contact_centres_recorded_by_hand().get(pk=centre.pk)
            services.contact_centre_update(actor=request.user, centre=stored, **values)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    messages.success(request, _("Contact centre saved."))
    return True


@agency_required
@require_POST
def centre_create(request: SignedInRequest) -> HttpResponse:
    form = ContactCentreForm(request.POST)
    if _centre_save(request, form):
        return redirect("labour:imports")
    return _imports_page(request, bound={"centre": form})


@agency_required
def centre_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(selectors.contact_centres_recorded_by_hand(), pk=pk)
    form = ContactCentreForm(request.POST or None, instance=centre)
    if request.method == "POST" and _centre_save(request, form, centre):
        return redirect("labour:imports")
    return render(request, "labour/centre_edit.html", {"form": form, "centre": centre})


@agency_required
@require_POST
def centre_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(selectors.contact_centres_recorded_by_hand(), pk=pk)
    services.contact_centre_delete(actor=request.user, centre=centre)
    messages.success(request, _("Contact centre deleted."))
    return redirect("labour:imports")
