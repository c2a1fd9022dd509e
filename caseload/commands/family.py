"""`caseload family …`: cases, one per family."""

import datetime as dt

import typer

from caseload.commands import JsonFlag, as_date, as_name, as_program, as_risk, as_text, database
from caseload.commands.complete import case_numbers

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


@app.command("add")
def add(
    case: str = typer.Argument(
        ..., help="Case number, e.g. 2026-0142.", parser=as_name, autocompletion=case_numbers
    ),
    name: str = typer.Option(..., "--name", parser=as_name, metavar="TEXT", help="Family name, e.g. Rivera."),
    program: str = typer.Option(
        ...,
        "--program",
        parser=as_program,
        metavar="PROGRAM",
        help="foster_care, in_home or family_preservation.",
    ),
    risk: str = typer.Option(
        "moderate", "--risk", parser=as_risk, metavar="RISK", help="low, moderate, high or very_high."
    ),
    opened: dt.date = typer.Option(
        None, "--opened", parser=as_date, metavar="DATE", help="Date the case opened [default: today]."
    ),
    worker: str = typer.Option(
        None, "--worker", help="Assigned worker id [default: $CASELOAD_WORKER if registered]."
    ),
    county: str = typer.Option(None, "--county", parser=as_name, metavar="TEXT"),
    docket: str = typer.Option(None, "--docket", parser=as_name, metavar="TEXT", help="Court docket number."),
    as_json: bool = JsonFlag,
) -> None:
    """Open a case.  Example: caseload family add 2026-0142 --name Rivera --program foster_care --risk high"""
    from caseload.render.output import print_json, say
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
    if as_json:
        print_json(family)
    else:
        say(f"Opened case {family['case_number']} ({family['name']}, {family['program']}).")
        typer.echo(family["case_number"])


@app.command("list")
def list_(
    worker: str = typer.Option(
        None, "--worker", help="Only this worker's cases [default: $CASELOAD_WORKER]."
    ),
    all_: bool = typer.Option(False, "--all", help="Every worker's cases."),
    program: str = typer.Option(None, "--program", parser=as_program, metavar="PROGRAM"),
    closed: bool = typer.Option(False, "--closed", help="Closed cases instead of open ones."),
    as_json: bool = JsonFlag,
) -> None:
    """List open cases.  Example: caseload family list --all --program foster_care"""
    from caseload.render.output import print_json, print_table
    from caseload.services import cases
    from caseload.settings import default_worker_filter

    worker_id = None if all_ else (worker or default_worker_filter())
    families = cases.list_families(database(), worker_id=worker_id, program=program, closed=closed)
    if as_json:
        print_json(families)
    else:
        print_table(families, FAMILY_COLUMNS)


@app.command("show")
def show(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    as_json: bool = JsonFlag,
) -> None:
    """Show a case: members, current placements, latest visits, open goals."""
    from caseload.render import views
    from caseload.render.output import print_json
    from caseload.services import cases

    family = cases.show_family(database(), case)
    if as_json:
        print_json(family)
    else:
        views.print_family(family)


@app.command("update")
def update(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    name: str = typer.Option(None, "--name", parser=as_name, metavar="TEXT"),
    program: str = typer.Option(None, "--program", parser=as_program, metavar="PROGRAM"),
    risk: str = typer.Option(None, "--risk", parser=as_risk, metavar="RISK"),
    worker: str = typer.Option(None, "--worker", help="Reassign to this worker id."),
    county: str = typer.Option(None, "--county", parser=as_name, metavar="TEXT"),
    docket: str = typer.Option(None, "--docket", parser=as_name, metavar="TEXT"),
    as_json: bool = JsonFlag,
) -> None:
    """Change a case's details (audited).  Example: caseload family update 2026-0142 --risk very_high"""
    from caseload.render.output import print_json, say
    from caseload.services import cases

    changes = {
        "name": name,
        "program": program,
        "risk": risk,
        "worker_id": worker,
        "county": county,
        "docket": docket,
    }
    family = cases.update_family(database(), case, changes)
    if as_json:
        print_json(family)
    else:
        say(f"Updated case {family['case_number']}.")


@app.command("close")
def close(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    date: dt.date = typer.Option(..., "--date", parser=as_date, metavar="DATE", help="Closing date."),
    reason: str = typer.Option(..., "--reason", parser=as_text, metavar="TEXT", help="Why the case closed."),
    as_json: bool = JsonFlag,
) -> None:
    """Close a case; nothing is due on a closed case.  Example: caseload family close 2026-0142 --date today --reason reunified"""
    from caseload.errors import UsageProblem
    from caseload.render.output import print_json, say
    from caseload.services import cases

    if not reason:
        raise UsageProblem("--reason must not be empty")
    family = cases.close_family(database(), case, date, reason)
    if as_json:
        print_json(family)
    else:
        say(f"Closed case {family['case_number']} on {family['closed_on']}.")


@app.command("cover")
def cover(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    worker: str = typer.Option(..., "--worker", help="The colleague who covers the case."),
    until: dt.date = typer.Option(
        ..., "--until", parser=as_date, metavar="DATE", help="Last day of the cover."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Let a colleague cover a case until a date (a worker on leave; audited, ends by itself).
    Example: caseload family cover 2026-0142 --worker ldoe --until 2026-05-01"""
    from caseload.render.output import print_json, say
    from caseload.services import access

    found = access.cover_family(database(), case, worker, until)
    if as_json:
        print_json(found)
    else:
        say(f"{found['worker_id']} covers case {found['case_number']} until {found['until_on']}.")
