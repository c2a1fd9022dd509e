"""What a new user trips over at 80 columns: ambiguous names, an assumed location, messages and help
that run past the terminal, short case numbers, a help text that disagrees with the output.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios

import pytest
from typer.testing import CliRunner

from tests.dbtools import read_until_closed
from tests.test_terminal import ANSI, REPO

# --- Ambiguous names --------------------------------------------------------------------------------


def test_a_surname_several_members_share_is_ambiguous_and_lists_them(rivera):
    # before: "no member 'Rivera' in case 2026-0142." with at most two guesses, exit 1
    members = rivera.json("member", "list", "2026-0142")
    says = "'Rivera' could be Maya Rivera, Ana Rivera in case 2026-0142; give the full name"
    rivera.fails("member", "update", "2026-0142", "Rivera", "--role", "relative", code=2, says=says)
    rivera.fails("member", "update", "2026-0142", "rivera", "--role", "relative", code=2, says=says[2:])
    rivera.fails(
        "visit", "add", "2026-0142", "--seen", "Rivera", "--note", "x", "--no-input", code=2, says=says
    )
    assert rivera.json("member", "list", "2026-0142") == members
    assert rivera.json("visit", "list", "2026-0142") == []
    # a whole name and a unique first name still find the member
    rivera.ok("member", "update", "2026-0142", "Ana Rivera", "--role", "relative")
    rivera.ok("member", "update", "2026-0142", "Ana", "--role", "parent")


# --- visit add says what it assumes -----------------------------------------------------------------


def test_visit_add_says_it_assumed_home(rivera):
    outcome = rivera.ok("visit", "add", "2026-0142", "--note", "x", "--no-input")
    assert outcome.stderr.splitlines() == [
        "Recorded visit 1: face_to_face on 2026-04-01 for 2026-0142.",
        "Location: home (assumed; give --location when it was elsewhere).",
        "Next visit due: Maya Rivera by 2026-05-31 (monthly face-to-face visit (foster care)).",
    ]
    assert rivera.json("visit", "show", "1")["location"] == "home"
    attempted = rivera.ok("visit", "add", "2026-0142", "--kind", "attempted", "--note", "x", "--no-input")
    assert "Location: home (assumed; give --location when it was elsewhere)." in attempted.stderr.splitlines()


@pytest.mark.parametrize(
    "args",
    [("--location", "home"), ("--location", "school"), ("--kind", "phone")],
    ids=["home-given", "school", "phone"],
)
def test_visit_add_assumes_nothing_when_told_or_for_other_kinds(rivera, args):
    outcome = rivera.ok("visit", "add", "2026-0142", *args, "--note", "x", "--no-input")
    assert "Location:" not in outcome.stderr
    assert outcome.stderr.splitlines()[0].startswith("Recorded visit 1: ")


# --- Messages and help fit 80 columns ---------------------------------------------------------------


def on_terminal_both(db: str, *args: str, columns: int = 80) -> str:
    """stdout and stderr of `caseload ARGS` on one pseudo-terminal `columns` wide, as a person sees them."""
    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(REPO), "CASELOAD_TODAY": "2026-04-01", "TERM": "xterm"}
    env.update(CASELOAD_WORKER="jdoe", CASELOAD_DB=db)
    env.pop("COLUMNS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "caseload", *args],
        stdout=secondary,
        stderr=secondary,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=REPO,
    )
    os.close(secondary)
    chunks = read_until_closed(primary)
    assert process.wait(timeout=30) == 0
    return ANSI.sub("", b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


def test_visit_add_messages_break_between_words_on_an_80_column_terminal(rivera, sqlite_only):
    # before: "…visit (foster care))." ran to 86 columns and the terminal cut it mid-word
    screen = on_terminal_both(rivera.db, "visit", "add", "2026-0142", "--note", "x", "--no-input")
    assert screen.splitlines() == [
        "Recorded visit 1: face_to_face on 2026-04-01 for 2026-0142.",
        "Location: home (assumed; give --location when it was elsewhere).",
        "Next visit due: Maya Rivera by 2026-05-31 (monthly face-to-face visit (foster",
        "  care)).",
        "1",
    ]
    # piped (the CliRunner above), each message stays one line: see test_visit_add_says_it_assumed_home


def commands(group, path=()):
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, (*path, name))


# The one line of help that is data rather than prose: the CSV header, which must stay whole to copy.
CSV_HEADER = "case_number,family_name,program,risk,opened_on,worker,county,docket,member_name,role,dob"


def test_every_help_fits_80_columns_and_examples_are_continued_not_wrapped(monkeypatch):
    from typer.main import get_command

    from caseload.cli import app

    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    too_long = {}
    continued = 0
    for path in commands(get_command(app)):
        shown = runner.invoke(app, [*path, "--help"], terminal_width=80).stdout
        lines = shown.splitlines()
        too_long[" ".join(path)] = [line for line in lines if len(line) > 80 and line.strip() != CSV_HEADER]
        for line, after in zip(lines, lines[1:], strict=False):
            if line.strip().startswith("caseload ") and line.endswith(" \\"):
                continued += 1
                assert after.startswith(line[: len(line) - len(line.lstrip())] + "  --"), (line, after)
    assert {path: lines for path, lines in too_long.items() if lines} == {}
    assert continued >= 12  # the long examples, the root help's two among them
    root = runner.invoke(app, ["--help"], terminal_width=80).stdout
    assert (
        "    caseload family add 2026-0142 --name Rivera --program foster_care \\\n      --risk high\n"
        in root
    )


# --- Small things -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["142", "14"])
def test_a_short_case_number_is_suggested(rivera, typed):
    rivera.fails("family", "show", typed, says=f"no case '{typed}'. Did you mean 2026-0142 (Rivera)?")


def test_a_suggestion_by_spelling_is_unchanged(rivera):
    rivera.fails("family", "show", "2026-0124", says="no case '2026-0124'. Did you mean 2026-0142 (Rivera)?")
    rivera.fails("family", "show", "zz", says="no case 'zz'.")


def test_member_update_help_shows_the_arrow_the_command_prints(rivera):
    helped = rivera.ok("member", "update", "--help").stdout
    assert "printed before →" in helped and "->" not in helped
    changed = rivera.ok("member", "update", "2026-0142", "Ana", "--role", "relative")
    assert "  role: parent → relative" in changed.stderr.splitlines()


def test_family_show_lists_its_latest_visits_without_the_case_column(rivera):
    rivera.ok("visit", "add", "2026-0142", "--note", "Saw Maya.", "--no-input")
    shown = rivera.ok("family", "show", "2026-0142").stdout
    table = shown.split("Latest visits\n")[1].splitlines()
    assert [re.split(r"\s{2,}", line.strip()) for line in table] == [
        ["Id", "Date", "Kind", "Location", "Seen", "Flags", "Summary"],
        ["1", "2026-04-01", "face_to_face", "home", "Maya Rivera", "Saw Maya."],
    ]
    # visit list, over several cases, keeps it
    assert "Case" in rivera.ok("visit", "list").stdout.splitlines()[0].split()
