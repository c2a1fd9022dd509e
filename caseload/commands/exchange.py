"""`caseload export` and `caseload import`: the record out to JSON, CSV or XLSX, and back in."""

from pathlib import Path

import typer

from caseload import parsing
from caseload.commands import Force, Json, OutputPath, database
from caseload.commands.complete import case_numbers

FORMATS = ("json", "csv", "xlsx")
SUFFIX_FORMATS = {".zip": "csv", ".xlsx": "xlsx"}
FORMAT_SUFFIXES = {"json": (".json",), "csv": (".zip",), "xlsx": (".xlsx",)}


def as_format(value: str) -> str:
    return parsing.choice(value, FORMATS, "format")


def export(
    output: OutputPath = None,
    force: Force = False,
    fmt: str = typer.Option(
        None,
        "--format",
        parser=as_format,
        metavar="FORMAT",
        help="json (complete, importable), csv (a zip of one CSV per table) or xlsx (one sheet per "
        "table) [default: xlsx for -o *.xlsx, csv for -o *.zip, else json].",
    ),
    case: str = typer.Option(
        None, "--case", metavar="CASE", help="Only this case.", autocompletion=case_numbers
    ),
) -> None:
    """Export every table (or one case) for another system or a spreadsheet; the export is audited.

    \b
    Example:
      caseload export --format xlsx -o caseload.xlsx
    """
    from caseload.errors import UsageProblem
    from caseload.render.files import check_suffix, check_target, database_file
    from caseload.render.output import say, write_recorded
    from caseload.services import exchange

    if fmt is None:
        fmt = SUFFIX_FORMATS.get(output.suffix.lower(), "json") if output else "json"
    if fmt != "json" and output is None:
        raise UsageProblem(f"--format {fmt} writes a file: give -o PATH")
    db = database()
    if output is not None:
        check_suffix(output, fmt, FORMAT_SUFFIXES[fmt])
        check_target(output, force=force, database=database_file(db))
    document = exchange.export_record(db, case)
    payload = _render(document, fmt)
    where = str(output.expanduser().absolute()) if output else "stdout"
    write_recorded(
        payload,
        output,
        lambda deliver: exchange.record_export(db, document, fmt, where, deliver),
        force=force,
        database=database_file(db),
    )
    if document["part2_notice"]:
        say(
            "It holds 42 CFR Part 2 records: the redisclosure notice goes with it; disclose only as Part 2 allows."
        )
    if output is not None:
        say(
            f"Exported {exchange.row_count(document)} rows ({document['case_number'] or 'all cases'}) to {output}."
        )


def _render(document: dict, fmt: str) -> str | bytes:
    from caseload.render import spreadsheets
    from caseload.render.output import to_json
    from caseload.render.progress import progress
    from caseload.services.exchange import columns, row_count

    if fmt == "json":
        return to_json(document) + "\n"
    write = spreadsheets.xlsx_workbook if fmt == "xlsx" else spreadsheets.csv_zip
    with progress("Exporting", row_count(document)) as advance:
        return write(columns(), document["tables"], document["part2_notice"], advance)


def import_(
    path: Path = typer.Argument(..., metavar="PATH", help="A caseload JSON export, or a families CSV."),
    as_json: Json = False,
) -> None:
    """Import a JSON export into a new, empty database (ids kept), or add families from a CSV.

    A families CSV has one row per member, the family's columns repeated on each:

    \b
    case_number,family_name,program,risk,opened_on,worker,county,docket,member_name,role,dob

    \b
    Example:
      caseload --db new.db import caseload-export.json
    """
    from caseload.render.output import Output, say
    from caseload.render.progress import progress
    from caseload.services.exchange import import_file

    summary = import_file(database(creates=True), path, progress)

    def show() -> None:
        counts = summary["counts"]
        say(
            f"Imported {sum(counts.values())} rows from {path} (cases: {counts['family']}, members: {counts['member']})."
        )

    Output(as_json).emit(summary, show)
