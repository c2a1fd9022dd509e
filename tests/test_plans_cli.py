"""Goals, services, hearings and plan reviews through the CLI (issue 4), with hand-checked dates."""

import datetime as dt

import pytest

from caseload.standards import default_standards_path
from caseload.store import open_database


def stored(db_target, sql, **params):
    """Rows as the database holds them, read past the CLI."""
    with open_database(db_target) as db, db.read() as rows:
        return rows.all(sql, params)


def progress_rows(db_target, goal_id):
    return stored(
        db_target,
        "SELECT entry_on, status, note FROM goal_progress WHERE goal_id = :g ORDER BY id",
        g=goal_id,
    )


def use_standards(cli, tmp_path, old, new):
    """Point $CASELOAD_STANDARDS at the shipped standards with `old` replaced by `new`."""
    standards = tmp_path / "standards.toml"
    shipped = default_standards_path().read_text()
    assert old in shipped
    standards.write_text(shipped.replace(old, new))
    cli.monkeypatch.setenv("CASELOAD_STANDARDS", str(standards))


def test_goal_add_update_keeps_history(rivera):
    goal_id = rivera.ok(
        "goal",
        "add",
        "2026-0142",
        "Maya attends school 90% of days",
        "--member",
        "Maya",
        "--domain",
        "well_being",
        "--target",
        "2026-06-30",
    ).stdout.strip()
    rivera.ok(
        "goal", "update", goal_id, "--status", "in_progress", "--note", "Enrolled.", "--date", "2026-03-01"
    )
    rivera.ok("goal", "update", goal_id, "--note", "Missed two days.", "--date", "2026-03-15")
    goal = rivera.json("goal", "update", goal_id, "--status", "achieved", "--date", "2026-03-31")
    assert goal["status"] == "achieved"
    assert [(h["entry_on"], h["status"], h["note"]) for h in goal["history"]] == [
        ("2026-03-01", "in_progress", "Enrolled."),
        ("2026-03-15", None, "Missed two days."),
        ("2026-03-31", "achieved", None),
    ]
    assert [(r["entry_on"], r["status"]) for r in progress_rows(rivera.db, int(goal_id))] == [
        (dt.date(2026, 3, 1), "in_progress"),
        (dt.date(2026, 3, 15), None),
        (dt.date(2026, 3, 31), "achieved"),
    ]
    # closed goal: notes only
    rivera.fails("goal", "update", goal_id, "--status", "in_progress", says="add a note")
    rivera.ok("goal", "update", goal_id, "--note", "Still attending.")
    [listed] = rivera.json("goal", "list", "2026-0142")
    # target 2026-06-30, today 2026-04-01: 90 days left
    assert (listed["days_to_target"], listed["progress_note"], listed["member"]) == (
        90,
        "Still attending.",
        "Maya Rivera",
    )


def test_goal_target_change_is_recorded_as_progress(rivera):
    goal_id = rivera.ok("goal", "add", "2026-0142", "Safe sleep", "--target", "2026-04-30").stdout.strip()
    goal = rivera.json("goal", "update", goal_id, "--target", "2026-05-31")
    assert goal["target_on"] == "2026-05-31"
    assert goal["history"][-1]["note"] == "Target 2026-04-30 -> 2026-05-31"


def test_service_add_update_list(rivera):
    goal_id = rivera.ok("goal", "add", "2026-0142", "Parenting skills").stdout.strip()
    service = rivera.json(
        "service",
        "add",
        "2026-0142",
        "Parenting class",
        "--provider",
        "Harbor Counseling",
        "--referred",
        "2026-03-02",
        "--goal",
        goal_id,
        "--member",
        "Ana",
    )
    assert (service["status"], service["member"], service["goal_id"]) == (
        "referred",
        "Ana Rivera",
        int(goal_id),
    )
    updated = rivera.json(
        "service", "update", str(service["id"]), "--status", "active", "--date", "2026-03-09"
    )
    assert (updated["status"], updated["updated_on"]) == ("active", "2026-03-09")
    assert [s["name"] for s in rivera.json("service", "list", "2026-0142")] == ["Parenting class"]


