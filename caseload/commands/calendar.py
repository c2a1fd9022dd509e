"""`caseload calendar`: due items and hearings as an .ics file for Outlook or Google Calendar."""

import datetime as dt
from pathlib import Path

import typer

from caseload.commands import as_date, database


def calendar(
    output: Path = typer.Option(
        None, "-o", "--output", metavar="PATH.ics", help="Write here (0600) [default: stdout]."
    ),
    as_of: dt.date = typer.Option(
        None, "--as-of", parser=as_date, metavar="DATE", help="Start [default: today]."
    ),
    days: int = typer.Option(30, "--days", min=1, max=366, help="How many days ahead."),
    worker: str = typer.Option(
        None, "--worker", help="Only this worker's cases [default: $CASELOAD_WORKER, else all]."
    ),
    all_: bool = typer.Option(False, "--all", help="Every worker's cases."),
) -> None:
    """Export what is due and the hearings of the next N days as an iCalendar file.

    Re-importing a newer file updates the same events (stable UIDs). Example: caseload calendar -o due.ics --days 14
    """
    import sys

    from caseload import clock
    from caseload.errors import UsageProblem
    from caseload.render.files import write_private
    from caseload.render.output import say
    from caseload.services.calendar import build_calendar
    from caseload.settings import default_worker_filter
    from caseload.standards import load_standards

    if all_ and worker:
        raise UsageProblem("give --worker or --all, not both")
    worker_id = None if all_ else (worker or default_worker_filter())
    ics, events = build_calendar(
        database(), load_standards(), as_of=as_of or clock.today(), days=days, worker_id=worker_id
    )
    if output is None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()
    else:
        write_private(output, ics)
        say(f"Wrote {events} events to {output}.")
