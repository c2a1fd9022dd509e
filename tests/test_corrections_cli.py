"""Audited corrections (issue 16, item 2): each prints before -> after on stderr, is kept in the audit
trail, and is refused where it would leave the record inconsistent. Narratives stay amend/void only."""


def _audit(cli, action, entity):
    return [
        entry["detail"]
        for entry in cli.json("audit")
        if (entry["action"], entry["entity"]) == (action, entity)
    ]


# -- members ---------------------------------------------------------------------------------


def test_member_update_corrects_name_dob_and_role(rivera):
    outcome = rivera.ok(
        "member", "update", "2026-0142", "Ana", "--name", "Ana Lucía Rivera", "--dob", "1990-02-03"
    )
    assert "name: Ana Rivera → Ana Lucía Rivera" in outcome.stderr
    assert "date of birth: none → 1990-02-03" in outcome.stderr
    members = {m["name"]: m for m in rivera.json("member", "list", "2026-0142")}
    assert members["Ana Lucía Rivera"]["born_on"] == "1990-02-03"
    assert _audit(rivera, "update", "member") == [
        "name: Ana Rivera -> Ana Lucía Rivera; born_on: none -> 1990-02-03"
    ]
    updated = rivera.json("member", "update", "2026-0142", "Ana Lucía Rivera", "--role", "caregiver")
    assert (updated["name"], updated["role"]) == ("Ana Lucía Rivera", "caregiver")


def test_member_update_refusals(rivera):
    rivera.ok("member", "add", "2026-0142", "Leo Rivera", "--role", "child")
    rivera.fails("member", "update", "2026-0142", "Leo", "--name", "maya rivera", says="already a member")
    rivera.fails("member", "update", "2026-0142", "Maya", "--role", "sibling", says="has placements")
    rivera.fails("member", "update", "2026-0142", "Maya", "--dob", "2016-05-02", says="nothing to change")
    rivera.fails("member", "update", "2026-0142", "Maya", code=2, says="nothing to change")
    rivera.fails("member", "update", "2026-0142", "Nobody", "--dob", "2016-05-02", says="no member 'Nobody'")
    assert _audit(rivera, "update", "member") == []


def test_a_child_born_outside_0_to_21_years_of_the_case_is_refused(rivera, tmp_path):
    # the case opened 2026-01-05: born 2004-01-05 is 22 then, 2004-01-06 is 21
    rivera.fails(
        "member",
        "add",
        "2026-0142",
        "Old Child",
        "--role",
        "child",
        "--dob",
        "1900-01-01",
        says="Old Child born 1900-01-01 would be 126 when case 2026-0142 opened on 2026-01-05",
    )
    rivera.fails(
        "member", "add", "2026-0142", "Zed", "--role", "child", "--dob", "2004-01-05", says="would be 22"
    )
    rivera.ok("member", "add", "2026-0142", "Zed", "--role", "child", "--dob", "2004-01-06")
    rivera.ok("member", "add", "2026-0142", "Grandma", "--role", "relative", "--dob", "1900-01-01")
    rivera.fails("member", "update", "2026-0142", "Grandma", "--role", "child", says="would be 126")
    rivera.fails("member", "update", "2026-0142", "Maya", "--dob", "1999-01-01", says="would be 27")
    # born after the case opened (a baby of an open case) is a child of it
    rivera.ok("member", "add", "2026-0142", "Baby Rivera", "--role", "child", "--dob", "2026-03-01")
    # the limit is the agency's: max_child_age_years in the standards file
    standards = tmp_path / "standards.toml"
    standards.write_text(
        open("data/visit_standards.toml")
        .read()
        .replace("max_child_age_years = 21", "max_child_age_years = 18")
    )
    rivera.monkeypatch.setenv("CASELOAD_STANDARDS", str(standards))
    rivera.fails(
        "member", "add", "2026-0142", "Teen", "--role", "child", "--dob", "2007-01-04", says="0-18 years"
    )


