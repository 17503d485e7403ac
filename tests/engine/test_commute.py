"""The commute model, calibrated on the bundled reference trips; its error on trips it was not fitted on, as
the pages and docs/labour.md state it."""

from __future__ import annotations

import math

import pytest

from guichet.data.dataset import read_reference_trips, reference_trips
from guichet.engine import commute

TRIPS = reference_trips()
VALIDATION = reference_trips(use="validation")
# The bound on the cross-validated mean absolute error, set from bench/bench_commute_model.py (4.93 minutes):
# a change to the model or the trips that makes it worse than this fails here.
CV_MAE_BOUND_MINUTES = 5.0


def test_the_product_uses_the_model_calibrated_on_the_bundled_trips() -> None:
    assert len(TRIPS) == 16 and len(VALIDATION) == 2 and len(read_reference_trips()) == 18
    assert commute.calibrate(TRIPS, key="calibrated") == commute.CALIBRATED_COMMUTE
    # Two trips inside towns measure the first band: 55.1 km/h, not the 40 km/h once set by hand.
    assert commute.CALIBRATED_COMMUTE.bands[0].speed_kmh == 55.1


def test_cross_validated_error_is_under_its_bound_and_as_the_pages_say() -> None:
    report = commute.model_errors(commute.CALIBRATED_COMMUTE, TRIPS)
    assert report.loo_mean_absolute_error is not None and report.loo_root_mean_square_error is not None
    assert report.loo_mean_absolute_error < CV_MAE_BOUND_MINUTES
    assert round(report.loo_mean_absolute_error, 1) == commute.CALIBRATED_CV_MAE_MINUTES == 4.9
    assert round(report.loo_root_mean_square_error, 1) == 7.4
    assert len(report.trips) == commute.CALIBRATED_CV_TRIPS
    # In-sample it reads better (4.5): the figure shown is the cross-validated one.
    assert round(report.mean_absolute_error, 1) == 4.5 and abs(report.bias) < 0.1
    worst = report.worst(1)[0]
    assert (worst.trip.from_name, worst.trip.to_name) == ("Saint-Claude", "Lons-le-Saunier")
    assert worst.loo_error is not None and round(worst.loo_error) == -23


def test_validation_trips_never_used_to_fit() -> None:
    report = commute.model_errors(commute.CALIBRATED_COMMUTE, VALIDATION, leave_one_out=False)
    assert round(report.mean_absolute_error, 1) == commute.CALIBRATED_VALIDATION_MAE_MINUTES == 7.7
    assert len(VALIDATION) == commute.CALIBRATED_VALIDATION_TRIPS
    by_name = {t.trip.to_name: round(t.minutes) for t in report.trips}
    # Lons-le-Saunier - Champagnole about 30 (36 by the model), Besançon - Lons-le-Saunier about 77 (67).
    assert by_name == {"Champagnole": 36, "Lons-le-Saunier": 67}
    assert math.isnan(report.road_mean_absolute_error)  # no road km given for these trips


def test_short_trips_in_towns_are_no_longer_far_too_slow() -> None:
    # Dole - Tavaux about 10 minutes, Montbéliard - Audincourt about 8: the former model said 13 and 12.
    by_name = {t.to_name: t for t in TRIPS}
    model = commute.CALIBRATED_COMMUTE
    assert round(float(model.minutes(by_name["Tavaux"].straight_km))) == 11
    assert round(float(model.minutes(by_name["Audincourt"].straight_km))) == 9
    report = commute.model_errors(model, TRIPS)
    loo = {t.trip.to_name: t.loo_minutes for t in report.trips}
    assert round(loo["Tavaux"] or 0) == 12 and round(loo["Audincourt"] or 0) == 10


def test_long_trips_use_faster_roads() -> None:
    model = commute.CALIBRATED_COMMUTE
    speeds = [
        float(model.road_km(d + 1) - model.road_km(d)) / float(model.minutes(d + 1) - model.minutes(d)) * 60
        for d in (2.0, 15.0, 60.0)
    ]
    assert speeds == pytest.approx([55.1, 60.1, 110.0])
    assert model.straight_km_within(45.0) == pytest.approx(40.822, abs=1e-3)
    assert float(model.minutes(model.straight_km_within(45.0))) == pytest.approx(45.0)
    # Besançon to Belfort, Dole and Montbéliard (straight-line 76.2, 44.5 and 64.7 km): about 60, 45 and 55
    # by the A36 and A39.
    assert [round(float(model.minutes(d))) for d in (76.2, 44.5, 64.7)] == [69, 48, 61]


def test_calibration_refuses_too_few_or_bad_trips() -> None:
    with pytest.raises(ValueError, match="at least"):
        commute.calibrate(TRIPS[:2])
    bad = [commute.ReferenceTrip("a", "A", "b", "B", 0.0, 10, 10)] * 6
    with pytest.raises(ValueError, match="straight-line"):
        commute.calibrate(bad)
    no_road = [commute.ReferenceTrip("a", "A", "b", "B", 10.0 + k, math.nan, 15) for k in range(6)]
    with pytest.raises(ValueError, match="road km"):
        commute.calibrate(no_road)
    assert math.isinf(commute.CALIBRATED_COMMUTE.bands[-1].up_to_km)
