"""`caseload audit`: the append-only trail of changes, reports and exports."""

import datetime as dt

import typer

from caseload.commands import Csv, Force, Json, OutputPath, Wide, as_date, database
from caseload.commands.complete import case_numbers


def audit(
    case: str = typer.Option(
        None, "--case", metavar="CASE", help="Only this case.", autocompletion=case_numbers
    ),
    since: dt.date = typer.Option(
        None, "--since", parser=as_date, metavar="DATE", help="Only entries on or after this date."
    ),
    as_json: Json = False,
    as_csv: Csv = False,
    output: OutputPath = None,
    force: Force = False,
    wide: Wide = False,
) -> None:
    """Show the audit trail: who changed, reported or exported what, and when.

    \b
    Example:
      caseload audit --case 2026-0001 --since 2026-03-01
    """
    from caseload.render.output import Output
    from caseload.services.audit import audit_log

    out = Output(as_json, as_csv, output, force, wide)
    entries = audit_log(database(), case, since)
    out.table(
        entries,
        [
            ("at", "When (UTC)"),
            ("actor", "Who"),
            ("action", "Action"),
            ("entity", "What"),
            ("entity_id", "Id"),
            ("case_number", "Case"),
            ("detail", "Detail"),
        ],
    )
