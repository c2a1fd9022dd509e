"""`caseload assess …`: structured assessments — SDM risk levels and CANS ratings."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    CaseArgument,
    Command,
    Json,
    as_date,
    as_instrument,
    as_risk,
    as_text,
    database,
    one_of,
    output_options,
    vocab,
)
from caseload.commands.complete import child_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Structured assessments: SDM risk, CANS needs and strengths.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    instrument: str = typer.Option(
        ..., "--instrument", parser=as_instrument, metavar="INSTRUMENT", help=f"{one_of(vocab.INSTRUMENTS)}."
    ),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date assessed [default: today]."
    ),
    level: str = typer.Option(
        None, "--level", parser=as_risk, metavar="RISK", help=f"SDM risk: {one_of(vocab.RISKS)}."
    ),
    score: int = typer.Option(
        None, "--score", min=0, metavar="N", help="SDM risk score, as the agency's form gives it."
    ),
    member: str = typer.Option(
        None, "--member", metavar="MEMBER", help="CANS: the child assessed.", autocompletion=child_names
    ),
    ratings: str = typer.Option(
        None,
        "--ratings",
        metavar="FILE_OR_INLINE",
        help="CANS: item=rating pairs (0-3), inline or in a file.",
    ),
    note: str = typer.Option(None, "--note", parser=as_text, metavar="TEXT"),
    as_json: Json = False,
) -> None:
    """Record an assessment's result. An SDM risk level holds the family to that level's visit
    interval from the assessment's date on.

    \b
    Examples:
      caseload assess add 2026-0001 --instrument sdm_risk --date 2026-03-10 \\
        --level high --score 9
      caseload assess add 2026-0001 --instrument cans --member Mateo \\
        --ratings sleep=2,anxiety=1,resilience=1
    """
    from caseload import clock
    from caseload.render.output import Output, say
    from caseload.services import assessments

    parsed = assessments.parse_ratings(ratings, assessments.cans_items()) if ratings is not None else None
    assessment = assessments.add_assessment(
        database(),
        case,
        instrument=instrument,
        assessed_on=date or clock.today(),
        level=level,
        score=score,
        member_name=member,
        ratings=parsed,
        note=note,
    )

    def show() -> None:
        if instrument == "sdm_risk":
            say(f"Recorded SDM risk {assessment['level']} from {assessment['assessed_on']} for case {case}.")
        else:
            items = ", ".join(assessment["actionable"]) or "none"
            say(
                f"Recorded CANS for {assessment['member']} on {assessment['assessed_on']}; actionable items: {items}."
            )
        typer.echo(assessment["id"])

    Output(as_json).emit(assessment, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: CaseArgument,
    *,
    out: "Output",
) -> None:
    """A case's assessments, oldest first; each CANS with its change since the child's previous one.

    \b
    Example:
      caseload assess list 2026-0001
    """
    from caseload.render import views
    from caseload.services import assessments

    found = assessments.list_assessments(database(), case)
    out.table(views.assessment_rows(found), views.ASSESSMENT_COLUMNS, data=found)
