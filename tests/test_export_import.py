"""`caseload export` and `caseload import` through the CLI, on both backends (SPEC section 4, issue 9)."""

import csv
import io
import json
import os
import stat
import zipfile

import pytest

from caseload.store.migrate import HEAD_REVISION

HYPERLINK = '=HYPERLINK("http://x","y")'


def _visit(cli, note=HYPERLINK, date="2026-03-02"):
    return cli.json("visit", "add", "2026-0142", "--date", date, "--note", note, "--no-input")["id"]


def _export(cli, *args):
    return json.loads(cli.ok("export", *args).stdout)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- export ----------------------------------------------------------------------------------


def test_tables_are_every_table_of_the_models():
    from caseload.store.bulk import TABLE_ORDER
    from caseload.store.models import SQLModel

    assert sorted(TABLE_ORDER) == sorted(SQLModel.metadata.tables)


def test_json_export_is_complete_with_iso_dates(rivera):
    visit_id = _visit(rivera)
    document = _export(rivera)
    assert document["schema_version"] == HEAD_REVISION
    assert document["case_number"] is None
    assert document["exported_at"].endswith("+00:00")
    tables = document["tables"]
    from caseload.store.bulk import TABLE_ORDER

    assert list(tables) == list(TABLE_ORDER)
    assert [w["id"] for w in tables["worker"]] == ["jdoe"]
    (family,) = tables["family"]
    assert (family["case_number"], family["opened_on"], family["risk"]) == ("2026-0142", "2026-01-05", "high")
    assert [(m["name"], m["born_on"]) for m in tables["member"]] == [
        ("Maya Rivera", "2016-05-02"),
        ("Ana Rivera", None),
    ]
    (placement,) = tables["placement"]
    assert (placement["start_on"], placement["removed_on"], placement["end_on"]) == (
        "2026-01-10",
        "2026-01-10",
        None,
    )
    (visit,) = tables["visit"]
    assert (visit["id"], visit["visit_on"], visit["narrative"]) == (visit_id, "2026-03-02", HYPERLINK)
    assert visit["safety_concern"] is False and visit["late_entry"] is True  # 30 days after the visit
    assert visit["recorded_at"].endswith("+00:00")
    assert tables["visit_seen"] == [{"visit_id": visit_id, "member_id": 1}]  # Maya, the one child
    assert [a["action"] for a in tables["audit_log"]] == [
        "add"
    ] * 6  # worker, family, 2 members, placement, visit


def test_export_writes_an_audit_row_and_not_into_itself(rivera):
    before = len(rivera.json("audit"))
    document = _export(rivera)
    assert len(document["tables"]["audit_log"]) == before
    rows = sum(len(found) for found in document["tables"].values())
    entry = rivera.json("audit")[-1]
    assert (entry["action"], entry["entity"], entry["case_number"]) == ("export", "database", None)
    assert entry["detail"] == f"json, all, {rows} rows, to stdout"


def test_export_of_one_case_is_its_rows_and_its_audit_trail(rivera):
    rivera.ok("worker", "add", "asmith", "--name", "Alex Smith")
    rivera.ok("family", "add", "2026-0200", "--name", "Okafor", "--program", "in_home", "--worker", "asmith")
    rivera.ok("member", "add", "2026-0200", "Ben Okafor", "--role", "child")
    rivera.ok("visit", "add", "2026-0200", "--note", "Okafor visit", "--no-input")
    _visit(rivera)
    document = _export(rivera, "--case", "2026-0142")
    tables = document["tables"]
    assert document["case_number"] == "2026-0142"
    assert [w["id"] for w in tables["worker"]] == ["jdoe"]  # the case's worker, for its foreign key
    assert [f["case_number"] for f in tables["family"]] == ["2026-0142"]
    assert [m["name"] for m in tables["member"]] == ["Maya Rivera", "Ana Rivera"]
    assert [v["narrative"] for v in tables["visit"]] == [HYPERLINK]
    assert [s["member_id"] for s in tables["visit_seen"]] == [1]
    assert {a["case_number"] for a in tables["audit_log"]} == {"2026-0142"}
    assert len(tables["audit_log"]) == 5  # family, 2 members, placement, visit
    entry = rivera.json("audit", "--case", "2026-0142")[-1]
    assert (entry["action"], entry["entity"], entry["entity_id"]) == ("export", "case", "2026-0142")
    # worker, family, 2 members, placement, visit, its seen row, 5 audit rows = 12
    assert entry["detail"] == "json, 2026-0142, 12 rows, to stdout"


