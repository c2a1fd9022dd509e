"""Due items and hearings as an iCalendar file, for the calendars caseworkers already live in.

Each event has a UID built from what it is about (kind, case, subject), not from its date, so
importing a newer file moves an event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from caseload import clock
from caseload.rules.due import OVERDUE, due_items, sort_items
from caseload.services.common import disclose, require_worker
from caseload.services.due import CourtClosedDays
from caseload.store.db import Database
from caseload.store.facts import CaseFilter, case_facts

if TYPE_CHECKING:
    from caseload.rules.standards_model import Standards


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]
    return f"{digest}@caseload"


def build_calendar(
    db: Database,
    standards: Standards,
    *,
    as_of: dt.date,
    days: int,
    worker_id: str | None,
    redact: bool = False,
    team: bool = False,
) -> tuple[bytes, int]:
    """The ICS text and its number of events: items due up to `days` ahead (overdue ones on
    `as_of`, marked OVERDUE) and the hearings in the window; `redact`: children's names as initials
    (calendars are shared and synced to phones). Hand it over with `record_calendar`."""
    from icalendar import Calendar, Event

    from caseload.render.safe_text import for_terminal, one_line
    from caseload.reports.redact import name_redactor

    with db.read() as rows:
        require_worker(rows, worker_id)
        facts = case_facts(rows, CaseFilter(as_of=as_of, worker_id=worker_id, team=team, covers=True))
    closed = CourtClosedDays(standards)
    items = sort_items(
        i for case in facts for i in due_items(case, standards, as_of, days, court_closed=closed)
    )
    calendar = Calendar()
    calendar.add("prodid", "-//caseload//caseload calendar//EN")
    calendar.add("version", "2.0")
    stamp = clock.now()
    events = 0

    hide = {
        case.case_number: name_redactor([child.name for child in case.children]) if redact else str
        for case in facts
    }

    def add(uid: str, day: dt.date, summary: str, description: str, case_number: str) -> None:
        nonlocal events
        summary, description = (
            one_line(hide[case_number](summary)),
            for_terminal(hide[case_number](description)),
        )
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        calendar.add_component(event)
        events += 1

    for item in items:
        overdue = item.status == OVERDUE
        day = as_of if overdue else item.due_on
        prefix = f"OVERDUE since {item.due_on}: " if overdue else ""
        add(
            _uid(item.kind, item.case_number, item.subject),
            day,
            f"{prefix}{item.case_number} {item.kind.replace('_', ' ')}: {item.subject}",
            f"{item.rule}\nCase {item.case_number} ({item.family}), worker {item.worker or '-'}"
            + (f"\nLast contact {item.last_contact_on}" if item.last_contact_on else ""),
            item.case_number,
        )
    end = as_of + dt.timedelta(days=days)
    for case in facts:
        for hearing in case.hearings:
            if as_of <= hearing.hearing_on <= end:
                add(
                    _uid("hearing", case.case_number, str(hearing.id)),
                    hearing.hearing_on,
                    f"{case.case_number} {hearing.type} hearing ({case.family})",
                    f"Court report due {hearing.report_due_on or '-'}; "
                    f"{'filed ' + str(hearing.report_filed_on) if hearing.report_filed_on else 'not filed'}",
                    case.case_number,
                )
    return calendar.to_ical(), events


def record_calendar(
    db: Database, events: int, worker_id: str | None, days: int, redact: bool, deliver: Callable[[], None]
) -> None:
    """Log the calendar export (action "export"), then hand it over (services.common.disclose)."""
    detail = f"{events} events, worker {worker_id or 'all'}, {days} days" + ("; redacted" if redact else "")
    disclose(db, "export", "calendar", None, None, detail, deliver)
