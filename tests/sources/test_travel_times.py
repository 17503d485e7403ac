"""The travel-time matrix reader, on small files laid out as routing engines and GIS export them."""

from __future__ import annotations

import pytest

from guichet.sources import travel_times as tt


def test_minutes_csv_with_semicolons_and_no_route() -> None:
    data = b"origine;destination;minutes\n25056;90010;58,5\n25056;39198;44\n25056;25462;\n"
    result = tt.parse_travel_times(data)
    assert result.records == (
        tt.TravelTimeRecord("25056", "90010", 58.5),
        tt.TravelTimeRecord("25056", "39198", 44.0),
    )
    assert result.report.skipped == {"no route (empty time)": 1}


def test_osrm_seconds_are_converted_and_lost_zeros_restored() -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Matrice OSRM, voiture"])
    sheet.append(["from", "to", "duration"])
    sheet.append([1053, 39300, 3000])
    buffer = io.BytesIO()
    book.save(buffer)
    result = tt.parse_travel_times(buffer.getvalue())
    assert result.records == (tt.TravelTimeRecord("01053", "39300", 50.0),)
    assert result.report.header_row == 2 and result.report.warnings


def test_refusals_name_row_and_column() -> None:
    with pytest.raises(tt.TravelTimeFormatError) as error:
        tt.parse_travel_times(b"origin,destination,minutes\n25056,90010,58\n25056,9001,40\n")
    assert (error.value.row, error.value.column) == (3, "destination")
    with pytest.raises(tt.TravelTimeFormatError, match="already given on row 2") as twice:
        tt.parse_travel_times(b"origin,destination,minutes\n25056,90010,58\n25056,90010,59\n")
    assert twice.value.row == 3
    with pytest.raises(tt.TravelTimeFormatError, match=">= 0"):
        tt.parse_travel_times(b"origin,destination,minutes\n25056,90010,-3\n")
    with pytest.raises(tt.TravelTimeFormatError, match="no header row"):
        tt.parse_travel_times(b"a,b,c\n1,2,3\n")


def test_a_bad_header_is_refused_with_a_template_and_its_values() -> None:
    with pytest.raises(tt.TravelTimeFormatError) as error:
        tt.parse_travel_times(b"from;to;km\n25056;90010;58\n")
    assert error.value.template == (
        "no header row with origin, destination and minutes (or seconds) columns in the first %(rows)d rows"
    )
    assert (error.value.params, error.value.row) == ({"rows": 30}, 1)
    assert error.value.reason.endswith("columns in the first 30 rows")
