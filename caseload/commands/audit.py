"""`caseload audit`: the append-only trail of changes, reports and exports."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import as_date, database, output_options
from caseload.commands.complete import case_numbers

if TYPE_CHECKING:
    from caseload.render.output import Output


@output_options
def audit(
    case: str = typer.Option(
        None, "--case", metavar="CASE", help="Only this case.", autocompletion=case_numbers
    ),
    since: dt.date = typer.Option(
        None, "--since", parser=as_date, metavar="DATE", help="Only entries on or after this date."
    ),
    *,
    out: "Output",
) -> None:
    """Show the audit trail: who changed, reported or exported what, and when.

    \b
    Example:
      caseload audit --case 2026-0001 --since 2026-03-01
    """
    from caseload.services.audit import audit_log

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
