"""The public portal: thin views over the catalogue and portal selectors and the projects services."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from guichet.catalogue.models import Authority, Premises
from guichet.catalogue.selectors import premises_editable_by, premises_visible_to
from guichet.files import download_response
from guichet.portal import selectors
from guichet.portal.forms import PremisesFilterForm, ProjectSubmitForm
from guichet.portal.services import lead_submit
from guichet.territory.models import Departement
from guichet.territory.selectors import zoning_of_place
from guichet.versioning import catalogue_version

try:  # the labour pool is another app's; the premises page shows it when that app is there
    from guichet.labour.selectors import DEFAULT_RADIUS_KM, labour_pool_around
except ImportError:  # pragma: no cover - depends on the installed apps
    labour_pool_around = None  # type: ignore[assignment]
    DEFAULT_RADIUS_KM = 30.0

SUBMITTED_SESSION_KEY = "portal_submitted_reference"


def _submit_rate(group: str, request: HttpRequest) -> str:
    return str(settings.GUICHET_PORTAL_SUBMIT_RATE)


def _map_config(*, premises: list[Premises], departements: list[str]) -> dict[str, Any]:
    """What portal/map.js draws: one marker per premises, the contours of the départements, a tile layer
    only when GUICHET_TILE_URL is set."""
    markers = []
    for item in premises:
        point = item.point
        if point is None:
            continue
        rent = (
            _("%(rent)s EUR/m²/year") % {"rent": number_format(item.rent_eur_m2_year, 2)}
            if item.rent_eur_m2_year is not None
            else ""
        )
        markers.append(
            {
                "id": item.pk,
                "name": item.name,
                "url": reverse("portal:premises_detail", args=[item.pk]),
                "lat": point[0],
                "lng": point[1],
                "place": item.commune.name,
                "area": _("%(area)s m² available") % {"area": number_format(item.available_area_m2, 0)},
                "rent": rent,
            }
        )
    return {
        "markers": markers,
        "contours": [reverse("portal:communes_geojson", args=[code]) for code in departements],
        "tileUrl": settings.GUICHET_TILE_URL,
        "tileAttribution": settings.GUICHET_TILE_ATTRIBUTION,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.key_figures(today=timezone.localdate()),
            "premises_list": selectors.premises_latest(),
            "form": PremisesFilterForm(),
        },
    )


def _search(request: HttpRequest) -> tuple[PremisesFilterForm, QuerySet[Premises]]:
    form = PremisesFilterForm(request.GET or None)
    return form, selectors.premises_search(**form.filters())


RESULTS_PER_PAGE = 50
RESULTS_CACHE_SECONDS = 600


def premises_search(request: HttpRequest) -> HttpResponse:
    """The results come a page at a time, the map showing that page: ten thousand premises on offer must
    not mean ten thousand table rows and markers in one answer. The public offer is the same for every
    visitor, so a page of results is cached under the catalogue's version token: any change to the
    offer gives the token a new value and the next visitor sees it."""
    query = request.GET.copy()
    query.pop("page", None)
    key = (
        "portal:search:"
        + hashlib.sha256(
            f"{catalogue_version()}|{get_language()}|{sorted(request.GET.lists())}".encode()
        ).hexdigest()
    )
    results = cache.get(key)
    if results is None:
        form = PremisesFilterForm(request.GET or None)
        page = Paginator(selectors.premises_search(**form.filters()), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        premises_list = list(page.object_list)
        departements = selectors.departements_for_map(
            premises=premises_list, departement=form.filters().get("departement", "")
        )
        results = {
            "count": page.paginator.count,
            "table": render_to_string(
                "portal/_search_results.html",
                {"page": page, "premises_list": premises_list, "query": query.urlencode()},
                request=request,
            ),
            "map_config": _map_config(premises=premises_list, departements=departements),
            # Django renders each <option> through its template engine: render the filters once too.
            "filters": render_to_string("portal/_search_filters.html", {"form": form}, request=request),
        }
        cache.set(key, results, RESULTS_CACHE_SECONDS)
    return render(
        request,
        "portal/premises_search.html",
        {"results": results, "map_config": results["map_config"], "query": query.urlencode()},
    )


def premises_export_csv(request: HttpRequest) -> HttpResponse:
    """The search results as a spreadsheet-ready CSV; the same filters as the page."""
    _form, premises = _search(request)
    content = selectors.premises_csv(
        premises=premises,
        url_of=lambda item: request.build_absolute_uri(reverse("portal:premises_detail", args=[item.pk])),
    )
    filename = f"guichet-premises-{timezone.localdate():%Y-%m-%d}.csv"
    return download_response(content, content_type="text/csv; charset=utf-8", filename=filename)


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def communes_geojson(request: HttpRequest, code: str) -> JsonResponse:
    departement = get_object_or_404(Departement, code=code)
    return JsonResponse(selectors.commune_contours(departement=departement.code))


def premises_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A premises page: the public offer for all; its owner and the agency also see their other records."""
    premises = get_object_or_404(premises_visible_to(user=request.user), pk=pk)
    point = premises.point
    pool = None
    if labour_pool_around is not None and point is not None:
        pool = labour_pool_around(latitude=point[0], longitude=point[1], radius_km=DEFAULT_RADIUS_KM).pool
    zoning = zoning_of_place(
        insee=premises.commune_id,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        exact=not premises.located_by_commune,
    )
    try:
        labour_panel_url = reverse("labour:premises_panel", args=[premises.pk])
    except NoReverseMatch:
        labour_panel_url = ""
    return render(
        request,
        "portal/premises_detail.html",
        {
            "premises": premises,
            "photos": list(premises.photos.all()),
            "can_edit": premises_editable_by(user=request.user).filter(pk=pk).exists(),
            "incentives": selectors.incentives_of(authority_id=premises.owner_id),
            "pool": pool,
            "radius_km": DEFAULT_RADIUS_KM,
            "labour_panel_url": labour_panel_url,
            "zoning": zoning,
            "agency_email": settings.GUICHET_AGENCY_EMAIL,
            "map_config": _map_config(premises=[premises], departements=[premises.commune.departement_id]),
        },
    )


