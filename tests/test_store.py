"""The store: creation, permissions, migrations and refusal of files that are not ours."""

import os
import sqlite3
import stat

from caseload.store import migrate


def test_head_revision_matches_alembic():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.HEAD_REVISION
    assert {rev.revision for rev in script.walk_revisions()} == set(migrate.KNOWN_REVISIONS)


def test_sqlite_file_created_private_with_wal(cli, sqlite_only, tmp_path):
    old = os.umask(0)
    try:
        cli.ok("init")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(cli.db).st_mode) == 0o600
    with sqlite3.connect(cli.db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == migrate.HEAD_REVISION
        )


def test_missing_directory_is_an_error_not_created(cli, sqlite_only, tmp_path):
    target = tmp_path / "nowhere" / "c.db"
    cli.fails("--db", str(target), "worker", "add", "jdoe", "--name", "Jamie Doe", says="does not exist")
    assert not target.parent.exists()


def test_reading_a_missing_database_creates_nothing(cli, sqlite_only, tmp_path):
    target = tmp_path / "day" / "notthere.db"
    target.parent.mkdir(mode=0o700)
    cli.fails(
        "--db", str(target), "overdue", says=f"no database at {target} (create one with: caseload init)"
    )
    assert list(target.parent.iterdir()) == []


def test_an_empty_db_option_is_a_usage_error(cli):
    cli.fails("--db", "", "overdue", code=2, says="--db is empty")


def test_a_database_others_can_read_is_refused_with_the_fix(cli, sqlite_only):
    cli.ok("init")
    os.chmod(cli.db, 0o644)
    cli.fails("overdue", says=f"can be read by other users; make it private with: chmod 600 {cli.db}")
    # check reports on the file instead of refusing to open it, naming the same fix
    cli.fails("check", says="caseload.db is 0644, not 0600 (chmod 600", reports=True)


def test_foreign_files_are_refused_and_left_untouched(cli, sqlite_only, tmp_path):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 100)
    text_file.chmod(0o600)
    before = text_file.read_bytes()
    cli.fails("--db", str(text_file), "family", "list", says="not a caseload database")
    assert text_file.read_bytes() == before

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    other.chmod(0o600)
    cli.fails("--db", str(other), "family", "list", says="not a caseload database")
    with sqlite3.connect(other) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"things"}


def test_newer_schema_is_refused(cli, sqlite_only):
    cli.ok("init")
    with sqlite3.connect(cli.db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    cli.fails("family", "list", says="newer than this caseload")


def test_failed_command_leaves_no_trace(rivera):
    """A visit that fails half-way (unknown goal, checked after the family look-up) writes nothing."""
    audit_before = rivera.json("audit")
    rivera.fails("visit", "add", "2026-0142", "--note", "Important text", "--goal", "7")
    assert rivera.json("audit") == audit_before
    assert rivera.json("visit", "list") == []


def test_a_sqlite_url_is_a_private_wal_file_too(cli, sqlite_only, tmp_path):
    target = tmp_path / "url.db"
    cli.ok("--db", f"sqlite:///{target}", "init")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cli.fails("--db", "sqlite://", "family", "list", code=2, says="in-memory")


def test_a_reader_that_stops_early_ends_us_quietly(cli, sqlite_only):
    import signal
    import subprocess
    import sys

    cli.ok("demo", "--families", "100")  # `visit list` then prints far more than a pipe holds
    reader = subprocess.Popen(
        [sys.executable, "-m", "caseload", "--db", cli.db, "visit", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "CASELOAD_DB": cli.db},
    )
    assert reader.stdout.read(10)
    reader.stdout.close()  # like `| head -c 10`
    stderr = reader.stderr.read().decode()
    # ended by SIGPIPE as cat or git would be: not exit 1 (a domain error) with no message
    assert reader.wait() in (0, -signal.SIGPIPE) and stderr == ""


def test_sql_with_a_literal_percent_runs_alike_on_both_backends(cli):
    """The store writes `:name` parameters; a literal % (LIKE patterns) must reach the database as
    written, with parameters and without, whatever the driver's own placeholder style."""
    from caseload.store import open_database

    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")
    with open_database(cli.db) as db, db.read() as rows:
        assert rows.scalar("SELECT COUNT(*) FROM worker WHERE name LIKE 'Jamie%'") == 1
        assert (
            rows.scalar("SELECT COUNT(*) FROM worker WHERE name LIKE 'J%' AND id = :id", {"id": "jdoe"}) == 1
        )
        assert rows.scalar("SELECT '50%' || :tail", {"tail": "::x"}) == "50%::x"
