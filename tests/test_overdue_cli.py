"""`caseload overdue` through the CLI: SPEC section 8's worked examples and edges, hand-checked."""

import pytest


def items(cli, *args, kind=None, subject=None):
    found = cli.json("overdue", "--all", *args)["items"]
    return [
        i
        for i in found
        if (kind is None or i["kind"] == kind) and (subject is None or i["subject"] == subject)
    ]


def test_example_1_visits_jan_31_and_mar_1_nothing_due_on_mar_10(rivera):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-01-31")
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-01")
    assert items(rivera, "--as-of", "2026-03-10", subject="Maya Rivera") == []


def test_example_4_due_at_month_end_after_last_visit(rivera):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-02-27")
    # as of 2026-03-25: March needs a visit, due 2026-03-31, 6 days left
    [item] = items(rivera, "--as-of", "2026-03-25", kind="visit")
    assert (item["status"], item["due_on"], item["days_overdue"]) == ("due_soon", "2026-03-31", -6)
    assert item["last_contact_on"] == "2026-02-27"
    assert item["rule"] == "monthly face-to-face visit (foster care)"
    assert (item["case_number"], item["family"], item["worker"]) == ("2026-0142", "Rivera", "jdoe")
    [item] = items(rivera, "--as-of", "2026-04-01", kind="visit")
    assert (item["status"], item["due_on"], item["days_overdue"]) == ("overdue", "2026-03-31", 1)


def test_example_5_in_home_high_risk_phone_call_changes_nothing(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family",
        "add",
        "2026-0200",
        "--name",
        "Okafor",
        "--program",
        "in_home",
        "--risk",
        "high",
        "--opened",
        "2026-02-01",
    )
    cli.ok("member", "add", "2026-0200", "Grace Okafor", "--role", "parent")
    cli.ok("visit", "add", "2026-0200", "--date", "2026-03-02", "--seen", "Grace")
    cli.ok("visit", "add", "2026-0200", "--date", "2026-03-10", "--kind", "phone", "--seen", "Grace")
    [item] = items(cli, "--as-of", "2026-03-17", kind="visit")
    # 2026-03-02 + 14 days (high risk) = 2026-03-16; as of 03-17: 1 day overdue
    assert (item["due_on"], item["status"], item["days_overdue"]) == ("2026-03-16", "overdue", 1)
    assert item["subject"] == "Okafor family"
    assert item["last_contact_on"] == "2026-03-02"


def test_example_7_permanency_hearing_twelve_months_after_entering_care(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family", "add", "2026-0300", "--name", "Begay", "--program", "foster_care", "--opened", "2026-01-10"
    )
    cli.ok("member", "add", "2026-0300", "Kai Begay", "--role", "child", "--dob", "2019-06-01")
    cli.ok(
        "placement",
        "add",
        "2026-0300",
        "Kai",
        "--start",
        "2026-01-10",
        "--setting",
        "foster_home",
        "--removed",
        "2026-01-10",
        "--adjudicated",
        "2026-04-01",
    )
    # entered care = min(2026-04-01, 2026-01-10 + 60 days = 2026-03-11) = 2026-03-11 → due 2027-03-11
    [item] = items(cli, "--as-of", "2027-03-05", kind="permanency_hearing")
    assert (item["due_on"], item["status"], item["subject"]) == ("2027-03-11", "due_soon", "Kai Begay")


def test_example_8_asfa_15_of_22(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family", "add", "2024-0900", "--name", "Novak", "--program", "foster_care", "--opened", "2024-12-01"
    )
    cli.ok("member", "add", "2024-0900", "Ezra Novak", "--role", "child")
    cli.ok(
        "placement",
        "add",
        "2024-0900",
        "Ezra",
        "--start",
        "2024-12-01",
        "--setting",
        "kinship",
        "--removed",
        "2024-12-01",
        "--adjudicated",
        "2025-01-01",
    )
    # entered care 2025-01-01 (adjudication before removal + 60 days = 2025-01-30); + 15 months = 2026-04-01
    [item] = items(cli, "--as-of", "2026-04-01", kind="asfa_15_of_22")
    assert (item["due_on"], item["status"], item["days_overdue"]) == ("2026-04-01", "due_soon", 0)


def test_void_and_video_visits_do_not_count(rivera):
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-02-27")
    void_id = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-20").stdout.strip()
    rivera.ok("visit", "void", void_id, "--reason", "wrong family")
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-21", "--kind", "video")
    [item] = items(rivera, "--as-of", "2026-04-01", kind="visit")
    assert (item["due_on"], item["last_contact_on"]) == ("2026-03-31", "2026-02-27")


