"""Assessments, safety plans and family time through the CLI (issue 10), hand-checked dates."""

import pytest


def due(cli, *args, kind):
    return [
        (i["due_on"], i["status"], i["subject"])
        for i in cli.json("overdue", "--all", *args)["items"]
        if i["kind"] == kind
    ]


@pytest.fixture
def okafor(cli):
    """An in-home family opened 2026-02-01 at moderate risk, last face-to-face visit 2026-03-01."""
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok("family", "add", "2026-0200", "--name", "Okafor", "--program", "in_home", "--opened", "2026-02-01")
    cli.ok("member", "add", "2026-0200", "Grace Okafor", "--role", "parent")
    cli.ok("member", "add", "2026-0200", "Nia Okafor", "--role", "child", "--dob", "2019-03-03")
    cli.ok("visit", "add", "2026-0200", "--date", "2026-03-01")
    return cli


def test_risk_in_force_shortens_the_interval(okafor):
    # moderate: 2026-03-01 + 30 = 2026-03-31
    assert due(okafor, "--as-of", "2026-03-25", kind="visit") == [("2026-03-31", "due_soon", "Okafor family")]
    okafor.ok(
        "assess",
        "add",
        "2026-0200",
        "--instrument",
        "sdm_risk",
        "--date",
        "2026-03-10",
        "--level",
        "high",
        "--score",
        "9",
    )
    # high from 2026-03-10: 2026-03-01 + 14 = 2026-03-15, overdue by 10 days as of 03-25
    [item] = [
        i for i in okafor.json("overdue", "--all", "--as-of", "2026-03-25")["items"] if i["kind"] == "visit"
    ]
    assert (item["due_on"], item["days_overdue"]) == ("2026-03-15", 10)
    assert item["rule"] == "face-to-face visit every 14 days (in-home, high risk)"
    # as of 03-05, before the reassessment, moderate still held: not due within a week
    assert due(okafor, "--as-of", "2026-03-05", kind="visit") == []
    assert okafor.json("family", "show", "2026-0200")["risk"] == "high"
    assert any("SDM risk high from 2026-03-10" in (e["detail"] or "") for e in okafor.json("audit"))
    okafor.fails("family", "update", "2026-0200", "--risk", "low", says="follows its SDM risk assessments")


def test_sdm_reassessment_clock(okafor):
    # opened 2026-02-01 + 90 days = 2026-05-02
    assert due(okafor, "--as-of", "2026-04-28", kind="assessment") == [
        ("2026-05-02", "due_soon", "Okafor family (SDM risk)")
    ]


def add_cans(cli, day, ratings="sleep=1"):
    """Record a CANS for Maya Rivera on `day`; the JSON of the new assessment."""
    return cli.json(
        "assess",
        "add",
        "2026-0142",
        "--instrument",
        "cans",
        "--member",
        "Maya",
        "--date",
        day,
        "--ratings",
        ratings,
    )


def test_cans_ratings_trend_and_clock(rivera):
    # Maya removed 2026-01-10, no CANS: due 2026-02-09
    assert due(rivera, kind="assessment") == [("2026-02-09", "overdue", "Maya Rivera (CANS)")]
    add_cans(rivera, "2026-02-01", "sleep=2,anxiety=1")
    second = add_cans(rivera, "2026-03-20", "sleep=1,anxiety=3,resilience=0")
    assert second["trend"] == {"anxiety": "worse", "resilience": "new", "sleep": "improved"}
    assert second["actionable"] == ["anxiety"]
    # latest CANS 2026-03-20 + 6 months = 2026-09-20
    assert due(rivera, "--as-of", "2026-09-15", kind="assessment") == [
        ("2026-09-20", "due_soon", "Maya Rivera (CANS)")
    ]


def test_cans_clock_counts_the_latest_cans_of_the_current_episode_by_the_date_judged(rivera):
    """Maya: removed 01-10, CANS 01-20, home 02-05; removed again 02-20, CANS 02-25 and 03-20."""
    add_cans(rivera, "2026-01-20")
    rivera.ok("placement", "end", "2026-0142", "Maya", "--end", "2026-02-05", "--reason", "reunified")
    rivera.ok(
        "placement",
        "add",
        "2026-0142",
        "Maya",
        "--start",
        "2026-02-20",
        "--setting",
        "foster_home",
        "--removed",
        "2026-02-20",
    )
    add_cans(rivera, "2026-02-25")
    add_cans(rivera, "2026-03-20")

    def cans_due(as_of):
        return due(rivera, "--as-of", as_of, "--within", "200", kind="assessment")

    # the CANS of 01-20 belongs to the first episode: the second needs its own by 02-20 + 30 days
    assert cans_due("2026-02-22") == [("2026-03-22", "due_soon", "Maya Rivera (CANS)")]
    # as of 03-10 the latest is 02-25 (the one of 03-20 is not yet done): 6 months on
    assert cans_due("2026-03-10") == [("2026-08-25", "due_soon", "Maya Rivera (CANS)")]
    assert cans_due("2026-04-01") == [("2026-09-20", "due_soon", "Maya Rivera (CANS)")]
    # between the episodes Maya is not in care: no CANS is due
    assert cans_due("2026-02-10") == []


