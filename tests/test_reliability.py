"""Nothing lost, nothing leaked: schema versions, `check`, `backup`, private files, append-only
records, 42 CFR Part 2 marks, and writes refused whole when the disk is full or read-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import BACKEND
from tests.dbtools import raw_execute, run_caseload, scalar, table_dump

postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL behaviour")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def permissive_umask():
    """umask 0: whatever caseload creates must be private by its own doing, not the user's umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def add_visit(cli, *extra: str) -> int:
    return int(
        cli.ok("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", "Maya was well.", *extra).stdout
    )


# -- schema ------------------------------------------------------------------------------------


def test_models_match_the_migrated_schema(cli):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import caseload.store.models  # noqa: F401
    from caseload.store import open_database
    from caseload.store.migrate import sqlalchemy_engine

    with open_database(cli.db) as db:
        db.ensure_ready()
    from caseload.store.access import PG_ONLY_TABLES

    def modelled(name, kind, _parents) -> bool:  # the chain's head is PostgreSQL's own bookkeeping
        return not (kind == "table" and name in PG_ONLY_TABLES)

    with sqlalchemy_engine(db).connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": modelled})
        assert compare_metadata(context, SQLModel.metadata) == []


def downgrade(target: str, revision: str) -> None:
    from alembic import command

    from caseload.store.db import Database
    from caseload.store.migrate import alembic_config, sqlalchemy_engine

    with sqlalchemy_engine(Database(target)).begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def index_names(target: str, table: str) -> set[str]:
    from sqlalchemy import inspect

    from caseload.store.db import Database
    from caseload.store.migrate import sqlalchemy_engine

    with sqlalchemy_engine(Database(target)).connect() as connection:
        return {index["name"] for index in inspect(connection).get_indexes(table)}


def test_a_database_behind_is_reported_then_upgraded(rivera):
    visit_id = add_visit(rivera)
    downgrade(rivera.db, "0002")
    rivera.fails("check", says="schema: 0002, behind 0006", reports=True)
    assert rivera.json("visit", "show", visit_id)["part2"] is False  # any command upgrades
    assert rivera.json("check")["ok"] is True
    # the rebuilt trigger covers the new column: the mark can never be taken off
    assert "never edited" in raw_execute(rivera.db, "UPDATE visit SET part2 = NOT part2")


def test_a_0003_database_gains_the_covering_indexes_with_its_records_intact(rivera):
    add_visit(rivera)
    rivera.ok("visit", "void", add_visit(rivera), "--reason", "entered twice")
    rivera.ok("plan", "review", "2026-0142", "--date", "2026-03-15", "--note", "Team meeting.")
    before, due_before = table_dump(rivera.db, without=("uid",)), rivera.json("overdue", "--all")
    downgrade(rivera.db, "0003")
    assert "ix_visit_family_kind_date" in index_names(rivera.db, "visit")
    rivera.fails("check", says="schema: 0003, behind 0006", reports=True)

    assert rivera.json("overdue", "--all") == due_before  # any command upgrades
    assert table_dump(rivera.db, without=("uid",)) == before
    assert index_names(rivera.db, "visit") == {"ix_visit_family_kind_void_date", "ix_visit_uid"}
    assert index_names(rivera.db, "plan_review") == {"ix_plan_review_family_date", "ix_plan_review_uid"}
    assert rivera.json("check")["ok"] is True
    # indexes only: the visits' append-only triggers are still there
    assert "never edited" in raw_execute(rivera.db, "UPDATE visit SET narrative = 'changed'")


# -- check -------------------------------------------------------------------------------------


def test_check_lists_every_check(rivera, sqlite_only, tmp_path):
    os.chmod(tmp_path, 0o700)
    outcome = rivera.ok("check")
    lines = outcome.stdout.splitlines()
    assert lines[0].split() == ["Status", "Check", "Detail"]
    assert lines[1:] == [
        "ok      integrity     ok",
        "ok      foreign keys  no dangling references",
        "ok      schema        0006 (current)",
        "ok      file mode     caseload.db 0600",
        f"ok      directory     {tmp_path} 0700",
        "ok      audit chain   5 rows chained, 0 visits match",
        "ok      triggers      append-only and audit triggers as the migrations made them",
    ]
    report = rivera.json("check")
    assert report["database"] == rivera.db and report["ok"] is True
    assert report["checks"][0] == {"check": "integrity", "status": "ok", "detail": "ok"}


