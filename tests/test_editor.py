"""`visit add` without --note on a terminal: the editor flow, with $EDITOR set to a script."""

import os
import stat

import pytest


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """Point $EDITOR at a script that writes the given text into the file it is handed."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # recovery files land here, not in /tmp
    monkeypatch.setattr("caseload.services.notes.on_terminal", lambda: True)

    def use(script_body: str):
        script = tmp_path / "fake-editor"
        script.write_text("#!/bin/sh\n" + script_body + "\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("EDITOR", str(script))

    return use


def test_editor_text_becomes_the_narrative(rivera, editor):
    editor('printf "%s\\n" "Maya read to me from her library book." >> "$1"')
    visit_id = rivera.ok("visit", "add", "2026-0142").stdout.strip()
    assert rivera.json("visit", "show", visit_id)["narrative"] == "Maya read to me from her library book."


def test_unchanged_buffer_cancels_and_saves_nothing(rivera, editor):
    editor("true")
    rivera.fails("visit", "add", "2026-0142", says="visit not recorded")
    assert rivera.json("visit", "list") == []


def test_text_is_kept_when_saving_fails(rivera, editor):
    editor('printf "%s\\n" "Long careful note." >> "$1"')
    outcome = rivera.run("visit", "add", "2026-0142", "--date", "2026-04-02")  # future: refused
    assert outcome.exit_code == 1
    kept_line = next(line for line in outcome.stderr.splitlines() if "Your note was kept in" in line)
    path = kept_line.split("kept in ", 1)[1].split(" (", 1)[0]
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == "Long careful note.\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert rivera.json("visit", "list") == []


def test_no_input_never_opens_the_editor(rivera, editor):
    editor("exit 99")
    visit_id = rivera.ok("visit", "add", "2026-0142", "--no-input").stdout.strip()
    assert rivera.json("visit", "show", visit_id)["narrative"] is None


def test_a_failing_editor_keeps_what_was_typed(rivera, editor, tmp_path):
    editor('printf "%s\\n" "Half a note." >> "$1"; exit 1')
    outcome = rivera.run("visit", "add", "2026-0142")
    assert outcome.exit_code == 1 and outcome.stderr.splitlines()[-1].startswith("Error: the editor")
    [kept] = tmp_path.glob("caseload-note-*.md")
    assert "Half a note." in kept.read_text()
    assert rivera.json("visit", "list") == []


def test_an_unknown_case_fails_before_the_editor_opens(rivera, editor, tmp_path):
    editor(f'touch "{tmp_path}/editor-was-opened"')
    rivera.fails("visit", "add", "2026-0143", says="no case '2026-0143'")
    assert not (tmp_path / "editor-was-opened").exists()