def authority_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/authority_list.html", {"authorities": selectors.authorities_public()})


def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(Authority, pk=pk)
    return render(
        request,
        "portal/authority_detail.html",
        {
            "authority": authority,
            "premises_list": premises_visible_to(user=request.user)
            .filter(owner=authority)
            .order_by("commune__name", "name"),
            "incentives": selectors.incentives_of(authority_id=authority.pk),
        },
    )


@ratelimit(key="ip", rate=_submit_rate, method="POST", block=False)  # type: ignore[untyped-decorator]
def project_submit(request: HttpRequest) -> HttpResponse:
    """'Submit your project': a lead for the agency. A honeypot and a rate limit per address keep spam out."""
    if request.method == "POST" and getattr(request, "limited", False):
        form = ProjectSubmitForm(request.POST)
        return render(request, "portal/project_form.html", {"form": form, "limited": True}, status=429)
    if request.method == "POST":
        form = ProjectSubmitForm(request.POST)
        if form.is_spam:
            # Silently dropped: the robot sees the usual confirmation, and no lead is recorded.
            request.session.pop(SUBMITTED_SESSION_KEY, None)
            return redirect("portal:project_submitted")
        if form.is_valid():
            try:
                project = lead_submit(
                    values=form.project_values(), base_url=request.build_absolute_uri("/")[:-1]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SUBMITTED_SESSION_KEY] = project.reference
                return redirect("portal:project_submitted")
    else:
        initial: dict[str, Any] = {}
        premises_pk = request.GET.get("premises", "")
        if premises_pk.isdigit():
            premises = selectors.premises_public_by_pk(pk=int(premises_pk))
            if premises is not None:
                initial = {
                    "premises": premises.pk,
                    "preferred_departements": [premises.commune.departement_id],
                    "floor_area_wanted_m2": premises.available_area_m2,
                }
        form = ProjectSubmitForm(initial=initial)
    premises_chosen = None
    if form.is_bound:
        premises_chosen = form.cleaned_data.get("premises") if hasattr(form, "cleaned_data") else None
    elif form.initial.get("premises"):
        premises_chosen = selectors.premises_public_by_pk(pk=form.initial["premises"])
    return render(request, "portal/project_form.html", {"form": form, "premises_chosen": premises_chosen})


def project_submitted(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference of the lead just recorded (once), nothing else of it."""
    reference = request.session.pop(SUBMITTED_SESSION_KEY, "")
    return render(request, "portal/project_submitted.html", {"reference": reference})
