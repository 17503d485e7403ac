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


def test_default_commute_is_the_calibrated_model() -> None:
    model = cm.DEFAULT_COMMUTE
    assert model.key == "calibrated"
    assert [(b.up_to_km, b.detour, b.speed_kmh) for b in model.bands] == [
        (5.0, 1.3, 55.1),
        (30.0, 1.224, 60.1),
        (math.inf, 1.249, 110.0),
    ]
    # 5 km x 1.3 at 55.1 km/h = 7.08 min; + 25 km x 1.224 at 60.1 km/h; + 10 km x 1.249 at 110 km/h.
    expected = 60 * (6.5 / 55.1 + 25 * 1.224 / 60.1 + 10 * 1.249 / 110)
    assert float(model.minutes(40.0)) == pytest.approx(expected, rel=1e-12)
    assert float(model.road_km(40.0)) == pytest.approx(6.5 + 25 * 1.224 + 10 * 1.249, rel=1e-12)
    assert "110 km/h" in model.describe()


@settings(max_examples=60, deadline=None)
@given(minutes=st.floats(0.0, 300.0, allow_nan=False), detour=st.floats(1.0, 2.0))
def test_reach_is_the_inverse_of_time(minutes: float, detour: float) -> None:
    model = cm.CommuteModel(bands=(cm.CommuteBand(5.0, detour, 30.0), cm.CommuteBand(math.inf, detour, 80.0)))
    reach = model.straight_km_within(minutes)
    assert float(model.minutes(reach)) == pytest.approx(minutes, abs=1e-9)
    assert float(model.minutes(reach * 1.001 + 1e-6)) > minutes


def test_commute_model_validates_parameters() -> None:
    with pytest.raises(ValueError, match="detour"):
        cm.CommuteModel(bands=(cm.CommuteBand(math.inf, 0.9, 50.0),))
    with pytest.raises(ValueError, match="open-ended"):
        cm.CommuteModel(bands=(cm.CommuteBand(5.0, 1.3, 30.0),))
    with pytest.raises(ValueError, match="increase"):
        cm.CommuteModel(
            bands=(
                cm.CommuteBand(5.0, 1.3, 30.0),
                cm.CommuteBand(5.0, 1.3, 50.0),
                cm.CommuteBand(math.inf, 1, 70),
            )
        )
    with pytest.raises(ValueError, match="speeds"):
        cm.CommuteModel(bands=(cm.CommuteBand(math.inf, 1.2, 0.0),))


def test_within_minutes_real_figures_around_besancon() -> None:
    b = INDEX.position(BESANCON)
    result = cm.within_minutes(INDEX, LAT[b], LON[b], 30.0)
    assert result.commute == cm.DEFAULT_COMMUTE and result.max_minutes == 30.0
    assert result.radius_km == pytest.approx(cm.DEFAULT_COMMUTE.straight_km_within(30.0))
    assert result.radius_km == pytest.approx(23.7583, abs=1e-4)
    assert len(result) == 219
    assert POP_20_64[result.indices].sum() == 143_539
    assert result.minutes is not None and result.road_km is not None
    assert float(result.minutes.max()) <= 30.0 and np.all(np.diff(result.minutes) >= 0)
    np.testing.assert_allclose(result.road_km, cm.DEFAULT_COMMUTE.road_km(result.distances_km))
    assert result.count_by_time_source() == {
        cm.TIME_FROM_MODEL: 219,
        cm.TIME_FROM_MATRIX: 0,
        cm.TIME_FROM_MATRIX_REVERSE: 0,
    }
    by_distance = brute_force_km(LAT[b], LON[b], LAT, LON)
    expected = {IDS[i] for i in np.flatnonzero(cm.DEFAULT_COMMUTE.minutes(by_distance) <= 30.0)}
    assert set(result.ids) == expected


def test_a_travel_time_matrix_replaces_the_model_pair_by_pair() -> None:
    b = INDEX.position(BESANCON)
    model_only = cm.within_minutes(INDEX, LAT[b], LON[b], 30.0)
    near, far = "25212", "39198"  # École-Valentin (in reach by the model), Dole (44 km: beyond it)
    assert near in model_only.ids and far not in model_only.ids
    matrix = cm.TravelTimes.from_rows(
        [(near, BESANCON, 45.0), (BESANCON, far, 28.0)], source="OSRM test matrix"
    )
    result = cm.within_minutes(INDEX, LAT[b], LON[b], 30.0, travel_times=matrix, workplace_id=BESANCON)
    assert near not in result.ids  # the matrix says 45 minutes: out
    assert far in result.ids  # given only the other way (work -> home): stands in, and says so
    k = result.ids.index(far)
    assert result.minutes is not None and result.time_sources is not None
    assert float(result.minutes[k]) == 28.0 and int(result.time_sources[k]) == cm.TIME_FROM_MATRIX_REVERSE
    counts = result.count_by_time_source()
    assert counts[cm.TIME_FROM_MATRIX_REVERSE] == 1 and counts[cm.TIME_FROM_MODEL] == len(model_only) - 1
    assert result.travel_times_source == "OSRM test matrix"
    with pytest.raises(ValueError, match="minutes"):
        cm.TravelTimes.from_rows([("a", "b", -1.0)], source="x")


def test_sums_within_radius_equal_the_pairs_table() -> None:
    for radius in (0.0, 12.5, 30.0):
        table = cm.all_within_radius(INDEX, radius)
        both = cm.sums_within_radius(INDEX, radius, np.column_stack([POP_20_64, np.ones(len(IDS))]))
        np.testing.assert_allclose(both[:, 0], table.sum_over(POP_20_64))
        assert both[:, 1].tolist() == table.neighbour_counts.tolist()
    index = cm.index_communes(["a", "b", "c"], [47.0, math.nan, 47.01], [6.0, 6.0, 6.0])
    assert cm.sums_within_radius(index, 5.0, [1.0, 10.0, math.nan]).tolist() == [1.0, 0.0, 1.0]


def test_sums_around_points() -> None:
    b = INDEX.position(BESANCON)
    sums = cm.sums_around(INDEX, [LAT[b], math.nan], [LON[b], 6.0], 30.0, POP_20_64)
    assert sums[0] == 164_348 and math.isnan(sums[1])


def test_all_within_minutes_agrees_with_single_queries() -> None:
    table = cm.all_within_minutes(INDEX, 25.0)
    assert table.max_minutes == 25.0 and table.minutes is not None
    for i in (INDEX.position(BESANCON), 10, 1500):
        single = cm.within_minutes(INDEX, LAT[i], LON[i], 25.0)
        assert table.row_ids(i) == single.ids
