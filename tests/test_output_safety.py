"""Output that cannot be turned against its reader: no markup or emoji read from data, no control or
bidi character reaching a terminal, a spreadsheet, a calendar or a report, formulas made inert, the
Part 2 notice whatever the template, initials in shared calendars, and a note kept on Ctrl-C."""

from __future__ import annotations

import json
import os

import icalendar
import pytest

from tests.conftest import BACKEND
from tests.dbtools import raw_execute

MARKUP_NAME = "[link=https://evil.example]click[/link] :skull: [bold red]x[/bold red]"
ESCAPES = "\x1b]0;title\x07\x1b[2J"


def test_data_is_never_read_as_rich_markup_or_emoji(rivera, monkeypatch):
    monkeypatch.setattr("caseload.render.output.stdout_is_terminal", lambda: True)  # the rich table
    monkeypatch.setenv("COLUMNS", "240")
    rivera.ok("member", "add", "2026-0142", MARKUP_NAME, "--role", "other")
    shown = rivera.ok("member", "list", "2026-0142").stdout
    assert MARKUP_NAME in shown
    assert "\N{SKULL}" not in shown


def _plant(cli, text_sql: str) -> None:
    """A family name holding escape sequences, as an older version or a hand edit could leave it."""
    raw_execute(cli.db, f"UPDATE family SET name = {text_sql} WHERE case_number = '2026-0142'")


def _escapes_sql() -> str:
    char = "chr" if BACKEND == "postgres" else "char"
    # 'Ri' ESC ']0;title' BEL ESC '[2J' U+202E 'vera'
    return f"'Ri' || {char}(27) || ']0;title' || {char}(7) || {char}(27) || '[2J' || {char}(8238) || 'vera'"


def test_control_and_bidi_characters_are_replaced_on_output(rivera, tmp_path):
    _plant(rivera, _escapes_sql())
    outputs = {
        "table": rivera.ok("family", "list").stdout,
        "show": rivera.ok("family", "show", "2026-0142").stdout,
        "csv": rivera.ok("overdue", "--all", "--csv").stdout,
        "report": rivera.ok("report", "court", "2026-0142").stdout,
    }
    rivera.ok("calendar", "-o", tmp_path / "due.ics")
    calendar = icalendar.Calendar.from_ical((tmp_path / "due.ics").read_bytes())
    outputs["ics"] = "\n".join(str(e["description"]) for e in calendar.walk("VEVENT"))
    rivera.ok("export", "--format", "csv", "-o", tmp_path / "all.zip")
    import zipfile

    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        outputs["export csv"] = archive.read("family.csv").decode()
    for where, text in outputs.items():
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, where
        assert "Ri\ufffd" in text and "\ufffd\ufffd" in text and "\ufffdvera" in text, (where, text)
    # JSON stays the faithful record (escaped by JSON itself), so it can be imported back
    assert json.loads(rivera.ok("export").stdout)["tables"]["family"][0]["name"].startswith("Ri\x1b]0;")


def test_an_imported_name_is_checked_like_one_typed_at_the_command_line(rivera, fresh_db, tmp_path):
    document = json.loads(rivera.ok("export").stdout)
    document["tables"]["member"][0]["name"] = "Maya" + ESCAPES
    source = tmp_path / "export.json"
    source.write_text(json.dumps(document))
    rivera.db = fresh_db("restored")
    rivera.monkeypatch.setenv("CASELOAD_DB", rivera.db)
    rivera.monkeypatch.delenv("CASELOAD_WORKER")
    rivera.ok("init")
    rivera.fails("import", source, code=2, says="table member, row 1: name contains a control character")
    assert rivera.json("family", "list") == []
    document["tables"]["member"][0]["name"] = "Maya Rivera"
    document["tables"]["visit"] = []
    source.write_text(json.dumps(document))
    rivera.ok("import", source)
    assert [m["name"] for m in rivera.json("member", "list", "2026-0142")] == ["Maya Rivera", "Ana Rivera"]


