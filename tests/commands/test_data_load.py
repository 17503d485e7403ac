from __future__ import annotations

import re
from pathlib import Path

import pytest

from guichet.cli import main
from guichet.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_data_load_on_a_loaded_database_reports_every_row_unchanged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["data", "load"]) == 0
    output = capsys.readouterr().out
    assert re.search(r"communes\s+0 created\s+0 updated\s+1692 unchanged", output)
    assert Commune.objects.count() == 1692


def test_data_load_from_a_missing_directory_fails_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "load", "--dir", str(tmp_path / "nowhere")]) == 2
    assert "regions.csv is missing" in capsys.readouterr().err