# -- workers ---------------------------------------------------------------------------------


def test_worker_update_name_supervisor_and_inactive(rivera):
    rivera.ok("worker", "add", "sup", "--name", "Sam Supervisor")
    rivera.ok("worker", "add", "kim", "--name", "Kim Lee")
    outcome = rivera.ok("worker", "update", "jdoe", "--name", "Jamie Doe-Park", "--supervisor", "sup")
    assert "name: Jamie Doe → Jamie Doe-Park" in outcome.stderr
    assert "supervisor: none → sup" in outcome.stderr
    rivera.fails("worker", "update", "sup", "--supervisor", "jdoe", says="cannot go in a circle")
    rivera.fails("worker", "update", "jdoe", "--supervisor", "ghost", says="no worker 'ghost'")
    # jdoe holds 2026-0142: reassign it first
    rivera.fails("worker", "update", "jdoe", "--inactive", says="still has 1 open case(s) (2026-0142)")
    rivera.ok("family", "update", "2026-0142", "--worker", "kim")
    outcome = rivera.ok("worker", "update", "jdoe", "--inactive")
    assert "active: yes → no" in outcome.stderr
    workers = {w["id"]: w for w in rivera.json("worker", "list")}
    assert (workers["jdoe"]["name"], workers["jdoe"]["supervisor_id"], workers["jdoe"]["active"]) == (
        "Jamie Doe-Park",
        "sup",
        False,
    )
    assert workers["kim"]["active"] is True
    rivera.fails("family", "update", "2026-0142", "--worker", "jdoe", says="worker jdoe is inactive")
    rivera.fails(
        "family",
        "add",
        "2026-0150",
        "--name",
        "X",
        "--program",
        "in_home",
        "--worker",
        "jdoe",
        says="worker jdoe is inactive",
    )
    rivera.fails("worker", "update", "kim", "--supervisor", "jdoe", says="inactive")
    rivera.ok("worker", "update", "jdoe", "--active")
    assert {w["id"]: w["active"] for w in rivera.json("worker", "list")}["jdoe"] is True
    assert _audit(rivera, "deactivate", "worker") == ["active: yes -> no"]
    assert _audit(rivera, "reactivate", "worker") == ["active: no -> yes"]


# -- the case's opening date -----------------------------------------------------------------


def test_family_update_opened_corrects_a_wrong_opening_date(cli):
    # a case opened "today" by mistake (an import with an empty opened_on)
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")
    cli.ok("family", "add", "2026-0300", "--name", "Okafor", "--program", "foster_care")
    cli.ok("member", "add", "2026-0300", "Ada Okafor", "--role", "child", "--dob", "2018-01-01")
    cli.fails(
        "placement",
        "add",
        "2026-0300",
        "Ada",
        "--start",
        "2026-03-02",
        "--setting",
        "kinship",
        says="the case opened on 2026-04-01",
    )
    outcome = cli.ok("family", "update", "2026-0300", "--opened", "2026-03-01")
    assert "opened: 2026-04-01 → 2026-03-01" in outcome.stderr
    cli.ok("placement", "add", "2026-0300", "Ada", "--start", "2026-03-02", "--setting", "kinship")
    # refused if a record precedes the new date
    cli.fails(
        "family",
        "update",
        "2026-0300",
        "--opened",
        "2026-03-05",
        says="case 2026-0300 has a placement dated 2026-03-02: it cannot have opened on 2026-03-05",
    )
    cli.ok("visit", "add", "2026-0300", "--date", "2026-03-10", "--note", "Seen.")
    cli.fails("family", "update", "2026-0300", "--opened", "2026-03-03", says="placement dated 2026-03-02")
    cli.fails("family", "update", "2026-0300", "--opened", "2026-04-02", says="cannot be in the future")
    assert cli.json("family", "show", "2026-0300")["opened_on"] == "2026-03-01"
    assert "opened_on: 2026-04-01 -> 2026-03-01" in _audit(cli, "update", "family")


