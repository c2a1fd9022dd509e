"""One way to show data: a rich table on a terminal, plain aligned text when piped, JSON or CSV.

stdout carries data, stderr messages. Colour follows rich, which honours NO_COLOR.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseload.render.safe_text import for_terminal

Column = tuple[str, str]  # (key in the row, header)

# Columns of free text: on a terminal too narrow for the table, these are cut with an ellipsis.
# Every other column (case numbers, dates, statuses, counts, ids) keeps its whole width.
FREE_TEXT = frozenset(
    {
        "family",
        "name",
        "subject",
        "rule",
        "text",
        "latest",
        "member",
        "child",
        "provider",
        "court",
        "summary",
        "seen",
        "detail",
        "entity",
        "end_reason",
        "result",
        "actionable",
        "path",
        "template",
        "worker",
        "worker_id",
        "supervisor_id",
        "setting",
        "program",
        "flags",
    }
)
GAP = 2  # spaces between columns on a terminal
MIN_FREE = 4  # the narrowest a cut text column gets ("Ab…")
USEFUL = 10  # below this, a cut text column says little: drop an optional column instead


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
    wide: bool = False,
    hide_first: Sequence[str] = (),
    short: Mapping[str, Mapping[str, str]] | None = None,
    useful: int = USEFUL,
) -> None:
    """A table of rows: plain columns (no box drawing, no colour) when piped; on a terminal, a rich
    table that fits its width: no cell ever wraps; when the table is too wide, only free-text columns
    (FREE_TEXT) are cut with an ellipsis, and the columns named in `hide_first` are left out, in that
    order, while a free-text column would otherwise be cut below `useful` characters (the title says
    so). A column of `hide_first` that has `short` labels (value -> shorter value) is not left out
    but shows them. `wide` shows every column and every cell whole, however wide the table."""
    if not stdout_is_terminal():
        _print_plain(rows, columns, title)
        return
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # data is never read as markup ([link=…]) or emoji codes (:skull:)

    console = Console()
    columns = list(columns)

    shortened: dict[str, Mapping[str, str]] = {}

    def text(row, key):
        value = cell(row.get(key)).replace("\n", " ")
        return shortened[key].get(value, value) if key in shortened else value

    def measure(columns):
        texts = [[text(row, key) for key, _ in columns] for row in rows]
        natural = [
            max([cell_len(header)] + [cell_len(line[i]) for line in texts])
            for i, (_, header) in enumerate(columns)
        ]
        return texts, natural, fit_widths(natural, [key in FREE_TEXT for key, _ in columns], console.width)

    texts, natural, widths = measure(columns)
    hidden = []

    def overflows() -> bool:
        return sum(widths) + GAP * (len(columns) - 1) > console.width

    for key in () if wide else hide_first:
        if not overflows() and all(w >= min(n, useful) for w, n in zip(widths, natural, strict=True)):
            break
        if short and key in short:
            shortened[key] = short[key]
        else:
            columns = [c for c in columns if c[0] != key]
        hidden += [key]
        texts, natural, widths = measure(columns)
    # Still too wide (the whole columns alone overflow): leave out columns from the right, so what
    # is shown is never cut mid-value; --wide shows them.
    while not wide and len(columns) > 1 and overflows():
        hidden.append(columns[-1][0])
        columns = columns[:-1]
        texts, natural, widths = measure(columns)
    if hidden:
        every = "every column" if set(hidden) - set(shortened) else "every label whole"
        title = f"{title or ''} (--wide: {every})".strip()
    if wide:
        widths = natural
    if wide:
        console = Console(width=max(console.width, sum(natural) + GAP * (len(columns) - 1)))
    table = Table(
        title=Text(for_terminal(title)) if title else None,
        title_justify="left",
        header_style="bold",
        box=None,
        pad_edge=False,
        padding=(0, GAP // 2),
    )
    for (_key, header), width in zip(columns, widths, strict=True):
        table.add_column(header, width=width, no_wrap=True, overflow="ellipsis")
    for row, line in zip(rows, texts, strict=True):
        table.add_row(*map(Text, line), style=row_style(row) if row_style else None)
    console.print(table)


def fit_widths(natural: Sequence[int], free: Sequence[bool], width: int) -> list[int]:
    """Column widths for a terminal `width` wide: fixed columns keep their natural width; the free-text
    columns share what is left, each getting its natural width if it fits, else an equal share
    (never less than MIN_FREE), the narrow ones first so no space is wasted."""
    widths = list(natural)
    room = width - GAP * (len(natural) - 1) - sum(w for w, f in zip(natural, free, strict=True) if not f)
    pending = sorted((w, i) for i, (w, f) in enumerate(zip(natural, free, strict=True)) if f)
    while pending:
        share = max(MIN_FREE, room // len(pending))
        w, i = pending.pop(0)
        widths[i] = min(w, share)
        room -= widths[i]
    return widths


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


def write_out(payload: str | bytes, output: Path | None, *, force: bool = False) -> None:
    """The one place output goes to stdout or to `-o PATH` (mode 0600, replaced only with --force)."""
    if output is None:
        if isinstance(payload, bytes):
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
        else:
            sys.stdout.write(payload)
        return
    from caseload.render.files import write_private

    write_private(output, payload, force=force)


def write_recorded(
    payload: str | bytes,
    output: Path | None,
    record: Callable[[Callable[[], None]], None],
    *,
    force: bool = False,
    database: Path | None = None,
) -> None:
    """Hand data over with its audit row: `record(deliver)` commits the audit row, then calls
    `deliver`. To a file, the payload is written to a private temporary file first and put in place
    only once the audit has committed (a failed audit leaves no file); to stdout, it is written after
    the commit, with no transaction held while a slow reader takes it."""
    from contextlib import ExitStack

    from caseload.render.files import staged

    with ExitStack() as stack:
        deliver = lambda: write_out(payload, None)  # noqa: E731
        if output is not None:
            deliver = stack.enter_context(staged(output, payload, force=force, database=database))
        record(deliver)


@dataclass(frozen=True)
class Output:
    """The shared output options of a command (--json, --csv, -o/--output, --force, --wide) and the one
    function that renders its data by them. Build it before reading anything, so a bad combination
    fails first."""

    as_json: bool = False
    as_csv: bool = False
    output: Path | None = None
    force: bool = False
    wide: bool = False

    def __post_init__(self) -> None:
        from caseload.errors import UsageProblem

        if self.as_json and self.as_csv:
            raise UsageProblem("give --json or --csv, not both")

    def emit(
        self,
        data: Any,
        show: Callable[[], None] | None = None,
        *,
        csv_rows: Iterable[Mapping[str, Any]] | None = None,
        csv_fields: Sequence[str] = (),
    ) -> None:
        """JSON of `data` with --json, CSV of `csv_rows` with --csv, else `show()` (a table or a message);
        all of it into -o PATH when given."""
        if self.output is None:
            self._render(data, show, csv_rows, csv_fields)
            return
        import io

        buffer = io.StringIO()
        real, sys.stdout = sys.stdout, buffer
        try:
            self._render(data, show, csv_rows, csv_fields, indent=2)
        finally:
            sys.stdout = real
        write_out(buffer.getvalue(), self.output, force=self.force)

    def _render(self, data, show, csv_rows, csv_fields, indent: int | None = None) -> None:
        if self.as_json:
            if indent is None:
                print_json(data)
            else:
                sys.stdout.write(to_json(data, indent=indent) + "\n")
        elif self.as_csv:
            print_csv(data if csv_rows is None else csv_rows, csv_fields)
        elif show is not None:
            show()

    def table(
        self,
        rows: Sequence[Mapping[str, Any]],
        columns: Sequence[Column],
        *,
        data: Any = None,
        title: str | None = None,
        row_style: Callable[[Mapping[str, Any]], str | None] | None = None,
        hide_first: Sequence[str] = (),
        short: Mapping[str, Mapping[str, str]] | None = None,
        useful: int = USEFUL,
    ) -> None:
        """Rows as a table; --json prints `data` (default: the rows), --csv the table's columns.
        `hide_first`, `short` and `useful` say what gives way on a narrow terminal (see print_table)."""
        self.emit(
            rows if data is None else data,
            lambda: print_table(
                rows,
                columns,
                title=title,
                row_style=row_style,
                wide=self.wide,
                hide_first=hide_first,
                short=short,
                useful=useful,
            ),
            csv_rows=rows,
            csv_fields=[key for key, _ in columns],
        )


def say(message: str) -> None:
    """A message for the person, on stderr: on a terminal, a line longer than the terminal is wide is
    broken between words (continued two spaces further in), never mid-word by the terminal; piped or
    redirected, each message stays one line as it is."""
    text = for_terminal(message)
    if sys.stderr.isatty():
        text = "\n".join(wrap_line(line, stderr_width()) for line in text.split("\n"))
    sys.stderr.write(text + "\n")


def stderr_width() -> int:
    """The width of the terminal stderr is on ($COLUMNS first, as rich and click honour it)."""
    import os

    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except OSError:
        return 80


def wrap_line(line: str, width: int) -> str:
    """One line broken between words to fit `width` columns; its continuation lines are indented two
    spaces more than the line itself. A word longer than the room is left whole."""
    from rich.cells import cell_len

    if cell_len(line) <= width:
        return line
    import textwrap

    indent = line[: len(line) - len(line.lstrip(" "))]
    return textwrap.fill(
        line,
        width=max(width, 20),
        initial_indent="",
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    )