def test_ratings_from_a_file(rivera, tmp_path):
    ratings = tmp_path / "cans.txt"
    ratings.write_text("# Maya, March\nsleep = 3\nschool_attendance = 2\n")
    result = rivera.json(
        "assess", "add", "2026-0142", "--instrument", "cans", "--member", "Maya", "--ratings", str(ratings)
    )
    assert result["ratings"] == {"school_attendance": 2, "sleep": 3}


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--instrument", "cans", "--member", "Maya", "--ratings", "sleep=4"), 2, "0 to 3"),
        (("--instrument", "cans", "--member", "Maya", "--ratings", "charisma=1"), 2, "unknown CANS item"),
        (("--instrument", "cans", "--member", "Ana", "--ratings", "sleep=1"), 1, "assesses children"),
        (("--instrument", "sdm_risk", "--level", "high", "--date", "2026-04-02"), 1, "future"),
        (("--instrument", "sdm_risk", "--level", "high", "--date", "2026-01-04"), 1, "opened on"),
        (("--instrument", "sdm_risk"), 2, "takes --level"),
        (("--instrument", "mmpi"), 2, "instrument must be one of"),
    ],
)
def test_bad_assessments_write_nothing(rivera, args, code, says):
    rivera.fails("assess", "add", "2026-0142", *args, code=code, says=says)
    assert rivera.json("assess", "list", "2026-0142") == []


def test_safety_plan_review_date_until_reviewed(rivera):
    rivera.ok(
        "safety-plan",
        "add",
        "2026-0142",
        "--date",
        "2026-03-25",
        "--text",
        "Grandmother supervises contact.",
        "--review-by",
        "2026-04-05",
    )
    assert due(rivera, kind="safety_plan") == [("2026-04-05", "due_soon", "Rivera family")]
    rivera.ok("safety-plan", "review", "2026-0142", "--date", "2026-04-01", "--note", "Plan holds.")
    assert due(rivera, kind="safety_plan") == []
    rivera.fails(
        "safety-plan",
        "add",
        "2026-0142",
        "--text",
        "x",
        "--date",
        "2026-03-01",
        "--review-by",
        "2026-02-01",
        says="before the plan",
    )


def test_family_time_is_recorded_but_never_counts(rivera):
    visit = rivera.json(
        "visit",
        "add",
        "2026-0142",
        "--kind",
        "family_time",
        "--supervision",
        "supervised",
        "--seen",
        "Maya",
        "--seen",
        "Ana",
        "--date",
        "2026-03-30",
        "--note",
        "Board game together.",
    )
    assert (visit["kind"], visit["supervision"]) == ("family_time", "supervised")
    # Maya's visit item still shows January unvisited (placed 2026-01-10, no caseworker visit)
    [item] = [i for i in rivera.json("overdue", "--all")["items"] if i["kind"] == "visit"]
    assert (item["due_on"], item["last_contact_on"]) == ("2026-01-31", None)
    rivera.fails("visit", "add", "2026-0142", "--kind", "family_time", code=2, says="needs --supervision")
    rivera.fails("visit", "add", "2026-0142", "--supervision", "monitored", code=2, says="only family time")


def test_goals_proposed_from_a_cans(rivera):
    cans = rivera.ok(
        "assess",
        "add",
        "2026-0142",
        "--instrument",
        "cans",
        "--member",
        "Maya",
        "--date",
        "2026-03-20",
        "--ratings",
        "sleep=1,school_attendance=2,substance_use=3",
    ).stdout.strip()
    proposals = rivera.json("goal", "add", "2026-0142", "--from-assessment", cans)
    assert [(p["domain"], p["text"]) for p in proposals] == [
        ("well_being", "Maya: address school attendance (CANS 2 on 2026-03-20)"),
        ("safety", "Maya: address substance use (CANS 3 on 2026-03-20)"),
    ]
    assert rivera.json("goal", "list", "2026-0142") == []  # proposing adds nothing
    added = rivera.json(
        "goal", "add", "2026-0142", "--from-assessment", cans, "--yes", "--target", "2026-06-30"
    )
    assert [(g["member"], g["target_on"]) for g in added] == [("Maya Rivera", "2026-06-30")] * 2
    assert len(rivera.json("goal", "list", "2026-0142")) == 2