def test_visit_links_goals_of_its_own_case_only(rivera):
    goal_id = rivera.ok("goal", "add", "2026-0142", "Parenting skills").stdout.strip()
    rivera.ok("family", "add", "2026-0300", "--name", "Lee", "--program", "in_home", "--opened", "2026-01-01")
    other = rivera.ok("goal", "add", "2026-0300", "Housing").stdout.strip()
    visit = rivera.json("visit", "add", "2026-0142", "--goal", goal_id)
    assert visit["goals"] == [int(goal_id)]
    before = rivera.json("audit")
    rivera.fails("visit", "add", "2026-0142", "--goal", other, says="not a goal of case 2026-0142")
    rivera.fails(
        "service", "add", "2026-0142", "Tutoring", "--goal", other, says="not a goal of case 2026-0142"
    )
    assert rivera.json("audit") == before
    assert [v["goals"] for v in rivera.json("visit", "list")] == [[int(goal_id)]]
    assert stored(rivera.db, "SELECT visit_id, goal_id FROM visit_goal") == [
        {"visit_id": visit["id"], "goal_id": int(goal_id)}
    ]


@pytest.mark.parametrize(
    ("hearing_on", "due_on"),
    [
        ("2026-05-04", "2026-04-24"),  # SPEC 8.9: Monday → 10 days before is Friday 04-24
        ("2026-11-24", "2026-11-13"),  # SPEC 8.9: Tuesday → Saturday 11-14 → Friday 11-13
        ("2026-05-06", "2026-04-24"),  # Wednesday → Sunday 04-26 → Saturday → Friday 04-24
        ("2026-07-13", "2026-07-02"),  # Monday → Friday 07-03, Independence Day observed → Thursday 07-02
        ("2027-06-28", "2027-06-17"),  # Monday → Friday 06-18, Juneteenth observed → Thursday 06-17
        ("2027-01-04", "2026-12-24"),  # Monday → Friday 12-25, Christmas Day itself → Thursday 12-24
        ("2028-01-10", "2027-12-30"),  # Monday → Friday 2027-12-31, New Year's Day 2028 observed → 12-30
        ("2026-06-04", "2026-05-22"),  # Thursday → Memorial Day Monday 05-25 → Sun → Sat → Friday 05-22
    ],
)
def test_court_report_due_dates(rivera, hearing_on, due_on):
    hearing = rivera.json("hearing", "add", "2026-0142", "--date", hearing_on, "--type", "review")
    assert hearing["report_due_on"] == due_on


def test_the_holiday_calendar_behind_those_dates():
    """Hand-check of the `holidays` package's US calendar used above: the Friday closures."""
    import holidays

    us = holidays.country_holidays("US", years=[2026, 2027])
    assert us[dt.date(2026, 7, 3)] == "Independence Day (observed)"
    assert us[dt.date(2027, 6, 18)] == "Juneteenth National Independence Day (observed)"
    assert us[dt.date(2027, 12, 31)] == "New Year's Day (observed)"
    assert us[dt.date(2026, 12, 25)] == "Christmas Day"
    assert dt.date(2026, 4, 24) not in us and dt.date(2026, 11, 13) not in us  # SPEC 8.9's Fridays


def test_agency_court_holidays_from_the_standards_file(rivera, tmp_path):
    use_standards(rivera, tmp_path, "extra_court_holidays = []", 'extra_court_holidays = ["2026-11-27"]')
    # Monday 2026-12-07 - 10 = Friday 11-27 (closed by the agency) → Thursday 11-26 (Thanksgiving) → 11-25
    assert rivera.json("hearing", "add", "2026-0142", "--date", "2026-12-07", "--type", "review")[
        "report_due_on"
    ] == ("2026-11-25")


def test_hearing_filed_once_and_overdue_listing(rivera):
    hearing_id = rivera.ok(
        "hearing",
        "add",
        "2026-0142",
        "--date",
        "2026-04-09",
        "--type",
        "disposition",
        "--court",
        "Juvenile Court",
    ).stdout.strip()
    # due 2026-03-30 (Thursday 04-09 - 10 = Monday 03-30): overdue by 2 days on 2026-04-01
    [item] = [i for i in rivera.json("overdue")["items"] if i["kind"] == "court_report"]
    assert (item["due_on"], item["days_overdue"], item["subject"]) == (
        "2026-03-30",
        2,
        "hearing 2026-04-09 (disposition)",
    )
    assert rivera.json("hearing", "list", "2026-0142")[0]["report_status"] == "overdue"
    rivera.ok("hearing", "filed", hearing_id, "--date", "2026-03-31")
    rivera.fails("hearing", "filed", hearing_id, says="already filed on 2026-03-31")
    assert rivera.json("hearing", "list")[0]["report_filed_on"] == "2026-03-31"
    assert [i for i in rivera.json("overdue")["items"] if i["kind"] == "court_report"] == []


