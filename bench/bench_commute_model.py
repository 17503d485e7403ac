"""Benchmark: the commute model's error on trips it was not fitted on.

Prints the calibrated model's parameters, then its errors in minutes: in-sample (for comparison only), by
leave-one-out cross-validation over the calibration trips (each trip predicted by the model calibrated on the
others: the figure the pages state), and on the validation trips never used to fit; mean absolute error, root
mean square error, bias and the worst trips. The former model (first band set at 40 km/h, fitted on the 14
original trips) is cross-validated the same way for comparison.

Data: `src/guichet/data/commute/reference-trips.csv` (column `use`: calibration or validation; column
`source`: where each figure comes from) and the national commune table for the straight-line distances.
`tests/engine/test_commute.py` asserts the cross-validated mean absolute error under its bound.

Run: ``.venv/bin/python bench/bench_commute_model.py``
"""

from __future__ import annotations

import math
import time

from guichet.data.dataset import reference_trips
from guichet.engine import commute


def _line(name: str, errors: list[float]) -> str:
    mae = sum(abs(e) for e in errors) / len(errors)
    rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
    bias = sum(errors) / len(errors)
    return f"{name:<44} MAE {mae:5.2f}  RMSE {rmse:5.2f}  bias {bias:+5.2f}  ({len(errors)} trips)"


def main() -> None:
    calibration = reference_trips()
    validation = reference_trips(use="validation")
    started = time.perf_counter()
    model = commute.calibrate(calibration, key="calibrated")
    report = commute.model_errors(model, calibration)
    elapsed = time.perf_counter() - started
    held_out = commute.model_errors(model, validation, leave_one_out=False)
    print(f"model                 {model.describe()}")
    print(f"same as the product's {model == commute.CALIBRATED_COMMUTE}")
    print(_line("in-sample (not a measure of accuracy)", [t.error for t in report.trips]))
    print(_line("cross-validated, leave-one-out", [t.loo_error or 0.0 for t in report.trips]))
    print(_line("validation trips (never used to fit)", [t.error for t in held_out.trips]))
    print("worst trips, cross-validated (minutes: published, predicted without the trip, error):")
    for row in report.worst(5):
        loo = row.loo_minutes or 0.0
        trip = f"{row.trip.from_name} - {row.trip.to_name}"
        print(f"  {trip:<40} {row.trip.minutes:4.0f} {loo:6.1f} {loo - row.trip.minutes:+6.1f}")
    print("validation trips:")
    for row in held_out.trips:
        trip = f"{row.trip.from_name} - {row.trip.to_name}"
        print(f"  {trip:<40} {row.trip.minutes:4.0f} {row.minutes:6.1f} {row.error:+6.1f}")
    original = calibration[:14]
    former = commute.calibrate(original, fit_first_speed=False)
    former_report = commute.model_errors(former, original, fit_first_speed=False)
    print(
        _line(
            "former model, cross-validated on its 14 trips", [t.loo_error or 0.0 for t in former_report.trips]
        )
    )
    former_all = commute.model_errors(former, calibration + validation, leave_one_out=False)
    short = [t for t in former_all.trips if t.trip.straight_km < 10]
    print(_line("former model on the short trips in towns", [t.error for t in short]))
    now_short = [t for t in report.trips if t.trip.straight_km < 10]
    print(_line("this model on them, cross-validated", [t.loo_error or 0.0 for t in now_short]))
    print(f"calibration and cross-validation took {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