# -- hearings --------------------------------------------------------------------------------


def _court_reports(cli):
    items = cli.json("overdue", "--case", "2026-0142", "--within", "60")["items"]
    return [(i["subject"], i["due_on"]) for i in items if i["kind"] == "court_report"]


def test_hearing_continue_derives_the_report_due_date_again_and_keeps_the_old_date(rivera):
    # Monday 2026-05-04: due 10 days before, Friday 2026-04-24
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    assert _court_reports(rivera) == [("hearing 2026-05-04 (review)", "2026-04-24")]
    outcome = rivera.ok("hearing", "continue", "1", "--to", "2026-05-19", "--reason", "counsel unavailable")
    # Tuesday 2026-05-19: 10 days before is Saturday 2026-05-09, moved back to Friday 2026-05-08
    assert "hearing date: 2026-05-04 → 2026-05-19" in outcome.stderr
    assert "court report due: 2026-04-24 → 2026-05-08" in outcome.stderr
    assert _court_reports(rivera) == [("hearing 2026-05-19 (review)", "2026-05-08")]
    [hearing] = rivera.json("hearing", "list", "2026-0142")
    assert (hearing["hearing_on"], hearing["report_due_on"], hearing["report_status"]) == (
        "2026-05-19",
        "2026-05-08",
        "due",
    )
    [event] = hearing["history"]
    assert (event["action"], event["from"], event["to"], event["reason"], event["by"]) == (
        "continued",
        "2026-05-04",
        "2026-05-19",
        "counsel unavailable",
        "jdoe",
    )
    table = rivera.ok("hearing", "list", "2026-0142").stdout
    assert "was 2026-05-04" in table
    assert _audit(rivera, "continue", "hearing") == [
        "hearing_on: 2026-05-04 -> 2026-05-19; report_due_on: 2026-04-24 -> 2026-05-08; reason: counsel unavailable"
    ]
    rivera.fails("hearing", "continue", "1", "--to", "2026-05-19", says="nothing to change")
    rivera.fails("hearing", "continue", "9", "--to", "2026-05-19", says="no hearing 9")
    rivera.fails("hearing", "continue", "1", "--to", "2025-12-01", says="opened on 2026-01-05")


def test_hearing_cancel_leaves_no_report_due(rivera):
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    rivera.fails("hearing", "cancel", "1", "--reason", "", code=2)
    outcome = rivera.ok("hearing", "cancel", "1", "--reason", "vacated by the court")
    assert "outcome: none → cancelled" in outcome.stderr
    assert _court_reports(rivera) == []
    [hearing] = rivera.json("hearing", "list", "2026-0142")
    assert (hearing["report_status"], hearing["days_to_report_due"]) == ("cancelled", None)
    assert [e["action"] for e in hearing["history"]] == ["cancelled"]
    assert hearing["history"][0]["reason"] == "vacated by the court"
    rivera.fails("hearing", "continue", "1", "--to", "2026-05-11", says="hearing 1 was cancelled")
    rivera.fails("hearing", "cancel", "1", "--reason", "again", says="hearing 1 was cancelled")
    # the court sets it again on the same day: a new hearing
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    assert _court_reports(rivera) == [("hearing 2026-05-04 (review)", "2026-04-24")]


def test_a_hearing_on_a_closed_court_day_is_kept_with_a_warning(rivera):
    sunday = rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-03", "--type", "review")
    assert "Warning: 2026-05-03 is a Sunday" in sunday.stderr
    memorial_day = rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-25", "--type", "other")
    assert "Warning: 2026-05-25 is a court holiday" in memorial_day.stderr
    monday = rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "permanency")
    assert "Warning" not in monday.stderr
    moved = rivera.ok("hearing", "continue", "3", "--to", "2026-05-09")
    assert "Warning: 2026-05-09 is a Saturday" in moved.stderr


# -- placements ------------------------------------------------------------------------------


def _due(cli, kind):
    items = cli.json("overdue", "--case", "2026-0142", "--within", "60")["items"]
    return [i["due_on"] for i in items if i["kind"] == kind]