def test_plan_review_restarts_the_clock(rivera):
    # foster care, opened 2026-01-05: review due 2026-07-05; reviewed 2026-03-15 → due 2026-09-15
    rivera.ok("plan", "review", "2026-0142", "--date", "2026-03-15", "--note", "Family team meeting.")
    [item] = [
        i for i in rivera.json("overdue", "--as-of", "2026-09-10")["items"] if i["kind"] == "plan_review"
    ]
    assert item["due_on"] == "2026-09-15"
    shown = rivera.json("family", "show", "2026-0142")
    assert shown["last_plan_review"]["review_on"] == "2026-03-15"


def test_family_show_lists_services_and_upcoming_hearings(rivera):
    rivera.ok("service", "add", "2026-0142", "Tutoring")
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-03-02", "--type", "adjudication")
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    shown = rivera.json("family", "show", "2026-0142")
    assert [s["name"] for s in shown["services"]] == ["Tutoring"]
    assert [(h["hearing_on"], h["report_status"]) for h in shown["upcoming_hearings"]] == [
        ("2026-05-04", "due")
    ]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("goal", "add", "2026-0142", "Goal", "--target", "2026-01-01"), 1, "before it"),
        (("goal", "add", "2026-0142", "Goal", "--domain", "money"), 2, "domain must be one of"),
        (("goal", "update", "99", "--note", "x"), 1, "no goal 99"),
        (("service", "update", "99", "--status", "active"), 1, "no service 99"),
        (("service", "add", "2026-0142", "Tutoring", "--referred", "2026-04-02"), 1, "future"),
        (("hearing", "add", "2026-0142", "--date", "next week", "--type", "review"), 2, "YYYY-MM-DD"),
        (
            ("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "trial"),
            2,
            "type must be one of",
        ),
        (("plan", "review", "2026-0142", "--date", "2026-04-02"), 1, "future"),
    ],
)
def test_bad_plan_input_writes_nothing(rivera, args, code, says):
    before = rivera.json("audit")
    rivera.fails(*args, code=code, says=says)
    assert rivera.json("audit") == before


def test_goal_status_must_be_known(rivera):
    goal_id = rivera.ok("goal", "add", "2026-0142", "Goal").stdout.strip()
    rivera.fails("goal", "update", goal_id, "--status", "done", code=2, says="status must be one of")


def test_a_state_calendar_closes_its_own_days(rivera, tmp_path):
    use_standards(rivera, tmp_path, 'holidays = "US"', 'holidays = "US/CA"')
    # Monday 2026-12-07 - 10 = Friday 11-27, the day after Thanksgiving in California → Thursday 11-26
    # (Thanksgiving) → Wednesday 2026-11-25. Under the federal calendar alone it stays 11-27.
    hearing = rivera.json("hearing", "add", "2026-0142", "--date", "2026-12-07", "--type", "review")
    assert hearing["report_due_on"] == "2026-11-25"


def test_an_unknown_court_calendar_is_a_one_line_error(rivera, tmp_path):
    use_standards(rivera, tmp_path, 'holidays = "US"', 'holidays = "US/ZZ"')
    # Monday 2026-05-04 - 10 = Friday 04-24, a court day: the calendar is looked at to know it
    rivera.fails(
        "hearing",
        "add",
        "2026-0142",
        "--date",
        "2026-05-04",
        "--type",
        "review",
        says="unknown court holiday calendar 'US/ZZ'",
    )
    assert rivera.json("hearing", "list") == []


def test_the_due_date_is_fixed_when_the_hearing_is_added(rivera, tmp_path):
    first = rivera.json("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    assert stored(rivera.db, "SELECT report_due_on FROM hearing WHERE id = :h", h=first["id"]) == [
        {"report_due_on": dt.date(2026, 4, 24)}
    ]
    # The agency later closes Friday 04-24: the stored date of the first hearing stands; a hearing added
    # now on Tuesday 05-05 goes 10 days back to Saturday 04-25 → Friday 04-24 (closed) → Thursday 04-23.
    use_standards(rivera, tmp_path, "extra_court_holidays = []", 'extra_court_holidays = ["2026-04-24"]')
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-05", "--type", "other")
    listed = rivera.json("hearing", "list", "2026-0142")
    # today 2026-04-01: 23 and 22 days to the due dates
    assert [(h["hearing_on"], h["report_due_on"], h["days_to_report_due"]) for h in listed] == [
        ("2026-05-04", "2026-04-24", 23),
        ("2026-05-05", "2026-04-23", 22),
    ]