def test_closed_case_has_nothing_due(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok("family", "add", "2026-0500", "--name", "Tran", "--program", "in_home", "--opened", "2026-01-02")
    assert items(cli, "--as-of", "2026-03-31", kind="visit")  # never visited: overdue
    cli.ok("family", "close", "2026-0500", "--date", "2026-03-31", "--reason", "moved out of county")
    assert items(cli) == []


def test_worker_filter_and_case_filter(rivera):
    rivera.ok("worker", "add", "asmith", "--name", "Alex Smith")
    rivera.ok(
        "family",
        "add",
        "2026-0600",
        "--name",
        "Marsh",
        "--program",
        "in_home",
        "--worker",
        "asmith",
        "--opened",
        "2026-03-01",
    )
    mine = rivera.json("overdue")["items"]  # $CASELOAD_WORKER = jdoe
    assert {i["case_number"] for i in mine} == {"2026-0142"}
    theirs = rivera.json("overdue", "--worker", "asmith")["items"]
    assert {i["case_number"] for i in theirs} == {"2026-0600"}
    assert {i["case_number"] for i in rivera.json("overdue", "--case", "2026-0600")["items"]} == {"2026-0600"}
    rivera.fails("overdue", "--case", "2026-0601", says="no case")


def test_json_shape_and_order(rivera):
    rivera.ok(
        "family",
        "add",
        "2026-0700",
        "--name",
        "Adeyemi",
        "--program",
        "family_preservation",
        "--opened",
        "2026-03-20",
    )
    document = rivera.json("overdue", "--all", "--within", "10")
    assert (document["as_of"], document["within"]) == ("2026-04-01", 10)
    statuses = [i["status"] for i in document["items"]]
    assert statuses == sorted(statuses, key=lambda s: s != "overdue")
    overdue_days = [i["days_overdue"] for i in document["items"] if i["status"] == "overdue"]
    assert overdue_days == sorted(overdue_days, reverse=True)
    assert set(document["items"][0]) == {
        "kind",
        "status",
        "case_number",
        "family",
        "worker",
        "subject",
        "due_on",
        "days_overdue",
        "last_contact_on",
        "rule",
    }


def test_empty_result_says_so(cli):
    cli.ok("init")
    outcome = cli.ok("overdue", "--all")
    assert outcome.stdout == ""
    assert "Nothing overdue or due in the next 7 days." in outcome.stderr


def test_csv_and_table(rivera):
    # placed 2026-01-10, never visited: January is due on its last day, 60 days before 2026-04-01
    csv_text = rivera.ok("overdue", "--all", "--csv").stdout
    header, *lines = csv_text.strip().splitlines()
    assert header == "kind,status,case_number,family,worker,subject,due_on,days_overdue,last_contact_on,rule"
    assert any(
        line.startswith("visit,overdue,2026-0142,Rivera,jdoe,Maya Rivera,2026-01-31,60,,") for line in lines
    )
    table = rivera.ok("overdue", "--all").stdout
    assert "OVERDUE" in table and "Maya Rivera" in table


def test_visit_add_prints_next_due(rivera):
    outcome = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30")
    # seen in March (the month of today, 2026-04-01, is April: seen in March → due end of April)
    assert "Next visit due: Maya Rivera by 2026-04-30" in outcome.stderr
    document = rivera.json("visit", "add", "2026-0142", "--date", "2026-04-01")
    assert document["next_due"] == [
        {"subject": "Maya Rivera", "due_on": "2026-05-31", "rule": "monthly face-to-face visit (foster care)"}
    ]


@pytest.mark.parametrize(
    "args", [("--json", "--csv"), ("--worker", "jdoe", "--all"), ("--as-of", "2026-13-01")]
)
def test_bad_options(cli, args):
    cli.fails("overdue", *args, code=2)


def test_csv_neutralises_spreadsheet_formulas(cli):
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    cli.ok(
        "family",
        "add",
        "2026-0900",
        "--name",
        '=HYPERLINK("http://x","y")',
        "--program",
        "in_home",
        "--opened",
        "2026-03-01",
    )
    lines = cli.ok("overdue", "--all", "--csv").stdout.splitlines()
    assert any(',"\'=HYPERLINK(""http://x"",""y"")",' in line for line in lines), lines


def test_audit_json_timestamps_are_iso(rivera):
    entry = rivera.json("audit")[0]
    assert "T" in entry["at"] and entry["at"].endswith("+00:00")


def test_a_mistyped_worker_is_an_error_not_an_empty_caseload(rivera):
    rivera.fails("overdue", "--worker", "jdeo", says="no worker 'jdeo'. Did you mean jdoe?")
    rivera.fails("family", "list", "--worker", "jdeo", says="Did you mean jdoe?")
    rivera.fails("compliance", "--worker", "nobody", says="no worker 'nobody'")
    rivera.monkeypatch.setenv("CASELOAD_WORKER", "ghost")
    rivera.fails("overdue", says="no worker 'ghost'")


def test_example_1_exactly_for_an_agency_without_the_cans_clock(rivera, tmp_path):
    """SPEC 8.1 says nothing is listed for her; issue 10's CANS clock adds an `assessment` item for a
    child with no CANS. With the clock off (cans_every_months = 0) the example holds to the letter."""
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-01-31", "--note", "Seen.")
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-01", "--note", "Seen.")
    assert [i["kind"] for i in items(rivera, "--as-of", "2026-03-10")] == ["assessment"]  # CANS due 02-09
    standards = tmp_path / "standards.toml"
    standards.write_text(
        open("data/visit_standards.toml").read().replace("cans_every_months = 6", "cans_every_months = 0")
    )
    rivera.monkeypatch.setenv("CASELOAD_STANDARDS", str(standards))
    assert items(rivera, "--as-of", "2026-03-10") == []
