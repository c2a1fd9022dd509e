"""Recording contacts: visit add/list/show/amend/void through the CLI (SPEC sections 3 and 4)."""

import pytest


def test_visit_add_defaults_and_prints_id(rivera):
    outcome = rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Maya was well.")
    visit_id = int(outcome.stdout.strip())
    visit = rivera.json("visit", "show", visit_id)
    assert visit["kind"] == "face_to_face"
    assert visit["location"] == "home"  # default for a face-to-face visit
    assert visit["seen"] == ["Maya Rivera"]  # no --seen: every child of the case
    assert visit["narrative"] == "Maya was well."
    assert visit["late_entry"] is False  # recorded 2026-04-01, 2 days after: within 3
    assert visit["recorded_by"] == "jdoe"


def test_visit_add_every_option(rivera):
    visit = rivera.json(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "yesterday",
        "--time",
        "14:30",
        "--kind",
        "video",
        "--location",
        "office",
        "--seen",
        "Maya",
        "--seen",
        "ana rivera",
        "--duration",
        "45",
        "--note",
        "Spoke by video.",
        "--assessment",
        "Settled.",
        "--plan",
        "Visit next week.",
        "--safety-concern",
    )
    assert visit["visit_on"] == "2026-03-31"
    assert visit["visit_time"] == "14:30"
    assert (visit["kind"], visit["location"], visit["duration_min"]) == ("video", "office", 45)
    assert visit["seen"] == ["Maya Rivera", "Ana Rivera"]
    assert (visit["assessment"], visit["plan"], visit["safety_concern"]) == (
        "Settled.",
        "Visit next week.",
        True,
    )


def test_late_entry_flag(rivera):
    # recorded on 2026-04-01: 2026-03-29 is 3 days before (not late), 2026-03-28 is 4 (late)
    assert rivera.json("visit", "add", "2026-0142", "--date", "2026-03-29")["late_entry"] is False
    assert rivera.json("visit", "add", "2026-0142", "--date", "2026-03-28")["late_entry"] is True


