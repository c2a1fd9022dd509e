"""Goals, services, hearings and plan reviews through the CLI (issue 4), with hand-checked dates."""

import datetime as dt

import pytest

from caseload.store.db import Database


def progress_rows(db_target, goal_id):
    with Database(db_target).read() as rows:
        return rows.all(
            "SELECT entry_on, status, note FROM goal_progress WHERE goal_id = :g ORDER BY id", {"g": goal_id}
        )


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
    before = rivera.json("visit", "list")
    rivera.fails("visit", "add", "2026-0142", "--goal", other, says="not a goal of case 2026-0142")
    rivera.fails(
        "service", "add", "2026-0142", "Tutoring", "--goal", other, says="not a goal of case 2026-0142"
    )
    assert rivera.json("visit", "list") == before


@pytest.mark.parametrize(
    ("hearing_on", "due_on"),
    [
        ("2026-05-04", "2026-04-24"),  # SPEC 8.9: Monday → 10 days before is Friday 04-24
        ("2026-11-24", "2026-11-13"),  # SPEC 8.9: Tuesday → Saturday 11-14 → Friday 11-13
        ("2026-05-06", "2026-04-24"),  # Wednesday → Sunday 04-26 → Saturday → Friday 04-24
        ("2026-07-13", "2026-07-02"),  # Monday → Friday 07-03, Independence Day observed → Thursday 07-02
    ],
)
def test_court_report_due_dates(rivera, hearing_on, due_on):
    hearing = rivera.json("hearing", "add", "2026-0142", "--date", hearing_on, "--type", "review")
    assert hearing["report_due_on"] == due_on


def test_agency_court_holidays_from_the_standards_file(rivera, tmp_path):
    standards = tmp_path / "standards.toml"
    shipped = open("data/visit_standards.toml").read()
    standards.write_text(
        shipped.replace("extra_court_holidays = []", 'extra_court_holidays = ["2026-11-27"]')
    )
    rivera.monkeypatch.setenv("CASELOAD_STANDARDS", str(standards))
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
