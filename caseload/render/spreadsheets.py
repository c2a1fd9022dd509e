"""Tables for spreadsheets: a zip of one CSV per table, or an XLSX workbook with one sheet per table.

Text a user typed can never become a formula: a text cell starting with = + - @ (or a tab or
carriage return) is written with a leading single quote, as OWASP advises against CSV injection, and
so is each `;`-separated part of it (a spreadsheet set to split on `;` reads `Ann;=1+1` as two cells).
Numbers stay numbers (-4, not '-4). Control and bidi characters are replaced (render.safe_text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from caseload.render.safe_text import for_terminal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Tables = Mapping[str, Sequence[Mapping[str, Any]]]
Advance = Callable[[int], None]
NOTICE_FILE = "NOTICE.txt"
NOTICE_SHEET = "notice"


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made inert; other values unchanged."""
    if not isinstance(value, str):
        return value
    if ";" in value:
        return ";".join(_inert(part) for part in value.split(";"))
    return _inert(value)


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    """A value as the text of a CSV cell on stdout: numbers as they are, text made inert and safe."""
    from caseload.render.output import cell

    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell(value)
    return neutralise(cell(value))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(for_terminal(str(value)))


def csv_zip(
    columns: Mapping[str, Sequence[str]], tables: Tables, notice: str | None, advance: Advance
) -> bytes:
    """A zip holding `TABLE.csv` for every table (a header row even when it has no rows), after a
    `NOTICE.txt` when a notice must travel with the records (42 CFR Part 2)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if notice:
            archive.writestr(NOTICE_FILE, notice + "\n")
        for name, names in columns.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(names)
            for row in tables[name]:
                writer.writerow([_csv_text(row[column]) for column in names])
            archive.writestr(f"{name}.csv", text.getvalue())
            advance(len(tables[name]))
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    """Dates stay dates; timestamps lose their (UTC) zone, which Excel cannot hold."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", neutralise(for_terminal(value)))
    return value


def xlsx_workbook(
    columns: Mapping[str, Sequence[str]], tables: Tables, notice: str | None, advance: Advance
) -> bytes:
    """One sheet per table, its header row bold and frozen, dates as real (formatted) dates; first a
    `notice` sheet when a notice must travel with the records (42 CFR Part 2)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    if notice:
        sheet = workbook.create_sheet(title=NOTICE_SHEET)
        for line in notice.splitlines():
            sheet.append([line])
    for name, names in columns.items():
        sheet = workbook.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        header = []
        for column in names:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in tables[name]:
            sheet.append([_xlsx_value(row[column]) for column in names])
        advance(len(tables[name]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
