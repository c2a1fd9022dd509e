"""Word and PDF copies of a report from `pip install` alone: the bundled pandoc (pypandoc-binary) and
the typst wheel, no system pandoc, LibreOffice or TeX. The documents are opened the way a reader
would (python-docx, pypdf) and must hold the report's headings and the 42 CFR Part 2 notice.

The case: Rivera 2026-0142 with one visit on 2026-03-31 marked as a Part 2 record (conftest, part2_visit).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseload.disclosure import part2_notice

HEADINGS = [
    "Court report: case 2026-0142 (Rivera) — DRAFT",
    "Case and hearing",
    "Children",
    "Contacts in the period",
    "Monthly caseworker visits",
    "Service plan goals",
    "Worker's assessment and recommendation",
]
# The notice's first sentence: enough to show the statement travelled with the record.
NOTICE_OPENING = part2_notice().split(". ")[0]


@pytest.fixture
def part2_case(rivera, part2_visit, monkeypatch):
    """Rivera with a Part 2 visit, and a PATH without pandoc: only the bundled one can be used."""
    monkeypatch.setenv("PATH", "/nonexistent")
    return rivera


def _words(text: str) -> str:
    """Text with line ends and runs of spaces as single spaces, and words hyphenated at a line end
    joined again, as a reader sees it."""
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", text).split())


def _docx(path: Path):
    from docx import Document

    return Document(str(path))


def test_word_copy_has_the_headings_and_the_part2_notice(part2_case, tmp_path):
    target = tmp_path / "court.docx"
    part2_case.ok("report", "court", "2026-0142", "--format", "docx", "-o", target)
    document = _docx(target)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert [h for h in headings if h in HEADINGS] == HEADINGS
    body = _words("\n".join(p.text for p in document.paragraphs))
    assert NOTICE_OPENING in body and "(42 CFR part 2)" in body
    cells = _words(
        "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    )
    assert "Mother attends the methadone clinic daily." in cells


def test_pdf_copy_has_the_headings_and_the_part2_notice(part2_case, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "court.pdf"
    part2_case.ok("report", "court", "2026-0142", "--format", "pdf", "-o", target)
    assert target.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(target)
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert [line for line in lines if line in HEADINGS] == HEADINGS
    text = _words("\n".join(lines))
    assert NOTICE_OPENING in text and "(42 CFR part 2)" in text
    assert reader.pages[0].mediabox.width == 612  # US letter, 8.5 in at 72 points


def test_a_plain_case_has_no_notice_in_either_copy(rivera, tmp_path):
    from pypdf import PdfReader

    rivera.ok("report", "court", "2026-0142", "--format", "docx", "-o", tmp_path / "c.docx")
    rivera.ok("report", "court", "2026-0142", "--format", "pdf", "-o", tmp_path / "c.pdf")
    word = "\n".join(p.text for p in _docx(tmp_path / "c.docx").paragraphs)
    pdf = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "c.pdf").pages)
    assert "Court report: case 2026-0142" in word and "Court report: case 2026-0142" in pdf
    assert "42 CFR" not in word and "42 CFR" not in pdf


def _letterhead(path: Path, text: str) -> Path:
    """An agency reference document: pandoc's default styles with `text` as the page header."""
    import subprocess

    from docx import Document

    from caseload.render.convert import bundled_pandoc

    default = subprocess.run(
        [bundled_pandoc(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    ).stdout
    path.write_bytes(default)
    document = Document(str(path))
    document.sections[0].header.paragraphs[0].text = text
    document.save(str(path))
    return path


def test_agency_reference_docx_gives_the_word_copy_its_letterhead(part2_case, tmp_path, monkeypatch):
    agency = tmp_path / "agency"
    agency.mkdir()
    _letterhead(agency / "reference.docx", "Lane County Child Welfare")
    monkeypatch.setenv("CASELOAD_TEMPLATES", str(agency))
    part2_case.ok("report", "court", "2026-0142", "--format", "docx", "-o", tmp_path / "a.docx")
    assert _docx(tmp_path / "a.docx").sections[0].header.paragraphs[0].text == "Lane County Child Welfare"

    # $CASELOAD_REFERENCE_DOCX wins over the agency folder
    monkeypatch.setenv(
        "CASELOAD_REFERENCE_DOCX", str(_letterhead(tmp_path / "mine.docx", "Marion County Office"))
    )
    part2_case.ok("report", "court", "2026-0142", "--format", "docx", "-o", tmp_path / "b.docx")
    assert _docx(tmp_path / "b.docx").sections[0].header.paragraphs[0].text == "Marion County Office"


def test_a_missing_reference_docx_is_one_line_and_writes_nothing(part2_case, tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_REFERENCE_DOCX", str(tmp_path / "gone.docx"))
    before = part2_case.json("audit")
    part2_case.fails(
        "report",
        "court",
        "2026-0142",
        "--format",
        "docx",
        "-o",
        tmp_path / "r.docx",
        says="$CASELOAD_REFERENCE_DOCX is not a file",
    )
    assert part2_case.json("audit") == before and not (tmp_path / "r.docx").exists()


def test_typed_text_stays_text_in_the_pdf(rivera, tmp_path):
    """Typst and Markdown-extension markup typed into a note is printed as typed: no code runs, no
    file is read, no math or emoji is made."""
    from pypdf import PdfReader

    typed = '#read("/etc/passwd") #panic("x") $1 + 2$ @maya <label> *bold* _under_ \\ `raw` :smile:'
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", typed)
    target = tmp_path / "court.pdf"
    rivera.ok("report", "court", "2026-0142", "--format", "pdf", "-o", target)
    text = "".join("\n".join(page.extract_text() for page in PdfReader(target).pages).split())
    assert "".join(typed.split()) in text
    assert "root:" not in text
    rivera.ok("report", "court", "2026-0142", "--format", "docx", "-o", tmp_path / "court.docx")
    cells = [
        cell.text
        for table in _docx(tmp_path / "court.docx").tables
        for row in table.rows
        for cell in row.cells
    ]
    assert typed in cells
