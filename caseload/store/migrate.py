"""Bringing a database to the current schema with Alembic, cheaply when it already is.

The check reads `alembic_version` directly (no Alembic or ORM import); only a database that is new
or behind pays for Alembic. Migrations run inside one write transaction (`BEGIN IMMEDIATE` on
SQLite, an advisory lock on PostgreSQL), so processes starting together migrate once: the others
wait for the lock, then find the schema current. A file that is not a caseload database is refused
before anything is written to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from caseload.errors import IntegrityProblem
from caseload.store.db import BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    from caseload.store.db import Database

# The newest migration in store/migrations/versions; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0005"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
# Revisions that changed indexes only: their tables and columns are those of the revision before.
INDEX_ONLY_REVISIONS = frozenset({"0004"})
# Revisions that only added tables and columns an export may leave out (they load empty): an export of
# the revision before still imports.
COLUMN_ADDING_REVISIONS = frozenset({"0005"})
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 7_220_431_001


def tables_revision(revision: str) -> str:
    """The revision that last changed the tables and columns of `revision`: an export written at
    either imports alike (0004 only added indexes, so a 0003 export still fits)."""
    while revision in INDEX_ONLY_REVISIONS:
        revision = KNOWN_REVISIONS[KNOWN_REVISIONS.index(revision) - 1]
    return revision


def importable(version: str) -> bool:
    """Whether an export written at `version` loads into this schema."""
    if version not in KNOWN_REVISIONS:
        return False
    head = HEAD_REVISION
    while head in COLUMN_ADDING_REVISIONS and tables_revision(version) != tables_revision(head):
        head = KNOWN_REVISIONS[KNOWN_REVISIONS.index(head) - 1]
    return tables_revision(version) == tables_revision(head)


def ensure_current(db: Database) -> None:
    version = stored_version(db)
    if version == HEAD_REVISION:
        return
    if version is not None and version not in KNOWN_REVISIONS:
        raise IntegrityProblem(
            f"the database schema ({version}) is newer than this caseload; upgrade caseload to use it"
        )
    if db.is_sqlite:
        _use_wal(db)
    elif version is not None and not _owns_schema(db):
        raise IntegrityProblem(
            f"the database schema is {version}, this caseload {HEAD_REVISION}: schema changes run as the "
            "database's owner only (the owner runs caseload init)"
        )
    upgrade(db)


def _owns_schema(db: Database) -> bool:
    """Whether this login owns the schema (or is a superuser): only then may it migrate (from 0005 on
    PostgreSQL the app roles hold no rights to change the schema or `alembic_version`)."""
    from sqlalchemy import text

    with db.engine().connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_class c "
                    "WHERE c.oid = to_regclass('alembic_version')"
                )
            ).scalar()
        )


def stored_version(db: Database) -> str | None:
    """The schema revision the database holds, None when it is empty; reads only."""
    if not db.is_sqlite:
        return _url_version(db)
    from caseload.store.db import _sqlite_problem

    def read() -> str | None:
        connection = db._sqlite_connect()
        try:
            return sqlite_version(connection, db.path)
        finally:
            connection.close()

    try:
        return _while_locked(read)
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc) from exc


def sqlite_version(connection: sqlite3.Connection, path: Path) -> str | None:
    """The revision in an open SQLite file; refuses a database that holds other tables."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    if tables:
        raise IntegrityProblem(f"{path} is not a caseload database (it holds other tables)")
    return None


def _use_wal(db: Database) -> None:
    """WAL before the first schema change (SPEC section 2): readers never wait for the writer."""
    from caseload.store.db import _sqlite_problem

    def switch() -> None:
        connection = db._sqlite_connect()
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()

    try:
        _while_locked(switch)
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc) from exc


def _while_locked(step, patience_s: float = BUSY_TIMEOUT_MS / 1000):
    """Run `step`, again while SQLite answers "locked" or "busy" without waiting itself: processes
    opening a brand-new file together can meet while one of them sets up WAL, a moment SQLite's
    busy timeout does not cover."""
    import time

    deadline = time.monotonic() + patience_s
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _url_version(db: Database) -> str | None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.engine().connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if "alembic_version" in tables:
                # From 0005 app roles may not read alembic_version: a function tells them the
                # version, after checking the login is a caseload worker (caseload.store.access).
                if connection.execute(text("SELECT to_regproc('caseload_schema_version')")).scalar():
                    return connection.execute(text("SELECT caseload_schema_version()")).scalar()
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
        if "is not a caseload worker" in str(exc.orig or exc):
            raise IntegrityProblem(str(exc.orig).splitlines()[0]) from exc
        raise IntegrityProblem(f"cannot open the database: {str(exc.orig or exc).splitlines()[0]}") from exc
    if tables:
        raise IntegrityProblem("that database is not a caseload database (it holds other tables)")
    return None


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction; any failure leaves the schema as it was."""
    from alembic import command
    from alembic.util import CommandError
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    config = alembic_config()
    engine = db.engine()
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except (SQLAlchemyError, CommandError) as exc:
        raise IntegrityProblem(f"could not upgrade the database schema: {_reason(db, exc)}") from exc
    finally:
        engine.dispose()  # no connection outlives the upgrade (PostgreSQL can then copy the database)


def _reason(db: Database, exc: Exception) -> str:
    from caseload.store.db import _first_line, _sqlite_problem

    original = getattr(exc, "orig", None)
    if db.is_sqlite and isinstance(original, sqlite3.Error):
        return _sqlite_problem(original).message
    return _first_line(original or exc)