def test_export_of_an_unknown_case_fails(rivera):
    rivera.fails("export", "--case", "2026-0143", says="Did you mean 2026-0142 (Rivera)?")
    assert [e["action"] for e in rivera.json("audit")].count("export") == 0


def test_csv_zip_has_one_neutralised_csv_per_table_mode_0600(rivera, tmp_path):
    _visit(rivera)
    target = tmp_path / "out.zip"
    outcome = rivera.ok("export", "--format", "csv", "-o", target)
    assert outcome.stdout == ""
    assert "Exported" in outcome.stderr and str(target) in outcome.stderr
    assert _mode(target) == 0o600
    with zipfile.ZipFile(target) as archive:
        from caseload.store.bulk import TABLE_ORDER

        assert archive.namelist() == [f"{name}.csv" for name in TABLE_ORDER]
        visits = list(csv.DictReader(io.StringIO(archive.read("visit.csv").decode())))
        members = list(csv.DictReader(io.StringIO(archive.read("member.csv").decode())))
        hearings = archive.read("hearing.csv").decode()
    assert visits[0]["narrative"] == "'" + HYPERLINK
    assert (visits[0]["visit_on"], visits[0]["safety_concern"]) == ("2026-03-02", "false")
    assert [(m["name"], m["born_on"]) for m in members] == [("Maya Rivera", "2016-05-02"), ("Ana Rivera", "")]
    assert hearings.startswith("id,family_id,hearing_on,")  # a header even without rows
    entry = rivera.json("audit")[-1]
    assert entry["detail"].startswith("csv, all, ") and entry["detail"].endswith(f"to {target}")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    from caseload.render.spreadsheets import neutralise

    assert neutralise(text) == "'" + text
    assert neutralise("Maya - well") == "Maya - well"
    assert neutralise(-1) == -1


def test_xlsx_has_a_sheet_per_table_frozen_header_real_dates(rivera, tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    _visit(rivera)
    target = tmp_path / "caseload.xlsx"
    rivera.ok("export", "-o", target)  # the format follows the suffix
    assert _mode(target) == 0o600
    workbook = load_workbook(target)
    from caseload.store.bulk import TABLE_ORDER

    assert workbook.sheetnames == list(TABLE_ORDER)
    sheet = workbook["visit"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, (cell for cell in sheet[2]), strict=True))
    assert row["narrative"].value == "'" + HYPERLINK and row["narrative"].data_type == "s"
    assert row["visit_on"].value == dt.datetime(2026, 3, 2) and row["visit_on"].is_date
    assert row["visit_on"].number_format == "yyyy-mm-dd"
    assert row["recorded_at"].is_date
    assert row["safety_concern"].value is False
    family = workbook["family"]
    assert family["F2"].value == dt.datetime(2026, 1, 5)  # opened_on, a date cell
    assert rivera.json("audit")[-1]["detail"].startswith("xlsx, all, ")


def test_spreadsheet_formats_need_an_output_file(rivera):
    rivera.fails("export", "--format", "csv", code=2, says="--format csv writes a file: give -o PATH")
    rivera.fails("export", "--format", "xlsx", code=2, says="give -o PATH")
    rivera.fails("export", "--format", "pdf", code=2, says="format must be one of json, csv, xlsx")
    assert "export" not in [e["action"] for e in rivera.json("audit")]


def test_json_to_a_file_is_0600_and_lossless(rivera, tmp_path):
    _visit(rivera)
    target = tmp_path / "export.json"
    rivera.ok("export", "-o", target)
    assert _mode(target) == 0o600
    document = json.loads(target.read_text())
    assert document["tables"]["visit"][0]["narrative"] == HYPERLINK  # JSON is not for spreadsheets


# -- import of a JSON export -----------------------------------------------------------------


def _round_trip_source(cli):
    """The demo agency (every table), plus an amendment and a void, as of 2026-04-01."""
    cli.ok("demo", "--families", "3", "--seed", "7")
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # only a registered worker writes
    visits = cli.json("visit", "list")
    cli.ok("visit", "amend", visits[0]["id"], "--note", "Also present: grandmother.", "--reason", "omitted")
    cli.ok("visit", "void", visits[1]["id"], "--reason", "entered on the wrong case")


