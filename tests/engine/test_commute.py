"""The commute model, calibrated on the bundled reference trips; its error on them as docs/labour.md says."""

from __future__ import annotations

import math

import pytest

from guichet.data.dataset import read_reference_trips, reference_trips
from guichet.engine import commute

TRIPS = reference_trips()


def test_the_product_uses_the_model_calibrated_on_the_bundled_trips() -> None:
    assert len(TRIPS) == 14 and len(read_reference_trips()) == 14
    assert commute.calibrate(TRIPS, key="calibrated") == commute.CALIBRATED_COMMUTE


def test_error_on_the_reference_trips_as_documented() -> None:
    report = commute.model_errors(commute.CALIBRATED_COMMUTE, TRIPS)
    # docs/labour.md states these, rounded.
    assert round(report.mean_absolute_error, 1) == 5.1
    assert round(report.root_mean_square_error, 1) == 7.1
    assert round(report.max_absolute_error, 1) == 21.1
    assert round(report.loo_mean_absolute_error or 0, 1) == 5.4
    assert abs(report.bias) < 0.1
    worst = max(report.trips, key=lambda t: abs(t.error))
    assert (worst.trip.from_name, worst.trip.to_name) == ("Saint-Claude", "Lons-le-Saunier")
    by_pair = {(t.trip.from_id, t.trip.to_id): t for t in report.trips}
    # Besançon-Dijon by the A36/A39: 65 minutes published, 67 by the model.
    assert round(by_pair[("25056", "21231")].minutes) == 67


def test_the_issue_s_three_trips_are_no_longer_far_too_slow() -> None:
    # Straight-line km between the communes' points of the national table; the former model gave 96, 60, 83.
    model = commute.CALIBRATED_COMMUTE
    besancon_belfort, besancon_dole, besancon_montbeliard = (
        float(model.minutes(d)) for d in (76.2, 44.5, 64.7)
    )
    assert round(besancon_belfort) == 69 and round(besancon_dole) == 47 and round(besancon_montbeliard) == 61


def test_long_trips_use_faster_roads() -> None:
    model = commute.CALIBRATED_COMMUTE
    speeds = [
        float(model.road_km(d + 1) - model.road_km(d)) / float(model.minutes(d + 1) - model.minutes(d)) * 60
        for d in (2.0, 15.0, 60.0)
    ]
    assert speeds == pytest.approx([40.0, 66.2, 110.0])
    assert model.straight_km_within(45.0) == pytest.approx(41.032, abs=1e-3)


def test_calibration_refuses_too_few_or_bad_trips() -> None:
    with pytest.raises(ValueError, match="at least"):
        commute.calibrate(TRIPS[:2])
    bad = [commute.ReferenceTrip("a", "A", "b", "B", 0.0, 10, 10)] * 6
    with pytest.raises(ValueError, match="straight-line"):
        commute.calibrate(bad)
    assert math.isinf(commute.CALIBRATED_COMMUTE.bands[-1].up_to_km)