@postgres_only
def test_check_on_postgres_checks_the_schema(rivera):
    report = rivera.json("check")
    assert report["ok"] is True
    assert [(c["check"], c["status"]) for c in report["checks"]] == [
        ("integrity", "skip"),
        ("foreign keys", "skip"),
        ("schema", "ok"),
        ("permissions", "skip"),
        ("audit chain", "ok"),
        ("triggers", "ok"),
    ]


def test_check_names_loose_file_and_directory_modes(rivera, sqlite_only, tmp_path):
    os.chmod(rivera.db, 0o644)
    os.chmod(tmp_path, 0o777)
    try:
        outcome = rivera.fails(
            "check", says="2 check(s) failed: file mode: caseload.db is 0644, not 0600", reports=True
        )
        assert "others could replace the database" in outcome.stderr
        assert "fail    file mode     caseload.db is 0644, not 0600" in outcome.stdout
    finally:
        os.chmod(tmp_path, 0o700)


def test_check_finds_dangling_references(rivera, sqlite_only):
    connection = sqlite3.connect(rivera.db)  # foreign keys are off in a bare connection
    connection.execute(
        "INSERT INTO member (family_id, name, name_key, role) VALUES (99, 'Ghost', 'ghost', 'child')"
    )
    connection.commit()
    connection.close()
    rivera.fails(
        "check", says="foreign keys: 1 dangling reference(s): member row 3 → missing family", reports=True
    )


def test_check_finds_damaged_pages(rivera, sqlite_only):
    for number in range(30):
        rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", f"visit {number} " * 300)
    connection = sqlite3.connect(rivera.db)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'visit'").fetchone()[0]
    connection.close()
    with open(rivera.db, "r+b") as handle:  # scribble over the visit table's root page
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * 64)
    outcome = rivera.fails("check", says="integrity:", reports=True)
    assert "fail    integrity" in outcome.stdout


def _text_file(path: Path) -> None:
    path.write_text("Case notes, not a database.\n")
    path.chmod(0o600)  # private, so what is refused is the content


def _foreign_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO patients (name) VALUES ('someone else')")
    connection.commit()
    connection.close()
    path.chmod(0o600)


def _damaged_caseload(path: Path) -> None:
    from caseload.store import open_database

    with open_database(str(path)) as db:
        db.ensure_ready()
    with open(path, "r+b") as handle:  # the schema page, after the 100-byte file header
        handle.seek(100)
        handle.write(b"\xa5" * 3000)


@pytest.mark.parametrize("make", [_text_file, _foreign_sqlite, _damaged_caseload])
@pytest.mark.parametrize(
    "args",
    [
        ("init",),
        ("worker", "list"),
        ("family", "add", "2026-0001", "--name", "Lee", "--program", "in_home"),
        ("visit", "add", "2026-0001"),
        ("audit",),
        ("check",),
        ("backup", "copy.db"),
    ],
    ids=lambda args: args[0],
)
def test_a_foreign_or_damaged_file_is_refused_and_left_alone(cli, tmp_path, monkeypatch, make, args):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "not-ours.db"
    make(target)
    before = target.read_bytes()
    cli.monkeypatch.setenv("CASELOAD_DB", str(target))
    outcome = cli.fails(*args, reports=args == ("check",))
    assert "not a caseload database" in outcome.stderr
    assert target.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} <= {"not-ours.db", "not-ours.db-wal", "not-ours.db-shm"}
    wal = tmp_path / "not-ours.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # not one page was written


def test_a_device_is_not_a_database(cli, sqlite_only):
    cli.fails(
        "--db", "/dev/null", "family", "list", says="/dev/null is a device or pipe, not a database file"
    )


# -- backup ------------------------------------------------------------------------------------


