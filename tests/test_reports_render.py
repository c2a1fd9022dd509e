"""Rendering reports from hand-built contexts: Markdown escaping, the template environment, redaction.

Structure is checked by parsing the output with markdown-it-py (CommonMark plus GFM tables); the
full drafts are compared with snapshot files in tests/snapshots/ (UPDATE_SNAPSHOTS=1 rewrites them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from caseload.errors import CaseloadError, UsageProblem
from caseload.render import markdown
from caseload.render.templating import render, template_sources
from caseload.reports.redact import child_initials, redact
from tests import report_samples as samples
from tests.report_samples import HOSTILE

SNAPSHOTS = Path(__file__).parent / "snapshots"
PARSER = MarkdownIt("commonmark").enable("table")


def blocks(text: str) -> list[str]:
    """The block structure of a document: heading levels with their text, table rows, list items."""
    tokens = PARSER.parse(text)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            found.append(f"{token.tag}: {tokens[index + 1].content}")
        elif token.type in ("tr_open", "list_item_open", "blockquote_open", "hr", "fence", "code_block"):
            found.append(token.type)
    return found


def inline_text(token) -> str:
    """What a reader sees of one inline token: its text, breaks as newlines, anything else named."""
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            parts.append("\n")
        else:
            parts.append(f"<{child.type}>")
    return "".join(parts)


def literal_text(text: str) -> str:
    """What a reader sees of a document: its paragraphs, cells and headings, blank-line separated."""
    return "\n\n".join(inline_text(t) for t in PARSER.parse(text) if t.type == "inline")


def match_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs (UPDATE_SNAPSHOTS=1 to accept)"


# -- the filters -----------------------------------------------------------------------------

user_text = st.lists(
    st.sampled_from([*"abc XY 019.)#>-+=*_`~[]()<>!|&;\\:{}%\né", "&amp;", "<br>", "    ", "\t"]), max_size=40
).map("".join)


def expected_lines(text: str) -> list[list[str]]:
    return [[line.strip() for line in p] for p in markdown._paragraphs(text)]


@given(user_text)
def test_para_keeps_every_character_literal_and_adds_no_structure(text):
    rendered = markdown.para(text)
    assert blocks(rendered) == []
    shown = [inline_text(t).split("\n") for t in PARSER.parse(rendered) if t.type == "inline"]
    assert shown == expected_lines(text)


@given(user_text)
def test_cell_stays_one_cell_of_one_row(text):
    rendered = markdown.cell(text)
    table = f"| A | B |\n|---|---|\n| {rendered} | after |\n"
    assert blocks(table) == ["tr_open", "tr_open"]
    cells = [t for t in PARSER.parse(table) if t.type == "inline"]
    assert cells[-1].content == "after"
    assert inline_text(cells[-2]) == "\n\n".join("\n".join(p) for p in expected_lines(text))


@given(user_text)
def test_inline_is_one_line_of_literal_text_even_in_a_heading(text):
    rendered = markdown.inline(text)
    heading = f"## Case {rendered}\n"
    assert blocks(heading) == [f"h2: {PARSER.parse(heading)[1].content}"]
    assert literal_text(heading) == f"Case {' '.join(text.split())}".strip()
    assert literal_text(f"{rendered}\n") == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# Heading", "\\# Heading"),
        ("1. first", "1\\. first"),
        ("-5 degrees and 2.5 kg", "-5 degrees and 2.5 kg"),  # no list: left alone
        ("Mom & Dad, &amp;", "Mom & Dad, \\&amp;"),
        ("a | b", "a \\| b"),
        ("Room #", "Room \\#"),
        ("{{ 7*7 }}", "{{ 7\\*7 }}"),
    ],
)
def test_escaping_is_readable_and_minimal(text, escaped):
    assert markdown.inline(text) == escaped


def test_para_keeps_line_breaks_and_paragraphs():
    assert markdown.para("  line one\n\tline two\n\n\n# three") == "line one\\\nline two\n\n\\# three"
    assert markdown.cell("one\ntwo\n\nthree") == "one<br>two<br><br>three"
    assert markdown.para(None) == markdown.cell("") == ""


# -- the reports -----------------------------------------------------------------------------

REPORTS = {
    "court": samples.court,
    "note": samples.note,
    "progress": samples.progress,
    "caseload": samples.caseload,
}


@pytest.mark.parametrize("report", REPORTS)
def test_report_matches_its_snapshot(report):
    match_snapshot(f"{report}.md", render(report, REPORTS[report]()))


@pytest.mark.parametrize(
    ("report", "first_line"),
    [
        ("court", "# Court report: case 2026-0142 (Rivera) — DRAFT"),
        ("note", "# Progress note (DAP): case 2026-0142 (Rivera) — DRAFT"),
        ("progress", "# Monthly progress, 2026-03: case 2026-0142 (Rivera) — DRAFT"),
        ("caseload", "# Caseload review: all workers — DRAFT"),
    ],
)
def test_each_report_starts_with_title_case_draft_and_date(report, first_line):
    lines = render(report, REPORTS[report]()).splitlines()
    assert lines[0] == first_line
    assert lines[2].startswith("Prepared 2026-04-01 by Jamie Doe")


def _hostile_court(text: str):
    contact = samples.CONTACTS[1].model_copy(update={"narrative": text, "seen": [text]})
    goal = samples.GOALS[0].model_copy(update={"text": text})
    case = samples.RIVERA.model_copy(update={"family": text, "docket": text})
    return samples.court(
        case=case, contacts=[contact], safety_concerns=[contact], goals=[goal], period_basis=text
    )


def _hostile_note(text: str):
    visit = samples.note().visit.model_copy(update={"narrative": text, "assessment": text, "seen": [text]})
    return samples.note(visit=visit, case=samples.RIVERA.model_copy(update={"family": text}))


@pytest.mark.parametrize(("report", "build"), [("court", _hostile_court), ("note", _hostile_note)])
def test_hostile_text_adds_no_heading_or_row_and_renders_literally(report, build):
    benign, hostile = render(report, build("plain")), render(report, build(HOSTILE))
    assert [b.split(":")[0] for b in blocks(hostile)] == [b.split(":")[0] for b in blocks(benign)]
    shown = literal_text(hostile)
    assert "| x |\n# Heading\n{{ 7*7 }}" in shown  # in a cell or paragraph: line by line
    assert "| x | # Heading {{ 7*7 }}" in shown  # within a line
    assert "49" not in shown


def test_template_syntax_in_data_is_never_evaluated():
    evil = "{% for x in range(3) %}x{% endfor %} {{ case.__class__ }} {# c #}"
    text = render("court", samples.court(period_basis=evil))
    assert "{% for x in range(3) %}x{% endfor %} {{ case.\\_\\_class\\_\\_ }} {# c #}" in text


# -- the environment -------------------------------------------------------------------------


def test_undefined_variable_is_one_line_error_naming_it_and_the_template(tmp_path):
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ case.case_number }}\n\n{{ hearing_date }}\n", encoding="utf-8")
    with pytest.raises(CaseloadError) as error:
        render("court", samples.court(), template)
    assert error.value.message == "template mine.md.j2, line 3: 'hearing_date' is undefined"
    template.write_text("{{ case.judge }}", encoding="utf-8")
    with pytest.raises(
        CaseloadError, match=r"mine.md.j2, line 1: .*CaseSummary object' has no attribute 'judge'"
    ):
        render("court", samples.court(), template)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{{ case.__class__.__mro__ }}", "access to attribute '__class__'"),
        ("{{ children.append(1) }}", "unsafe"),
        ("{% if %}", "line 1: Expected an expression"),
        ("\n{{ 1 / 0 }}", "bad.md.j2, line 2: ZeroDivisionError: division by zero"),
        ('{{ "%d" | format("x") }}', "line 1: TypeError"),
    ],
)
def test_sandbox_and_syntax_errors_are_caseload_errors(tmp_path, source, says):
    template = tmp_path / "bad.md.j2"
    template.write_text(source, encoding="utf-8")
    with pytest.raises(CaseloadError, match=says):
        render("court", samples.court(), template)


def test_missing_template_file_is_a_usage_problem(tmp_path):
    with pytest.raises(UsageProblem, match="template file .*nope.md.j2 does not exist"):
        render("court", samples.court(), tmp_path / "nope.md.j2")


def test_template_lookup_order(tmp_path, monkeypatch):
    agency = tmp_path / "agency"
    agency.mkdir()
    (agency / "court_report.md.j2").write_text("agency {{ case.case_number }}\n", encoding="utf-8")
    monkeypatch.setenv("CASELOAD_TEMPLATES", str(agency))
    assert render("court", samples.court()) == "agency 2026-0142\n"
    assert render("note", samples.note()).startswith("# Progress note (DAP)")  # not overridden
    mine = tmp_path / "mine.md"
    mine.write_text('{% extends "progress_note.md.j2" %}', encoding="utf-8")
    assert render("court", samples.note(), mine) == render("note", samples.note())
    sources = {s["report"]: (s["source"], Path(s["path"]).parent) for s in template_sources()}
    assert sources["court"] == ("$CASELOAD_TEMPLATES", agency)
    assert sources["note"][0] == "shipped"


def test_templates_directory_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_TEMPLATES", str(tmp_path / "missing"))
    with pytest.raises(CaseloadError, match=r"\$CASELOAD_TEMPLATES is not a directory"):
        render("court", samples.court())


# -- redaction -------------------------------------------------------------------------------


def test_redact_turns_children_into_initials_everywhere_and_drops_birth_dates():
    redacted = redact(samples.court())
    assert [(c.name, c.born_on, c.age) for c in redacted.children] == [("M.R.", None, 9), ("L.R.", None, 6)]
    assert redacted.contacts[1].seen == ["M.R.", "L.R."]
    assert (
        redacted.contacts[1].narrative == "L.R. had a bruise on his left arm; M.R. said he fell at the park."
    )
    assert redacted.contacts[1].amendments[0].text == "M.R.'s grandmother, Rosa Lopez, was also present."
    assert redacted.goals[0].text == "M.R. attends school every day"
    assert redacted.measure.children[0].child == "M.R."
    assert redacted.others[0].name == "Ana Rivera" and redacted.case.family == "Rivera"
    assert redacted.redacted and not samples.court().redacted  # a copy; the original is unchanged


def test_redacted_court_report_has_no_names_and_no_birth_dates():
    text = render("court", redact(samples.court()))
    match_snapshot("court_redacted.md", text)
    for secret in ("Maya", "Leo", "2016-05-02", "2019-08-14", "Date of birth"):
        assert secret not in text


def test_redaction_is_word_bounded_and_case_insensitive():
    narrative = "MAYA and maya's friend Mayanna met Leonard; leo waved."
    contact = samples.CONTACTS[0].model_copy(update={"narrative": narrative})
    redacted = redact(samples.court(contacts=[contact]))
    assert redacted.contacts[0].narrative == "M.R. and M.R.'s friend Mayanna met Leonard; L.R. waved."


def test_children_with_the_same_initials_are_told_apart():
    assert child_initials(["Maya Rivera", "Mateo Rivera", "Leo Rivera"]) == {
        "Maya Rivera": "M.R.",
        "Mateo Rivera": "M.R. 2",
        "Leo Rivera": "L.R.",
    }
