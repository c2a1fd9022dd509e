"""Connections to the two backends, and turning their errors into caseload's: the part that both the
database (store/db.py) and the migrations (store/migrate.py) need, so neither imports the other.

SQLite is reached through the standard library's `sqlite3` and PostgreSQL through psycopg 3 directly:
no ORM on the path of an everyday command. Both run the same SQL text with `:name` parameters.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from caseload.errors import CaseloadError, IntegrityProblem, UsageProblem

BUSY_TIMEOUT_MS = 30_000
_T = TypeVar("_T")


def _adapt_sqlite_types() -> None:
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(sep=" "))


_adapt_sqlite_types()


# -- targets -----------------------------------------------------------------------------------


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> str:
    """A file path from `--db`: a plain path, or a SQLAlchemy-style `sqlite:///path` URL."""
    if not target.strip():
        raise UsageProblem("--db is empty: give a file path or a postgresql:// URL")
    if target.startswith("sqlite://"):
        path = target.removeprefix("sqlite://").removeprefix("/")
        if not path or ":memory:" in path:
            raise UsageProblem("an in-memory database keeps nothing: give a file path")
        return path
    return target


def libpq_url(target: str) -> str:
    """The libpq form of a PostgreSQL URL: `postgresql+psycopg://` (SQLAlchemy's) is accepted too."""
    scheme, sep, rest = target.partition("://")
    base = scheme.split("+", 1)[0]
    if base not in ("postgresql", "postgres"):
        raise UsageProblem(f"unsupported database URL scheme {scheme!r}: use postgresql://…")
    return f"postgresql{sep}{rest}"


def sqlalchemy_url(target: str) -> str:
    """The SQLAlchemy form of a PostgreSQL URL, for Alembic (migrations only)."""
    return "postgresql+psycopg" + libpq_url(target).removeprefix("postgresql")


def hide_password(url: str) -> str:
    """The URL with any password replaced by ***: safe to print or log."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


# -- errors ------------------------------------------------------------------------------------


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def sqlite_problem(exc: sqlite3.Error) -> CaseloadError:
    message = first_line(exc)
    if "not a database" in message or "malformed" in message:
        return IntegrityProblem(f"the file is not a caseload database, or it is damaged ({message})")
    if "readonly" in message or "read-only" in message:
        return IntegrityProblem("the database is read-only: nothing was saved")
    if "unable to open" in message:
        return IntegrityProblem(
            f"cannot open the database file ({message}): check it exists and its permissions"
        )
    if "disk is full" in message or "disk I/O" in message:
        return IntegrityProblem(f"could not write the database ({message}): nothing was saved")
    if "locked" in message or "busy" in message:
        return IntegrityProblem("the database stayed locked by another caseload process; try again")
    return IntegrityProblem(f"database refused the change: {message}")


def server_problem(exc: Exception) -> CaseloadError:
    return IntegrityProblem(f"database refused the change: {first_line(exc)}")


# -- SQLite ------------------------------------------------------------------------------------


def sqlite_connect(path: Path) -> sqlite3.Connection:
    """A connection that waits for other writers and never creates the file (`mode=rw`); it runs in
    autocommit mode, so units of work are the `BEGIN`s the store sends."""
    uri = f"{path.absolute().as_uri()}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = FULL")  # a printed id survives a power cut too
    except sqlite3.Error as exc:
        raise sqlite_problem(exc) from exc
    return connection


def while_locked(step: Callable[[], _T], patience_s: float = BUSY_TIMEOUT_MS / 1000) -> _T:
    """Run `step`, again while SQLite answers "locked" or "busy" without waiting itself: processes
    opening a brand-new file together can meet while one of them sets up WAL, a moment SQLite's
    busy timeout does not cover."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SqliteDriver:
    """Runs SQL on one sqlite3 connection; values come back as SQLite stores them."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def run(self, sql: str, params: Mapping[str, Any], fetch: bool = True) -> tuple[list[str], list]:
        try:
            cursor = self.connection.execute(sql, params)
            if not fetch or cursor.description is None:
                return [], []
            return [d[0] for d in cursor.description], cursor.fetchall()
        except sqlite3.Error as exc:
            raise sqlite_problem(exc) from exc

    def run_many(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise sqlite_problem(exc) from exc

    def begin(self, write: bool) -> None:
        self._statement("BEGIN IMMEDIATE" if write else "BEGIN")

    def commit(self) -> None:
        self._statement("COMMIT")

    def rollback(self) -> None:
        """Undo the unit of work; a failing ROLLBACK (disk gone) must not hide the error that caused it."""
        try:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolls back an unfinished transaction when the connection closes

    def close(self) -> None:
        self.connection.close()

    def _statement(self, statement: str) -> None:
        try:
            self.connection.execute(statement)
        except sqlite3.Error as exc:
            raise sqlite_problem(exc) from exc


# -- PostgreSQL --------------------------------------------------------------------------------

_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_pyformat_cache: dict[str, str] = {}


def pyformat(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s` (a literal `%` doubled; `::type` casts untouched).
    Cached: a command runs the same few statements many times."""
    converted = _pyformat_cache.get(sql)
    if converted is None:
        converted = _NAMED_PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
        _pyformat_cache[sql] = converted
    return converted


def server_connect(target: str):
    """A psycopg connection to the URL; every unit of work is one transaction on it."""
    import psycopg

    try:
        return psycopg.connect(libpq_url(target), autocommit=False)
    except psycopg.Error as exc:
        raise IntegrityProblem(f"cannot connect to the database: {first_line(exc)}") from exc


class ServerDriver:
    """Runs SQL on one psycopg connection; PostgreSQL returns dates, timestamps and booleans typed."""

    dialect = "postgresql"

    def __init__(self, connection):
        import psycopg

        self.connection = connection
        self._error = psycopg.Error

    def run(self, sql: str, params: Mapping[str, Any], fetch: bool = True) -> tuple[list[str], list]:
        try:
            cursor = self.connection.execute(pyformat(sql), params)
            if not fetch or cursor.description is None:
                return [], []
            return [d.name for d in cursor.description], cursor.fetchall()
        except self._error as exc:
            raise server_problem(exc) from exc

    def run_many(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(pyformat(sql), list(rows))
        except self._error as exc:
            raise server_problem(exc) from exc

    def begin(self, write: bool) -> None:
        """psycopg opens the transaction with the first statement."""

    def commit(self) -> None:
        try:
            self.connection.commit()
        except self._error as exc:
            raise server_problem(exc) from exc

    def rollback(self) -> None:
        try:
            self.connection.rollback()
        except self._error:
            pass  # the server rolls back what the closed connection left

    def close(self) -> None:
        self.connection.close()
