"""Hostile input through the CLI: control characters, bidi overrides, NUL, escape sequences, huge
notes, undecodable bytes, emoji and combining characters. Every case ends in exit 0 with clean,
NFC text stored, or in one `Error:` line with the database exactly as it was."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from caseload.parsing import MAX_TEXT_BYTES, MAX_TEXT_CHARS
from tests.dbtools import table_dump

HOSTILE = [
    "\x00",  # NUL
    "\x07",  # bell
    "\x1b[2J\x1b[31m",  # clear screen, red
    "\x1b]0;owned\x07",  # set the terminal title
    "\r",  # carriage return: overwrite the line on a terminal
    "\r\n",
    "\n",
    "\t",
    "\x85",  # NEL
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\ufeff",  # byte-order mark
    "\u00a0",  # no-break space
    "\udcff",  # an undecodable argv byte, as Python hands it over
    "e\u0301",  # e + combining acute: NFC is é
    "A\u030a",  # A + combining ring: NFC is Å
    "👩\u200d👩\u200d👧",  # family emoji joined by zero-width joiners
    "🧒🏽",
    "Zoë Ñúñez-O'Brien",
    "'; DROP TABLE family; --",
    "{{ 7 * 7 }}{% raw %}",
    "# Heading\n| a | b |",
    "<script>alert(1)</script>",
    " ",
    "",
]
# Letters, marks, digits, punctuation, spaces and symbols (emoji): what real names are made of.
printable = st.text(st.characters(categories=["L", "M", "N", "P", "Zs", "So"]), min_size=1, max_size=8)
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6), printable), max_size=6).map(
    "".join
)
# Pasted notes: more text, sometimes long.
hostile_note = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.sampled_from(["x" * 5_000, "y" * 60_000])),
    max_size=8,
).map("".join)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_case_numbers = itertools.count(1)


BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def clean_name(text: str) -> bool:
    """No controls, no format characters (bidi, zero-width, joiners), no surrogates."""
    return not any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in text)


def clean_note(text: str) -> bool:
    """Line breaks and tabs kept; no other controls, no bidi controls, no surrogates."""
    return not any(
        char in BIDI_CONTROLS or (unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t")
        for char in text
    )


def expected_name(typed: str) -> str:
    return " ".join(unicodedata.normalize("NFC", typed).split())


def expected_note(typed: str) -> str | None:
    unified = typed.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", unified).strip() or None


def attempt(cli, *args: str):
    """Run the command; on failure insist on one `Error:` line and an unchanged database.

    Returns the outcome when the command succeeded, else None.
    """
    before = table_dump(cli.db)
    outcome = cli.run(*args)
    event("saved" if outcome.exit_code == 0 else "refused")  # both show in --hypothesis-show-statistics
    if outcome.exit_code == 0:
        return outcome
    assert outcome.exit_code in (1, 2), (outcome.exit_code, outcome.stderr)
    lines = outcome.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), outcome.stderr
    assert clean_name(lines[0]), lines[0]  # no escape sequence or bidi override reaches the terminal
    assert table_dump(cli.db) == before
    return None


@FUZZ
@given(name=hostile_text, county=st.none() | hostile_text)
def test_family_add(cli, name, county):
    cli.ok("init")
    case = f"H-{next(_case_numbers)}"
    county_option = [] if county is None else ["--county", county]
    outcome = attempt(cli, "family", "add", case, "--name", name, "--program", "in_home", *county_option)
    if outcome is None:
        return
    family = cli.json("family", "show", case)
    assert family["name"] == expected_name(name) and clean_name(family["name"])
    assert family["county"] == (None if county is None else expected_name(county))


@FUZZ
@given(name=hostile_text)
def test_member_add(rivera, name):
    outcome = attempt(rivera, "member", "add", "2026-0142", name, "--role", "child", "--json")
    if outcome is None:
        return
    stored = outcome.json()["name"]
    assert stored == expected_name(name) and unicodedata.is_normalized("NFC", stored)
    assert clean_name(stored)
    assert stored in [m["name"] for m in rivera.json("member", "list", "2026-0142")]


@FUZZ
@given(note=hostile_note, assessment=hostile_text)
def test_visit_add_note(rivera, note, assessment):
    args = ["visit", "add", "2026-0142", "--note", note, "--assessment", assessment, "--json"]
    outcome = attempt(rivera, *args)
    if outcome is None:
        return
    visit = rivera.json("visit", "show", outcome.json()["id"])
    assert (visit["narrative"], visit["assessment"]) == (expected_note(note), expected_note(assessment))
    for text in (visit["narrative"] or "", visit["assessment"] or ""):
        assert unicodedata.is_normalized("NFC", text) and clean_note(text)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=300), hostile_note.map(lambda text: text.encode("utf-8", "surrogatepass"))
    )
)
def test_visit_add_note_file(rivera, tmp_path, content):
    note_file = tmp_path / "note.txt"
    note_file.write_bytes(content)
    outcome = attempt(rivera, "visit", "add", "2026-0142", "--note-file", note_file, "--json")
    if outcome is None:
        return
    typed = content.decode("utf-8-sig")
    assert rivera.json("visit", "show", outcome.json()["id"])["narrative"] == expected_note(typed)


# -- the cases that must hold exactly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "says"),
    [
        ("x" * 1_000_000, "note is longer than 100,000 characters"),
        ("x" * (MAX_TEXT_CHARS + 1), "note is longer than 100,000 characters"),
        ("Maya\x00", "note contains a control character ('\\x00')"),
        ("\x1b[2JMaya", "note contains a control character ('\\x1b')"),
        ("Maya \u202eevil", "note contains a control character ('\\u202e')"),
        ("Maya \x85", "note contains a control character ('\\x85')"),
    ],
    ids=["1MB", "limit+1", "NUL", "escape", "bidi override", "NEL"],
)
def test_a_bad_note_is_refused_and_nothing_saved(rivera, note, says):
    before = table_dump(rivera.db)
    rivera.fails("visit", "add", "2026-0142", "--note", note, code=2, says=says)
    assert table_dump(rivera.db) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ("family", "close", "2026-0142", "--date", "2026-03-31", "--reason", " "),
            "--reason must not be empty",
        ),
        (("hearing", "cancel", "1", "--reason", ""), "--reason must not be empty"),
        (
            ("placement", "end", "2026-0142", "Maya", "--end", "2026-03-31", "--reason", "\t"),
            "--reason must not be empty",
        ),
        (("safety-plan", "add", "2026-0142", "--text", ""), "--text must not be empty"),
        (
            ("visit", "amend", "1", "--note", "", "--reason", "omitted"),
            "--note and --reason must not be empty",
        ),
        (
            ("visit", "amend", "1", "--note", "Grandmother there.", "--reason", " \n "),
            "--note and --reason must not be empty",
        ),
        (("visit", "void", "1", "--reason", "\u2028"), "--reason must not be empty"),
    ],
    ids=[
        "family close",
        "hearing cancel",
        "placement end",
        "safety-plan add",
        "amend note",
        "amend reason",
        "void",
    ],
)
def test_a_reason_or_text_that_says_nothing_is_refused(rivera, args, says):
    """Blank text is refused by the option's parser (commands.required_text), naming the option: not
    taken for an option left out ("Missing option '--reason'"), which the person did give."""
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", "Maya was well.")
    rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review")
    before = table_dump(rivera.db)
    outcome = rivera.fails(*args, code=2, says=says)
    assert outcome.stderr == f"Error: {says}\n"
    assert table_dump(rivera.db) == before


def test_a_note_at_the_limit_is_kept_whole(rivera):
    note = "é" * MAX_TEXT_CHARS  # 100,000 characters, 200,000 bytes
    visit_id = rivera.json("visit", "add", "2026-0142", "--note", note)["id"]
    assert rivera.json("visit", "show", visit_id)["narrative"] == note


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"x" * 1_000_000, f"is larger than {MAX_TEXT_BYTES:,} bytes"),
        (b"x" * (MAX_TEXT_CHARS + 1), "note file is longer than 100,000 characters"),
        (b"Maya\x00was well", "note file contains a control character ('\\x00')"),
        (b"Maya \xff\xfe was well", "is not UTF-8 text"),
    ],
    ids=["1MB", "limit+1", "NUL", "not UTF-8"],
)
def test_a_bad_note_file_is_refused_and_nothing_saved(rivera, tmp_path, content, says):
    note_file = tmp_path / "note.txt"
    note_file.write_bytes(content)
    before = table_dump(rivera.db)
    rivera.fails("visit", "add", "2026-0142", "--note-file", note_file, code=2, says=says)
    assert table_dump(rivera.db) == before


def test_an_endless_note_file_fails_at_once(rivera):
    rivera.fails("visit", "add", "2026-0142", "--note-file", "/dev/zero", code=2, says="is larger than")


def test_note_file_byte_order_mark_and_line_ends_are_cleaned(rivera, tmp_path):
    note_file = tmp_path / "note.txt"
    note_file.write_bytes("\ufeffLine one\r\nLine two\rLine three\u2028Cafe\u0301 👩\u200d👧\n".encode())
    visit_id = rivera.json("visit", "add", "2026-0142", "--note-file", note_file)["id"]
    assert (
        rivera.json("visit", "show", visit_id)["narrative"]
        == "Line one\nLine two\nLine three\nCafé 👩\u200d👧"
    )


def test_look_alike_names_clash(rivera):
    """A no-break space or a decomposed accent does not make a second Maya."""
    rivera.fails("member", "add", "2026-0142", "Maya\u00a0Rivera", "--role", "child", says="already a member")
    rivera.fails("member", "add", "2026-0142", "  MAYA   rivera ", "--role", "child", says="already a member")
    rivera.ok("member", "add", "2026-0142", "Jose\u0301", "--role", "sibling")
    rivera.fails("member", "add", "2026-0142", "José", "--role", "sibling", says="already a member")
    assert [m["name"] for m in rivera.json("member", "list", "2026-0142")][-1] == "José"


@pytest.mark.parametrize(
    "name",
    ["Maya\u200dRivera", "Maya\u202eRivera", "\x1b[31mMaya", "Maya\nRivera", "Maya\udcffRivera", "\u2066"],
    ids=["zero-width joiner", "bidi override", "escape", "newline", "undecodable byte", "isolate"],
)
def test_hidden_characters_never_reach_a_name(rivera, name):
    before = table_dump(rivera.db)
    rivera.fails(
        "member", "add", "2026-0142", name, "--role", "child", code=2, says="contains a control character"
    )
    assert table_dump(rivera.db) == before


def test_an_echoed_option_cannot_carry_a_bidi_override(rivera):
    outcome = rivera.run("member", "add", "2026-0142", "-\u202e", "--role", "child")
    assert outcome.exit_code == 2
    assert outcome.stderr == "Error: No such option: -\\u202e\n"
