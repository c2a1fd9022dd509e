"""`caseload report …` through the CLI (SPEC section 7), on the Rivera case as of 2026-04-01.

The case: Maya (born 2016-05-02) placed in kinship care since 2026-01-10, Leo (born 2019-08-14) at
home, Ana their parent. A disposition hearing was held 2026-02-10; a review hearing is set for
Monday 2026-05-04, its report due Friday 2026-04-24. Contacts: 01-31 home (Maya), 02-12 office
(Maya), 03-02 home (Maya and Leo, safety concern, amended 03-03, goal 1), 03-05 phone (Ana), and
03-10 home, voided as entered in error.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.report_samples import HOSTILE
from tests.test_reports_render import blocks, literal_text, match_snapshot


@pytest.fixture
def case(rivera, monkeypatch):
    """The Rivera case above; `clock.now` is 17:00 UTC on the pinned day, so stamps are hand-checkable."""
    from caseload import clock

    today = clock.today
    monkeypatch.setattr(clock, "now", lambda: dt.datetime.combine(today(), dt.time(17, 0), tzinfo=dt.UTC))
    rivera.ok("member", "add", "2026-0142", "Leo Rivera", "--role", "child", "--dob", "2019-08-14")
    _plan_records(rivera)
    for day, args in [
        (
            "2026-01-31",
            ["--time", "15:30", "--duration", "50", "--seen", "Maya", "--note", "Maya showed me her room."],
        ),
        ("2026-02-12", ["--location", "office", "--seen", "Maya", "--note", "Met Maya after school."]),
        (
            "2026-03-02",
            [
                "--time",
                "16:00",
                "--duration",
                "45",
                "--seen",
                "Maya",
                "--seen",
                "Leo",
                "--safety-concern",
                "--note",
                "Leo had a bruise on his left arm;\nMaya said he fell at the park.",
                "--assessment",
                "Explanation consistent with the injury.",
                "--plan",
                "Ask the school nurse.",
                "--goal",
                "1",
            ],
        ),
        ("2026-03-05", ["--kind", "phone", "--seen", "Ana", "--note", "Ana confirmed the parenting class."]),
        ("2026-03-10", ["--note", "Entered on the wrong case."]),
    ]:
        rivera.today(day)
        rivera.ok("visit", "add", "2026-0142", "--date", day, *args)
    rivera.today("2026-03-11")
    rivera.ok("visit", "void", "5", "--reason", "wrong case")
    rivera.today("2026-03-12")
    rivera.ok(
        "visit", "amend", "3", "--note", "The school nurse saw the bruise too.", "--reason", "added later"
    )
    rivera.today("2026-04-01")
    return rivera


def _plan_records(cli) -> None:
    """A goal with progress, a service and two hearings, through the CLI.
    Ids: goal 1, service 1, hearings 1 and 2."""
    cli.ok(
        "goal",
        "add",
        "2026-0142",
        "Maya attends school every day",
        "--member",
        "Maya",
        "--domain",
        "well_being",
        "--target",
        "2026-06-30",
    )
    cli.ok(
        "goal",
        "update",
        "1",
        "--status",
        "in_progress",
        "--note",
        "Missed 4 days in February.",
        "--date",
        "2026-02-20",
    )
    cli.ok(
        "goal", "update", "1", "--status", "in_progress", "--note", "Missed 1 day.", "--date", "2026-03-20"
    )
    cli.ok(
        "service",
        "add",
        "2026-0142",
        "Parenting class",
        "--provider",
        "Family Center",
        "--referred",
        "2026-02-01",
        "--member",
        "Ana",
    )
    cli.ok(
        "service", "update", "1", "--status", "active", "--note", "Attending weekly.", "--date", "2026-02-15"
    )
    # Tuesday 2026-02-10 - 10 days = Saturday 01-31 → due Friday 01-30; Monday 05-04 → Friday 04-24
    cli.ok(
        "hearing",
        "add",
        "2026-0142",
        "--date",
        "2026-02-10",
        "--type",
        "disposition",
        "--court",
        "Marion County Juvenile Court",
    )
    cli.ok("hearing", "filed", "1", "--date", "2026-01-29")
    cli.ok(
        "hearing",
        "add",
        "2026-0142",
        "--date",
        "2026-05-04",
        "--type",
        "review",
        "--court",
        "Marion County Juvenile Court",
    )


def _reports_in_audit(cli) -> list[tuple]:
    return [
        (e["entity"], e["entity_id"], e["case_number"], e["detail"])
        for e in cli.json("audit")
        if e["action"] == "report"
    ]


# -- court -----------------------------------------------------------------------------------


def test_court_report_context(case):
    report = case.json("report", "court", "2026-0142")
    assert (report["title"], report["status"], report["prepared_on"], report["prepared_by"]) == (
        "Court report",
        "DRAFT",
        "2026-04-01",
        "Jamie Doe",
    )
    assert report["hearing"] == {
        "id": 2,
        "hearing_on": "2026-05-04",
        "type": "review",
        "court": "Marion County Juvenile Court",
        "report_due_on": "2026-04-24",
        "report_filed_on": None,
        "report_status": "due",  # due 04-24, 23 days after 04-01: beyond the 7 due-soon days
    }
    # since the previous hearing, up to as-of
    assert (report["period_from"], report["period_to"]) == ("2026-02-10", "2026-04-01")
    assert report["period_basis"] == "since the disposition hearing of 2026-02-10"
    assert [
        (c["name"], c["age"], c["placement"] and c["placement"]["setting"]) for c in report["children"]
    ] == [
        ("Maya Rivera", 9, "kinship"),
        ("Leo Rivera", 6, None),
    ]
    assert report["others"] == [{"name": "Ana Rivera", "role": "parent"}]
    # 01-31 is before the period; 03-10 is void
    assert [(c["id"], c["visit_on"], c["kind"]) for c in report["contacts"]] == [
        (2, "2026-02-12", "face_to_face"),
        (3, "2026-03-02", "face_to_face"),
        (4, "2026-03-05", "phone"),
    ]
    assert report["contacts"][1]["amendments"] == [
        {
            "amended_at": "2026-03-12T17:00:00Z",
            "amended_by": "jdoe",
            "reason": "added later",
            "text": "The school nurse saw the bruise too.",
        }
    ]
    assert [c["id"] for c in report["safety_concerns"]] == [3]
    # Feb visited at the office, Mar at home; Leo is not in care: 2 child-months, both visited, 1 at home
    measure = report["measure"]
    assert (measure["from"], measure["to"], measure["child_months"], measure["visited_months"]) == (
        "2026-02",
        "2026-03",
        2,
        2,
    )
    assert (measure["visited_pct"], measure["residence_pct"], measure["meets_residence_standard"]) == (
        100.0,
        50.0,
        True,
    )
    assert [(g["id"], g["latest_progress"]["entry_on"]) for g in report["goals"]] == [(1, "2026-03-20")]
    assert [(s["name"], s["status"], s["updated_on"]) for s in report["services"]] == [
        ("Parenting class", "active", "2026-02-15")
    ]


def test_court_report_markdown_matches_snapshot_and_is_audited(case):
    text = case.ok("report", "court", "2026-0142").stdout
    match_snapshot("cli_court.md", text)
    assert text.splitlines()[0] == "# Court report: case 2026-0142 (Rivera) — DRAFT"
    assert _reports_in_audit(case) == [
        ("court_report", "2", "2026-0142", "hearing 2026-05-04, 2026-02-10..2026-04-01; md to stdout")
    ]


def test_court_report_since_as_of_and_hearing(case):
    since = case.json("report", "court", "2026-0142", "--since", "2026-01-01")
    assert (since["period_from"], since["period_basis"]) == ("2026-01-01", "as asked with --since")
    assert [c["visit_on"] for c in since["contacts"]][0] == "2026-01-31"
    # Maya was placed 2026-01-10: January is not a whole month in care
    assert [m["month"] for m in since["measure"]["children"][0]["months"]] == ["2026-02", "2026-03"]
    early = case.json("report", "court", "2026-0142", "--as-of", "2026-02-20")
    assert (early["hearing"]["id"], early["period_from"], early["period_to"]) == (
        2,
        "2026-02-10",
        "2026-02-20",
    )
    assert early["measure"] is None  # no month of the period ended before 2026-02-20
    assert (
        "No calendar month of the report period has ended yet"
        in case.ok("report", "court", "2026-0142", "--as-of", "2026-02-20").stdout
    )
    past = case.json("report", "court", "2026-0142", "--hearing", "1")
    assert (past["period_from"], past["period_to"], past["period_basis"]) == (
        "2026-01-05",
        "2026-02-10",
        "since the case opened; no earlier hearing is recorded",
    )
    after = case.json("report", "court", "2026-0142", "--as-of", "2026-05-05")
    assert after["hearing"] is None and after["period_basis"] == "since the review hearing of 2026-05-04"
    assert (
        "- **Hearing:** none scheduled"
        in case.ok("report", "court", "2026-0142", "--as-of", "2026-05-05").stdout
    )


def test_court_report_redacted(case):
    text = case.ok("report", "court", "2026-0142", "--redact").stdout
    for secret in ("Maya", "Leo", "2016-05-02", "2019-08-14"):
        assert secret not in text
    assert "| M.R. | 9 | kinship | 2026-01-10 |" in text
    assert "L.R. had a bruise on his left arm;<br>M.R. said he fell at the park." in text
    report = case.json("report", "court", "2026-0142", "--redact")
    assert report["redacted"] and [c["born_on"] for c in report["children"]] == [None, None]
    assert _reports_in_audit(case)[-1][3].endswith("; json to stdout; redacted")


def test_court_report_to_a_private_file(case, tmp_path):
    target = tmp_path / "rivera-court.md"
    outcome = case.ok("report", "court", "2026-0142", "-o", target)
    assert outcome.stdout == ""
    assert "Wrote the court report draft to" in outcome.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == case.ok("report", "court", "2026-0142").stdout
    assert _reports_in_audit(case)[0][3] == f"hearing 2026-05-04, 2026-02-10..2026-04-01; md to {target}"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("report", "court", "2026-0999"), 1, "no case '2026-0999'"),
        (("report", "court", "2026-0142", "--hearing", "9"), 1, "no hearing 9 on case 2026-0142"),
        (
            ("report", "court", "2026-0142", "--since", "2026-04-02"),
            1,
            "is after the end of the report period",
        ),
        (("report", "court", "2026-0142", "--since", "04/01/2026"), 2, "YYYY-MM-DD"),
        (("report", "court", "2026-0142", "--format", "odt"), 2, "format must be one of md, docx, pdf"),
        (("report", "court", "2026-0142", "--format", "docx", "--json"), 2, "does not go with --format docx"),
        (("report", "court", "2026-0142", "-o", "/nonexistent/dir/r.md"), 1, "does not exist"),
        (("report", "court", "2026-0142", "--template", "/nonexistent.md.j2"), 2, "does not exist"),
        (("report", "note", "99"), 1, "no visit 99"),
        (("report", "progress", "2026-0142", "--month", "2026-05"), 1, "2026-05 has not begun"),
        (("report", "progress", "2026-0142", "--month", "2026-13"), 2, "month must be YYYY-MM"),
        (("report", "progress", "2026-0142"), 2, "Missing option '--month'"),
        (("report", "caseload", "--worker", "nobody"), 1, "no worker 'nobody'"),
        (("report", "caseload", "--worker", "jdoe", "--all"), 2, "not both"),
    ],
)
def test_bad_report_requests_fail_in_one_line_and_log_nothing(case, args, code, says):
    before = case.json("audit")
    case.fails(*args, code=code, says=says)
    assert case.json("audit") == before


def test_undefined_template_variable_names_it_and_logs_nothing(case, tmp_path):
    template = tmp_path / "agency.md.j2"
    template.write_text("# {{ title }}\n\nJudge: {{ judge }}\n", encoding="utf-8")
    case.fails(
        "report",
        "court",
        "2026-0142",
        "--template",
        template,
        says="template agency.md.j2, line 3: 'judge' is undefined",
    )
    assert _reports_in_audit(case) == []
    template.write_text("# {{ title }} for {{ case.case_number | inline }}\n", encoding="utf-8")
    assert (
        case.ok("report", "court", "2026-0142", "--template", template).stdout
        == "# Court report for 2026-0142\n"
    )


def test_agency_templates_directory_and_listing(case, tmp_path, monkeypatch):
    shipped = {t["report"]: t["source"] for t in case.json("report", "templates")}
    assert shipped == dict.fromkeys(["court", "note", "progress", "caseload"], "shipped")
    (tmp_path / "progress_note.md.j2").write_text("Note for visit {{ visit.id }}\n", encoding="utf-8")
    monkeypatch.setenv("CASELOAD_TEMPLATES", str(tmp_path))
    listed = {t["report"]: (t["source"], t["path"]) for t in case.json("report", "templates")}
    assert listed["note"] == ("$CASELOAD_TEMPLATES", str(tmp_path / "progress_note.md.j2"))
    assert listed["court"][0] == "shipped"
    assert case.ok("report", "note", "3").stdout == "Note for visit 3\n"
    monkeypatch.setenv("CASELOAD_TEMPLATES", str(tmp_path / "missing"))
    case.fails("report", "templates", says="$CASELOAD_TEMPLATES is not a directory")


# -- formats ---------------------------------------------------------------------------------


def _path_with(directory: Path, monkeypatch, **programs: str) -> None:
    """PATH holding only the given stand-in programs (name → shell script body), and no bundled
    pandoc, so the stand-in is the pandoc used (the fallback where the wheel is missing)."""
    from caseload.render import convert

    directory.mkdir(parents=True)
    for name, body in programs.items():
        program = directory / name
        program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(directory))
    monkeypatch.setattr(convert, "bundled_pandoc", lambda: None)


def test_docx_and_pdf_without_the_converters_say_what_to_install(case, tmp_path, monkeypatch):
    from caseload.render import convert

    before = case.json("audit")
    _path_with(tmp_path / "none", monkeypatch)
    case.fails(
        "report", "court", "2026-0142", "--format", "docx", "-o", tmp_path / "r.docx", says="needs pandoc"
    )
    _path_with(tmp_path / "pandoc-only", monkeypatch, pandoc="exit 0")
    monkeypatch.setattr(convert, "find_spec", lambda name: None)
    case.fails(
        "report", "court", "2026-0142", "--format", "pdf", "-o", tmp_path / "r.pdf", says="needs the typst"
    )
    assert case.json("audit") == before
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "r.pdf").exists()


def test_docx_goes_through_pandoc_from_gfm(case, tmp_path, monkeypatch):
    # a stand-in pandoc that writes its arguments as the document
    _path_with(tmp_path / "bin", monkeypatch, pandoc='echo "$@" > "$5"')
    target = tmp_path / "rivera.docx"
    case.ok("report", "court", "2026-0142", "--format", "docx", "-o", target)
    assert target.read_text() == (
        "--from=gfm-tex_math_dollars-tex_math_gfm-emoji --to=docx --lua-filter=breaks.lua -o report.docx report.md\n"
    )
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert _reports_in_audit(case)[0][3].endswith(f"; docx to {target}")


def test_pdf_goes_through_pandocs_typst_writer_then_the_typst_compiler(case, tmp_path, monkeypatch):
    _path_with(tmp_path / "bin", monkeypatch, pandoc='echo "$@" > "$5.args"; echo "= Typst draft" > "$5"')
    target = tmp_path / "rivera.pdf"
    case.ok("report", "court", "2026-0142", "--format", "pdf", "-o", target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert "Typst draft" in _pdf_text(target)


def test_a_failing_converter_is_one_line_and_logs_nothing(case, tmp_path, monkeypatch):
    _path_with(tmp_path / "bin", monkeypatch, pandoc='echo "pandoc: out of memory" >&2; exit 3')
    case.fails(
        "report",
        "court",
        "2026-0142",
        "--format",
        "docx",
        "-o",
        tmp_path / "r.docx",
        says="pandoc failed: pandoc: out of memory",
    )
    _path_with(tmp_path / "bad-typst", monkeypatch, pandoc='echo "#nosuchfunction()" > "$5"')
    case.fails(
        "report", "court", "2026-0142", "--format", "pdf", "-o", tmp_path / "r.pdf", says="typst failed: "
    )
    assert _reports_in_audit(case) == []
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "r.pdf").exists()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# -- note, progress, caseload ----------------------------------------------------------------


def test_progress_note_is_a_dap_note(case):
    text = case.ok("report", "note", "3").stdout
    match_snapshot("cli_note.md", text)
    note = case.json("report", "note", "3")
    assert note["visit"]["goals"] == [
        {"id": 1, "text": "Maya attends school every day", "status": "in_progress"}
    ]
    assert (note["visit"]["late_entry"], note["visit"]["void"], note["signed_by"]) == (
        False,
        None,
        "Jamie Doe",
    )
    assert _reports_in_audit(case)[0] == (
        "progress_note",
        "3",
        "2026-0142",
        "visit of 2026-03-02; md to stdout",
    )


def test_progress_note_marks_late_entries_and_voids(case):
    case.ok("visit", "add", "2026-0142", "--date", "2026-03-20", "--note", "Recorded late.")  # 12 days after
    late = case.ok("report", "note", "6").stdout
    assert "**LATE ENTRY:** the contact on 2026-03-20 was recorded on 2026-04-01 17:00 UTC." in late
    void = case.ok("report", "note", "5").stdout
    assert (
        "**VOID:** this entry was marked as made in error on 2026-03-11 17:00 UTC by jdoe (wrong case)."
        in void
    )


def test_hostile_narrative_stays_text_in_the_note(case):
    benign = case.ok("report", "note", "4").stdout
    visit = case.ok(
        "visit", "add", "2026-0142", "--kind", "phone", "--seen", "Ana", "--note", HOSTILE
    ).stdout.strip()
    hostile = case.ok("report", "note", visit).stdout
    parse = MarkdownIt("commonmark").enable("table").parse
    assert [b.split(":")[0] for b in blocks(hostile)] == [b.split(":")[0] for b in blocks(benign)]
    assert len(parse(hostile)) == len(parse(benign))
    assert "| x |\n# Heading\n{{ 7*7 }}" in literal_text(hostile)


def test_monthly_progress(case):
    report = case.json("report", "progress", "2026-0142", "--month", "2026-03")
    assert (report["month"], report["period_from"], report["period_to"]) == (
        "2026-03",
        "2026-03-01",
        "2026-03-31",
    )
    assert [c["visit_on"] for c in report["contacts"]] == ["2026-03-02", "2026-03-05"]  # 03-10 is void
    assert [(p["entry_on"], p["note"]) for p in report["goals"][0]["progress"]] == [
        ("2026-03-20", "Missed 1 day.")
    ]
    # as of 2026-04-01: Maya's first CANS, due 30 days after her removal on 01-10, is 51 days late;
    # within 30 days come the court report (04-24, 23 days) and Maya's April visit (04-30)
    assert [(d["kind"], d["subject"], d["due_on"], d["days_overdue"]) for d in report["deadlines"]] == [
        ("assessment", "Maya Rivera (CANS)", "2026-02-09", 51),
        ("court_report", "hearing 2026-05-04 (review)", "2026-04-24", -23),
        ("visit", "Maya Rivera", "2026-04-30", -29),
    ]
    match_snapshot("cli_progress.md", case.ok("report", "progress", "2026-0142", "--month", "2026-03").stdout)


def test_caseload_review(case):
    case.ok("worker", "add", "asmith", "--name", "Alex Smith")
    case.ok(
        "family",
        "add",
        "2026-0200",
        "--name",
        "Okafor",
        "--program",
        "in_home",
        "--risk",
        "high",
        "--worker",
        "asmith",
        "--opened",
        "2026-03-01",
    )
    review = case.json("report", "caseload", "--all", "--as-of", "2026-04-20")
    assert review["scope"] == "all workers" and review["hearings_until"] == "2026-05-20"
    summary = {w["worker_id"]: w for w in review["workers"]}
    assert list(summary) == ["asmith", "jdoe"]
    jdoe = summary["jdoe"]
    assert (jdoe["open_cases"], jdoe["cases_by_program"], jdoe["children_in_care"]) == (
        1,
        [{"program": "foster_care", "cases": 1}],
        1,
    )
    # as of 04-20: the court report due 04-24 is due soon; Maya's first CANS (due 02-09) is overdue
    assert (jdoe["overdue"], jdoe["due_soon"]) == (1, 1)
    assert (jdoe["measure_last_month"]["from"], jdoe["measure_last_month"]["visited_months"]) == (
        "2026-03",
        1,
    )
    assert (jdoe["measure_fiscal_year"]["from"], jdoe["measure_fiscal_year"]["child_months"]) == (
        "2025-10",
        2,
    )
    assert [(h["hearing_on"], h["report_status"]) for h in jdoe["hearings"]] == [("2026-05-04", "due_soon")]
    # in-home, high risk, opened 03-01, never visited: first visit due 03-08, overdue
    assert (summary["asmith"]["overdue"], summary["asmith"]["measure_last_month"]["child_months"]) == (1, 0)
    mine = case.json("report", "caseload")  # $CASELOAD_WORKER=jdoe
    assert mine["scope"] == "worker jdoe (Jamie Doe)" and [w["worker_id"] for w in mine["workers"]] == [
        "jdoe"
    ]
    assert [
        h["report_status"]
        for h in case.json("report", "caseload", "--as-of", "2026-04-27")["workers"][0]["hearings"]
    ] == ["overdue"]
    match_snapshot("cli_caseload.md", case.ok("report", "caseload", "--all", "--as-of", "2026-04-20").stdout)
    assert _reports_in_audit(case)[0] == ("caseload_review", None, None, "all workers; json to stdout")


def test_bundled_pandoc_makes_a_word_document_keeping_cell_line_breaks(case, tmp_path):
    from caseload.render.convert import bundled_pandoc

    pandoc = bundled_pandoc()
    assert pandoc is not None and "site-packages" in pandoc  # the pypandoc-binary wheel's, not PATH's
    target = tmp_path / "rivera.docx"
    case.ok("report", "court", "2026-0142", "--format", "docx", "-o", target)
    assert target.read_bytes()[:2] == b"PK"  # a Word document is a zip
    native = subprocess.run(
        [pandoc, target, "-t", "native"], capture_output=True, text=True, check=True
    ).stdout
    assert "LineBreak" in native  # the <br> between the narrative's lines and before the amendment


def test_report_queries_use_indexes(case, sqlite_only):
    """Each report query reaches its rows through an index, never a scan of a whole table."""
    from caseload.store import open_database, reporting

    with open_database(case.db) as db, db.read() as rows:
        asked = []
        run = rows.all
        rows.all = lambda sql, params=None: asked.append((sql, params)) or run(sql, params)
        reporting.hearings(rows, 1)
        reporting.goal_progress(rows, 1, dt.date(2026, 4, 1))
        reporting.services(rows, 1, dt.date(2026, 4, 1))
        reporting.goal_refs(rows, [1])
        plans = [run("EXPLAIN QUERY PLAN " + sql, params) for sql, params in asked]
    steps = [step["detail"] for plan in plans for step in plan]
    assert steps and not [step for step in steps if step.startswith("SCAN")], steps


def test_part2_records_carry_the_redisclosure_notice(rivera, part2_visit):
    from markdown_it import MarkdownIt

    plain = rivera.ok(
        "visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Routine visit."
    ).stdout.strip()
    # as of 2026-03-30, the day before the Part 2 visit, the report holds no Part 2 record
    assert "42 CFR part 2" not in rivera.ok("report", "court", "2026-0142", "--as-of", "2026-03-30").stdout
    protected = part2_visit
    court = rivera.ok("report", "court", "2026-0142").stdout
    assert "protected by Federal confidentiality rules (42 CFR part 2)" in court
    headings = [
        t.content for t in MarkdownIt().parse(court) if t.type == "inline" and "Court report" in t.content
    ]
    assert len(headings) == 1  # the notice adds no heading of its own
    assert "42 CFR part 2" in rivera.ok("report", "note", protected).stdout
    assert "42 CFR part 2" not in rivera.ok("report", "note", plain).stdout
    assert "42 CFR part 2" in rivera.ok("report", "progress", "2026-0142", "--month", "2026-03").stdout


def test_redact_covers_each_part_of_a_hyphenated_first_name(rivera):
    rivera.ok("member", "add", "2026-0142", "Ana-María O'Neil", "--role", "child")
    rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-30",
        "--note",
        "Ana-María was scared; María said so; ANA too.",
    )
    court = rivera.ok("report", "court", "2026-0142", "--redact").stdout
    assert "María" not in court and "O'Neil" not in court
    assert "| M.R., A.O. | A.O. was scared; A.O. said so; A.O. too. |" in court  # Ana the parent is no child


def test_court_report_has_family_time_and_assessments_sections(rivera):
    rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-20",
        "--kind",
        "family_time",
        "--supervision",
        "supervised",
        "--seen",
        "Maya",
        "--seen",
        "Ana",
        "--note",
        "Ana brought a puzzle; Maya laughed.",
    )
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-21", "--note", "Caseworker visit.")
    rivera.ok(
        "assess",
        "add",
        "2026-0142",
        "--instrument",
        "cans",
        "--member",
        "Maya",
        "--date",
        "2026-02-01",
        "--ratings",
        "sleep=2",
    )
    rivera.ok(
        "assess",
        "add",
        "2026-0142",
        "--instrument",
        "cans",
        "--member",
        "Maya",
        "--date",
        "2026-03-25",
        "--ratings",
        "sleep=1",
    )
    report = rivera.json("report", "court", "2026-0142")
    assert [c["kind"] for c in report["contacts"]] == ["face_to_face"]  # family time kept apart
    assert [(f["visit_on"], f["supervision"]) for f in report["family_time"]] == [
        ("2026-03-20", "supervised")
    ]
    [cans] = report["assessments"]
    assert (cans["member"], cans["items"]) == (
        "Maya Rivera",
        [{"item": "sleep", "rating": 1, "trend": "improved"}],
    )
    text = rivera.ok("report", "court", "2026-0142", "--redact").stdout
    assert "| 2026-03-20 | supervised | M.R., Ana Rivera | Ana brought a puzzle; M.R. laughed. |" in text
    assert "**CANS for M.R., 2026-03-25**" in text and "| sleep | 1 | improved |" in text
