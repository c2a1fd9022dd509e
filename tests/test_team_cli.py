"""A supervisor's team: `--team` and a supervisor's default filter mean the same on `overdue`,
`compliance`, `calendar`, `report caseload` and `family list` (one resolver, commands.scope).

The unit, as of 2026-04-01:
    bsup (supervisor, no cases of her own)
    ├── kmid (supervises jdoe; carries 2026-0004)
    │   └── jdoe (2026-0001)
    └── ltran (2026-0002)
    zed (no supervisor; 2026-0003) is outside the team.
Each case is foster care, opened 2026-01-01 with one child placed (removed) that day and never
visited: a visit due 2026-01-31 (January, the episode's first month, has none) and a first CANS due
30 days after the episode began, 2026-01-31, both 60 days overdue as of 2026-04-01.
"""

import icalendar
import pytest

TEAM = ["2026-0001", "2026-0002", "2026-0004"]
CASES = {"2026-0001": "jdoe", "2026-0002": "ltran", "2026-0003": "zed", "2026-0004": "kmid"}


@pytest.fixture
def unit(cli):
    cli.ok("worker", "add", "bsup", "--name", "Bea Sup")
    cli.ok("worker", "add", "kmid", "--name", "Kim Mid", "--supervisor", "bsup")
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe", "--supervisor", "kmid")
    cli.ok("worker", "add", "ltran", "--name", "Luis Tran", "--supervisor", "bsup")
    cli.ok("worker", "add", "zed", "--name", "Zed Alone")
    for number, worker in CASES.items():
        name = f"Family{number[-1]}"
        cli.ok(
            "family", "add", number, "--name", name, "--program", "foster_care",
            "--opened", "2026-01-01", "--worker", worker,
        )  # fmt: skip
        cli.ok("member", "add", number, f"Kid {name}", "--role", "child")
        cli.ok(
            "placement", "add", number, f"Kid {name}", "--start", "2026-01-01",
            "--setting", "kinship", "--removed", "2026-01-01",
        )  # fmt: skip
    cli.monkeypatch.setenv("CASELOAD_WORKER", "bsup")
    return cli


def overdue_cases(cli, *args):
    return sorted({item["case_number"] for item in cli.json("overdue", *args)["items"]})


def test_a_supervisors_default_and_team_are_her_workers_transitively(unit):
    assert overdue_cases(unit) == TEAM  # $CASELOAD_WORKER=bsup, no option
    assert overdue_cases(unit, "--team") == TEAM
    assert overdue_cases(unit, "--worker", "bsup", "--team") == TEAM
    assert overdue_cases(unit, "--worker", "kmid", "--team") == ["2026-0001", "2026-0004"]
    assert overdue_cases(unit, "--worker", "kmid") == ["2026-0004"]  # her own cases only
    assert overdue_cases(unit, "--worker", "jdoe", "--team") == ["2026-0001"]  # supervises nobody
    assert overdue_cases(unit, "--all") == sorted(CASES)
    [visit, cans] = [i for i in unit.json("overdue")["items"] if i["case_number"] == "2026-0002"]
    assert (visit["kind"], visit["due_on"], visit["days_overdue"], visit["worker"]) == (
        "visit",
        "2026-01-31",
        60,
        "ltran",
    )
    assert (cans["kind"], cans["due_on"]) == ("assessment", "2026-01-31")


def test_a_worker_who_supervises_nobody_keeps_her_own_default(unit):
    unit.monkeypatch.setenv("CASELOAD_WORKER", "jdoe")
    assert overdue_cases(unit) == ["2026-0001"]
    assert [f["case_number"] for f in unit.json("family", "list")] == ["2026-0001"]


def test_worker_of_a_supervisor_shows_her_own_cases_and_points_to_team(unit):
    outcome = unit.ok("overdue", "--worker", "bsup")
    assert outcome.stdout == ""
    assert outcome.stderr == (
        "Nothing overdue or due in the next 7 days.\nbsup supervises 3 workers: --team shows their cases too.\n"
    )


def test_the_team_table_has_a_worker_column(unit):
    lines = unit.ok("overdue").stdout.splitlines()  # piped: plain columns, every column
    assert lines[1].split() == [
        "Status", "Due", "Days", "Case", "Worker", "Family", "Kind", "Subject", "Last", "contact", "Rule",
    ]  # fmt: skip
    assert lines[2].split()[:5] == ["OVERDUE", "2026-01-31", "60", "late", "2026-0001"]
    assert lines[2].split()[5] == "jdoe"
    # one worker's own list keeps its columns
    assert "Worker" not in unit.ok("overdue", "--worker", "kmid").stdout


