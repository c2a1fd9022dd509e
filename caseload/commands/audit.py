"""`caseload audit`: the append-only trail of changes, reports and exports."""

import datetime as dt

import typer

from caseload.commands import JsonFlag, as_date, database
from caseload.commands.complete import case_numbers


def audit(
    case: str = typer.Option(None, "--case", help="Only this case.", autocompletion=case_numbers),
    since: dt.date = typer.Option(
        None, "--since", parser=as_date, metavar="DATE", help="Only entries on or after this date."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Show the audit trail: who changed, reported or exported what, and when.

    Example: caseload audit --case 2026-0142 --since 2026-03-01
    """
    from caseload.render.output import print_json, print_table
    from caseload.services.audit import audit_log

    entries = audit_log(database(), case, since)
    if as_json:
        print_json(entries)
    else:
        # an imported row keeps its history, but is shown as what it is: not written here
        shown = [{**e, "actor": f"{e['actor']} (imported)"} if e["imported"] else e for e in entries]
        print_table(
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
        )