def test_round_trip_export_import_export_is_the_same(cli, fresh_db, tmp_path):
    _round_trip_source(cli)
    first = tmp_path / "first.json"
    cli.ok("export", "-o", first)
    target = fresh_db("restored")
    imported = cli.json("--db", target, "import", first)
    original = json.loads(first.read_text())
    assert imported["format"] == "json"
    assert imported["counts"] == {name: len(found) for name, found in original["tables"].items()}
    assert all(
        original["tables"][name] for name in ("assessment", "visit_amendment", "hearing", "service_update")
    )
    again = json.loads(cli.ok("--db", target, "export").stdout)
    assert again["exported_at"] >= original["exported_at"]
    *restored_audit, import_row = again["tables"].pop("audit_log")
    # the history is kept, marked imported and chained anew (caseload check verifies the chain)
    assert all(row.pop("imported") and row.pop("hash") for row in restored_audit)
    assert restored_audit == [
        {k: v for k, v in row.items() if k not in ("imported", "hash")}
        for row in original["tables"].pop("audit_log")
    ]
    assert again["tables"] == original["tables"]
    assert again["schema_version"] == HEAD_REVISION
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in original.items() if k != "exported_at"
    }
    assert (import_row["action"], import_row["entity"]) == ("import", "database")
    assert import_row["detail"].endswith(f"{sum(imported['counts'].values())} rows, from {first}")


def test_after_an_import_new_records_get_fresh_ids(cli, fresh_db, tmp_path):
    """On PostgreSQL the id sequences are moved past the imported ids."""
    _round_trip_source(cli)
    exported = tmp_path / "export.json"
    cli.ok("export", "-o", exported)
    document = json.loads(exported.read_text())
    target = fresh_db("restored")
    cli.ok("--db", target, "import", exported)
    cli.ok("--db", target, "family", "add", "2026-0900", "--name", "New", "--program", "in_home")
    member = cli.json("--db", target, "member", "add", "2026-0900", "Lee New", "--role", "child")
    assert member["id"] == len(document["tables"]["member"]) + 1
    visit = cli.json("--db", target, "visit", "add", "2026-0900", "--note", "first", "--no-input")
    assert visit["id"] == max(v["id"] for v in document["tables"]["visit"]) + 1


def test_one_case_export_imports_into_an_empty_database(rivera, fresh_db, tmp_path):
    _visit(rivera)
    exported = tmp_path / "rivera.json"
    rivera.ok("export", "--case", "2026-0142", "-o", exported)
    target = fresh_db("rivera")
    rivera.ok("--db", target, "import", exported)
    family = rivera.json("--db", target, "family", "show", "2026-0142")
    assert [m["name"] for m in family["members"]] == ["Maya Rivera", "Ana Rivera"]
    entry = rivera.json("--db", target, "audit", "--case", "2026-0142")[-1]
    assert entry["action"] == "import" and "(2026-0142)" in entry["detail"]


def test_import_refuses_a_database_that_is_not_empty(rivera, tmp_path):
    exported = tmp_path / "export.json"
    rivera.ok("export", "-o", exported)
    audit_before = rivera.json("audit")
    rivera.fails(
        "import",
        exported,
        # worker, family, 2 members, placement, and 6 audit rows (those 5 and the export)
        says="the database already holds 11 rows: a JSON export is imported only into a new",
    )
    assert rivera.json("audit") == audit_before


def test_an_export_of_an_index_only_older_schema_imports(rivera, fresh_db, tmp_path):
    # 0004 added indexes only: a 0003 export has the same tables and columns
    _visit(rivera)
    document = _export(rivera)
    document["schema_version"] = "0003"
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document))
    target = fresh_db("target")
    rivera.ok("--db", target, "import", older)
    assert rivera.json("--db", target, "visit", "list", "2026-0142") == rivera.json(
        "visit", "list", "2026-0142"
    )