def test_csv_keeps_numbers_and_guards_semicolon_formulas(rivera):
    rivera.ok(
        "family", "add", "2026-0900", "--name", "Ann;=1+1", "--program", "in_home", "--opened", "2026-03-01"
    )
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--seen", "Maya", "--note", "Seen.")
    lines = rivera.ok("overdue", "--all", "--csv", "--within", "30").stdout.splitlines()
    # seen 2026-03-30 → April's visit due 2026-04-30, 29 days after 2026-04-01: days_overdue -29
    [maya] = [line for line in lines if ",Maya Rivera," in line]
    assert maya.startswith("visit,due_soon,2026-0142,Rivera,jdoe,Maya Rivera,2026-04-30,-29,2026-03-30,")
    assert any(",Ann;'=1+1," in line for line in lines), lines


def _part2_visit(cli) -> None:
    cli.ok("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", "SUD treatment.", "--part2")


def test_a_custom_template_cannot_drop_the_part2_notice(rivera, tmp_path):
    from caseload.disclosure import part2_notice
    from caseload.render.markdown import para

    template = tmp_path / "short.md.j2"
    template.write_text("# {{ case.case_number }}: {{ contacts | length }} contacts\n")
    args = ("report", "progress", "2026-0142", "--month", "2026-03", "--template", template)
    assert rivera.ok(*args).stdout == "# 2026-0142: 0 contacts\n"  # no Part 2 record: as written
    _part2_visit(rivera)
    shown = rivera.ok(*args).stdout
    assert shown.startswith("# 2026-0142: 1 contacts\n")
    assert para(part2_notice()) in shown and "42 CFR Part 2" in shown
    # the shipped template already carries it: not twice
    assert (
        rivera.ok("report", "progress", "2026-0142", "--month", "2026-03").stdout.count(para(part2_notice()))
        == 1
    )


def test_calendar_redact_puts_initials_in_shared_events(rivera, tmp_path):
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-04-20", "--type", "review")
    plain = rivera.ok("calendar", "--days", "30").stdout
    assert "Maya Rivera" in plain
    redacted = rivera.ok("calendar", "--days", "30", "--redact").stdout
    calendar = icalendar.Calendar.from_ical(redacted.encode())
    texts = [str(e[field]) for e in calendar.walk("VEVENT") for field in ("summary", "description")]
    assert "OVERDUE since 2026-01-31: 2026-0142 visit: M.R." in texts
    assert not any("Maya" in text for text in texts), texts
    details = [e["detail"] for e in rivera.json("audit") if e["entity"] == "calendar"]
    assert details[-1].endswith("; redacted") and not details[0].endswith("; redacted")


@pytest.fixture
def editor(tmp_path, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr("caseload.services.notes.on_terminal", lambda: True)

    def use(script_body: str):
        script = tmp_path / "fake-editor"
        script.write_text("#!/bin/sh\n" + script_body + "\n")
        script.chmod(0o700)
        monkeypatch.setenv("EDITOR", str(script))

    return use


def test_ctrl_c_in_the_editor_says_so_and_keeps_the_note(rivera, editor, tmp_path):
    # Ctrl-C at a terminal reaches the whole foreground group: caseload (our parent) and the editor
    editor('printf "%s\\n" "Half a careful note." >> "$1"; kill -INT $PPID; kill -INT $$')
    outcome = rivera.run("visit", "add", "2026-0142")
    assert outcome.exit_code == 130, outcome
    [kept] = tmp_path.glob("caseload-note-*.md")
    assert outcome.stderr == f"Error: interrupted; nothing was saved (your note is kept in {kept})\n"
    assert "Half a careful note." in kept.read_text()
    assert oct(os.stat(kept).st_mode & 0o777) == "0o600"
    assert rivera.json("visit", "list") == []
