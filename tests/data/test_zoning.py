"""The bundled localised unemployment (data/zoning/): complete, and the figures its PROVENANCE.md checks."""

from __future__ import annotations

from guichet.data.dataset import read_france_communes, read_unemployment


def test_every_commune_of_the_national_table_has_a_zone() -> None:
    table = read_unemployment()
    codes = {row.insee for row in read_france_communes()}
    assert len(table.commune_zone) == len(codes) == 34_875
    assert set(table.commune_zone) == codes
    without_rate = {code for code, zone in table.commune_zone.items() if zone not in table.zones}
    # Guyane's 22 and Mayotte's 17 communes: INSEE publishes no localised rate there.
    assert len(without_rate) == 39 and {code[:3] for code in without_rate} == {"973", "976"}


def test_rates_as_published_for_the_region() -> None:
    table = read_unemployment()
    assert table.quarters[0] == "2021-T1" and table.latest_quarter == "2025-T4" and len(table.quarters) == 20
    assert table.national_pct[-1] == 7.83
    latest = {code: table.zones[code].rates_pct[-1] for code in ("2714", "2705", "2706", "2712", "2713")}
    assert latest == {"2714": 11.8, "2705": 9.3, "2706": 6.5, "2712": 6.8, "2713": 5.2}
    assert table.zones["2714"].label == "Montbéliard"
    assert table.commune_zone["25388"] == "2714" and table.commune_zone["25056"] == "2706"
    assert len(table.zones) == 302
