"""The scene most tests play on: competing premises, a project sized by the engine, a call for offers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from guichet.catalogue.models import Authority, Premises
from guichet.offers.models import CallForOffers
from guichet.territory.models import Commune


def make_premises(owner: Authority, name: str, insee: str, area: int, rent: str, **extra: object) -> Premises:
    values: dict[str, object] = {
        "owner": owner,
        "name": name,
        "commune": Commune.objects.get(insee=insee),
        "total_area_m2": area,
        "available_area_m2": area,
        "available_from": dt.date(2027, 1, 1),
        "rent_eur_m2_year": Decimal(rent),
        "charges_eur_m2_year": Decimal(18),
        "fibre": True,
        "public_transport": True,
        "parking_spaces": 150,
    }
    values.update(extra)
    return Premises.objects.create(**values)


def close_call(call: CallForOffers) -> None:
    """The deadline passes."""
    CallForOffers.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    call.refresh_from_db()