def test_hearing_add_prints_the_id_and_the_list_shows_days_to_due(rivera):
    outcome = rivera.ok(
        "hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review", "--court", "Dept. 3"
    )
    assert outcome.stdout.strip() == "1"
    assert "court report due 2026-04-24" in outcome.stderr
    table = rivera.ok("hearing", "list").stdout.splitlines()
    assert table[0].split() == [
        "Id",
        "Case",
        "Hearing",
        "Type",
        "Court",
        "Report",
        "due",
        "Days",
        "to",
        "due",
    ] + [
        "Filed",
        "Report",
        "History",
    ]
    assert table[1].split() == [
        "1",
        "2026-0142",
        "2026-05-04",
        "review",
        "Dept.",
        "3",
        "2026-04-24",
        "23",
        "due",
    ]


def test_a_report_is_filed_once_and_the_first_date_kept(rivera):
    hearing_id = rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review").stdout
    filed = rivera.json("hearing", "filed", hearing_id.strip(), "--date", "2026-03-30")
    assert (filed["report_filed_on"], filed["report_status"], filed["days_to_report_due"]) == (
        "2026-03-30",
        "filed",
        None,
    )
    before = rivera.json("audit")
    rivera.fails(
        "hearing", "filed", hearing_id.strip(), "--date", "2026-04-01", says="already filed on 2026-03-30"
    )
    rivera.fails("hearing", "filed", "99", says="no hearing 99")
    assert rivera.json("audit") == before
    assert stored(rivera.db, "SELECT report_filed_on FROM hearing") == [
        {"report_filed_on": dt.date(2026, 3, 30)}
    ]


def test_goal_changes_are_never_dated_before_the_latest_entry(rivera):
    goal_id = rivera.ok("goal", "add", "2026-0142", "Stable housing", "--target", "2026-06-30").stdout.strip()
    rivera.ok("goal", "update", goal_id, "--status", "in_progress", "--date", "2026-03-15")
    before = rivera.json("audit")
    rivera.fails(
        "goal",
        "update",
        goal_id,
        "--status",
        "achieved",
        "--date",
        "2026-03-10",
        says="entry dated 2026-03-15",
    )
    rivera.fails(
        "goal", "update", goal_id, "--target", "2026-07-31", "--date", "2026-03-14", says="before it"
    )
    rivera.fails("goal", "update", goal_id, "--target", "2026-06-30", says="nothing to record")
    rivera.fails(
        "goal", "update", goal_id, "--note", "x", "--date", "2026-01-04", says="opened on 2026-01-05"
    )
    rivera.fails("goal", "update", goal_id, "--note", "x", "--date", "2026-04-02", says="future")
    rivera.fails("goal", "update", goal_id, code=2, says="give --status, --note or --target")
    assert rivera.json("audit") == before
    # a late note may be dated earlier; the goal's status stays the latest one
    rivera.ok("goal", "update", goal_id, "--note", "Viewed two flats.", "--date", "2026-03-01")
    rivera.ok(
        "goal", "update", goal_id, "--status", "achieved", "--note", "Lease signed.", "--date", "2026-03-31"
    )
    # achieved: its status repeated with a note is a note, any other status is refused
    rivera.ok("goal", "update", goal_id, "--status", "achieved", "--note", "Rent paid.")
    rivera.fails("goal", "update", goal_id, "--status", "partially_achieved", says="is achieved: add a note")
    rivera.fails("goal", "update", goal_id, "--target", "2026-08-31", says="is achieved: add a note")
    [goal] = rivera.json("goal", "list", "2026-0142")
    assert (goal["status"], goal["target_on"], goal["progress_on"], goal["progress_note"]) == (
        "achieved",
        "2026-06-30",
        "2026-04-01",
        "Rent paid.",
    )
    assert [
        (r["entry_on"].isoformat(), r["status"], r["note"]) for r in progress_rows(rivera.db, int(goal_id))
    ] == [
        ("2026-03-15", "in_progress", None),
        ("2026-03-01", None, "Viewed two flats."),
        ("2026-03-31", "achieved", "Lease signed."),
        ("2026-04-01", "achieved", "Rent paid."),
    ]
    updates = [e["detail"] for e in rivera.json("audit") if e["entity"] == "goal" and e["action"] == "update"]
    assert updates == [
        "status: not_started -> in_progress",
        "note",
        "status: in_progress -> achieved",
        "note",
    ]


