"""One way to show data: a rich table on a terminal, plain aligned text when piped, JSON or CSV.

stdout carries data, stderr messages. Colour follows rich, which honours NO_COLOR.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from caseload.render.safe_text import for_terminal

Column = tuple[str, str]  # (key in the row, header)


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, default=json_default, ensure_ascii=False, indent=indent)


def print_json(data: Any) -> None:
    """Indented for a person at a terminal; compact (and several times faster) for a pipe."""
    sys.stdout.write(to_json(data, indent=2 if stdout_is_terminal() else None) + "\n")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return for_terminal(str(value))


def print_csv(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> None:
    from caseload.render.spreadsheets import csv_cell

    writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(row.get(key)) for key in fields})


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    row_style: Callable[[Mapping[str, Any]], str | None] | None = None,
) -> None:
    """A table of rows: rich on a terminal, plain columns (no box drawing, no colour) when piped."""
    if not stdout_is_terminal():
        _print_plain(rows, columns, title)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # data is never read as markup ([link=…]) or emoji codes (:skull:)

    table = Table(
        title=Text(for_terminal(title)) if title else None, title_justify="left", header_style="bold"
    )
    for _key, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(
            *(Text(cell(row.get(key))) for key, _ in columns), style=row_style(row) if row_style else None
        )
    Console().print(table)


def _print_plain(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str | None) -> None:
    texts = [[header for _, header in columns]] + [
        [cell(row.get(key)).replace("\n", " ") for key, _ in columns] for row in rows
    ]
    widths = [max(len(line[i]) for line in texts) for i in range(len(columns))]
    if title:
        sys.stdout.write(for_terminal(title) + "\n")
    for line in texts:
        sys.stdout.write(
            "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n"
        )


def print_fields(pairs: Sequence[tuple[str, Any]], title: str | None = None) -> None:
    """A record as `label: value` lines (family show, visit show)."""
    if title:
        sys.stdout.write(for_terminal(title) + "\n")
    width = max((len(label) for label, _ in pairs), default=0)
    for label, value in pairs:
        text = cell(value)
        if "\n" in text:
            indent = "\n" + " " * (width + 2)
            text = indent.join(text.splitlines())
        sys.stdout.write(f"{label + ':':<{width + 1}} {text}".rstrip() + "\n")


def say(message: str) -> None:
    """A message for the person, on stderr."""
    sys.stderr.write(for_terminal(message) + "\n")