def test_compliance_team(unit):
    # 2026-01..2026-03: each child in care all three months, never visited
    team = unit.json("compliance", "--from", "2026-01", "--to", "2026-03")
    assert [c["case_number"] for c in team["children"]] == TEAM
    assert (team["child_months"], team["visited_months"]) == (9, 0)
    assert unit.json("compliance", "--team", "--from", "2026-01")["children"] == team["children"]
    mid = unit.json("compliance", "--worker", "kmid", "--team", "--from", "2026-01")
    assert [c["case_number"] for c in mid["children"]] == ["2026-0001", "2026-0004"]
    table = unit.ok("compliance", "--team", "--from", "2026-01").stdout
    assert "Visited: 0 of 9 child-months" in table
    assert "zed" not in table and "jdoe" in table and "kmid" in table and "ltran" in table


def test_calendar_team(unit, tmp_path):
    def cases_in(*args):
        found = icalendar.Calendar.from_ical(unit.ok("calendar", *args).stdout.encode())
        return sorted({str(e["summary"]).split()[3] for e in found.walk("VEVENT")})

    # "OVERDUE since 2026-01-31: 2026-0001 visit: Kid Family1"
    assert cases_in() == TEAM
    assert cases_in("--team") == TEAM
    assert cases_in("--worker", "kmid", "--team") == ["2026-0001", "2026-0004"]
    assert cases_in("--all") == sorted(CASES)


def test_caseload_review_of_a_team(unit):
    review = unit.json("report", "caseload", "--team")
    assert review["scope"] == "team of bsup (Bea Sup)"
    # a section per worker under her; none for the supervisor, who carries no cases
    assert [(w["worker_id"], w["open_cases"], w["overdue"]) for w in review["workers"]] == [
        ("jdoe", 1, 2),
        ("kmid", 1, 2),
        ("ltran", 1, 2),
    ]
    assert unit.json("report", "caseload")["workers"] == review["workers"]
    draft = unit.ok("report", "caseload", "--team").stdout
    assert draft.startswith("# Caseload review: team of bsup (Bea Sup) — DRAFT\n")
    mid = unit.json("report", "caseload", "--worker", "kmid", "--team")
    assert [w["worker_id"] for w in mid["workers"]] == ["jdoe", "kmid"]
    assert unit.json("report", "caseload", "--worker", "kmid")["scope"] == "worker kmid (Kim Mid)"


@pytest.mark.parametrize(
    "args, code, says",
    [
        (("overdue", "--team", "--all"), 2, "give --team or --all, not both"),
        (("overdue", "--team", "--case", "2026-0001"), 2, "give --team or --case, not both"),
        (("compliance", "--worker", "kmid", "--team", "--all"), 2, "give --worker or --all, not both"),
        (("calendar", "--team", "--all"), 2, "not both"),
        (("report", "caseload", "--team", "--all"), 2, "not both"),
        (("overdue", "--worker", "nobody", "--team"), 1, "no worker 'nobody'"),
    ],
)
def test_team_misuse_is_one_line(unit, args, code, says):
    unit.fails(*args, code=code, says=says)


def test_team_needs_a_supervisor(unit):
    unit.monkeypatch.delenv("CASELOAD_WORKER")
    unit.fails("overdue", "--team", code=2, says="--team needs a supervisor: give --worker ID")


def test_family_list_team(unit):
    def cases(*args):
        return [f["case_number"] for f in unit.json("family", "list", *args)]

    assert cases() == TEAM
    assert cases("--team") == TEAM
    assert cases("--worker", "kmid", "--team") == ["2026-0001", "2026-0004"]
    assert cases("--worker", "kmid") == ["2026-0004"]
    assert cases("--all") == sorted(CASES)


def test_a_covered_case_is_on_the_colleagues_lists_while_the_cover_lasts(rivera):
    """A colleague covering a case (family cover) has it on her morning lists until the cover ends;
    the visit measure stays the assigned worker's (2026-04-01 is the pinned today)."""
    rivera.ok("worker", "add", "ldoe", "--name", "Lee Doe")
    rivera.ok("goal", "add", "2026-0142", "Maya attends school")
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-06-01", "--type", "review")
    rivera.ok("family", "cover", "2026-0142", "--worker", "ldoe", "--until", "2026-04-30")
    rivera.monkeypatch.setenv("CASELOAD_WORKER", "ldoe")

    def seen(today: str) -> dict:
        rivera.today(today)
        return {
            "family list": [f["case_number"] for f in rivera.json("family", "list")],
            "overdue": overdue_cases(rivera, "--within", "90"),
            "goal list": [g["case_number"] for g in rivera.json("goal", "list")],
            "hearing list": [h["case_number"] for h in rivera.json("hearing", "list")],
        }

    assert seen("2026-04-30") == dict.fromkeys(
        ["family list", "overdue", "goal list", "hearing list"], ["2026-0142"]
    )
    assert rivera.json("compliance", "--from", "2026-03", "--to", "2026-03")["children"] == []
    assert seen("2026-05-01") == dict.fromkeys(["family list", "overdue", "goal list", "hearing list"], [])
