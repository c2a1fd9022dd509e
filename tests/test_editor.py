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
