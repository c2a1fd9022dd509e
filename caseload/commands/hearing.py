"""`caseload hearing …`: court hearings and the written report due before each."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    All,
    Case,
    Command,
    Json,
    Team,
    Worker,
    as_date,
    as_hearing_type,
    as_name,
    as_reason,
    as_text,
    database,
    one_case,
    one_of,
    output_options,
    scope,
    vocab,
)
from caseload.commands.complete import case_numbers

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(
    help="Court hearings: add (report due date derived), continue, cancel, filed, list.", no_args_is_help=True
)

HEARING_COLUMNS = [
    ("id", "Id"),
    ("case_number", "Case"),
    ("hearing_on", "Hearing"),
    ("type", "Type"),
    ("court", "Court"),
    ("report_due_on", "Report due"),
    ("days_to_report_due", "Days to due"),
    ("report_filed_on", "Filed"),
    ("report_status", "Report"),
    ("history", "History"),
]


@app.command("add", cls=Command)
def add(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers, metavar="CASE"),
    date: dt.date = typer.Option(..., "--date", parser=as_date, metavar="DATE", help="Date of the hearing."),
    hearing_type: str = typer.Option(
        ...,
        "--type",
        parser=as_hearing_type,
        metavar="TYPE",
        help=f"{one_of(vocab.HEARING_TYPES)}.",
    ),
    court: str = typer.Option(None, "--court", parser=as_name, metavar="TEXT"),
    as_json: Json = False,
) -> None:
    """Add a hearing; prints its id and when the court report is due (court_report_lead_days before,
    moved back over weekends and court holidays).

    \b
    Example:
      caseload hearing add 2026-0001 --date 2026-06-04 --type review \\
        --court "Juvenile Court, Dept. 3"
    """
    from caseload.render.output import Output, say
    from caseload.services import plans
    from caseload.standards import load_standards

    hearing = plans.add_hearing(database(), case, date, hearing_type, court, load_standards())
    for warning in hearing.pop("warnings"):
        say(f"Warning: {warning}")

    def show() -> None:
        say(
            f"Added the {hearing['type']} hearing of {hearing['hearing_on']} (hearing {hearing['id']}); "
            f"court report due {hearing['report_due_on']}."
        )
        typer.echo(hearing["id"])

    Output(as_json).emit(hearing, show)


@app.command("filed", cls=Command)
def filed(
    hearing_id: int = typer.Argument(..., metavar="ID"),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date filed [default: today]."
    ),
    as_json: Json = False,
) -> None:
    """Record that the court report for a hearing was filed.

    \b
    Example:
      caseload hearing filed 2 --date 2026-03-31
    """
    from caseload.render.output import Output, say
    from caseload.services import plans

    hearing = plans.file_report(database(), hearing_id, date)

    def show() -> None:
        say(f"Court report for the hearing of {hearing['hearing_on']} filed on {hearing['report_filed_on']}.")

    Output(as_json).emit(hearing, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: str = typer.Argument(
        None, help="Case number (the same as --case).", autocompletion=case_numbers, metavar="[CASE]"
    ),
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    case_option: Case = None,
    *,
    out: "Output",
) -> None:
    """Hearings with their report due dates and whether the report is filed.

    \b
    Example:
      caseload hearing list 2026-0001
    """
    from caseload.render.changes import hearing_rows
    from caseload.services import plans

    case = one_case(case, case_option)
    who = scope(worker, all_, case, team)
    hearings = plans.list_hearings(database(), case, worker_id=who.worker, team=who.team)
    out.table(
        hearing_rows(hearings),
        HEARING_COLUMNS,
        data=hearings,
        row_style=lambda h: "red" if h["report_status"] == "overdue" else None,
        # on a laptop the report's status outranks the court, the day count and the history
        hide_first=("court", "history", "days_to_report_due"),
    )


@app.command("continue", cls=Command)
def continue_(
    hearing_id: int = typer.Argument(..., metavar="ID"),
    to: dt.date = typer.Option(
        ..., "--to", parser=as_date, metavar="DATE", help="The new date of the hearing."
    ),
    reason: str = typer.Option(
        None, "--reason", parser=as_text, metavar="TEXT", help="Why it was continued."
    ),
    as_json: Json = False,
) -> None:
    """Continue (reschedule) a hearing to another date: the court report due date is derived again;
    the old date stays in the hearing's history (audited).

    \b
    Example:
      caseload hearing continue 2 --to 2026-06-18 \\
        --reason "continued at the parent's request"
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import corrections
    from caseload.standards import load_standards

    hearing = corrections.continue_hearing(database(), hearing_id, to, reason, load_standards())
    say(f"Continued hearing {hearing['id']} ({hearing['type']}, case {hearing['case_number']}):")
    say_changes(hearing.pop("changes"))
    for warning in hearing.pop("warnings"):
        say(f"Warning: {warning}")
    Output(as_json).emit(hearing)


@app.command("cancel", cls=Command)
def cancel(
    hearing_id: int = typer.Argument(..., metavar="ID"),
    reason: str = typer.Option(
        ..., "--reason", parser=as_reason, metavar="TEXT", help="Why it was cancelled."
    ),
    as_json: Json = False,
) -> None:
    """Cancel a hearing: no court report is due for it any more; it stays listed (audited).

    \b
    Example:
      caseload hearing cancel 2 --reason "vacated by the court"
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import corrections

    hearing = corrections.cancel_hearing(database(), hearing_id, reason)
    say(f"Cancelled the {hearing['type']} hearing of {hearing['hearing_on']} (hearing {hearing['id']}):")
    say_changes(hearing.pop("changes"))
    Output(as_json).emit(hearing)
