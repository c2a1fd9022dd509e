"""`caseload family …`: cases, one per family."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    All,
    Command,
    Json,
    Team,
    Wide,
    Worker,
    as_date,
    as_name,
    as_program,
    as_reason,
    as_risk,
    database,
    one_of,
    output_options,
    scope,
    vocab,
)
from caseload.commands.complete import case_numbers

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Families (cases): add, list, show, update, close.", no_args_is_help=True)

FAMILY_COLUMNS = [
    ("case_number", "Case"),
    ("name", "Family"),
    ("program", "Program"),
    ("risk", "Risk"),
    ("worker_id", "Worker"),
    ("opened_on", "Opened"),
    ("children", "Children"),
    ("last_visit_on", "Last visit"),
]
# On a terminal too narrow for the list, the opening date and then the count of children give way
# before the family, program or worker is cut below NAME_ROOM characters (--wide shows them all).
FAMILY_NARROW_ORDER = ("opened_on", "children")
NAME_ROOM = 20


@app.command("add", cls=Command)
def add(
    case: str = typer.Argument(
        ..., help="Case number, e.g. 2026-0142.", parser=as_name, autocompletion=case_numbers, metavar="CASE"
    ),
    name: str = typer.Option(..., "--name", parser=as_name, metavar="TEXT", help="Family name, e.g. Rivera."),
    program: str = typer.Option(
        ...,
        "--program",
        parser=as_program,
        metavar="PROGRAM",
        help=f"{one_of(vocab.PROGRAMS)}.",
    ),
    risk: str = typer.Option(
        "moderate", "--risk", parser=as_risk, metavar="RISK", help=f"{one_of(vocab.RISKS)}."
    ),
    opened: dt.date = typer.Option(
        None, "--opened", parser=as_date, metavar="DATE", help="Date the case opened [default: today]."
    ),
    worker: str = typer.Option(
        None,
        "--worker",
        metavar="WORKER",
        help="Assigned worker id [default: $CASELOAD_WORKER if registered].",
    ),
    county: str = typer.Option(None, "--county", parser=as_name, metavar="TEXT"),
    docket: str = typer.Option(None, "--docket", parser=as_name, metavar="TEXT", help="Court docket number."),
    as_json: Json = False,
) -> None:
    """Open a case.

    \b
    Example:
      caseload family add 2026-0142 --name Rivera --program foster_care \\
        --risk high
    """
    from caseload.render.output import Output, say
    from caseload.services import cases

    family = cases.add_family(
        database(),
        case,
        name=name,
        program=program,
        risk=risk,
        opened_on=opened,
        worker_id=worker,
        county=county,
        docket=docket,
    )

    def show() -> None:
        say(f"Opened case {family['case_number']} ({family['name']}, {family['program']}).")
        typer.echo(family["case_number"])

    Output(as_json).emit(family, show)


@app.command("list", cls=Command)
@output_options
def list_(
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    program: str = typer.Option(
        None, "--program", parser=as_program, metavar="PROGRAM", help=f"{one_of(vocab.PROGRAMS)}."
    ),
    closed: bool = typer.Option(False, "--closed", help="Closed cases instead of open ones."),
    *,
    out: "Output",
) -> None:
    """List open cases.

    \b
    Example:
      caseload family list --all --program foster_care
    """
    from caseload.services import cases

    who = scope(worker, all_, team=team)
    families = cases.list_families(
        database(), worker_id=who.worker, program=program, closed=closed, team=who.team
    )
    out.table(families, FAMILY_COLUMNS, hide_first=FAMILY_NARROW_ORDER, useful=NAME_ROOM)


@app.command("show", cls=Command)
def show(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers, metavar="CASE"),
    as_json: Json = False,
    wide: Wide = False,
) -> None:
    """Show a case: members, current placements, latest visits, open goals.

    \b
    Example:
      caseload family show 2026-0001
    """
    from caseload.render import views
    from caseload.render.output import Output
    from caseload.services import cases

    family = cases.show_family(database(), case)

    def show() -> None:
        views.print_family(family, wide=wide)

    Output(as_json).emit(family, show)


@app.command("update", cls=Command)
def update(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers, metavar="CASE"),
    name: str = typer.Option(None, "--name", parser=as_name, metavar="TEXT"),
    program: str = typer.Option(
        None, "--program", parser=as_program, metavar="PROGRAM", help=f"{one_of(vocab.PROGRAMS)}."
    ),
    risk: str = typer.Option(None, "--risk", parser=as_risk, metavar="RISK", help=f"{one_of(vocab.RISKS)}."),
    worker: str = typer.Option(None, "--worker", metavar="WORKER", help="Reassign to this worker id."),
    county: str = typer.Option(None, "--county", parser=as_name, metavar="TEXT"),
    docket: str = typer.Option(None, "--docket", parser=as_name, metavar="TEXT"),
    opened: dt.date = typer.Option(
        None,
        "--opened",
        parser=as_date,
        metavar="DATE",
        help="Correct the date the case opened (refused if a record of the case is dated before it).",
    ),
    as_json: Json = False,
) -> None:
    """Change a case's details (audited; each change is printed before → after).

    \b
    Example:
      caseload family update 2026-0001 --risk very_high
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import cases
    from caseload.standards import load_standards

    changes = {
        "name": name,
        "program": program,
        "risk": risk,
        "worker_id": worker,
        "county": county,
        "docket": docket,
        "opened_on": opened,
    }
    family = cases.update_family(database(), case, changes, load_standards().max_child_age_years)
    say_changes(family.pop("changes"))

    def show() -> None:
        say(f"Updated case {family['case_number']}.")

    Output(as_json).emit(family, show)


@app.command("close", cls=Command)
def close(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers, metavar="CASE"),
    date: dt.date = typer.Option(..., "--date", parser=as_date, metavar="DATE", help="Closing date."),
    reason: str = typer.Option(
        ..., "--reason", parser=as_reason, metavar="TEXT", help="Why the case closed."
    ),
    as_json: Json = False,
) -> None:
    """Close a case; nothing is due on a closed case.

    \b
    Example:
      caseload family close 2025-0002 --date today --reason "case plan completed"
    """
    from caseload.render.output import Output, say
    from caseload.services import cases

    family = cases.close_family(database(), case, date, reason)

    def show() -> None:
        say(f"Closed case {family['case_number']} on {family['closed_on']}.")

    Output(as_json).emit(family, show)


@app.command("cover", cls=Command)
def cover(
    case: str = typer.Argument(..., metavar="CASE", help="Case number.", autocompletion=case_numbers),
    worker: str = typer.Option(..., "--worker", metavar="WORKER", help="The colleague who covers the case."),
    until: dt.date = typer.Option(
        ..., "--until", parser=as_date, metavar="DATE", help="Last day of the cover."
    ),
    as_json: Json = False,
) -> None:
    """Let a colleague cover a case until a date (a worker on leave; audited, ends by itself).

    \b
    Example:
      caseload family cover 2026-0001 --worker ltran --until 2026-05-01
    """
    from caseload.render.output import Output, say
    from caseload.services import access

    found = access.cover_family(database(), case, worker, until)
    Output(as_json).emit(
        found,
        lambda: say(f"{found['worker_id']} covers case {found['case_number']} until {found['until_on']}."),
    )
