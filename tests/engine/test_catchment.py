"""Catchments: checked against a brute-force haversine and against the bundled real commune data."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import guichet
from guichet.engine import catchment as cm

COMMUNES_CSV = Path(guichet.__file__).parent / "data" / "territory" / "communes.csv"
BESANCON = "25056"


def _communes() -> list[dict[str, str]]:
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _communes()
IDS = [r["insee"] for r in ROWS]
LAT = np.array([float(r["latitude"]) for r in ROWS])
LON = np.array([float(r["longitude"]) for r in ROWS])
POP_20_64 = np.array([float(r["population_20_64"]) for r in ROWS])
INDEX = cm.index_communes(IDS, LAT, LON)


def brute_force_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Haversine written out independently of the module, one pair at a time."""
    out = []
    for la, lo in zip(lats, lons, strict=True):
        p1, p2 = math.radians(lat), math.radians(la)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lo - lon) / 2) ** 2
        )
        out.append(2 * 6371.0088 * math.asin(math.sqrt(h)))
    return np.array(out)


def test_haversine_matches_textbook_values() -> None:
    # A quarter of a meridian is pi R / 2; one degree of latitude is pi R / 180.
    assert cm.haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * cm.EARTH_RADIUS_KM / 2, rel=1e-12)
    assert cm.haversine_km(45, 3, 46, 3) == pytest.approx(math.pi * cm.EARTH_RADIUS_KM / 180, rel=1e-12)
    assert cm.haversine_km(10, 20, 10, 20) == 0.0


def test_besancon_30_km_real_figures_match_brute_force() -> None:
    b = INDEX.position(BESANCON)
    result = cm.within_radius(INDEX, LAT[b], LON[b], 30.0)
    distances = brute_force_km(LAT[b], LON[b], LAT, LON)
    expected = {IDS[i] for i in np.flatnonzero(distances <= 30.0)}
    assert set(result.ids) == expected
    # Real figures from the bundled data (Etalab communes, INSEE census 2021 for the 20-64).
    assert len(result) == 342
    assert POP_20_64[result.indices].sum() == 164_348
    assert result.ids[0] == BESANCON and result.distances_km[0] == 0.0
    assert np.all(np.diff(result.distances_km) >= 0)
    np.testing.assert_allclose(result.distances_km, distances[result.indices], rtol=0, atol=1e-9)
    assert result.radius_km == 30.0 and result.earth_radius_km == cm.EARTH_RADIUS_KM


def test_other_real_radii_around_besancon() -> None:
    b = INDEX.position(BESANCON)
    counts = {r: len(cm.within_radius(INDEX, LAT[b], LON[b], r)) for r in (10, 20, 50)}
    assert counts == {10: 37, 20: 153, 50: 809}


def test_table_rows_equal_single_queries_and_brute_force() -> None:
    table = cm.all_within_radius(INDEX, 30.0)
    n = len(IDS)
    # Brute force over all pairs of the 1,692 communes (vectorised, independent formula above per row).
    p = np.radians(LAT)
    dl = np.radians(LON[None, :] - LON[:, None])
    h = (
        np.sin((p[None, :] - p[:, None]) / 2) ** 2
        + np.cos(p)[:, None] * np.cos(p)[None, :] * np.sin(dl / 2) ** 2
    )
    within = 2 * 6371.0088 * np.arcsin(np.sqrt(h)) <= 30.0
    assert table.pairs == int(within.sum())
    assert list(table.neighbour_counts) == list(within.sum(axis=1))
    for i in (0, INDEX.position(BESANCON), n - 1, 777):
        positions, distances = table.row(i)
        assert set(positions) == set(np.flatnonzero(within[i]))
        single = cm.within_radius(INDEX, LAT[i], LON[i], 30.0)
        assert list(positions) == list(single.indices)
        np.testing.assert_allclose(distances, single.distances_km, atol=1e-9)
    sums = table.sum_over(POP_20_64)
    assert sums[INDEX.position(BESANCON)] == 164_348
    np.testing.assert_allclose(sums, within.astype(float) @ POP_20_64)


def test_table_is_symmetric_and_contains_self() -> None:
    table = cm.all_within_radius(INDEX, 15.0)
    rows = np.repeat(np.arange(len(IDS)), table.neighbour_counts)
    pairs = set(zip(rows.tolist(), table.indices.tolist(), strict=True))
    assert all((j, i) in pairs for i, j in pairs)
    assert all((i, i) in pairs for i in range(len(IDS)))


def test_missing_coordinates_are_excluded_clearly() -> None:
    ids = ["a", "b", "c", "d"]
    index = cm.index_communes(ids, [47.0, math.nan, 47.01, None], [6.0, 6.0, 6.0, 6.0])
    assert index.excluded_ids == ("b", "d")
    assert list(index.located) == [True, False, True, False]
    single = cm.within_radius(index, 47.0, 6.0, 50.0)
    assert single.ids == ("a", "c") and single.excluded_ids == ("b", "d")
    table = cm.all_within_radius(index, 50.0)
    assert list(table.neighbour_counts) == [2, 0, 2, 0]
    assert table.row_ids(0) == ("a", "c")
    assert table.sum_over([1.0, 100.0, math.nan, 1000.0]).tolist() == [1.0, 0.0, 1.0, 0.0]


