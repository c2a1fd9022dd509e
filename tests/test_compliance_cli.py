"""`caseload compliance` through the CLI: SPEC section 8 examples 1–3 and the edges of a child-month."""


def measure(cli, *args):
    return cli.json("compliance", "--all", *args)


def months_of(document, child):
    [record] = [c for c in document["children"] if c["child"] == child]
    return [(m["month"], m["visited"], m["in_residence"]) for m in record["months"]]


def test_example_1_february_missed(rivera):
    # placed 2026-01-10: January is not a whole month in care, so start the child on 2025-12-20
    rivera.ok(
        "family", "add", "2025-0900", "--name", "Lee", "--program", "foster_care", "--opened", "2025-12-01"
    )
    rivera.ok("member", "add", "2025-0900", "June Lee", "--role", "child", "--dob", "2015-02-02")
    rivera.ok("placement", "add", "2025-0900", "June", "--start", "2025-12-20", "--setting", "foster_home")
    rivera.ok("visit", "add", "2025-0900", "--date", "2026-01-31")
    rivera.ok("visit", "add", "2025-0900", "--date", "2026-03-01")
    document = measure(rivera, "--case", "2025-0900", "--from", "2026-01", "--to", "2026-03")
    assert (document["child_months"], document["visited_months"], document["visited_pct"]) == (3, 2, 66.67)
    assert document["meets_visit_standard"] is False
    assert months_of(document, "June Lee") == [
        ("2026-01", True, True),
        ("2026-02", False, False),
        ("2026-03", True, True),
    ]
    table = rivera.ok("compliance", "--case", "2025-0900", "--from", "2026-01", "--to", "2026-03").stdout
    assert (
        "2 of 3 child-months" in table and "2026-02" in table and "2026-01-31" in table
    )  # missed + last visit


def test_example_2_visits_on_the_2nd_and_27th(rivera):
    rivera.ok(
        "family", "add", "2025-0901", "--name", "Ruiz", "--program", "foster_care", "--opened", "2025-11-01"
    )
    rivera.ok("member", "add", "2025-0901", "Leo Ruiz", "--role", "child")
    rivera.ok("placement", "add", "2025-0901", "Leo", "--start", "2025-11-01", "--setting", "kinship")
    rivera.ok("visit", "add", "2025-0901", "--date", "2026-01-02", "--location", "school")
    rivera.ok("visit", "add", "2025-0901", "--date", "2026-02-27")
    document = measure(rivera, "--case", "2025-0901", "--from", "2026-01", "--to", "2026-02")
    assert (document["child_months"], document["visited_months"], document["visited_pct"]) == (2, 2, 100.0)
    # residence: only February's visit was at home, 1 of 2 visited months = 50%: met
    assert (
        document["residence_months"],
        document["residence_pct"],
        document["meets_residence_standard"],
    ) == (
        1,
        50.0,
        True,
    )


def test_example_3_entering_care_mid_month(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family", "add", "2026-0010", "--name", "Park", "--program", "foster_care", "--opened", "2026-01-15"
    )
    cli.ok("member", "add", "2026-0010", "Ivy Park", "--role", "child")
    cli.ok("placement", "add", "2026-0010", "Ivy", "--start", "2026-01-15", "--setting", "foster_home")
    document = measure(cli, "--from", "2026-01", "--to", "2026-02")
    assert months_of(document, "Ivy Park") == [("2026-02", False, False)]  # January is not a child-month


def test_only_ended_months_count_and_default_period(rivera):
    # today 2026-04-01: the fiscal year 2025-10..2026-03; Maya is in care all of February and March
    document = measure(rivera)
    assert (document["from"], document["to"]) == ("2025-10", "2026-03")
    assert [m for m, _, _ in months_of(document, "Maya Rivera")] == ["2026-02", "2026-03"]
    document = measure(rivera, "--as-of", "2026-03-31")  # March has not ended
    assert [m for m, _, _ in months_of(document, "Maya Rivera")] == ["2026-02"]


def test_discharged_mid_month_and_turning_18(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family", "add", "2025-0800", "--name", "Osei", "--program", "foster_care", "--opened", "2025-10-01"
    )
    cli.ok(
        "member", "add", "2025-0800", "Kofi Osei", "--role", "child", "--dob", "2008-02-01"
    )  # 18 on 2026-02-01
    cli.ok("member", "add", "2025-0800", "Ama Osei", "--role", "child", "--dob", "2012-05-05")
    for child in ("Kofi", "Ama"):
        cli.ok("placement", "add", "2025-0800", child, "--start", "2025-10-01", "--setting", "foster_home")
    cli.ok("placement", "end", "2025-0800", "Ama", "--end", "2026-01-20", "--reason", "reunified")
    document = measure(cli, "--from", "2025-12", "--to", "2026-02")
    assert [m for m, _, _ in months_of(document, "Kofi Osei")] == ["2025-12", "2026-01"]  # 18 on Feb 1st
    assert [m for m, _, _ in months_of(document, "Ama Osei")] == ["2025-12"]  # left care mid-January


def test_no_child_months_gives_nulls(cli):
    cli.ok("init")
    document = measure(cli, "--from", "2026-01", "--to", "2026-02")
    assert document["child_months"] == 0
    assert document["visited_pct"] is None and document["meets_visit_standard"] is None
    assert document["residence_pct"] is None and document["meets_residence_standard"] is None


def test_bad_period(cli):
    cli.fails("compliance", "--from", "2026-13", code=2, says="YYYY-MM")
    cli.fails("compliance", "--from", "2026-03", "--to", "2026-01", code=2, says="before")


def test_missed_month_names_the_last_visit_before_the_period(rivera):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-01-30")
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-03")
    table = rivera.ok("compliance", "--case", "2026-0142", "--from", "2026-02", "--to", "2026-03").stdout
    [line] = [line for line in table.splitlines() if "Maya Rivera" in line]
    assert line.split() == ["2026-0142", "Maya", "Rivera", "2026-02", "2026-01-30"]


def test_the_period_ends_with_the_last_ended_month(rivera):
    # today 2026-04-01: asking up to 2026-06 counts up to 2026-03, and says so in "to"
    document = rivera.json("compliance", "--from", "2026-02", "--to", "2026-06")
    assert (document["from"], document["to"]) == ("2026-02", "2026-03")
    rivera.fails(
        "compliance",
        "--from",
        "2026-05",
        "--to",
        "2026-06",
        code=2,
        says="no month from 2026-05 on has ended",
    )
