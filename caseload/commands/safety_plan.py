"""`caseload safety-plan …`: a family's safety plan and its review date."""

import datetime as dt

import typer

from caseload.commands import CaseArgument, Command, Json, as_date, as_text, database, required_text

app = typer.Typer(
    help="Safety plans: add a plan with a review date, record its review.", no_args_is_help=True
)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date of the plan [default: today]."
    ),
    text: str = typer.Option(
        ..., "--text", parser=required_text("--text"), metavar="TEXT", help="What the plan says."
    ),
    review_by: dt.date = typer.Option(
        None, "--review-by", parser=as_date, metavar="DATE", help="Review the plan by this date."
    ),
    as_json: Json = False,
) -> None:
    """Record a safety plan; its review date is listed by `overdue` until it is reviewed or replaced.

    \b
    Example:
      caseload safety-plan add 2026-0001 \\
        --text "Grandmother supervises all contact." --review-by 2026-04-15
    """
    from caseload import clock
    from caseload.render.output import Output, say
    from caseload.services import assessments

    plan = assessments.add_safety_plan(database(), case, date or clock.today(), text, review_by)

    def show() -> None:
        say(f"Recorded the safety plan of {plan['plan_on']} for case {plan['case_number']}.")
        typer.echo(plan["id"])

    Output(as_json).emit(plan, show)


@app.command("review", cls=Command)
def review(
    case: CaseArgument,
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date reviewed [default: today]."
    ),
    note: str = typer.Option(None, "--note", parser=as_text, metavar="TEXT"),
    as_json: Json = False,
) -> None:
    """Record the review of the case's latest safety plan.

    \b
    Example:
      caseload safety-plan review 2026-0001 --note "Plan still holds."
    """
    from caseload import clock
    from caseload.render.output import Output, say
    from caseload.services import assessments

    plan = assessments.review_safety_plan(database(), case, date or clock.today(), note)

    def show() -> None:
        say(f"Recorded the review of the safety plan of {plan['plan_on']} on {plan['reviewed_on']}.")

    Output(as_json).emit(plan, show)