def test_backup_restore_round_trip(rivera, sqlite_only, tmp_path, permissive_umask):
    add_visit(rivera, "--part2")
    visit_id = add_visit(rivera)
    rivera.ok("visit", "amend", visit_id, "--note", "Also present: grandmother.", "--reason", "omitted")
    before = table_dump(rivera.db)
    dest = tmp_path / "backups" / "caseload-2026-04-01.db"
    dest.parent.mkdir(mode=0o700)
    copy = rivera.json("backup", dest)
    assert copy == {
        "path": str(dest),
        "bytes": dest.stat().st_size,
        "integrity": "ok",
        "rows": {**{name: len(rows) for name, rows in before.items()}, "alembic_version": 1},
    }
    assert mode(dest) == 0o600
    assert sorted(p.name for p in dest.parent.iterdir()) == [dest.name]  # no partial files left
    assert run_caseload(str(dest), "check").returncode == 0
    entries = rivera.json("audit")
    assert (entries[-1]["action"], entries[-1]["entity"], entries[-1]["detail"]) == (
        "backup",
        "database",
        str(dest),
    )

    for suffix in ("", "-wal", "-shm"):  # disaster: the database is gone
        Path(rivera.db + suffix).unlink(missing_ok=True)
    shutil.copy2(dest, rivera.db)  # restore: copy back, keeping mode 0600
    assert mode(rivera.db) == 0o600
    assert table_dump(rivera.db) == before
    rivera.ok("check")


def test_backup_refuses_to_overwrite_unless_forced(rivera, sqlite_only, tmp_path):
    dest = tmp_path / "old-backup.db"
    dest.write_text("yesterday's backup")
    rivera.fails("backup", dest, says="already exists; use --force to replace it")
    assert dest.read_text() == "yesterday's backup"
    assert rivera.ok("backup", dest, "--force").stdout.strip() == str(dest)
    assert run_caseload(str(dest), "check").returncode == 0


def test_backup_refuses_a_missing_directory_and_postgres(rivera, tmp_path):
    if BACKEND == "postgres":
        rivera.fails("backup", tmp_path / "x.db", says="for PostgreSQL use pg_dump")
    else:
        rivera.fails("backup", tmp_path / "nowhere" / "x.db", says="does not exist")
        (tmp_path / "empty.db").touch()
        rivera.fails("--db", tmp_path / "empty.db", "backup", tmp_path / "x.db", says="nothing to back up")
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "nowhere").exists()


def test_a_backup_that_does_not_verify_is_discarded(rivera, sqlite_only, tmp_path, monkeypatch):
    from caseload.store import health

    copy_pages = health.copy_pages

    def half_copy(source, target_path, progress=None):
        copy_pages(source, target_path)
        with sqlite3.connect(target_path) as copy:  # lose the audit log on the way
            copy.execute("DROP TRIGGER audit_log_no_delete")
            copy.execute("DELETE FROM audit_log")

    before = table_dump(rivera.db)
    monkeypatch.setattr(health, "copy_pages", half_copy)
    rivera.fails("backup", tmp_path / "b.db", says="did not verify (row counts differ in audit_log)")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".b.db", "b.db"))]
    assert table_dump(rivera.db) == before  # not even audited


# -- privacy -----------------------------------------------------------------------------------


def test_new_database_and_its_wal_are_private_under_umask_0(cli, sqlite_only, tmp_path, permissive_umask):
    from caseload import settings

    default = tmp_path / "data" / "caseload" / "caseload.db"
    cli.monkeypatch.setattr(settings, "default_db_path", lambda: default)
    cli.monkeypatch.delenv("CASELOAD_DB")
    cli.ok("init")
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")
    assert mode(default.parent) == 0o700
    assert mode(default) == 0o600
    reader = sqlite3.connect(default)  # while someone reads, the WAL files exist
    reader.execute("SELECT COUNT(*) FROM worker").fetchone()
    cli.monkeypatch.setenv("CASELOAD_DB", str(default))
    cli.ok("worker", "add", "asmith", "--name", "Alex Smith")
    assert {suffix: mode(f"{default}{suffix}") for suffix in ("-wal", "-shm")} == {
        "-wal": 0o600,
        "-shm": 0o600,
    }
    reader.close()


@pytest.fixture
def default_home(cli, sqlite_only, tmp_path) -> Path:
    """No --db and no $CASELOAD_DB: the default database, under a fresh, empty $HOME."""
    home = tmp_path / "home"
    home.mkdir()
    cli.monkeypatch.setenv("HOME", str(home))
    cli.monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    cli.monkeypatch.delenv("CASELOAD_DB")
    return home


def default_database(home: Path) -> Path:
    return home / ".local" / "share" / "caseload" / "caseload.db"


