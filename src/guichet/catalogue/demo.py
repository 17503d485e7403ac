"""The demo catalogue: the situation of the source article, as records marked DEMO.

The authorities exist (their territory and SIREN come from the real data); the premises, incentives and
figures attached to them are invented for the demonstration, plausible but not real, and flagged `is_demo`.
The records are data files in ``demo_data/`` (one CSV per kind, the business park's CNIG row as JSON; see its
README), read here into typed rows; :func:`demo_catalogue_load` writes them through the catalogue's services.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.db import transaction

from guichet.accounts.types import Actor
from guichet.catalogue import services
from guichet.catalogue.models import (
    Authority,
    AuthorityKind,
    FitOut,
    Incentive,
    Premises,
    Site,
    Tenure,
)
from guichet.sources import cnig
from guichet.territory.models import Commune, Departement, Region

DEMO_START = dt.date(2027, 1, 1)
DATA = Path(__file__).parent / "demo_data"


@dataclass(frozen=True)
class DemoAuthority:
    key: str
    name: str
    kind: str
    place: str  # INSEE code of a commune; for an EPCI, one of its member communes


class DemoPremises(NamedTuple):
    owner: str  # the key of its authority
    name: str
    commune: str  # INSEE code
    total_area_m2: int
    available_area_m2: int
    smallest_lot_m2: int
    floors: int
    months_from_start: int  # available from DEMO_START plus that many 30-day months
    tenure: str
    rent_eur_m2_year: int | None
    charges_eur_m2_year: int
    fit_out: str
    fibre: bool
    parking_spaces: int
    public_transport: bool
    access_24_7: bool
    status: str


class DemoIncentive(NamedTuple):
    owner: str
    name: str
    kind: str
    amount: int | None
    unit: str
    cap_eur: int | None
    rule: str
    conditions: str


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _whole(text: str) -> int | None:
    return int(text) if text else None


def _yes(text: str) -> bool:
    if text not in ("yes", "no"):
        raise ValueError(f"expected yes or no, got {text!r}")
    return text == "yes"


def _premises(row: dict[str, str]) -> DemoPremises:
    return DemoPremises(
        owner=row["owner"],
        name=row["name"],
        commune=row["commune"],
        total_area_m2=int(row["total_area_m2"]),
        available_area_m2=int(row["available_area_m2"]),
        smallest_lot_m2=int(row["smallest_lot_m2"]),
        floors=int(row["floors"]),
        months_from_start=int(row["months_from_start"]),
        tenure=row["tenure"],
        rent_eur_m2_year=_whole(row["rent_eur_m2_year"]),
        charges_eur_m2_year=int(row["charges_eur_m2_year"]),
        fit_out=row["fit_out"],
        fibre=_yes(row["fibre"]),
        parking_spaces=int(row["parking_spaces"]),
        public_transport=_yes(row["public_transport"]),
        access_24_7=_yes(row["access_24_7"]),
        status=row["status"],
    )


def _incentive(row: dict[str, str]) -> DemoIncentive:
    return DemoIncentive(
        owner=row["owner"],
        name=row["name"],
        kind=row["kind"],
        amount=_whole(row["amount"]),
        unit=row["unit"],
        cap_eur=_whole(row["cap_eur"]),
        rule=row["rule"],
        conditions=row["conditions"],
    )


AUTHORITIES = tuple(DemoAuthority(**row) for row in _rows("authorities.csv"))
PREMISES = tuple(_premises(row) for row in _rows("premises.csv"))
# A point for each premises (WGS84 latitude, longitude), inside its commune: a test
# (tests/commands/test_demo_points.py) checks each against the commune's bundled contour. Plausible places
# (a business park, a station district), as invented as the premises themselves.
POINTS: dict[str, tuple[float, float]] = {
    row["name"]: (float(row["latitude"]), float(row["longitude"])) for row in _rows("premises.csv")
}
INCENTIVES = tuple(_incentive(row) for row in _rows("incentives.csv"))


def _territory_of(spec: DemoAuthority) -> dict[str, Any]:
    if spec.kind == AuthorityKind.REGION:
        return {"region": Region.objects.get(code=spec.place)}
    if spec.kind == AuthorityKind.DEPARTEMENT:
        return {"departement": Departement.objects.get(code=spec.place)}
    commune = Commune.objects.select_related("epci").get(insee=spec.place)
    if spec.kind == AuthorityKind.EPCI:
        assert commune.epci is not None, f"{commune} has no EPCI"
        return {"epci": commune.epci, "siren": commune.epci.siren}
    return {"commune": commune}


def _site_csv(owner: Authority) -> bytes:
    commune = Commune.objects.select_related("epci").get(insee="25056")
    lat, lon = commune.latitude, commune.longitude
    assert lat is not None and lon is not None, "Besançon has a representative point"
    square = [
        [lon - 0.0006, lat - 0.0004],
        [lon + 0.0006, lat - 0.0004],
        [lon + 0.0006, lat + 0.0004],
        [lon - 0.0006, lat + 0.0004],
        [lon - 0.0006, lat - 0.0004],
    ]
    geometry = '{"type": "Polygon", "coordinates": [' + str(square).replace(" ", "") + "]}"
    row = {
        **json.loads((DATA / "site.json").read_text(encoding="utf-8")),
        "site_epci_nom": commune.epci.name if commune.epci else "",
        "site_epci_siren": commune.epci.siren if commune.epci else "",
        "site_comm_nom": commune.name,
        "site_comm_insee": commune.insee,
        "site_geomsurf": geometry,
        "site_geompoint": f"{lon:.4f}, {lat:.4f}",
    }
    return cnig.write_table(cnig.SITE, [row])


def _premises_values(spec: DemoPremises) -> dict[str, Any]:
    """The premises' fields as the catalogue's services take them."""
    latitude, longitude = POINTS[spec.name]
    return {
        "commune": Commune.objects.get(insee=spec.commune),
        "latitude": latitude,
        "longitude": longitude,
        "total_area_m2": spec.total_area_m2,
        "available_area_m2": spec.available_area_m2,
        "smallest_lot_m2": spec.smallest_lot_m2,
        "floors": spec.floors,
        "available_from": DEMO_START + dt.timedelta(days=30 * spec.months_from_start),
        "tenure": spec.tenure,
        "rent_eur_m2_year": Decimal(spec.rent_eur_m2_year) if spec.rent_eur_m2_year is not None else None,
        "charges_eur_m2_year": Decimal(spec.charges_eur_m2_year),
        "sale_price_eur": Decimal(spec.total_area_m2 * 1100)
        if spec.tenure in (Tenure.SALE, Tenure.BOTH)
        else None,
        "fit_out": spec.fit_out,
        "fibre": spec.fibre,
        "fibre_operators": "Orange, SFR" if spec.fibre else "",
        "power_backup": spec.fit_out == FitOut.CONTACT_CENTRE,
        "parking_spaces": spec.parking_spaces,
        "public_transport": spec.public_transport,
        "access_24_7": spec.access_24_7,
        "accessible": True,
        "status": spec.status,
        "is_demo": True,
        "description_fr": "Locaux de démonstration : caractéristiques plausibles, non réelles.",
        "description_en": "Demonstration premises: plausible characteristics, not real ones.",
    }


@transaction.atomic
def demo_catalogue_load(*, actor: Actor) -> dict[str, int]:
    """Create or refresh the demo catalogue. Running it twice leaves the same records."""
    authorities: dict[str, Authority] = {}
    for spec in AUTHORITIES:
        authority, _created = Authority.objects.update_or_create(
            name=spec.name, defaults={"kind": spec.kind, "is_demo": True, **_territory_of(spec)}
        )
        authorities[spec.key] = authority

    for item in PREMISES:
        owner = authorities[item.owner]
        values = _premises_values(item)
        existing = Premises.objects.filter(owner=owner, name=item.name).first()
        if existing is None:
            services.premises_create(actor=actor, owner=owner, name=item.name, **values)
        else:
            services.premises_update(actor=actor, premises=existing, **values)

    for incentive in INCENTIVES:
        Incentive.objects.update_or_create(
            owner=authorities[incentive.owner],
            name=incentive.name,
            defaults={
                "kind": incentive.kind,
                "amount": Decimal(incentive.amount) if incentive.amount is not None else None,
                "unit": incentive.unit,
                "cap_eur": Decimal(incentive.cap_eur) if incentive.cap_eur is not None else None,
                "rule": incentive.rule,
                "conditions": incentive.conditions,
                "valid_from": dt.date(2026, 1, 1),
                "valid_until": dt.date(2028, 12, 31),
                "is_demo": True,
            },
        )

    services.cnig_import_sites(
        actor=actor, owner=authorities["ville-besancon"], content=_site_csv(authorities["ville-besancon"])
    )
    Site.objects.filter(site_id="25056_SITE-ECO_DEMO1").update(is_demo=True)
    return {
        "authorities": len(authorities),
        "premises": Premises.objects.filter(is_demo=True).count(),
        "incentives": Incentive.objects.filter(is_demo=True).count(),
        "sites": Site.objects.filter(is_demo=True).count(),
    }