def test_coincident_communes_and_zero_radius() -> None:
    index = cm.index_communes(["x", "y", "z"], [47.0, 47.0, 47.5], [6.0, 6.0, 6.0])
    assert cm.all_within_radius(index, 0.0).row_ids(0) == ("x", "y")
    assert cm.within_radius(index, 47.0, 6.0, 0.0).ids == ("x", "y")


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        cm.index_communes(["a"], [1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="out of range"):
        cm.index_communes(["a"], [647000.0], [6600000.0])
    with pytest.raises(ValueError, match="radius"):
        cm.within_radius(INDEX, 47.0, 6.0, -1.0)
    with pytest.raises(ValueError, match="centre"):
        cm.within_radius(INDEX, math.nan, 6.0, 10.0)


def test_arrays_in_results_are_read_only() -> None:
    result = cm.within_radius(INDEX, 47.24, 6.02, 10.0)
    with pytest.raises(ValueError):
        result.indices[0] = 3
    with pytest.raises(ValueError):
        cm.all_within_radius(INDEX, 5.0).distances_km[0] = 1.0


@settings(max_examples=40, deadline=None)
@given(
    i=st.integers(0, len(IDS) - 1),
    r1=st.floats(0.0, 80.0, allow_nan=False),
    r2=st.floats(0.0, 80.0, allow_nan=False),
)
def test_a_bigger_radius_never_loses_a_commune(i: int, r1: float, r2: float) -> None:
    small, large = sorted((r1, r2))
    inner = set(cm.within_radius(INDEX, LAT[i], LON[i], small).ids)
    outer = set(cm.within_radius(INDEX, LAT[i], LON[i], large).ids)
    assert inner <= outer
    assert IDS[i] in inner


# --- commute time -----------------------------------------------------------------------------------


def test_default_commute_bands_are_cumulative() -> None:
    model = cm.DEFAULT_COMMUTE
    assert model.detour_factor == 1.3
    assert [(b.up_to_km, b.speed_kmh) for b in model.bands] == [(5.0, 30.0), (20.0, 50.0), (math.inf, 70.0)]
    # 5 km at 30 km/h = 10 min; + 15 km at 50 km/h = 18 min; + 10 km at 70 km/h = 60/7 min.
    minutes = model.minutes_for_road_km([0.0, 5.0, 20.0, 30.0])
    np.testing.assert_allclose(minutes, [0.0, 10.0, 28.0, 28.0 + 60.0 / 7.0])
    assert model.minutes(10.0) == pytest.approx(model.minutes_for_road_km(13.0))
    assert "1.3" in model.describe() and "70 km/h" in model.describe()


@settings(max_examples=60, deadline=None)
@given(minutes=st.floats(0.0, 300.0, allow_nan=False), detour=st.floats(1.0, 2.0))
def test_reach_is_the_inverse_of_time(minutes: float, detour: float) -> None:
    model = cm.CommuteModel(detour_factor=detour)
    reach = model.straight_km_within(minutes)
    assert float(model.minutes(reach)) == pytest.approx(minutes, abs=1e-9)
    assert float(model.minutes(reach * 1.001 + 1e-6)) > minutes


def test_commute_model_validates_parameters() -> None:
    with pytest.raises(ValueError, match="detour"):
        cm.CommuteModel(detour_factor=0.9)
    with pytest.raises(ValueError, match="open-ended"):
        cm.CommuteModel(bands=(cm.SpeedBand(5.0, 30.0),))
    with pytest.raises(ValueError, match="increase"):
        cm.CommuteModel(bands=(cm.SpeedBand(5.0, 30.0), cm.SpeedBand(5.0, 50.0), cm.SpeedBand(math.inf, 70)))


def test_within_minutes_real_figures_around_besancon() -> None:
    b = INDEX.position(BESANCON)
    result = cm.within_minutes(INDEX, LAT[b], LON[b], 30.0)
    assert result.commute == cm.DEFAULT_COMMUTE and result.max_minutes == 30.0
    assert result.radius_km == pytest.approx(17.1795, abs=1e-4)
    assert len(result) == 114
    assert POP_20_64[result.indices].sum() == 119_696
    assert result.minutes is not None and result.road_km is not None
    assert float(result.minutes.max()) <= 30.0
    np.testing.assert_allclose(result.road_km, result.distances_km * 1.3)
    by_distance = brute_force_km(LAT[b], LON[b], LAT, LON)
    expected = {IDS[i] for i in np.flatnonzero(cm.DEFAULT_COMMUTE.minutes(by_distance) <= 30.0)}
    assert set(result.ids) == expected


def test_all_within_minutes_agrees_with_single_queries() -> None:
    table = cm.all_within_minutes(INDEX, 25.0)
    assert table.max_minutes == 25.0 and table.minutes is not None
    for i in (INDEX.position(BESANCON), 10, 1500):
        single = cm.within_minutes(INDEX, LAT[i], LON[i], 25.0)
        assert table.row_ids(i) == single.ids