@pytest.mark.parametrize(
    ("change", "code", "says"),
    [
        (
            lambda d: d.update(schema_version="0001"),
            1,
            f"the export has schema 0001, this caseload {HEAD_REVISION}",
        ),
        (lambda d: d.update(schema_version=["0004"]), 1, "the export has schema ['0004']"),
        (lambda d: d["tables"].update(secrets=[]), 2, "the export has unknown tables: secrets"),
        (
            lambda d: d["tables"]["family"][0].update(opened_on=20260105),
            2,
            "table family, row 1: expected an ISO date, not 20260105",
        ),
        (
            lambda d: d["tables"]["family"][0].update(opened_on="5 Jan"),
            2,
            "table family, row 1: expected an ISO date, not '5 Jan'",
        ),
        (
            lambda d: d["tables"]["member"][1].update(nickname="A"),
            2,
            "table member, row 2: unknown columns nickname",
        ),
        (
            lambda d: d["tables"]["visit"][0].update(late_entry="yes"),
            2,
            "table visit, row 1: expected bool, not 'yes'",
        ),
        (lambda d: d["tables"]["member"][0].update(family_id=99), 1, "database refused the change"),
        (lambda d: d.pop("tables"), 2, 'not a caseload JSON export (no "tables" object)'),
    ],
)
def test_import_of_a_damaged_export_fails_and_writes_nothing(rivera, fresh_db, tmp_path, change, code, says):
    _visit(rivera)
    document = _export(rivera)
    change(document)
    damaged = tmp_path / "damaged.json"
    damaged.write_text(json.dumps(document))
    target = fresh_db("target")
    rivera.ok("--db", target, "init")
    rivera.fails("--db", target, "import", damaged, code=code, says=says)
    assert rivera.json("--db", target, "audit") == []
    assert rivera.json("--db", target, "worker", "list") == []


def test_import_of_something_else_says_what_it_takes(cli, tmp_path):
    other = tmp_path / "notes.csv"
    other.write_text("name,age\nMaya,9\n")
    cli.fails("import", other, code=2, says="is neither a caseload JSON export nor a families CSV")
    broken = tmp_path / "broken.json"
    broken.write_text('{"tables": ')
    cli.fails("import", broken, code=2, says="is not valid JSON (line 1")
    cli.fails("import", tmp_path / "missing.json", code=2)


# -- import of a families CSV ----------------------------------------------------------------

HEADER = "case_number,family_name,program,risk,opened_on,worker,county,docket,member_name,role,dob\n"


def test_families_csv_opens_each_case_once_and_adds_its_members(rivera, tmp_path):
    source = tmp_path / "families.csv"
    source.write_text(
        "\ufeff"  # as Excel saves it
        + HEADER
        + "2026-0301,Lopez,in_home,high,2026-02-01,jdoe,Marion,,Ana Lopez,parent,1990-07-04\n"
        + "2026-0301,Lopez,in_home,high,2026-02-01,jdoe,Marion,,Luis Lopez,child,2015-03-09\n"
        + "\n"
        + '2026-0302,"Smith, Jr.",foster_care,,2026-03-15,,,JV-26-1,"Tom ""TJ"" Smith",child,\n'
        + "2026-0303,Nguyen,family_preservation,low,,,,,,,\n"
    )
    summary = rivera.json("import", source)
    assert summary == {"format": "families_csv", "path": str(source), "counts": {"family": 3, "member": 3}}
    lopez = rivera.json("family", "show", "2026-0301")
    assert (lopez["name"], lopez["program"], lopez["risk"], lopez["opened_on"], lopez["county"]) == (
        "Lopez",
        "in_home",
        "high",
        "2026-02-01",
        "Marion",
    )
    assert [(m["name"], m["role"], m["born_on"]) for m in lopez["members"]] == [
        ("Ana Lopez", "parent", "1990-07-04"),
        ("Luis Lopez", "child", "2015-03-09"),
    ]
    smith = rivera.json("family", "show", "2026-0302")
    assert (smith["name"], smith["risk"], smith["docket"], smith["worker_id"]) == (
        "Smith, Jr.",
        "moderate",  # the default, as in family add
        "JV-26-1",
        "jdoe",  # $CASELOAD_WORKER, registered
    )
    assert [m["name"] for m in smith["members"]] == ['Tom "TJ" Smith']
    nguyen = rivera.json("family", "show", "2026-0303")
    assert (nguyen["opened_on"], nguyen["members"]) == ("2026-04-01", [])  # today, pinned
    entries = rivera.json("audit")
    assert [e["action"] for e in entries[-7:]] == ["add"] * 6 + ["import"]
    assert entries[-1]["detail"] == f"families CSV: 3 cases, 3 members, from {source}"


