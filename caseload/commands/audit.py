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
    # an imported row keeps its history, but is shown as what it is: not written here
    shown = [{**e, "actor": f"{e['actor']} (imported)"} if e["imported"] else e for e in entries]
    out.table(
        shown,
        [
            ("at", "When (UTC)"),
            ("actor", "Who"),
            ("action", "Action"),
            ("entity", "What"),
            ("entity_id", "Id"),
            ("case_number", "Case"),
            ("detail", "Detail"),
        ],
        data=entries,
    )
