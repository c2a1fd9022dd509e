"""`caseload demo`: a believable agency, the same for the same seed and day, never over real data."""

import pytest


def test_demo_fills_an_empty_database_and_gives_overdue_real_work(cli):
    outcome = cli.ok("demo", "--families", "12", "--seed", "1")
    assert "12 families" in outcome.stderr
    families = cli.json("family", "list", "--all")
    assert len(families) == 12
    assert {f["program"] for f in families} == {"foster_care", "in_home", "family_preservation"}
    items = cli.json("overdue", "--all")["items"]
    assert {"overdue", "due_soon"} <= {i["status"] for i in items}
    assert {i["kind"] for i in items} & {"visit", "court_report"}
    kinds = {v["kind"] for v in cli.json("visit", "list")}
    assert {"face_to_face", "phone", "video", "collateral", "attempted", "family_time"} <= kinds
    assert any(v["late_entry"] for v in cli.json("visit", "list"))


def test_demo_refuses_a_database_with_cases(rivera):
    rivera.fails("demo", says="already holds cases")
    assert [f["case_number"] for f in rivera.json("family", "list", "--all")] == ["2026-0142"]


@pytest.mark.parametrize("seed", ["1", "7"])
def test_same_seed_and_day_give_the_same_agency(cli, tmp_path, seed, sqlite_only):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    for target in (first, second):
        cli.ok("--db", str(target), "demo", "--families", "8", "--seed", seed)
    assert cli.json("--db", str(first), "overdue", "--all") == cli.json(
        "--db", str(second), "overdue", "--all"
    )
    assert cli.json("--db", str(first), "visit", "list") == cli.json("--db", str(second), "visit", "list")
