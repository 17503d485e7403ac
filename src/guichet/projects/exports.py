"""The dashboard's figures as files: each table as CSV, every table as one xlsx workbook (or one table).

The rows are the very ones the page and the charts show. CSV follows the reader's language: in French
`;`-separated with a decimal comma (what a French spreadsheet opens as numbers), in English `,` and a
decimal point; never a thousands separator. Text that a spreadsheet would run as a formula is escaped:
a leading apostrophe in CSV, a cell typed as text in xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.exports import csv_text
from guichet.projects.dashboard import Dashboard, Table
from guichet.projects.formatting import file_header, file_value


def _french() -> bool:
    return (get_language() or "fr").startswith("fr")


def table_csv(table: Table) -> bytes:
    french = _french()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow([csv_text(file_header(column)) for column in table.columns])
    for row in table.rows:
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            written = file_value(value, column.kind)
            if written is None:
                cells.append("")
            elif isinstance(written, str):
                cells.append(csv_text(written))
            elif isinstance(written, float) and french:
                cells.append(f"{written}".replace(".", ","))
            else:
                cells.append(str(written))
        writer.writerow(cells)
    # A byte-order mark, so that spreadsheets read UTF-8 (accents, m²) as such.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def filters_description(dashboard: Dashboard) -> list[tuple[str, str]]:
    filters = dashboard.filters
    period = (
        str(filters.year_from)
        if filters.year_from == filters.year_to
        else f"{filters.year_from}–{filters.year_to}"
    )
    rows = [(_("Period"), period)]
    for name, label in (
        ("departement", _("Département")),
        ("epci", _("EPCI")),
        ("sector", _("Sector")),
        ("source", _("Lead source")),
    ):
        if getattr(filters, name):
            rows.append((label, getattr(filters, name)))
    rows.append((_("Target per year (jobs)"), str(dashboard.target_per_year)))
    rows.append(
        (_("Source"), _("Projects' stage history and jobs reports recorded by the agency in Guichet"))
    )
    rows.append((_("Exported on"), timezone.localtime().strftime("%d/%m/%Y %H:%M")))
    return rows


def tables_xlsx(dashboard: Dashboard, tables: Iterable[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    workbook = Workbook()
    about = workbook.active
    assert about is not None
    about.title = _("About")[:31]
    bold = Font(bold=True)

    def text_cell(sheet: object, value: str) -> Cell:
        cell = Cell(sheet, value=value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    about.append([text_cell(about, _("Dashboard of the pipeline"))])
    about["A1"].font = bold
    for label, value in filters_description(dashboard):
        about.append([text_cell(about, label), text_cell(about, value)])
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31].replace("/", "-").replace(":", " "))
        sheet.append([text_cell(sheet, file_header(column)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            cells: list[object] = []
            for value, column in zip(row, table.columns, strict=True):
                written = file_value(value, column.kind)
                if column.kind == "share" and value is not None:
                    cells.append(round(value, 3))  # a fraction shown as a percentage by its format
                elif isinstance(written, str):
                    cells.append(text_cell(sheet, written))
                else:
                    cells.append(written)
            sheet.append(cells)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind == "share":
                    cell.number_format = "0.0%"
                elif column.kind == "months":
                    cell.number_format = "0.0"
                elif column.kind in ("int", "eur", "area"):
                    cell.number_format = "#,##0"
        if table.note:
            sheet.append([])
            sheet.append([text_cell(sheet, table.note)])
        for index, column in enumerate(table.columns, start=1):
            width = max(len(file_header(column)), 10)
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
