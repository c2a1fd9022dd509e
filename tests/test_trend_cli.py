"""`compliance --by-month`: the federal visit measure per month and per worker, as JSON, a table and
plain-character charts; hand-checked on two workers' children, as of 2026-04-01.

Maya Rivera (2026-0142, jdoe) entered care 2026-01-10: child-months February and March (January is
partial). Seen at home 2026-02-10; not in March.
Leo Marsh (2026-0600, asmith) placed 2025-12-01: child-months December to March. Seen 2025-12-15 at
the office, 2026-01-20 at home, not in February, 2026-03-05 at home.

Default period: fiscal year 2025-10 to 2026-03 (the last ended month).
    month     child-months  visited  visited %  residence
    2025-10   0             0        null       null
    2025-11   0             0        null       null
    2025-12   1 (Leo)       1        100        0 of 1 -> 0%
    2026-01   1 (Leo)       1        100        1 of 1 -> 100%
    2026-02   2             1 (Maya) 50         1 of 1 -> 100%
    2026-03   2             1 (Leo)  50         1 of 1 -> 100%
    period    6             4        66.67      3 of 4 -> 75%
"""

import pytest

EMPTY = {
    "child_months": 0,
    "visited_months": 0,
    "visited_pct": None,
    "residence_months": 0,
    "residence_pct": None,
    "meets_visit_standard": None,
    "meets_residence_standard": None,
}


def month(name, child_months, visited, visited_pct, residence, residence_pct):
    return {
        "month": name,
        "child_months": child_months,
        "visited_months": visited,
        "visited_pct": visited_pct,
        "residence_months": residence,
        "residence_pct": residence_pct,
        "meets_visit_standard": visited_pct >= 95,
        "meets_residence_standard": residence_pct >= 50,
    }


@pytest.fixture
def two(rivera):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-02-10", "--location", "home")
    rivera.ok("worker", "add", "asmith", "--name", "Alex Smith")
    rivera.ok(
        "family", "add", "2026-0600", "--name", "Marsh", "--program", "foster_care", "--worker", "asmith",
        "--opened", "2025-12-01",
    )  # fmt: skip
    rivera.ok("member", "add", "2026-0600", "Leo Marsh", "--role", "child")
    rivera.ok(
        "placement", "add", "2026-0600", "Leo", "--start", "2025-12-01", "--setting", "foster_home",
        "--removed", "2025-12-01",
    )  # fmt: skip
    rivera.ok("visit", "add", "2026-0600", "--date", "2025-12-15", "--location", "office")
    rivera.ok("visit", "add", "2026-0600", "--date", "2026-01-20", "--location", "home")
    rivera.ok("visit", "add", "2026-0600", "--date", "2026-03-05", "--location", "home")
    return rivera


def test_by_month_json_per_month_and_worker(two):
    document = two.json("compliance", "--by-month", "--all")
    assert (document["from"], document["to"]) == ("2025-10", "2026-03")
    assert document["months"] == [
        {"month": "2025-10", **EMPTY},
        {"month": "2025-11", **EMPTY},
        month("2025-12", 1, 1, 100.0, 0, 0.0),
        month("2026-01", 1, 1, 100.0, 1, 100.0),
        month("2026-02", 2, 1, 50.0, 1, 100.0),
        month("2026-03", 2, 1, 50.0, 1, 100.0),
    ]
    [asmith, jdoe] = document["workers"]
    assert asmith["worker"] == "asmith" and jdoe["worker"] == "jdoe"
    assert [m["visited_pct"] for m in asmith["months"]] == [None, None, 100.0, 100.0, 0.0, 100.0]
    assert [m["visited_pct"] for m in jdoe["months"]] == [None, None, None, None, 100.0, 0.0]
    assert jdoe["months"][4] == month("2026-02", 1, 1, 100.0, 1, 100.0)
    # the months add up to the period's measure
    total = two.json("compliance", "--all")
    assert sum(m["child_months"] for m in document["months"]) == total["child_months"] == 6
    assert sum(m["visited_months"] for m in document["months"]) == total["visited_months"] == 4


