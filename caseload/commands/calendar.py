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
    redact: bool = typer.Option(False, "--redact", help="Children's names as initials in the events."),
    force: bool = typer.Option(False, "--force", help="Replace the -o file if it exists."),
) -> None:
    """Export what is due and the hearings of the next N days as an iCalendar file.

    Re-importing a newer file updates the same events (stable UIDs). Example: caseload calendar -o due.ics --days 14
    """
    import sys
    from contextlib import ExitStack

    from caseload import clock
    from caseload.errors import UsageProblem
    from caseload.render.files import check_target, database_file, staged
    from caseload.render.output import say
    from caseload.rules.standards import load_standards
    from caseload.services.calendar import build_calendar, record_calendar
    from caseload.settings import default_worker_filter

    if all_ and worker:
        raise UsageProblem("give --worker or --all, not both")
    db = database()
    if output is not None:
        check_target(output, force=force, database=database_file(db))
    worker_id = None if all_ else (worker or default_worker_filter())
    ics, events = build_calendar(
        db, load_standards(), as_of=as_of or clock.today(), days=days, worker_id=worker_id, redact=redact
    )

    def to_stdout() -> None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()

    with ExitStack() as stack:
        deliver = to_stdout
        if output is not None:
            deliver = stack.enter_context(staged(output, ics, force=force, database=database_file(db)))
        record_calendar(db, events, worker_id, days, redact, deliver)
    if output is not None:
        say(f"Wrote {events} events to {output}.")
