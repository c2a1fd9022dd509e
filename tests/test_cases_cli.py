"""Families, members, workers and placements through the CLI, as SPEC sections 2–4 describe."""

import pytest


def test_family_add_show_and_list(rivera):
    family = rivera.json("family", "show", "2026-0142")
    assert family["case_number"] == "2026-0142"
    assert family["program"] == "foster_care"
    assert family["risk"] == "high"
    assert family["opened_on"] == "2026-01-05"
    assert family["worker_id"] == "jdoe"
    assert [m["name"] for m in family["members"]] == ["Maya Rivera", "Ana Rivera"]
    assert [p["child"] for p in family["current_placements"]] == ["Maya Rivera"]
    listed = rivera.json("family", "list")
    assert [(f["case_number"], f["children"]) for f in listed] == [("2026-0142", 1)]


def test_family_list_filters_by_worker_program_and_closed(rivera):
    rivera.ok("worker", "add", "asmith", "--name", "Alex Smith")
    rivera.ok(
        "family",
        "add",
        "2026-0200",
        "--name",
        "Okafor",
        "--program",
        "in_home",
        "--worker",
        "asmith",
        "--opened",
        "2026-02-01",
    )
    assert [f["case_number"] for f in rivera.json("family", "list")] == ["2026-0142"]  # $CASELOAD_WORKER=jdoe
    assert [f["case_number"] for f in rivera.json("family", "list", "--all")] == ["2026-0142", "2026-0200"]
    assert [f["case_number"] for f in rivera.json("family", "list", "--worker", "asmith")] == ["2026-0200"]
    assert [f["case_number"] for f in rivera.json("family", "list", "--all", "--program", "in_home")] == [
        "2026-0200"
    ]
    rivera.ok("family", "close", "2026-0200", "--date", "2026-03-31", "--reason", "services completed")
    assert [f["case_number"] for f in rivera.json("family", "list", "--all", "--closed")] == ["2026-0200"]
    assert [f["case_number"] for f in rivera.json("family", "list", "--all")] == ["2026-0142"]


def test_family_add_prints_case_number_and_message(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    outcome = cli.ok("family", "add", "2026-0001", "--name", "Lee", "--program", "in_home")
    assert outcome.stdout.strip() == "2026-0001"
    assert "Opened case 2026-0001" in outcome.stderr
    assert cli.json("family", "show", "2026-0001")["opened_on"] == "2026-04-01"  # default: today (pinned)


def test_family_update_is_audited(rivera):
    rivera.ok("family", "update", "2026-0142", "--risk", "very_high", "--county", "Marion")
    family = rivera.json("family", "show", "2026-0142")
    assert (family["risk"], family["county"]) == ("very_high", "Marion")
    entries = rivera.json("audit", "--case", "2026-0142")
    assert any(e["action"] == "update" and "risk: high -> very_high" in e["detail"] for e in entries)


def test_close_refuses_open_placements_then_closes(rivera):
    rivera.fails(
        "family",
        "close",
        "2026-0142",
        "--date",
        "2026-03-31",
        "--reason",
        "reunified",
        says="end the open placements first",
    )
    rivera.ok("placement", "end", "2026-0142", "Maya", "--end", "2026-03-30", "--reason", "reunified")
    closed = rivera.json("family", "close", "2026-0142", "--date", "2026-03-31", "--reason", "reunified")
    assert closed["closed_on"] == "2026-03-31"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("family", "add", "2026-0142", "--name", "Again", "--program", "in_home"), 1, "already exists"),
        (("family", "show", "2026-0143"), 1, "Did you mean 2026-0142 (Rivera)?"),
        (("family", "add", "X-1", "--name", "A", "--program", "adoption"), 2, "program must be one of"),
        (
            ("family", "add", "X-1", "--name", "A", "--program", "in_home", "--opened", "2026-02-30"),
            2,
            "not a real date",
        ),
        (
            ("family", "add", "X-1", "--name", "A", "--program", "in_home", "--opened", "03/01/2026"),
            2,
            "YYYY-MM-DD",
        ),
        (
            ("family", "add", "X-1", "--name", "A", "--program", "in_home", "--opened", "2026-04-02"),
            1,
            "future",
        ),
        (("family", "add", "X-1", "--name", "A\x07b", "--program", "in_home"), 2, "control character"),
        (("family", "add", "X-1", "--name", "A\u202eb", "--program", "in_home"), 2, "control character"),
        (
            ("family", "add", "X-1", "--name", "A", "--program", "in_home", "--worker", "nobody"),
            1,
            "no worker 'nobody'",
        ),
        (("member", "add", "2026-0142", "maya rivera", "--role", "child"), 1, "already a member"),
        (("member", "add", "2026-0142", "Bo", "--role", "pet"), 2, "role must be one of"),
        (("member", "add", "2026-0999", "Bo", "--role", "child"), 1, "no case"),
        (
            ("placement", "add", "2026-0142", "Ana", "--start", "2026-02-01", "--setting", "kinship"),
            1,
            "not a child",
        ),
        (
            ("placement", "add", "2026-0142", "Zed", "--start", "2026-02-01", "--setting", "kinship"),
            1,
            "no member 'Zed'",
        ),
        (
            ("placement", "add", "2026-0142", "Maya", "--start", "2026-01-10", "--setting", "kinship"),
            1,
            "cannot overlap",
        ),
        (("family", "list", "--bogus"), 2, "No such option"),
    ],
)
def test_bad_input_is_one_line_error_and_writes_nothing(rivera, args, code, says):
    before = rivera.json("audit")
    rivera.fails(*args, code=code, says=says)
    assert rivera.json("audit") == before