@pytest.mark.parametrize(
    "args",
    [
        ("worker", "add", "jdoe", "--name", "Jamie Doe"),
        ("family", "add", "2026-0142", "--name", "Rivera", "--program", "in_home", "--risk", "low"),
        ("visit", "add", "2026-0142", "--note", "Maya was well."),
        ("hearing", "cancel", "1", "--reason", "moved"),
        ("export",),
    ],
)
def test_a_write_on_a_missing_default_database_is_refused_and_creates_nothing(cli, default_home, args):
    path = default_database(default_home)
    cli.fails(*args, says=f"no database at {path} (create one with: caseload init)")
    assert list(default_home.iterdir()) == []
    # and a read after it says the same, rather than that all is well
    cli.fails("overdue", says=f"no database at {path} (create one with: caseload init)")
    assert list(default_home.iterdir()) == []


def test_init_demo_and_import_create_the_default_database(cli, default_home, tmp_path):
    path = default_database(default_home)
    cli.ok("init")
    assert path.is_file()
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")  # and writes go on from there
    cli.ok("family", "add", "2026-0142", "--name", "Rivera", "--program", "in_home", "--risk", "low")
    cli.ok("export", "-o", tmp_path / "agency.json")

    path.unlink()
    cli.ok("import", tmp_path / "agency.json")
    assert [row["case_number"] for row in cli.json("family", "list", "--all")] == ["2026-0142"]

    path.unlink()
    cli.ok("demo", "--families", "2")
    assert path.is_file()


def test_a_named_database_is_still_created_by_a_write(cli, sqlite_only):
    assert not Path(cli.db).exists()
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")
    assert mode(cli.db) == 0o600


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE visit SET narrative = 'rewritten'", "never edited"),
        ("UPDATE visit SET visit_on = '2026-03-03'", "never edited"),
        ("UPDATE visit SET part2 = NOT part2", "never edited"),
        ("DELETE FROM visit", "never deleted"),
        ("UPDATE visit_amendment SET narrative = 'rewritten'", "append-only"),
        ("DELETE FROM visit_amendment", "append-only"),
        ("UPDATE audit_log SET actor = 'someone else'", "append-only"),
        ("DELETE FROM audit_log", "append-only"),
        ("DELETE FROM visit_seen", "append-only"),
    ],
)
def test_the_record_is_append_only_in_the_database_itself(rivera, statement, refusal):
    visit_id = add_visit(rivera)
    rivera.ok("visit", "amend", visit_id, "--note", "Also present: grandmother.", "--reason", "omitted")
    before = table_dump(rivera.db)
    assert refusal in raw_execute(rivera.db, statement)
    assert table_dump(rivera.db) == before


@postgres_only
@pytest.mark.parametrize("table", ["visit", "visit_amendment", "audit_log", "visit_seen"])
def test_truncate_cannot_empty_the_record_on_postgres(rivera, table):
    add_visit(rivera)
    before = table_dump(rivera.db)
    assert "append-only" in raw_execute(rivera.db, f"TRUNCATE {table} CASCADE")
    assert table_dump(rivera.db) == before


def test_a_visit_can_be_voided_once(rivera):
    visit_id = add_visit(rivera)
    void = f"UPDATE visit SET voided_at = '2026-04-01 10:00:00', voided_by = 'jdoe', void_reason = 'wrong case' WHERE id = {visit_id}"
    assert raw_execute(rivera.db, void) is None
    assert "already void" in raw_execute(rivera.db, void)
    assert "already void" in raw_execute(
        rivera.db, f"UPDATE visit SET voided_at = NULL WHERE id = {visit_id}"
    )
    shown = rivera.json("visit", "show", visit_id)
    assert (shown["void"], shown["void_reason"], shown["narrative"]) == (True, "wrong case", "Maya was well.")
    rivera.fails("visit", "void", visit_id, "--reason", "again", says=f"visit {visit_id} was already voided")


# -- 42 CFR Part 2 -------------------------------------------------------------------------------


