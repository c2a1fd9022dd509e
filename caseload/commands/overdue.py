"""`caseload overdue`: what is overdue or due soon, worst first — the morning list."""

import datetime as dt

import typer

from caseload.commands import as_date, database
from caseload.commands.complete import case_numbers

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


def overdue(
    as_of: dt.date = typer.Option(
        None, "--as-of", parser=as_date, metavar="DATE", help="Judge as of this date [default: today]."
    ),
    within: int = typer.Option(
        None, "--within", min=0, max=366, metavar="DAYS", help="Due-soon window [default: due_soon_days, 7]."
    ),
    worker: str = typer.Option(
        None, "--worker", help="Only this worker's cases [default: $CASELOAD_WORKER, else all]."
    ),
    all_: bool = typer.Option(False, "--all", help="Every worker's cases."),
    case: str = typer.Option(None, "--case", help="Only this case.", autocompletion=case_numbers),
    as_json: bool = typer.Option(False, "--json", help="Print the SPEC JSON object."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV, one row per item."),
) -> None:
    """What is overdue or due within a week, worst first.

    Example: caseload overdue --as-of 2026-04-01 --within 14 --all
    """
    from caseload import clock
    from caseload.errors import UsageProblem
    from caseload.render.output import print_csv, print_json, print_table, say
    from caseload.services import due
    from caseload.settings import default_worker_filter
    from caseload.standards import load_standards

    if as_json and as_csv:
        raise UsageProblem("give --json or --csv, not both")
    if all_ and worker:
        raise UsageProblem("give --worker or --all, not both")
    standards = load_standards()
    as_of = as_of or clock.today()
    window = standards.due_soon_days if within is None else within
    worker_id = None if (all_ or case) else (worker or default_worker_filter())
    items = due.overdue(
        database(), standards, as_of=as_of, within=window, worker_id=worker_id, case_number=case
    )
    if as_json:
        print_json({"as_of": as_of, "within": window, "items": [item.to_json() for item in items]})
    elif as_csv:
        print_csv([item.to_json() for item in items], CSV_FIELDS)
    elif not items:
        say(f"Nothing overdue or due in the next {window} days.")
    else:
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
        print_table(
            rows,
            OVERDUE_COLUMNS,
            title=title,
            row_style=lambda r: "red" if r["status"] == "overdue" else "yellow",
        )


def _days_label(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"{days_overdue} late"
    return "today" if days_overdue == 0 else f"in {-days_overdue}"