def test_families_csv_reports_every_bad_line_and_imports_nothing(rivera, tmp_path):
    source = tmp_path / "families.csv"
    source.write_text(
        HEADER
        + "2026-0301,Lopez,in_home,high,2026-02-01,,,,Ana Lopez,parent,\n"  # line 2: fine
        + "2026-0301,Lopez,in_home,high,2026-02-01,,,,ana lopez,child,\n"  # 3: same name
        + "2026-0302,Smith,fostercare,,,,,,,,\n"  # 4: program
        + "2026-0303,Kim,in_home,,2026-13-01,,,,,,\n"  # 5: date
        + "2026-0304,Park,in_home,,,nobody,,,,,\n"  # 6: worker
        + "2026-0301,Lopes,in_home,high,2026-02-01,,,,Luis Lopez,child,\n"  # 7: family differs
        + "2026-0142,Rivera,foster_care,,,,,,,,\n"  # 8: exists already
        + '2026-0305,"Multi\nline",in_home,,,,,,,,\n'  # 9-10: a name on two lines
        + "2026-0306,Lee,in_home,,,,,,Bo Lee,child,2030-01-01\n"  # 11: future dob
        + "2026-0307,Short,in_home\n"  # 12: fields
    )
    audit_before = rivera.json("audit")
    outcome = rivera.run("import", source)
    assert outcome.exit_code == 1
    assert outcome.stderr.splitlines() == [
        "  line 3: ana lopez is already a member of case 2026-0301",
        "  line 4: program must be one of foster_care, in_home, family_preservation; not 'fostercare'",
        "  line 5: opened_on '2026-13-01' is not a real date",
        "  line 6: no worker 'nobody'; add one with: caseload worker add nobody --name NAME",
        "  line 7: case 2026-0301: the family's columns differ from line 2",
        "  line 8: case 2026-0142 already exists",
        "  line 9: family_name contains a control character ('\\n')",
        "  line 11: a date of birth cannot be in the future (2030-01-01)",
        "  line 12: 3 fields where the header has 11",
        "Error: 9 row(s) have problems; nothing was imported",
    ]
    assert [f["case_number"] for f in rivera.json("family", "list", "--all")] == ["2026-0142"]
    assert rivera.json("audit") == audit_before


def test_many_bad_lines_are_cut_short(cli, tmp_path):
    source = tmp_path / "families.csv"
    source.write_text(HEADER + "".join(f"2026-{n:04},X,nope,,,,,,,,\n" for n in range(25)))
    lines = cli.run("import", source).stderr.splitlines()
    assert len(lines) == 22
    assert lines[0].startswith("  line 2: program must be one of")
    assert lines[-2:] == ["  … and 5 more", "Error: 25 row(s) have problems; nothing was imported"]


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from caseload.render.progress import progress

    class Terminal(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self.tty = tty

        def isatty(self):
            return self.tty

    for tty in (False, True):
        stream = Terminal(tty)
        monkeypatch.setattr("sys.stderr", stream)
        with progress("Exporting", 10) as advance:
            advance(10)
        assert bool(stream.getvalue()) is tty


def test_part2_records_travel_with_the_redisclosure_notice(rivera, tmp_path):
    """42 CFR 2.32: every disclosure of a Part 2 record carries the notice (caseload.disclosure)."""
    from openpyxl import load_workbook

    from caseload.disclosure import part2_notice

    assert _export(rivera)["part2_notice"] is None
    rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-02",
        "--note",
        "SUD treatment",
        "--part2",
        "--no-input",
    )
    assert _export(rivera)["part2_notice"] == part2_notice()
    archive_path, workbook_path = tmp_path / "out.zip", tmp_path / "out.xlsx"
    outcome = rivera.ok("export", "-o", archive_path)
    assert "42 CFR Part 2" in outcome.stderr
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.namelist()[0] == "NOTICE.txt"
        assert archive.read("NOTICE.txt").decode() == part2_notice() + "\n"
    rivera.ok("export", "-o", workbook_path)
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames[:2] == ["notice", "worker"]
    assert workbook["notice"]["A1"].value.startswith("This record which has been disclosed to you")
    details = [e["detail"] for e in rivera.json("audit") if e["action"] == "export"]
    assert [d.endswith("; holds 42 CFR Part 2 records") for d in details] == [False, True, True, True]
