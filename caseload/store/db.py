"""Opening the database, its one transaction helper, and a small row API shared by both backends.

SQLite is reached through the standard library's `sqlite3` (fast start-up, no ORM import on the hot
path); a `://` URL goes through SQLAlchemy (`postgresql+psycopg://…`). Both run the same SQL text with
`:name` parameters. Every write is one unit of work: `BEGIN IMMEDIATE` on SQLite, committed once or
rolled back whole, so a failed command leaves no trace. A SQLite file is only ever created by
`_prepare_sqlite_file` (mode 0600); connections open it with `mode=rw`, so SQLite never creates one.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from caseload.errors import CaseloadError, IntegrityProblem, NotFound, UsageProblem

BOOLEAN_COLUMNS = frozenset({"safety_concern", "late_entry", "part2", "imported"})
BUSY_TIMEOUT_MS = 30_000


def _adapt_sqlite_types() -> None:
    sqlite3.register_adapter(dt.date, dt.date.isoformat)
    sqlite3.register_adapter(dt.datetime, lambda value: value.isoformat(sep=" "))


_adapt_sqlite_types()


def _converter(column: str) -> tuple[type, Any] | None:
    """How to undo SQLite's storage for a column, by the naming rule: `_on` is a date and `_at` a
    timestamp, stored as text; booleans come back as 0/1. As (the type stored, its parser); None: the
    value is right as it is. PostgreSQL returns these types already, so nothing matches there."""
    if column.endswith("_on"):
        return str, dt.date.fromisoformat
    if column.endswith("_at") or column == "at":
        return str, dt.datetime.fromisoformat
    if column in BOOLEAN_COLUMNS:
        return int, bool
    return None


class Rows:
    """The row API of one open connection: the store's query functions take one of these."""

    def __init__(self, backend: _Backend):
        self._backend = backend
        self.dialect = backend.dialect

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        columns, rows = self._converted(sql, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def values(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """The rows as values in the order selected, converted as by `all`: for reads of tens of
        thousands of rows that become objects at once, without a dict per row on the way."""
        return self._converted(sql, params)[1]

    def _converted(self, sql: str, params: Mapping[str, Any] | None) -> tuple[list[str], list[Sequence[Any]]]:
        columns, raw_rows = self._backend.run(sql, params or {})
        converters = [(index, *found) for index, name in enumerate(columns) if (found := _converter(name))]
        if not converters:
            return columns, raw_rows
        converted = []
        # The hot loop of every large read, kept to the bare minimum. Measured slower on fresh rows:
        # converting column by column (zip, then map over each distinct value parsed once), as
        # timestamps rarely repeat. sqlite3's declared-type converters would miss computed columns
        # (MAX(v.visit_on)) and hand SQLAlchemy, on the same connections, values it parses itself.
        for row in raw_rows:
            values = list(row)
            for index, stored, parse in converters:
                value = values[index]
                if isinstance(value, stored):
                    values[index] = parse(value)
            converted.append(values)
        return columns, converted

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        columns, raw_rows = self._backend.run(sql, params or {})
        return raw_rows[0][0] if raw_rows else None

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._backend.run(sql, params or {}, fetch=False)

    def insert(self, table: str, values: Mapping[str, Any], returning: str | None = "id") -> Any:
        """Insert one row; returns its `id` (table and column names come from code, never users)."""
        names = list(values)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
        if returning is None:
            self.execute(sql, values)
            return None
        return self.scalar(sql + f" RETURNING {returning}", values)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested unit inside the transaction, undone alone when its block fails, so a batch (an
        import) can go on checking the other rows and report every problem."""
        self.execute("SAVEPOINT caseload_batch_row")
        try:
            yield
        except BaseException:
            self.execute("ROLLBACK TO SAVEPOINT caseload_batch_row")
            raise
        self.execute("RELEASE SAVEPOINT caseload_batch_row")

    def insert_many(self, table: str, rows: list[Mapping[str, Any]]) -> None:
        """Bulk insert of rows that share their keys (demo data, imports)."""
        if not rows:
            return
        names = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
        self._backend.run_many(sql, rows)


class _Backend:
    dialect: str

    def run(self, sql: str, params: Mapping[str, Any], fetch: bool = True) -> tuple[list[str], list]:
        raise NotImplementedError

    def run_many(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        raise NotImplementedError


class _SqliteBackend(_Backend):
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def run(self, sql, params, fetch=True):
        try:
            cursor = self.connection.execute(sql, params)
            if not fetch or cursor.description is None:
                return [], []
            return [d[0] for d in cursor.description], cursor.fetchall()
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc) from exc

    def run_many(self, sql, rows):
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc) from exc


class _SqlAlchemyBackend(_Backend):
    def __init__(self, connection):
        from sqlalchemy import text

        self.connection = connection
        self.dialect = connection.dialect.name
        self._text = text

    def run(self, sql, params, fetch=True):
        from sqlalchemy.exc import SQLAlchemyError

        try:
            result = self.connection.execute(self._text(sql), dict(params))
            if not fetch or not result.returns_rows:
                return [], []
            return list(result.keys()), result.fetchall()
        except SQLAlchemyError as exc:
            raise IntegrityProblem(f"database refused the change: {_first_line(exc.orig or exc)}") from exc

    def run_many(self, sql, rows):
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self.connection.execute(self._text(sql), [dict(r) for r in rows])
        except SQLAlchemyError as exc:
            raise IntegrityProblem(f"database refused the change: {_first_line(exc.orig or exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _sqlite_problem(exc: sqlite3.Error) -> CaseloadError:
    message = _first_line(exc)
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


class Database:
    """A caseload database, SQLite file or SQLAlchemy URL, migrated on first use."""

    def __init__(self, target: str):
        if target.startswith("sqlite://"):
            # a SQLAlchemy SQLite URL is still a private SQLite file: same modes, WAL and locking
            path = target.removeprefix("sqlite://").removeprefix("/")
            if not path or ":memory:" in path:
                raise UsageProblem("an in-memory database keeps nothing: give a file path")
            target = path
        self.target = target
        self.is_sqlite = "://" not in target
        self._engine = None
        self._ready = False

    @property
    def path(self) -> Path:
        return Path(self.target).expanduser()

    def display_name(self) -> str:
        """The file path, or the URL with any password hidden: safe to print or log."""
        if self.is_sqlite:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.target).render_as_string(hide_password=True)

    # -- opening -----------------------------------------------------------------------------
    def ensure_ready(self) -> None:
        """Create the file or schema if needed and bring it to the current migration."""
        if self._ready:
            return
        from caseload.store import migrate

        if self.is_sqlite:
            _prepare_sqlite_file(self.path)
        migrate.ensure_current(self)
        self._ready = True

    def _sqlite_connect(self) -> sqlite3.Connection:
        """A connection that waits for other writers and never creates the file (`mode=rw`)."""
        uri = f"{self.path.absolute().as_uri()}?mode=rw"
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA synchronous = FULL")  # a printed id survives a power cut too
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc) from exc
        return connection

    @contextmanager
    def existing_file(self) -> Iterator[sqlite3.Connection]:
        """The SQLite file as it is, never created or migrated: for `check` and `backup`.

        Opened read-write all the same, so that closing it tidies the WAL files away.
        """
        if not self.path.is_file():
            raise NotFound(f"no database file at {self.path}")
        connection = self._sqlite_connect()
        try:
            yield connection
        finally:
            connection.close()

    def engine(self):
        """The SQLAlchemy engine (PostgreSQL, and SQLite only for migrations)."""
        if self._engine is None:
            from sqlalchemy import create_engine, event
            from sqlalchemy.pool import NullPool

            # A command lives for one run: no pool, so no connection outlives its unit of work.
            if self.is_sqlite:
                engine = create_engine("sqlite://", creator=self._sqlite_connect, poolclass=NullPool)

                @event.listens_for(engine, "connect")
                def _connect(dbapi_connection, _record):
                    dbapi_connection.isolation_level = None  # our BEGIN IMMEDIATE, not pysqlite's BEGIN
                    # Alembic's batch mode rebuilds tables: with foreign keys on, that could cascade.
                    dbapi_connection.execute("PRAGMA foreign_keys = OFF")

                @event.listens_for(engine, "begin")
                def _begin(connection):
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                try:
                    engine = create_engine(self.target, poolclass=NullPool)
                except Exception as exc:  # bad URL or missing driver
                    raise IntegrityProblem(f"cannot use database URL: {_first_line(exc)}") from exc
            self._engine = engine
        return self._engine

    # -- units of work -----------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Rows]:
        """A read-only look at one consistent snapshot."""
        self.ensure_ready()
        with self._connection(write=False) as rows:
            yield rows

    @contextmanager
    def write(self) -> Iterator[Rows]:
        """One unit of work: everything inside commits together or not at all."""
        self.ensure_ready()
        with self._connection(write=True) as rows:
            yield rows

    @contextmanager
    def _connection(self, write: bool) -> Iterator[Rows]:
        if self.is_sqlite:
            connection = self._sqlite_connect()
            try:
                _sqlite_begin(connection, write)
                yield Rows(_SqliteBackend(connection))
                _sqlite_finish(connection, "COMMIT")
            except BaseException:
                _sqlite_rollback(connection)
                raise
            finally:
                connection.close()
        else:
            from sqlalchemy.exc import OperationalError

            try:
                connection = self.engine().connect()
            except OperationalError as exc:
                raise IntegrityProblem(f"cannot connect to the database: {_first_line(exc.orig)}") from exc
            try:
                with connection.begin():
                    yield Rows(_SqlAlchemyBackend(connection))
            finally:
                connection.close()


def _sqlite_begin(connection: sqlite3.Connection, write: bool) -> None:
    try:
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc) from exc


def _sqlite_rollback(connection: sqlite3.Connection) -> None:
    """Undo the unit of work; a failing ROLLBACK (disk gone) must not hide the error that caused it."""
    try:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite rolls back an unfinished transaction when the connection closes


def _sqlite_finish(connection: sqlite3.Connection, statement: str) -> None:
    try:
        connection.execute(statement)
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc) from exc


def _prepare_sqlite_file(path: Path) -> None:
    """Create the file 0600 (its directory 0700 only for the default location); never a new directory."""
    from caseload.settings import default_db_path

    directory = path.parent
    if not directory.exists():
        if path == default_db_path():
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        else:
            raise IntegrityProblem(f"the directory {directory} does not exist")
    if path.exists() and not path.is_file():
        kind = "a directory" if path.is_dir() else "a device or pipe"
        raise IntegrityProblem(f"{path} is {kind}, not a database file")
    if not path.exists():
        if not os.access(directory, os.W_OK):
            raise IntegrityProblem(f"cannot create the database: {directory} is not writable")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            pass  # another process created it first
        except OSError as exc:
            raise IntegrityProblem(f"cannot create the database {path}: {exc.strerror}") from exc
        os.chmod(path, 0o600)
