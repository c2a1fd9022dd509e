"""One court-report status (rules.due.court_report_status), the same from every command that shows it."""

import pytest

# Rivera, today 2026-04-01, court_report_lead_days 10, due_soon_days 7 (the shipped standards):
HEARINGS = [
    # (date, type, filed on, expected status on 2026-04-01)
    ("2026-03-02", "adjudication", None, "not filed"),  # held before today without a report
    ("2026-04-09", "disposition", None, "overdue"),  # Thu; due Mon 03-30, 2 days ago
    ("2026-04-16", "review", None, "due_soon"),  # Thu; due Mon 04-06, 5 days ahead (<= 7)
    ("2026-04-20", "permanency", "2026-03-31", "filed"),  # due Fri 04-10, filed 03-31
    ("2026-05-04", "review", None, "due"),  # Mon; due Fri 04-24, 23 days ahead (> 7)
]


@pytest.fixture
def hearings(rivera):
    ids = {}
    for day, kind, filed_on, _ in HEARINGS:
        ids[day] = rivera.ok("hearing", "add", "2026-0142", "--date", day, "--type", kind).stdout.strip()
        if filed_on:
            rivera.ok("hearing", "filed", ids[day], "--date", filed_on)
    return ids


def _statuses(cli, ids):
    """Every surface's status per hearing date: {surface: {date: status}}."""
    seen = {
        "hearing list": {h["hearing_on"]: h["report_status"] for h in cli.json("hearing", "list")},
        "family show": {
            h["hearing_on"]: h["report_status"]
            for h in cli.json("family", "show", "2026-0142")["upcoming_hearings"]
        },
        "overdue": {
            i["subject"].split()[1]: i["status"]
            for i in cli.json("overdue", "--all")["items"]
            if i["kind"] == "court_report"
        },
        "report caseload": {
            h["hearing_on"]: h["report_status"]
            for w in cli.json("report", "caseload", "--all")["workers"]
            for h in w["hearings"]
        },
        "report court": {
            day: cli.json("report", "court", "2026-0142", "--hearing", hearing_id)["hearing"]["report_status"]
            for day, hearing_id in ids.items()
        },
    }
    return seen


def test_every_surface_gives_a_hearing_the_same_report_status(hearings, rivera):
    seen = _statuses(rivera, hearings)
    expected = {day: status for day, _, _, status in HEARINGS}
    assert seen["hearing list"] == expected
    assert seen["report court"] == expected
    # family show and report caseload list the hearings from today on (caseload: the next 30 days)
    upcoming = {day: status for day, status in expected.items() if day >= "2026-04-01"}
    assert seen["family show"] == upcoming
    # report caseload: hearings in its 30-day window (to 2026-05-01) and those whose report falls due
    # in it: the 05-04 review's report is due 04-24
    assert seen["report caseload"] == upcoming
    # overdue lists exactly the outstanding reports that are overdue or due soon, with that status
    assert seen["overdue"] == {"2026-04-09": "overdue", "2026-04-16": "due_soon"}


def test_the_status_moves_with_the_date_alike_everywhere(hearings, rivera):
    # 2026-04-20: the 04-09 and 04-16 hearings are held (not filed); the 04-20 report was filed;
    # the 05-04 report (due Fri 04-24) is 4 days ahead: due soon everywhere.
    rivera.today("2026-04-20")
    seen = _statuses(rivera, hearings)
    assert seen["hearing list"]["2026-05-04"] == "due_soon"
    assert seen["hearing list"]["2026-04-16"] == "not filed"
    for surface in ("family show", "overdue", "report caseload", "report court"):
        assert seen[surface]["2026-05-04"] == "due_soon", surface
    assert seen["report court"] == seen["hearing list"]
