"""`caseload calendar`: due items and hearings as an .ics file for Outlook or Google Calendar."""

import datetime as dt

import typer

from caseload.commands import All, Force, OutputPath, Team, Worker, as_date, database, scope


def calendar(
    output: OutputPath = None,
    force: Force = False,
    as_of: dt.date = typer.Option(
        None, "--as-of", parser=as_date, metavar="DATE", help="Start [default: today]."
    ),
    days: int = typer.Option(30, "--days", metavar="N", min=1, max=366, help="How many days ahead."),
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    redact: bool = typer.Option(False, "--redact", help="Children's names as initials in the events."),
) -> None:
    """Export what is due and the hearings of the next N days as an iCalendar file.

    Re-importing a newer file updates the same events (stable UIDs).

    \b
    Example:
      caseload calendar -o due.ics --days 14
    """
    from caseload import clock
    from caseload.render.files import check_target, database_file
    from caseload.render.output import say, write_recorded
    from caseload.services.calendar import build_calendar, record_calendar
    from caseload.standards import load_standards

    who = scope(worker, all_, team=team)
    db = database()
    if output is not None:
        check_target(output, force=force, database=database_file(db))
    ics, events = build_calendar(
        db,
        load_standards(),
        as_of=as_of or clock.today(),
        days=days,
        worker_id=who.worker,
        team=who.team,
        redact=redact,
    )
    write_recorded(
        ics,
        output,
        lambda deliver: record_calendar(db, events, who.worker, days, redact, deliver),
        force=force,
        database=database_file(db),
    )
    if output is not None:
        say(f"Wrote {events} events to {output}.")