def test_service_updates_are_appended(rivera):
    service_id = str(
        rivera.json(
            "service", "add", "2026-0142", "Family therapy", "--referred", "2026-03-02", "--member", "Ana"
        )["id"]
    )
    rivera.ok(
        "service",
        "update",
        service_id,
        "--status",
        "active",
        "--note",
        "Intake done.",
        "--date",
        "2026-03-09",
    )
    service = rivera.json("service", "update", service_id, "--status", "completed", "--date", "2026-03-30")
    assert [(h["update_on"], h["status"], h["note"]) for h in service["history"]] == [
        ("2026-03-02", "referred", None),
        ("2026-03-09", "active", "Intake done."),
        ("2026-03-30", "completed", None),
    ]
    before = rivera.json("audit")
    rivera.fails(
        "service",
        "update",
        service_id,
        "--status",
        "active",
        "--date",
        "2026-03-20",
        says="entry dated 2026-03-30",
    )
    rivera.fails(
        "service", "update", service_id, "--status", "finished", code=2, says="status must be one of"
    )
    rivera.fails("service", "add", "2026-0142", "Tutoring", "--member", "Zed", says="no member 'Zed'")
    rivera.fails(
        "service", "add", "2026-0142", "Tutoring", "--referred", "2026-01-04", says="opened on 2026-01-05"
    )
    assert rivera.json("audit") == before
    assert [
        (r["update_on"].isoformat(), r["status"])
        for r in stored(rivera.db, "SELECT update_on, status FROM service_update ORDER BY id")
    ] == [("2026-03-02", "referred"), ("2026-03-09", "active"), ("2026-03-30", "completed")]
    [listed] = rivera.json("service", "list")
    assert (listed["status"], listed["updated_on"], listed["member"]) == (
        "completed",
        "2026-03-30",
        "Ana Rivera",
    )


def test_a_closed_case_takes_no_new_plan_entries(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok("family", "add", "2026-0300", "--name", "Lee", "--program", "in_home", "--opened", "2026-01-02")
    goal_id = cli.ok("goal", "add", "2026-0300", "Keep the children in school").stdout.strip()
    cli.ok("family", "close", "2026-0300", "--date", "2026-03-31", "--reason", "services completed")
    before = cli.json("audit")
    for args in (
        ("goal", "add", "2026-0300", "Another goal"),
        ("service", "add", "2026-0300", "Tutoring", "--referred", "2026-03-01"),
        ("hearing", "add", "2026-0300", "--date", "2026-05-04", "--type", "review"),
        ("plan", "review", "2026-0300", "--date", "2026-03-30"),
    ):
        cli.fails(*args, says="case 2026-0300 was closed on 2026-03-31")
    cli.fails(
        "goal", "update", goal_id, "--status", "achieved", "--date", "2026-04-01", says="closed on 2026-03-31"
    )
    assert cli.json("audit") == before
    # the outcome may still be recorded as of the closing day
    assert (
        cli.json("goal", "update", goal_id, "--status", "achieved", "--date", "2026-03-31")["status"]
        == "achieved"
    )


def test_plan_reviews_once_a_day_within_the_case(rivera):
    review = rivera.json("plan", "review", "2026-0142", "--date", "2026-03-15", "--note", "Team meeting.")
    assert review == {"id": 1, "case_number": "2026-0142", "review_on": "2026-03-15", "note": "Team meeting."}
    before = rivera.json("audit")
    rivera.fails(
        "plan", "review", "2026-0142", "--date", "2026-03-15", says="plan review on 2026-03-15 already"
    )
    rivera.fails("plan", "review", "2026-0142", "--date", "2026-01-04", says="opened on 2026-01-05")
    rivera.fails("plan", "review", "2026-0142", code=2, says="Missing option '--date'")
    assert rivera.json("audit") == before
    assert [r["review_on"] for r in stored(rivera.db, "SELECT review_on FROM plan_review")] == [
        dt.date(2026, 3, 15)
    ]


def test_a_hearing_is_not_entered_twice(rivera):
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    before = rivera.json("audit")
    rivera.fails("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review", says="already")
    rivera.fails(
        "hearing", "add", "2026-0142", "--date", "2026-01-02", "--type", "review", says="no hearing before"
    )
    rivera.fails(
        "hearing", "add", "2026-0142", "--date", "2026-02-30", "--type", "review", code=2, says="not a real"
    )
    assert rivera.json("audit") == before
    rivera.ok(
        "hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "permanency"
    )  # another type: fine


def test_family_show_prints_the_plan(rivera):
    rivera.ok("service", "add", "2026-0142", "Tutoring", "--provider", "Reading Center")
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    rivera.ok("plan", "review", "2026-0142", "--date", "2026-03-15")
    text = rivera.ok("family", "show", "2026-0142").stdout
    assert "Tutoring  Reading Center" in text
    assert "2026-05-04  review  2026-04-24  due" in text
    assert "Last plan review: 2026-03-15" in text
