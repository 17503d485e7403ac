"""Reads of the public portal: the public offer, filtered; key figures with their sources; map data; CSV.

Who may see what stays decided by :mod:`guichet.catalogue.selectors`: the search, the map and the CSV export
start from :func:`~guichet.catalogue.selectors.premises_public`, the same for every visitor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from guichet.catalogue.models import Authority, Premises
from guichet.catalogue.selectors import (
    catalogue_key_figures,
    incentives_public,
    premises_filtered,
    premises_public,
)
from guichet.exports import csv_text
from guichet.territory.models import Commune, Epci
from guichet.territory.selectors import dataset_source_label, departements_loaded, territory_totals


def premises_search(
    *,
    departement: str = "",
    epci: str = "",
    min_area: int | None = None,
    available_by: dt.date | None = None,
    max_rent: Decimal | None = None,
    fibre: bool = False,
    public_transport: bool = False,
    fit_out: str = "",
) -> QuerySet[Premises]:
    """The public premises matching every given filter (an empty or None filter is not applied).

    ``available_by``: available on that date at the latest; ``max_rent``: premises without a rent (for sale
    only) do not match a rent ceiling; ``fibre``/``public_transport``: True keeps only premises that have it.
    """
    premises = premises_filtered(
        premises_public().select_related("owner", "commune", "commune__departement", "commune__epci"),
        departement=departement,
        epci=epci,
        min_area=min_area,
        available_by=available_by,
        max_rent=max_rent,
        fibre=True if fibre else None,
        public_transport=True if public_transport else None,
        fit_out=fit_out,
    )
    return premises.order_by("commune__departement", "commune__name", "name", "pk")


def premises_public_by_pk(*, pk: int) -> Premises | None:
    return premises_public().select_related("commune").filter(pk=pk).first()


def premises_latest(*, limit: int = 8) -> QuerySet[Premises]:
    return premises_public().select_related("owner", "commune").order_by("-created_at", "-pk")[:limit]


def epcis_loaded() -> QuerySet[Epci]:
    """The EPCI having at least one commune in the loaded territory."""
    return Epci.objects.filter(communes__isnull=False).distinct().order_by("name")


@dataclass(frozen=True)
class KeyFigures:
    """The home page's figures; ``*_source`` are 'source — vintage' labels of the loaded datasets."""

    premises: int
    available_area_m2: int
    communes: int
    communes_source: str
    population_20_64: int
    population_20_64_source: str
    counted_on: dt.date


def key_figures(*, today: dt.date) -> KeyFigures:
    catalogue = catalogue_key_figures()
    territory = territory_totals()
    return KeyFigures(
        premises=catalogue["premises"],
        available_area_m2=catalogue["available_area_m2"],
        communes=territory["communes"],
        communes_source=dataset_source_label(key="communes.csv"),
        population_20_64=territory["population_20_64"],
        population_20_64_source=dataset_source_label(key="communes.csv:population_20_64"),
        counted_on=today,
    )


def departements_for_map(*, premises: Iterable[Premises], departement: str = "") -> list[str]:
    """The départements whose commune contours the map draws: the filtered one and those of the results;
    every loaded département when neither gives one."""
    codes = {p.commune.departement_id for p in premises}
    if departement:
        codes.add(departement)
    if not codes:
        codes = set(departements_loaded().values_list("code", flat=True))
    return sorted(codes)


def commune_contours(*, departement: str) -> dict[str, Any]:
    """The simplified commune contours of a département as a GeoJSON FeatureCollection (IGN Admin Express)."""
    features = [
        {"type": "Feature", "geometry": contour, "properties": {"insee": insee, "name": name}}
        for insee, name, contour in Commune.objects.filter(departement=departement, contour__isnull=False)
        .order_by("insee")
        .values_list("insee", "name", "contour__geojson")
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "source": dataset_source_label(key="contours.csv"),
    }


def authorities_public() -> QuerySet[Authority]:
    """Every authority, with the number of its public premises and live incentives."""
    public = premises_public()
    return (
        Authority.objects.select_related("commune", "epci", "departement", "region")
        .annotate(
            public_premises=Count("premises", filter=Q(premises__in=public), distinct=True),
            live_incentives=Count(
                "incentives", filter=Q(incentives__archived_at__isnull=True), distinct=True
            ),
        )
        .order_by("name")
    )


def incentives_of(*, authority_id: int) -> QuerySet[Any]:
    return incentives_public().filter(owner_id=authority_id).order_by("name")


# --- CSV export --------------------------------------------------------------------------------------------


def _decimal_fr(value: Decimal | float | None, places: int) -> str:
    """French decimal comma, no thousands separator (what a French spreadsheet reads as a number)."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def premises_csv(*, premises: Iterable[Premises], url_of: Callable[[Premises], str]) -> bytes:
    """The premises as a CSV for a spreadsheet: UTF-8 with a byte-order mark, `;`-separated, decimal comma,
    dates as dd/mm/yyyy. Headers are in the active language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Premises"),
            _("Commune"),
            _("INSEE code"),
            _("Département"),
            _("EPCI"),
            _("Owner"),
            _("Available floor area (m²)"),
            _("Total floor area (m²)"),
            _("Rent (EUR/m²/year excl. VAT)"),
            _("Charges (EUR/m²/year excl. VAT)"),
            _("Available from"),
            _("Fit-out state"),
            _("Fibre optic"),
            _("Public transport within walking distance"),
            _("Latitude"),
            _("Longitude"),
            _("Demo record"),
            _("Page"),
        ]
    )
    for item in premises:
        point = item.point
        writer.writerow(
            [
                csv_text(item.name),
                item.commune.name,
                item.commune_id,
                item.commune.departement_id,
                item.commune.epci.name if item.commune.epci else "",
                csv_text(item.owner.name),
                item.available_area_m2,
                item.total_area_m2,
                _decimal_fr(item.rent_eur_m2_year, 2),
                _decimal_fr(item.charges_eur_m2_year, 2),
                item.available_from.strftime("%d/%m/%Y"),
                item.get_fit_out_display(),
                _("yes") if item.fibre else _("no"),
                _("yes") if item.public_transport else _("no"),
                _decimal_fr(point[0], 5) if point else "",
                _decimal_fr(point[1], 5) if point else "",
                _("yes") if item.is_demo else _("no"),
                url_of(item),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