def test_member_names_clash_case_insensitively_after_nfc(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok("family", "add", "2026-0300", "--name", "Nuñez", "--program", "in_home")
    cli.ok("member", "add", "2026-0300", "Jose\u0301 Nun\u0303ez", "--role", "child")  # decomposed
    cli.fails("member", "add", "2026-0300", "JOSÉ NUÑEZ", "--role", "child", says="already a member")
    assert [m["name"] for m in cli.json("member", "list", "2026-0300")] == ["José Nuñez"]


def test_new_placement_ends_the_open_one_the_day_before(rivera):
    rivera.ok(
        "placement",
        "add",
        "2026-0142",
        "Maya",
        "--start",
        "2026-02-10",
        "--setting",
        "foster_home",
        "--provider",
        "Smith home",
    )
    placements = rivera.json("placement", "list", "2026-0142")
    assert [(p["start_on"], p["end_on"]) for p in placements] == [
        ("2026-01-10", "2026-02-09"),
        ("2026-02-10", None),
    ]


def test_placement_needs_foster_care_case(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok("family", "add", "2026-0400", "--name", "Ng", "--program", "in_home", "--opened", "2026-01-01")
    cli.ok("member", "add", "2026-0400", "Kim Ng", "--role", "child")
    cli.fails(
        "placement",
        "add",
        "2026-0400",
        "Kim",
        "--start",
        "2026-01-02",
        "--setting",
        "kinship",
        says="placements belong to foster-care cases",
    )


def test_workers_and_supervisors(cli):
    cli.ok("worker", "add", "msmith", "--name", "Morgan Smith")
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe", "--supervisor", "msmith")
    cli.fails("worker", "add", "jdoe", "--name", "Again", says="already exists")
    cli.fails("worker", "add", "kim", "--name", "Kim", "--supervisor", "ghost", says="no worker 'ghost'")
    assert [(w["id"], w["supervisor_id"]) for w in cli.json("worker", "list")] == [
        ("jdoe", "msmith"),
        ("msmith", None),
    ]


def test_version_and_help(cli):
    from caseload import __version__

    assert cli.ok("--version").stdout.strip() == f"caseload {__version__}"
    assert "Examples:" in cli.ok("--help").stdout


def test_a_move_says_which_placement_it_ended(rivera):
    outcome = rivera.run(
        "placement", "add", "2026-0142", "Maya", "--start", "2026-02-10", "--setting", "foster_home"
    )
    assert "Ended the previous placement (kinship, since 2026-01-10) on 2026-02-09." in outcome.stderr
    moved = rivera.json(
        "placement", "add", "2026-0142", "Maya", "--start", "2026-03-01", "--setting", "kinship"
    )
    assert (moved["ended_placement"]["setting"], moved["ended_placement"]["end_on"]) == (
        "foster_home",
        "2026-02-28",
    )
