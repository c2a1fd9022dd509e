"""The record says only what happened (issue 16, item 1): who was seen, narratives owed, the risk in
force on a report's date, a back-dated visit's next due date, and plausibility checks."""

import pytest


def test_attempted_contact_records_no_one(rivera):
    visit = rivera.json("visit", "add", "2026-0142", "--kind", "attempted", "--note", "Knocked, nobody home.")
    assert visit["seen"] == []
    rivera.fails(
        "visit",
        "add",
        "2026-0142",
        "--kind",
        "attempted",
        "--seen",
        "Maya",
        "--note",
        "x",
        code=2,
        says="an attempted contact saw no one",
    )


@pytest.mark.parametrize("kind", ["collateral", "phone", "video"])
def test_other_kinds_record_exactly_the_names_given(rivera, kind):
    assert rivera.json("visit", "add", "2026-0142", "--kind", kind, "--note", "Called school.")["seen"] == []
    named = rivera.json("visit", "add", "2026-0142", "--kind", kind, "--seen", "Ana", "--note", "Spoke.")
    assert named["seen"] == ["Ana Rivera"]


def test_face_to_face_and_family_time_default_to_every_child(rivera):
    assert rivera.json("visit", "add", "2026-0142", "--note", "Well.")["seen"] == ["Maya Rivera"]
    family_time = rivera.json(
        "visit", "add", "2026-0142", "--kind", "family_time", "--supervision", "supervised", "--note", "Ok."
    )
    assert family_time["seen"] == ["Maya Rivera"]


def test_reports_do_not_say_an_attempted_contact_saw_anyone(rivera):
    rivera.ok(
        "visit", "add", "2026-0142", "--date", "2026-03-10", "--kind", "attempted", "--note", "Nobody home."
    )
    report = rivera.ok("report", "progress", "2026-0142", "--month", "2026-03").stdout
    assert "| 2026-03-10 | attempted | home | — | Nobody home. |" in report


def _notes_due(cli, as_of="2026-04-01"):
    items = cli.json("overdue", "--case", "2026-0142", "--as-of", as_of)["items"]
    return [(i["subject"], i["due_on"], i["status"]) for i in items if i["kind"] == "note"]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_a_counting_visit_without_narrative_owes_its_note(rivera, blank):
    visit_id = rivera.json("visit", "add", "2026-0142", "--date", "2026-03-27", "--note", blank)["id"]
    assert rivera.json("visit", "show", visit_id)["narrative"] is None
    # 2026-03-27 + late_entry_after_days (3) = 2026-03-30, overdue on 2026-04-01
    assert _notes_due(rivera) == [(f"visit {visit_id} of 2026-03-27", "2026-03-30", "overdue")]
    # the visit still counts: Maya's monthly visit is done for March
    items = rivera.json("overdue", "--case", "2026-0142")["items"]
    assert [i for i in items if i["kind"] == "visit"] == []
    rivera.ok("visit", "amend", visit_id, "--note", "Maya was well.", "--reason", "note written late")
    assert _notes_due(rivera) == []


def test_a_visit_piped_without_note_owes_it_and_other_kinds_do_not(rivera):
    visit_id = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-31", "--json", input="").json()["id"]
    rivera.ok("visit", "add", "2026-0142", "--kind", "phone", "--seen", "Ana", input="")
    # due 2026-04-03: within the week of due-soon
    assert _notes_due(rivera) == [(f"visit {visit_id} of 2026-03-31", "2026-04-03", "due_soon")]
    rivera.ok("visit", "void", visit_id, "--reason", "wrong case")
    assert _notes_due(rivera) == []


def test_next_visit_due_after_a_back_dated_visit_says_overdue(rivera):
    # seen 2026-01-20 (recorded 2026-04-01): next due by the end of February, overdue since March 1
    outcome = rivera.ok("visit", "add", "2026-0142", "--date", "2026-01-20", "--note", "Seen.")
    assert (
        "Next visit due: Maya Rivera OVERDUE since 2026-03-01 "
        "(due by 2026-02-28; monthly face-to-face visit (foster care))." in outcome.stderr
    )
    outcome = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Seen.")
    assert "Next visit due: Maya Rivera by 2026-04-30 (monthly" in outcome.stderr


def test_reports_show_the_risk_in_force_on_their_date(rivera):
    # Rivera opened with risk high; an SDM risk assessment on 2026-03-20 finds it moderate
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    rivera.ok(
        "assess",
        "add",
        "2026-0142",
        "--instrument",
        "sdm_risk",
        "--date",
        "2026-03-20",
        "--level",
        "moderate",
    )
    assert (
        "foster care, risk moderate"
        in rivera.ok("report", "progress", "2026-0142", "--month", "2026-03").stdout
    )
    assert "foster care, risk moderate" in rivera.ok("report", "court", "2026-0142").stdout
    # a court report as of before the assessment shows the risk then in force
    assert (
        "foster care, risk high" in rivera.ok("report", "court", "2026-0142", "--as-of", "2026-03-19").stdout
    )


def test_the_same_visit_recorded_twice_the_same_day_is_kept_with_a_warning(rivera):
    first = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Seen at home.")
    assert "Warning" not in first.stderr
    second = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Seen at home.")
    assert "Warning: visit 1 is the same face_to_face contact on 2026-03-30 already" in second.stderr
    assert second.stdout.strip() == "2"  # kept: a second visit the same day can be real
    other_kind = rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-30",
        "--kind",
        "phone",
        "--seen",
        "Ana",
        "--note",
        "Called.",
    )
    assert "Warning" not in other_kind.stderr
    other_day = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-31", "--note", "Seen.")
    assert "Warning" not in other_day.stderr
    rivera.ok("visit", "void", "1", "--reason", "entered twice")
    rivera.ok("visit", "void", "2", "--reason", "entered twice")
    again = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Seen at home.")
    assert "Warning" not in again.stderr  # void entries are not the record
