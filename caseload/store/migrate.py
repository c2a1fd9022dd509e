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
from caseload.store import connection as conn

if TYPE_CHECKING:
    from caseload.store.db import Database

# The newest migration in store/migrations/versions; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0006"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
# Revisions that changed indexes only: their tables and columns are those of the revision before.
INDEX_ONLY_REVISIONS = frozenset({"0004"})
# Revisions that only added tables and columns an export may leave out (they load empty): an export of
# the revision before still imports.
COLUMN_ADDING_REVISIONS = frozenset({"0005", "0006"})
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
    """Bring the database to HEAD_REVISION: one indexed read when it is current already."""
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
    connection = db.as_it_is()
    try:
        row = connection.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_class c "
            "WHERE c.oid = to_regclass('alembic_version')"
        ).fetchone()
    finally:
        connection.rollback()
    return bool(row and row[0])


def stored_version(db: Database) -> str | None:
    """The schema revision the database holds, None when it is empty; reads only, on the command's
    own connection."""
    if db.is_sqlite:
        connection = db.as_it_is()
        try:
            return conn.while_locked(lambda: sqlite_version(connection, db.path))
        except sqlite3.Error as exc:
            raise conn.sqlite_problem(exc) from exc
    return _server_version(db.as_it_is())


def sqlite_version(connection: sqlite3.Connection, path: Path) -> str | None:
    """The revision in an open SQLite file; refuses a database that holds other tables."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    if tables:
        raise IntegrityProblem(f"{path} is not a caseload database (it holds other tables)")
    return None


def _server_version(connection) -> str | None:
    """One query when the schema is there; only an older, empty or foreign database costs more.

    From 0005 app roles may not read alembic_version: `caseload_schema_version()` tells them the
    version, after checking that the login is a caseload worker (caseload.store.access)."""
    import psycopg

    try:
        try:
            return connection.execute("SELECT caseload_schema_version()").fetchone()[0]
        except psycopg.errors.UndefinedFunction:
            connection.rollback()
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        except psycopg.errors.UndefinedTable:
            connection.rollback()
        other = connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
    except psycopg.Error as exc:
        if "is not a caseload worker" in str(exc):
            raise IntegrityProblem(conn.first_line(exc)) from exc
        raise IntegrityProblem(f"cannot open the database: {conn.first_line(exc)}") from exc
    finally:
        connection.rollback()  # leave no transaction open: the command's units of work start clean
    if other:
        raise IntegrityProblem("that database is not a caseload database (it holds other tables)")
    return None


def _use_wal(db: Database) -> None:
    """WAL before the first schema change (SPEC section 2): readers never wait for the writer."""
    connection = db.as_it_is()
    try:
        conn.while_locked(lambda: connection.execute("PRAGMA journal_mode = WAL"))
    except sqlite3.Error as exc:
        raise conn.sqlite_problem(exc) from exc


def sqlalchemy_engine(db: Database):
    """A SQLAlchemy engine for Alembic: imported and built only when a migration is due."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    if not db.is_sqlite:
        try:
            return create_engine(conn.sqlalchemy_url(db.target), poolclass=NullPool)
        except Exception as exc:  # bad URL or missing driver
            raise IntegrityProblem(f"cannot use database URL: {conn.first_line(exc)}") from exc
    engine = create_engine("sqlite://", creator=lambda: conn.sqlite_connect(db.path), poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # our BEGIN IMMEDIATE, not pysqlite's BEGIN
        # Alembic's batch mode rebuilds tables: with foreign keys on, that could cascade.
        dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


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
    engine = sqlalchemy_engine(db)
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
    original = getattr(exc, "orig", None)
    if db.is_sqlite and isinstance(original, sqlite3.Error):
        return conn.sqlite_problem(original).message
    return conn.first_line(original or exc)
