"""`caseload calendar`: the ICS parses back with the right dates and keeps its UIDs across runs."""

import datetime as dt
import os
import stat

import icalendar


def events(ics_bytes):
    calendar = icalendar.Calendar.from_ical(ics_bytes)
    return {str(e["summary"]): (e.decoded("dtstart"), str(e["uid"])) for e in calendar.walk("VEVENT")}


def test_due_items_become_dated_events_with_stable_uids(rivera, tmp_path):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-05")
    target = tmp_path / "due.ics"
    rivera.ok("calendar", "-o", target, "--days", "30")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    found = events(target.read_bytes())
    # seen 2026-03-05 → April's visit due 2026-04-30, inside 30 days of 2026-04-01
    day, uid = found["2026-0142 visit: Maya Rivera"]
    assert day == dt.date(2026, 4, 30)
    # a month later, after the April visit, the same event moves to the end of May
    rivera.today("2026-04-20")
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-04-20")
    later = events(rivera.ok("calendar", "--days", "45").stdout.encode())
    assert later["2026-0142 visit: Maya Rivera"] == (dt.date(2026, 5, 31), uid)


def test_overdue_items_sit_on_today_and_the_export_is_audited(rivera):
    found = events(rivera.ok("calendar").stdout.encode())
    # placed 2026-01-10 and never visited: January's visit overdue since 2026-01-31, shown on 2026-04-01
    assert found["OVERDUE since 2026-01-31: 2026-0142 visit: Maya Rivera"][0] == dt.date(2026, 4, 1)
    assert any(e["action"] == "export" and e["entity"] == "calendar" for e in rivera.json("audit"))
