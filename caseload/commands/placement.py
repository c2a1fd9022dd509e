"""`caseload placement …`: where a child in foster care lives."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    CaseArgument,
    Command,
    Json,
    as_date,
    as_name,
    as_reason,
    as_setting,
    database,
    one_of,
    output_options,
    vocab,
)
from caseload.commands.complete import child_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Placements of children in foster care.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    child: str = typer.Argument(
        ..., metavar="CHILD", help="The child's name (first name if unique).", autocompletion=child_names
    ),
    start: dt.date = typer.Option(
        ..., "--start", parser=as_date, metavar="DATE", help="First day in the placement."
    ),
    setting: str = typer.Option(
        ...,
        "--setting",
        parser=as_setting,
        metavar="SETTING",
        help=f"{one_of(vocab.SETTINGS)}.",
    ),
    provider: str = typer.Option(
        None, "--provider", parser=as_name, metavar="TEXT", help="Foster family or facility."
    ),
    removed: dt.date = typer.Option(
        None, "--removed", parser=as_date, metavar="DATE", help="Removal date of this episode."
    ),
    adjudicated: dt.date = typer.Option(
        None, "--adjudicated", parser=as_date, metavar="DATE", help="Adjudication date."
    ),
    as_json: Json = False,
) -> None:
    """Place a child; an open placement ends the day before (a move).

    \b
    Example:
      caseload placement add 2026-0001 Mateo --start 2026-03-30 --setting kinship
    """
    from caseload.render.output import Output, say
    from caseload.services import cases

    placement = cases.add_placement(
        database(),
        case,
        child,
        start_on=start,
        setting=setting,
        provider=provider,
        removed_on=removed,
        adjudicated_on=adjudicated,
    )

    def show() -> None:
        say(f"Placed {placement['child']} ({placement['setting']}) from {placement['start_on']}.")
        if placement["ended_placement"]:
            ended = placement["ended_placement"]
            say(
                f"Ended the previous placement ({ended['setting']}, since {ended['start_on']}) on {ended['end_on']}."
            )
        typer.echo(placement["id"])

    Output(as_json).emit(placement, show)


@app.command("end", cls=Command)
def end(
    case: CaseArgument,
    child: str = typer.Argument(..., metavar="CHILD", help="The child's name.", autocompletion=child_names),
    end_on: dt.date = typer.Option(
        ..., "--end", parser=as_date, metavar="DATE", help="The child's last day there."
    ),
    reason: str = typer.Option(
        ..., "--reason", parser=as_reason, metavar="TEXT", help="Why it ended (reunified, adopted …)."
    ),
    as_json: Json = False,
) -> None:
    """End a child's open placement.

    \b
    Example:
      caseload placement end 2026-0001 Mateo --end today --reason reunified
    """
    from caseload.render.output import Output, say
    from caseload.services import cases

    placement = cases.end_placement(database(), case, child, end_on, reason)

    def show() -> None:
        say(f"Ended the placement of {placement['child']} on {placement['end_on']}.")

    Output(as_json).emit(placement, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: CaseArgument,
    *,
    out: "Output",
) -> None:
    """List a case's placements, past and current.

    \b
    Example:
      caseload placement list 2026-0001
    """
    from caseload.services import cases

    placements = cases.list_placements(database(), case)
    out.table(
        placements,
        [
            ("id", "Id"),
            ("child", "Child"),
            ("setting", "Setting"),
            ("provider", "Provider"),
            ("start_on", "Start"),
            ("end_on", "End"),
            ("end_reason", "Reason"),
            ("removed_on", "Removed"),
        ],
    )


@app.command("update", cls=Command)
def update(
    placement_id: int = typer.Argument(..., metavar="ID", help="The placement's id (placement list)."),
    start: dt.date = typer.Option(
        None, "--start", parser=as_date, metavar="DATE", help="Correct the first day."
    ),
    end: dt.date = typer.Option(
        None, "--end", parser=as_date, metavar="DATE", help="Correct the last day of an ended placement."
    ),
    removed: dt.date = typer.Option(
        None, "--removed", parser=as_date, metavar="DATE", help="Correct the removal date."
    ),
    adjudicated: dt.date = typer.Option(
        None, "--adjudicated", parser=as_date, metavar="DATE", help="Correct the adjudication date."
    ),
    as_json: Json = False,
) -> None:
    """Correct a placement's dates (audited; each change is printed before → after).

    \b
    Example:
      caseload placement update 1 --start 2026-02-26 --removed 2026-02-26
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import corrections

    placement = corrections.update_placement(
        database(), placement_id, start_on=start, end_on=end, removed_on=removed, adjudicated_on=adjudicated
    )
    say(f"Corrected placement {placement['id']} ({placement['child']}, case {placement['case_number']}):")
    say_changes(placement.pop("changes"))
    Output(as_json).emit(placement)