def test_placement_update_corrects_dates_and_the_deadlines_follow(rivera):
    # placed 2026-01-10: CANS due 30 days later, 2026-02-09; January's visit due 2026-01-31
    assert _due(rivera, "assessment") == ["2026-02-09"]
    assert _due(rivera, "visit") == ["2026-01-31"]
    [placement] = rivera.json("placement", "list", "2026-0142")
    outcome = rivera.ok(
        "placement", "update", str(placement["id"]), "--start", "2026-02-02", "--removed", "2026-02-02"
    )
    assert "start: 2026-01-10 → 2026-02-02" in outcome.stderr
    assert "removed: 2026-01-10 → 2026-02-02" in outcome.stderr
    # 2026-02-02 + 30 = 2026-03-04; the first month in care is February: due 2026-02-28
    assert _due(rivera, "assessment") == ["2026-03-04"]
    assert _due(rivera, "visit") == ["2026-02-28"]
    assert _audit(rivera, "update", "placement") == [
        "start_on: 2026-01-10 -> 2026-02-02; removed_on: 2026-01-10 -> 2026-02-02"
    ]


def test_placement_update_refusals(rivera):
    rivera.ok("placement", "add", "2026-0142", "Maya", "--start", "2026-03-01", "--setting", "foster_home")
    first, second = sorted(rivera.json("placement", "list", "2026-0142"), key=lambda p: p["start_on"])
    assert first["end_on"] == "2026-02-28"
    rivera.fails("placement", "update", second["id"], "--end", "2026-03-20", says="is open: end it with")
    rivera.fails("placement", "update", first["id"], "--end", "2026-03-05", says="placements cannot overlap")
    rivera.fails("placement", "update", first["id"], "--end", "2026-01-01", says="cannot end 2026-01-01")
    rivera.fails(
        "placement", "update", second["id"], "--start", "2025-12-01", says="the case opened on 2026-01-05"
    )
    rivera.fails(
        "placement", "update", first["id"], "--removed", "2026-01-11", says="after the placement start"
    )
    rivera.fails("placement", "update", 99, "--start", "2026-03-01", says="no placement 99")
    rivera.fails("placement", "update", first["id"], code=2, says="nothing to change")
    rivera.ok("placement", "update", first["id"], "--end", "2026-02-27")
    # the day between the two placements is now a gap
    assert sorted(p["end_on"] or "" for p in rivera.json("placement", "list", "2026-0142")) == [
        "",
        "2026-02-27",
    ]


def test_narratives_have_no_update_command(rivera):
    rivera.fails("visit", "update", "1", "--note", "x", code=2)


# -- services --------------------------------------------------------------------------------


def test_service_referral_date_is_corrected_not_its_later_entries(rivera):
    service = rivera.json("service", "add", "2026-0142", "Tutoring", "--referred", "2026-03-10")
    rivera.ok("service", "update", service["id"], "--status", "active", "--date", "2026-03-20")
    outcome = rivera.ok("service", "update", service["id"], "--referred", "2026-03-02")
    assert "referred: 2026-03-10 → 2026-03-02" in outcome.stderr
    [listed] = rivera.json("service", "list", "2026-0142")
    assert (listed["referred_on"], listed["status"], listed["updated_on"]) == (
        "2026-03-02",
        "active",
        "2026-03-20",
    )
    rivera.fails(
        "service", "update", service["id"], "--referred", "2026-03-21", says="status entry dated 2026-03-20"
    )
    rivera.fails("service", "update", service["id"], "--referred", "2026-01-01", says="opened on 2026-01-05")
    rivera.fails("service", "update", service["id"], code=2, says="give --status")
    rivera.fails(
        "service", "update", service["id"], "--referred", "2026-03-03", "--date", "2026-03-03", code=2
    )
    assert _audit(rivera, "update", "service")[-1] == "referred_on: 2026-03-10 -> 2026-03-02"
