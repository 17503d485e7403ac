"""The bundled payroll tables: every parameter dated and referenced; a wrong row names itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from guichet.data.dataset import DatasetError
from guichet.data.payroll_tables import bundled_mobility_rates, bundled_parameters, read_parameters

HEADER = "key,effective_from,value,unit,reference,source_url,note\n"


def test_every_bundled_parameter_has_a_reference_and_the_2026_values() -> None:
    table = bundled_parameters()
    assert all(row.reference for row in table.rows)
    on = date(2026, 1, 1)
    assert table.at("smic_hourly", on).value == Decimal("12.02")
    assert table.at("smic_hourly", date(2026, 6, 1)).value == Decimal("12.31")
    assert table.at("rgdu_tdelta_under_50", on).value == Decimal("0.3781")
    assert table.at("rgdu_tdelta_50_plus", on).value == Decimal("0.3821")


def test_mobility_rates_of_the_main_authorities() -> None:
    rates = bundled_mobility_rates()
    assert rates["25056"].rate_pct == Decimal("1.80")  # Besançon
    assert rates["39198"].rate_pct == Decimal("0.60")  # Dole
    assert rates["90010"].authority == "Territoire de Belfort (SMTC 90)"
    assert "25047" not in rates


def test_a_duplicate_or_a_bad_value_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "parameters.csv"
    path.write_text(
        HEADER + "health,2026-01-01,13,pct,CSS,,\nhealth,2026-01-01,13,pct,CSS,,\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError, match="row 3: health twice"):
        read_parameters(path)
    path.write_text(HEADER + "health,2026-01-01,x,pct,CSS,,\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="row 2, column value"):
        read_parameters(path)
    path.write_text(HEADER + "health,2026-01-01,13,pct,,,\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="legal reference"):
        read_parameters(path)