def test_by_month_table_and_charts_as_printed(two):
    text = two.ok("compliance", "--by-month", "--all").stdout
    assert text == (
        "Federal monthly caseworker visits by month, 2025-10 to 2026-03\n"
        "Visited: 4 of 6 child-months (66.67%; standard 95%: NOT met)\n"
        "In the child's residence: 3 of 4 visited months (75.00%; standard 50%: met)\n"
        "\n"
        "By month\n"
        "Month    Child-months  Visited  Visited %  In residence %  95% standard\n"
        "2025-10  0             0        —          —               —\n"
        "2025-11  0             0        —          —               —\n"
        "2025-12  1             1        100.00%    0.00%           met\n"
        "2026-01  1             1        100.00%    100.00%         met\n"
        "2026-02  2             1        50.00%     100.00%         NOT met\n"
        "2026-03  2             1        50.00%     100.00%         NOT met\n"
        "\n"
        "Visited child-months (each # is 5%; | marks the 95% standard)\n"
        "2025-10  no child-months\n"
        "2025-11  no child-months\n"
        "2025-12  ###################|#  100.00%\n"
        "2026-01  ###################|#  100.00%\n"
        "2026-02  ##########.........|.  50.00%\n"
        "2026-03  ##########.........|.  50.00%\n"
        "\n"
        "Visited % by worker, 2025-10 to 2026-03\n"
        "Worker  Trend   Oct  Nov  Dec  Jan  Feb  Mar\n"
        "asmith  ··██▁█  —    —    100  100  0    100\n"
        "jdoe    ····█▁  —    —    —    —    100  0\n"
        "(whole percent, rounded down; trend: █ standard met, · no child-months)\n"
    )


def test_by_month_rounds_down_in_the_grid_and_the_bar(two):
    # Two more children of jdoe's in care from 2026-01-10; Ines seen 2026-02-20, Sol never:
    # February 2 of 3 child-months (66.67%): the grid shows 66 (rounded down), the bar 13 cells.
    for child in ("Ines Rivera", "Sol Rivera"):
        two.ok("member", "add", "2026-0142", child, "--role", "child")
        two.ok(
            "placement", "add", "2026-0142", child, "--start", "2026-01-10", "--setting", "kinship",
            "--removed", "2026-01-10",
        )  # fmt: skip
    two.ok("visit", "add", "2026-0142", "--date", "2026-02-20", "--seen", "Ines", "--location", "school")
    text = two.ok("compliance", "--by-month", "--worker", "jdoe", "--from", "2026-02").stdout
    assert "2026-02  3             2        66.67%     50.00%          NOT met\n" in text
    assert "2026-02  #############......|.  66.67%\n" in text
    # 66.67 * 7 / 95 = 4.9 -> the fifth step of eight; March 0 of 3 -> the lowest
    assert "jdoe    ▅▁     66   0\n" in text


def test_by_month_for_a_supervisors_team_by_default(two):
    two.ok("worker", "add", "bsup", "--name", "Bea Sup")
    two.ok("worker", "add", "kim", "--name", "Kim Under", "--supervisor", "bsup")
    two.ok("family", "update", "2026-0600", "--worker", "kim")
    two.monkeypatch.setenv("CASELOAD_WORKER", "bsup")
    document = two.json("compliance", "--by-month")
    assert [w["worker"] for w in document["workers"]] == ["kim"]
    assert [m["child_months"] for m in document["months"]] == [0, 0, 1, 1, 1, 1]


def test_a_period_longer_than_a_year_prints_a_table_per_year(two):
    text = two.ok("compliance", "--by-month", "--all", "--from", "2024-10").stdout
    assert "Visited % by worker, 2024-10 to 2025-09\n" in text
    assert "Visited % by worker, 2025-10 to 2026-03\n" in text
    assert len(two.json("compliance", "--by-month", "--all", "--from", "2024-10")["months"]) == 18
