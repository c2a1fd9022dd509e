"""`caseload plan review`: record a case-plan review (restarts the plan-review clock)."""

import datetime as dt

import typer

from caseload.commands import CaseArgument, Command, Json, as_date, as_text, database

app = typer.Typer(help="The case plan: record its periodic reviews.", no_args_is_help=True)


@app.command("review", cls=Command)
def review(
    case: CaseArgument,
    date: dt.date = typer.Option(..., "--date", parser=as_date, metavar="DATE", help="Date of the review."),
    note: str = typer.Option(None, "--note", parser=as_text, metavar="TEXT"),
    as_json: Json = False,
) -> None:
    """Record a case-plan review.

    \b
    Example:
      caseload plan review 2026-0001 --date today --note "Family team meeting."
    """
    from caseload.render.output import Output, say
    from caseload.services import plans

    reviewed = plans.review_plan(database(), case, date, note)

    def show() -> None:
        say(f"Recorded the plan review of {reviewed['review_on']} for case {reviewed['case_number']}.")
        typer.echo(reviewed["id"])

    Output(as_json).emit(reviewed, show)
