"""The shared reading of tables: names, encodings, delimiters, cells and the header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from guichet.sources import tabular
from guichet.sources.employment import EmploymentFormatError


def test_a_file_is_named_by_its_path_its_upload_name_or_as_bytes(tmp_path: Path) -> None:
    path = tmp_path / "zones.csv"
    path.write_bytes(b"a;b\n")

    class Upload(bytes):
        name = "upload.xlsx"

    assert tabular.name_of(path) == tabular.name_of(str(path)) == "zones.csv"
    assert tabular.name_of(Upload(b"x")) == "upload.xlsx" and tabular.name_of(b"x") == "<bytes>"
    assert tabular.name_of(b"x", "given.json") == "given.json"
    assert tabular.bytes_of(path) == tabular.bytes_of(b"a;b\n") == b"a;b\n"


def test_cells_and_header_keys() -> None:
    assert tabular.cell_text(25056.0) == "25056" and tabular.cell_text(" 2A004\x00 ") == "2A004"
    assert tabular.cell_text(None) == "" and tabular.cell_text(0.5) == "0.5"
    assert tabular.fold("Code zone d'Émploi") == tabular.fold("code_zone_d_emploi") == "codezonedemploi"


def test_csv_text_encoding_and_delimiter() -> None:
    assert tabular.csv_text("é;x".encode(), "a.csv", error=EmploymentFormatError) == ("é;x", "utf-8-sig")
    assert tabular.csv_text("é;x".encode("cp1252"), "a.csv", error=EmploymentFormatError) == ("é;x", "cp1252")
    with pytest.raises(EmploymentFormatError, match="binary content"):
        tabular.csv_text(b"a\x00b", "a.csv", error=EmploymentFormatError)
    assert tabular.sniff_delimiter("a;b,c;d") == ";" and tabular.sniff_delimiter("a,b;c") == ";"
    assert tabular.sniff_delimiter("a,b;c", (",", ";")) == ","  # a tie goes to the first candidate
    assert list(tabular.csv_rows("a\tb\n1\t2\n")) == [(1, ("a", "b")), (2, ("1", "2"))]


def test_the_header_is_searched_in_the_first_rows_only() -> None:
    def rows(header_at: int) -> tabular.Rows:
        return iter([(n, ("CODGEO",) if n == header_at else ("note",)) for n in range(1, 40)])

    def accept(header: list[str]) -> bool:
        return header == ["CODGEO"]

    found = tabular.find_header(rows(30), accept, limit=30)
    assert found is not None and found[:2] == (30, ["CODGEO"]) and next(found[2])[0] == 31
    assert tabular.find_header(rows(31), accept, limit=30) is None


def test_a_broken_archive_is_named_with_the_readers_error() -> None:
    with pytest.raises(EmploymentFormatError, match="not a readable zip archive") as error:
        tabular.table_in_archive(b"PK\x03\x04broken", "zones.zip", error=EmploymentFormatError)
    assert error.value.source == "zones.zip"
