"""Zone factors and the zones a catchment reaches."""

from __future__ import annotations

import pytest

from guichet.engine import unemployment as un


def test_zone_factor_is_the_zone_rate_over_france_s() -> None:
    factors = un.zone_factors(["2714", "2706", "0601", None], {"2714": 11.8, "2706": 6.5}, 7.83)
    assert factors[0] == pytest.approx(11.8 / 7.83) and factors[1] == pytest.approx(6.5 / 7.83)
    assert factors[2:] == [None, None]
    with pytest.raises(ValueError, match="national_rate"):
        un.zone_factors(["2714"], {"2714": 11.8}, 0.0)


def test_zones_reached_with_their_trend_and_tension() -> None:
    quarters = [f"202{y}-T{q}" for y in (3, 4, 5) for q in (1, 2, 3, 4)]
    national = [7.0 + 0.05 * k for k in range(12)]
    zones = un.zones_reached(
        zones=["A", "A", "B", None, "C"],
        population_20_64=[100.0, 50.0, 400.0, 10.0, None],
        labels={"A": "Zone A", "B": "Zone B"},
        zone_rates={"A": [8.0 + 0.1 * k for k in range(12)], "B": [5.0] * 12},
        quarters=quarters,
        national_pct=national,
    )
    assert [z.code for z in zones] == ["B", "A", "C"]
    b, a, c = zones
    assert (a.communes, a.population_20_64, a.label) == (2, 150.0, "Zone A")
    assert a.quarters == tuple(quarters[4:]) and len(a.rates_pct) == 8
    assert a.rate_pct == pytest.approx(9.1) and a.national_rate_pct == pytest.approx(7.55)
    assert a.tension == pytest.approx(9.1 / 7.55) and a.gap_points == pytest.approx(1.55)
    assert a.trend_points == pytest.approx(0.7)
    assert b.tension == pytest.approx(5.0 / 7.55) and b.trend_points == 0.0
    assert not c.has_rate and c.rate_pct is None and c.tension is None and c.label == "C"
