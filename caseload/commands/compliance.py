"""`caseload compliance`: the federal monthly caseworker visit measure (42 U.S.C. 622(b)(17), 624(f))."""

import datetime as dt
from typing import TYPE_CHECKING, Any

import typer

from caseload.commands import (
    All,
    Case,
    Team,
    Worker,
    as_date,
    as_month,
    database,
    output_options,
    scope,
)

if TYPE_CHECKING:
    from caseload.render.output import Output


@output_options(csv=False)
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
    by_month: bool = typer.Option(
        False,
        "--by-month",
        help="The measure month by month, for the unit and each worker: a table and a chart.",
    ),
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    case: Case = None,
    *,
    out: "Output",
) -> None:
    """Visited child-months (standard: 95%) and visits in the child's residence (standard: 50%).

    Only months that ended before --as-of count.

    \b
    Example:
      caseload compliance --from 2025-10 --to 2026-03 --all
      caseload compliance --by-month --all
    """
    from caseload import clock
    from caseload.render import views
    from caseload.services import compliance as service

    who = scope(worker, all_, case, team)
    as_of = as_of or clock.today()
    first, last = service.period(as_of, from_, to)
    result = service.compliance(
        database(), as_of=as_of, first=first, last=last, worker_id=who.worker, case_number=case, team=who.team
    )

    if by_month:
        trend = service.trend(result)
        out.emit(trend.to_json(), lambda: views.print_compliance_by_month(result, trend, wide=out.wide))
        return

    def show() -> None:
        views.print_compliance(result, wide=out.wide)

    out.emit(result.measure.to_json(), show)
