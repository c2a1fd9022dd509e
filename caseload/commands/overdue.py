"""`caseload overdue`: what is overdue or due soon, worst first — the morning list."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    All,
    Case,
    Team,
    Worker,
    as_date,
    database,
    output_options,
    scope,
)

if TYPE_CHECKING:
    from caseload.render.output import Output

OVERDUE_COLUMNS = [
    ("status_label", "Status"),
    ("due_on", "Due"),
    ("days", "Days"),
    ("case_number", "Case"),
    ("family", "Family"),
    ("kind", "Kind"),
    ("subject", "Subject"),
    ("last_contact_on", "Last contact"),
    ("rule", "Rule"),
]
# On a terminal too narrow for the morning list, these give way, in this order, before the subject
# is cut below SUBJECT_ROOM characters: the rule (the kind says it in short), the family (the case
# number names it), the last contact, the status (Days says "late" or "in N", and the row's colour
# says it too), the kind's long names (KIND_SHORT), and last the worker column of several workers' items.
NARROW_ORDER = ("rule", "family", "last_contact_on", "status_label", "kind", "worker")
SUBJECT_ROOM = 24
KIND_SHORT = {
    "court_report": "report",
    "plan_review": "plan",
    "permanency_hearing": "permanency",
    "asfa_15_of_22": "asfa",
    "assessment": "assess",
    "safety_plan": "safety",
}
CSV_FIELDS = (
    "kind",
    "status",
    "case_number",
    "family",
    "worker",
    "subject",
    "due_on",
    "days_overdue",
    "last_contact_on",
    "rule",
)


@output_options
def overdue(
    as_of: dt.date = typer.Option(
        None, "--as-of", parser=as_date, metavar="DATE", help="Judge as of this date [default: today]."
    ),
    within: int = typer.Option(
        None, "--within", min=0, max=366, metavar="DAYS", help="Due-soon window [default: due_soon_days, 7]."
    ),
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    case: Case = None,
    *,
    out: "Output",
) -> None:
    """What is overdue or due within a week, worst first.

    \b
    Example:
      caseload overdue --as-of 2026-04-01 --within 14 --all
    """
    from caseload import clock
    from caseload.render.output import print_table, say
    from caseload.services import due
    from caseload.standards import load_standards

    who = scope(worker, all_, case, team)
    standards = load_standards()
    as_of = as_of or clock.today()
    window = standards.due_soon_days if within is None else within
    items = due.overdue(
        database(),
        standards,
        as_of=as_of,
        within=window,
        worker_id=who.worker,
        case_number=case,
        team=who.team,
    )

    def show() -> None:
        if not items:
            say(f"Nothing overdue or due in the next {window} days.")
            if who.worker and not who.team:
                _hint_team(who.worker)
            return
        rows = [
            {
                **item.to_json(),
                "status_label": "OVERDUE" if item.status == "overdue" else "due soon",
                "days": _days_label(item.days_overdue),
            }
            for item in items
        ]
        title = (
            f"As of {as_of}: {sum(i.status == 'overdue' for i in items)} overdue, "
            f"{sum(i.status == 'due_soon' for i in items)} due within {window} days"
        )
        columns = OVERDUE_COLUMNS
        if len({item.worker for item in items}) > 1:  # a team's or everyone's items: whose item
            columns = [*columns[:4], ("worker", "Worker"), *columns[4:]]
        print_table(
            rows,
            columns,
            title=title,
            row_style=lambda r: "red" if r["status"] == "overdue" else "yellow",
            wide=out.wide,
            hide_first=NARROW_ORDER,
            short={"kind": KIND_SHORT},
            useful=SUBJECT_ROOM,
        )

    rows = [item.to_json() for item in items]
    out.emit({"as_of": as_of, "within": window, "items": rows}, show, csv_rows=rows, csv_fields=CSV_FIELDS)


def _hint_team(worker_id: str) -> None:
    """`--worker` of a supervisor shows her own cases only: say where her team's are."""
    from caseload.render.output import say
    from caseload.services.cases import team

    under = len(team(database(), worker_id)) - 1
    if under:
        say(f"{worker_id} supervises {under} worker{'s' if under > 1 else ''}: --team shows their cases too.")


def _days_label(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"{days_overdue} late"
    return "today" if days_overdue == 0 else f"in {-days_overdue}"
