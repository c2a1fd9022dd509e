"""`caseload hearing …`: court hearings and the written report due before each."""

import datetime as dt

import typer

from caseload.commands import JsonFlag, as_date, as_hearing_type, as_name, database
from caseload.commands.complete import case_numbers

app = typer.Typer(help="Court hearings: add (report due date derived), filed, list.", no_args_is_help=True)

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
]


@app.command("add")
def add(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    date: dt.date = typer.Option(..., "--date", parser=as_date, metavar="DATE", help="Date of the hearing."),
    hearing_type: str = typer.Option(
        ...,
        "--type",
        parser=as_hearing_type,
        metavar="TYPE",
        help="adjudication, disposition, review, permanency, tpr or other.",
    ),
    court: str = typer.Option(None, "--court", parser=as_name, metavar="TEXT"),
    as_json: bool = JsonFlag,
) -> None:
    """Add a hearing; prints its id and when the court report is due (court_report_lead_days before,
    moved back over weekends and court holidays).

    Example: caseload hearing add 2026-0142 --date 2026-05-04 --type review --court "Juvenile Court, Dept. 3"
    """
    from caseload.render.output import print_json, say
    from caseload.services import plans
    from caseload.standards import load_standards

    hearing = plans.add_hearing(database(), case, date, hearing_type, court, load_standards())
    if as_json:
        print_json(hearing)
    else:
        say(
            f"Added the {hearing['type']} hearing of {hearing['hearing_on']} (hearing {hearing['id']}); "
            f"court report due {hearing['report_due_on']}."
        )
        typer.echo(hearing["id"])


@app.command("filed")
def filed(
    hearing_id: int = typer.Argument(..., metavar="ID"),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date filed [default: today]."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Record that the court report for a hearing was filed.  Example: caseload hearing filed 7 --date 2026-04-23"""
    from caseload.render.output import print_json, say
    from caseload.services import plans

    hearing = plans.file_report(database(), hearing_id, date)
    if as_json:
        print_json(hearing)
    else:
        say(f"Court report for the hearing of {hearing['hearing_on']} filed on {hearing['report_filed_on']}.")


@app.command("list")
def list_(
    case: str = typer.Argument(None, help="Case number [default: every case].", autocompletion=case_numbers),
    as_json: bool = JsonFlag,
) -> None:
    """Hearings with their report due dates and whether the report is filed."""
    from caseload.render.output import print_json, print_table
    from caseload.services import plans

    hearings = plans.list_hearings(database(), case)
    if as_json:
        print_json(hearings)
    else:
        print_table(
            hearings, HEARING_COLUMNS, row_style=lambda h: "red" if h["report_status"] == "overdue" else None
        )
