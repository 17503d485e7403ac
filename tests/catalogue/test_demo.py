"""The demo catalogue's data files: every record read, typed, and pointing at an authority that exists."""

from __future__ import annotations

import datetime as dt

from guichet.catalogue import demo
from guichet.catalogue.models import AuthorityKind, IncentiveKind, IncentiveUnit, PremisesStatus, Tenure


def test_the_data_files_hold_the_demo_records_typed() -> None:
    assert (len(demo.AUTHORITIES), len(demo.PREMISES), len(demo.INCENTIVES)) == (10, 26, 11)
    keys = {a.key for a in demo.AUTHORITIES}
    assert {p.owner for p in demo.PREMISES} | {i.owner for i in demo.INCENTIVES} <= keys
    assert {a.kind for a in demo.AUTHORITIES} <= set(AuthorityKind.values)
    assert {p.tenure for p in demo.PREMISES} <= set(Tenure.values)
    assert {p.status for p in demo.PREMISES} <= set(PremisesStatus.values)
    assert {i.kind for i in demo.INCENTIVES} <= set(IncentiveKind.values)
    assert {i.unit for i in demo.INCENTIVES} <= set(IncentiveUnit.values)
    first = demo.PREMISES[0]
    assert first == (
        "ville-besancon",
        "Plateau relation client de la préfecture (3 000 m²)",
        "25056",
        3000,
        3000,
        500,
        2,
        6,
        "both",
        95,
        22,
        "contact_centre",
        True,
        180,
        True,
        True,
        "available",
    )
    assert demo.POINTS[first.name] == (47.2375, 6.0245)
    # Sold premises have no rent; an incentive without an amount is a rule in words.
    assert [p.name for p in demo.PREMISES if p.rent_eur_m2_year is None] == [
        "Chalezeule, bureaux d'activité",
        "Danjoutin, ancien siège administratif",
        "Tavaux, bureaux de la zone aéroportuaire",
        "Doubs, plateau de la Malcombe",
    ]
    assert [(i.owner, i.unit) for i in demo.INCENTIVES if i.amount is None] == [("vesoul", "none")]
    assert demo.DEMO_START + dt.timedelta(
        days=30 * max(p.months_from_start for p in demo.PREMISES)
    ) == dt.date(2028, 2, 25)
