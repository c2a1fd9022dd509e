"""`caseload compliance`: the federal monthly caseworker visit measure (42 U.S.C. 622(b)(17), 624(f))."""

import datetime as dt
from typing import Any

import typer

from caseload.commands import as_date, as_month, database
from caseload.commands.complete import case_numbers


def compliance(
    from_: Any = typer.Option(
        None,
        "--from",
        parser=as_month,
        metavar="YYYY-MM",
        help="First month [default: October of the fiscal year].",
    ),
    to: Any = typer.Option(
        None, "--to", parser=as_month, metavar="YYYY-MM", help="Last month [default: the last ended month]."
    ),
    as_of: dt.date = typer.Option(
        None, "--as-of", parser=as_date, metavar="DATE", help="Judge as of this date [default: today]."
    ),
    worker: str = typer.Option(
        None, "--worker", help="Only this worker's cases [default: $CASELOAD_WORKER, else all]."
    ),
    all_: bool = typer.Option(False, "--all", help="Every worker's cases."),
    case: str = typer.Option(None, "--case", help="Only this case.", autocompletion=case_numbers),
    as_json: bool = typer.Option(False, "--json", help="Print the SPEC JSON object."),
) -> None:
    """Visited child-months (standard: 95%) and visits in the child's residence (standard: 50%).

    Only months that ended before --as-of count. Example: caseload compliance --from 2025-10 --to 2026-03 --all
    """
    from caseload import clock
    from caseload.errors import UsageProblem
    from caseload.render import views
    from caseload.render.output import print_json
    from caseload.services import compliance as service
    from caseload.settings import default_worker_filter

    if all_ and worker:
        raise UsageProblem("give --worker or --all, not both")
    as_of = as_of or clock.today()
    first, last = service.period(as_of, from_, to)
    worker_id = None if (all_ or case) else (worker or default_worker_filter())
    result = service.compliance(
        database(), as_of=as_of, first=first, last=last, worker_id=worker_id, case_number=case
    )
    if as_json:
        print_json(result.measure.to_json())
    else:
        views.print_compliance(result)