def test_note_file(rivera, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("Visited at the kinship home.\nMaya showed her drawings.\n", encoding="utf-8")
    visit = rivera.json("visit", "add", "2026-0142", "--note-file", note)
    assert visit["narrative"] == "Visited at the kinship home.\nMaya showed her drawings."
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Señora".encode("latin-1"))
    rivera.fails("visit", "add", "2026-0142", "--note-file", latin1, code=2, says="not UTF-8")
    rivera.fails(
        "visit", "add", "2026-0142", "--note-file", tmp_path / "missing.txt", code=2, says="does not exist"
    )


def test_note_file_dash_reads_the_note_from_standard_input(rivera):
    # before: `echo "…" | caseload visit add 2026-0142 --kind phone --note-file -` said
    # "Error: note file - does not exist"
    import os
    import subprocess
    import sys

    from tests.test_terminal import REPO

    command = [sys.executable, "-m", "caseload", "visit", "add", "2026-0142", "--kind", "phone"]
    command += ["--note-file", "-"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    piped = subprocess.run(command, input=b"Called Ana.\r\nMaya is well.\n", env=env, capture_output=True)
    assert piped.returncode == 0
    assert piped.stderr.decode().splitlines() == [
        "Recorded visit 1: phone on 2026-04-01 for 2026-0142.",
        "A phone contact is not a face-to-face visit: the next one is still due.",
        "Next visit due: Maya Rivera OVERDUE since 2026-02-01 (due by 2026-01-31; monthly face-to-face"
        " visit (foster care)).",
    ]
    assert piped.stdout == b"1\n"
    assert rivera.json("visit", "show", "1")["narrative"] == "Called Ana.\nMaya is well."
    # the same size limit and UTF-8 and control-character checks as a file; nothing is recorded
    for note, says in [
        (b"Se\xf1ora", "Error: note on standard input is not UTF-8 text\n"),
        (b"a" * 400_001, "Error: note on standard input is larger than 400,000 bytes\n"),
        (b"a\x07b", "Error: note contains a control character ('\\x07')\n"),
    ]:
        refused = subprocess.run(command, input=note, env=env, capture_output=True)
        assert (refused.returncode, refused.stdout, refused.stderr.decode()) == (2, b"", says)
    assert [v["id"] for v in rivera.json("visit", "list", "2026-0142")] == [1]


def test_amend_keeps_the_original_and_audits_both(rivera):
    visit_id = rivera.ok("visit", "add", "2026-0142", "--note", "Original text.").stdout.strip()
    rivera.ok("visit", "amend", visit_id, "--note", "Grandmother was also present.", "--reason", "omitted")
    visit = rivera.json("visit", "show", visit_id)
    assert visit["narrative"] == "Original text."
    assert [(a["narrative"], a["reason"]) for a in visit["amendments"]] == [
        ("Grandmother was also present.", "omitted")
    ]
    actions = [
        (e["action"], e["entity"], e["entity_id"]) for e in rivera.json("audit", "--case", "2026-0142")
    ]
    assert ("add", "visit", visit_id) in actions and ("amend", "visit", visit_id) in actions
    shown = rivera.ok("visit", "show", visit_id).stdout
    assert "Original text." in shown and "Grandmother was also present." in shown


def test_void_keeps_the_entry_once(rivera):
    visit_id = rivera.ok("visit", "add", "2026-0142", "--note", "Wrong case.").stdout.strip()
    voided = rivera.json("visit", "void", visit_id, "--reason", "entered on the wrong case")
    assert voided["void"] is True and voided["void_reason"] == "entered on the wrong case"
    assert voided["narrative"] == "Wrong case."
    rivera.fails("visit", "void", visit_id, "--reason", "again", says="already voided")
    rivera.fails("visit", "amend", visit_id, "--note", "x", "--reason", "y", says="is void")
    assert [v["void"] for v in rivera.json("visit", "list", "2026-0142")] == [True]


def test_visit_list_filters(rivera):
    for day in ("2026-02-03", "2026-03-03", "2026-03-20"):
        rivera.ok("visit", "add", "2026-0142", "--date", day)
    listed = rivera.json("visit", "list", "2026-0142", "--since", "2026-03-01", "--until", "2026-03-19")
    assert [v["visit_on"] for v in listed] == ["2026-03-03"]
    assert [v["visit_on"] for v in rivera.json("visit", "list")] == ["2026-02-03", "2026-03-03", "2026-03-20"]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--date", "2026-04-02"), 1, "future"),
        (("--date", "2026-01-04"), 1, "opened on 2026-01-05"),
        (("--date", "2026-02-30"), 2, "not a real date"),
        (("--seen", "Zed"), 1, "no member 'Zed'"),
        (("--kind", "email"), 2, "kind must be one of"),
        (("--time", "25:00"), 2, "HH:MM"),
        (("--goal", "99"), 1, "not a goal of case"),
        (("--duration", "0"), 1, "duration"),
        (("--note", "a\x00b"), 2, "control character"),
        (("--note", "x", "--note-file", "/etc/hostname"), 2, "not both"),
    ],
)
def test_bad_visit_is_refused_and_nothing_written(rivera, args, code, says):
    rivera.fails("visit", "add", "2026-0142", *args, code=code, says=says)
    assert rivera.json("visit", "list") == []


def test_unknown_visit(cli):
    cli.ok("init")
    cli.fails("visit", "show", "404", says="no visit 404")
    cli.fails("visit", "show", "abc", code=2)


def test_a_misspelt_first_name_is_suggested(rivera):
    rivera.fails(
        "visit", "add", "2026-0142", "--seen", "Mya", "--no-input",
        says="no member 'Mya' in case 2026-0142. Did you mean Maya Rivera?",
    )  # fmt: skip
    assert rivera.json("visit", "list") == []


def test_a_contact_that_is_no_visit_says_so(rivera):
    """A video call or an attempt does not count as the face-to-face visit the rules ask for: the
    worker is told, beside the unchanged due date; a face-to-face visit says nothing of the kind."""
    said = rivera.ok("visit", "add", "2026-0142", "--kind", "video", "--note", "Called.").stderr.splitlines()
    assert said[1] == "A video contact is not a face-to-face visit: the next one is still due."
    said = rivera.ok("visit", "add", "2026-0142", "--note", "Saw Maya at home.").stderr.splitlines()
    assert not any("not a face-to-face visit" in line for line in said)