def test_part2_mark_is_stored_shown_and_audited(rivera):
    plain = add_visit(rivera)
    outcome = rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-09",
        "--note",
        "Mother attends methadone clinic.",
        "--part2",
    )
    marked = int(outcome.stdout)
    assert "(42 CFR Part 2)" in outcome.stderr
    assert rivera.json("visit", "show", marked)["part2"] is True
    assert [(v["id"], v["part2"]) for v in rivera.json("visit", "list", "2026-0142")] == [
        (plain, False),
        (marked, True),
    ]
    table = rivera.ok("visit", "list", "2026-0142").stdout.splitlines()
    assert "PART2" in table[2] and "PART2" not in table[1]
    assert (
        "Protected:  42 CFR Part 2: substance-use disorder treatment record"
        in rivera.ok("visit", "show", marked).stdout
    )
    assert "Protected" not in rivera.ok("visit", "show", plain).stdout
    assert rivera.json("audit")[-1]["detail"] == "face_to_face on 2026-03-09 (42 CFR Part 2)"


def test_part2_redisclosure_notice():
    from caseload.disclosure import holds_part2, part2_notice

    notice = part2_notice()
    assert notice.startswith(
        "This record which has been disclosed to you is protected by Federal confidentiality"
    )
    assert "(see 42 CFR 2.31)" in notice and notice.count("\n") == 4
    assert (
        part2_notice(short=True) == "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
    )
    assert holds_part2([{"part2": False}, {"part2": True}]) and not holds_part2([{"part2": False}])


# -- failures while writing ----------------------------------------------------------------------


def _drop_capabilities() -> tuple[str, ...]:
    """Root ignores file modes; without these capabilities it honours them like anyone else."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made to bind")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--")


def test_a_read_only_database_refuses_writes_and_still_reads(rivera, sqlite_only, tmp_path):
    rivera.monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the refused note is kept
    add_visit(rivera)
    before = Path(rivera.db).read_bytes()
    os.chmod(rivera.db, 0o400)
    try:
        prefix = _drop_capabilities()
        refused = run_caseload(rivera.db, "visit", "add", "2026-0142", "--note", "Kept safe.", prefix=prefix)
        listed = run_caseload(rivera.db, "visit", "list", "2026-0142", "--json", prefix=prefix)
    finally:
        os.chmod(rivera.db, 0o600)
    assert refused.returncode == 1, refused.stderr
    # one line: a --note is still on the user's command line (editor text is kept: test_editor.py)
    assert refused.stderr == "Error: the database is read-only: nothing was saved\n"
    assert listed.returncode == 0 and '"narrative": "Maya was well."' in listed.stdout
    assert Path(rivera.db).read_bytes() == before


@pytest.fixture
def fill_the_disk(monkeypatch):
    """Call it to fill the disk: SQLite's max_page_count then caps each connection at the file's
    current size, so a write that needs one more page fails with SQLITE_FULL, "database or disk is
    full", the very error a full disk gives SQLite."""
    from caseload.store import connection as store_connection

    connect = store_connection.sqlite_connect

    def capped(path):
        connection = connect(path)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return connection

    return lambda: monkeypatch.setattr(store_connection, "sqlite_connect", capped)


def test_a_full_disk_saves_nothing_and_keeps_the_note(
    rivera, sqlite_only, tmp_path, monkeypatch, fill_the_disk
):
    import tempfile

    add_visit(rivera)
    before = table_dump(rivera.db)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # the note is written in the editor, so only caseload holds it when saving fails
    note = "A long narrative. " * 2000
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "{note}" >> "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setattr("caseload.services.notes.on_terminal", lambda: True)
    fill_the_disk()
    outcome = rivera.run("visit", "add", "2026-0142")
    assert outcome.exit_code == 1
    assert outcome.stderr.splitlines()[-1] == (
        "Error: could not write the database (database or disk is full): nothing was saved"
    )
    kept = next(tmp_path.glob("caseload-note-*.txt"))
    assert kept.read_text() == note.strip() + "\n" and mode(kept) == 0o600
    assert table_dump(rivera.db) == before


def test_a_full_disk_during_the_first_migration_leaves_no_schema(cli, sqlite_only, fill_the_disk):
    fill_the_disk()
    cli.fails(
        "init", says="could not upgrade the database schema: could not write the database (database or disk"
    )
    assert sqlite3.connect(cli.db).execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def test_a_database_locked_too_long_is_a_clear_error(rivera, sqlite_only, monkeypatch):
    from caseload.store import connection

    before = table_dump(rivera.db)
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(rivera.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        rivera.fails("visit", "add", "2026-0142", says="stayed locked by another caseload process")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert table_dump(rivera.db) == before
    assert scalar(rivera.db, "SELECT COUNT(*) FROM visit") == 0
