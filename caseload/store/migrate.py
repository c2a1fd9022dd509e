"""Bringing a database to the current schema with Alembic, cheaply when it already is.

The check reads `alembic_version` directly (no Alembic or ORM import); only a database that is new
or behind pays for Alembic. Migrations run inside one write transaction (`BEGIN IMMEDIATE` on
SQLite, an advisory lock on PostgreSQL), so processes starting together migrate once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from caseload.errors import IntegrityProblem

if TYPE_CHECKING:
    from caseload.store.db import Database

# The newest migration in store/migrations/versions; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0002"
KNOWN_REVISIONS = ("0001", "0002")
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK = 7_220_431_001


def ensure_current(db: Database) -> None:
    version = _sqlite_version(db) if db.is_sqlite else _url_version(db)
    if version == HEAD_REVISION:
        return
    if version is not None and version not in KNOWN_REVISIONS:
        raise IntegrityProblem(
            f"the database schema ({version}) is newer than this caseload; upgrade caseload to use it"
        )
    upgrade(db)


def _sqlite_version(db: Database) -> str | None:
    from caseload.store.db import _sqlite_problem

    connection = db._sqlite_connect()
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        if tables:
            raise IntegrityProblem(f"{db.path} is not a caseload database (it holds other tables)")
        connection.execute("PRAGMA journal_mode = WAL")
        return None
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc) from exc
    finally:
        connection.close()


def _url_version(db: Database) -> str | None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.engine().connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if "alembic_version" in tables:
                return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as exc:
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
    """Run the migrations up to `revision` in one transaction."""
    from alembic import command
    from sqlalchemy import text

    config = alembic_config()
    with db.engine().begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
