"""The database of one command: one connection, its units of work, and a small row API shared by
both backends.

A command opens one `Database` (the root command does, through `commands.database()`), which opens
one connection on first use and closes it when the command ends. Every write is one unit of work:
`BEGIN IMMEDIATE` on SQLite, one transaction on PostgreSQL, committed once or rolled back whole, so a
failed command leaves no trace; a read inside a write joins it, so what a command prints after a
change is read in the same transaction. The schema is brought up to date from outside
(`store.migrate.ensure_current`, passed in as `prepare`), so this module never imports the migrations.

A SQLite file is created only by a write of a database opened with `creates` (mode 0600, in a
directory that exists); connections open it with `mode=rw`, so SQLite never creates one, and reading
a file that is not there, or writing to one that may not be created, is an error.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from caseload.errors import IntegrityProblem, NotFound
from caseload.store import connection as conn

BOOLEAN_COLUMNS = frozenset({"safety_concern", "late_entry", "part2", "imported"})
PRIVATE_MODE = 0o600
# Tables whose rows carry a global id (`uid`, migration 0006) besides their integer id, and
# `synced_at`: the records a laptop replica can add (store/sync.py). The store fills `uid` on every
# insert that has none, so a record is the same record on a replica and on the agency database.
UID_TABLES = (
    "family",
    "member",
    "placement",
    "goal",
    "goal_progress",
    "service",
    "service_update",
    "visit",
    "visit_amendment",
    "hearing",
    "plan_review",
    "assessment",
    "safety_plan",
    "safety_plan_review",
    "family_cover",
    "audit_log",
)


def _with_uid(table: str, values: Mapping[str, Any]) -> Mapping[str, Any]:
    if table in UID_TABLES and values.get("uid") is None:
        return {**values, "uid": str(uuid.uuid4())}
    return values


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

    def __init__(self, backend: conn.SqliteDriver | conn.ServerDriver):
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
        values = _with_uid(table, values)
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
        if table in UID_TABLES:
            rows = [_with_uid(table, row) for row in rows]
        names = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"
        self._backend.run_many(sql, rows)


class Database:
    """A caseload database, SQLite file or PostgreSQL URL, used by one command.

    `prepare(db)` runs once, before the first unit of work: the caller passes the migration check
    (see `store.open_database`). `creates`: a write may create a missing SQLite file (without it, a
    missing file is refused by writes as by reads). Close it when the command ends (it is a context
    manager too).
    """

    def __init__(
        self, target: str, prepare: Callable[[Database], None] | None = None, *, creates: bool = True
    ):
        self.is_sqlite = target.startswith("sqlite://") or not conn.is_url(target)
        self.target = conn.sqlite_path(target) if self.is_sqlite else target
        self._prepare = prepare
        self._creates = creates
        self._driver: conn.SqliteDriver | conn.ServerDriver | None = None
        self._unit: Rows | None = None
        self._unit_writes = False

    @property
    def path(self) -> Path:
        return Path(self.target).expanduser()

    def display_name(self) -> str:
        """The file path, or the URL with any password hidden: safe to print or log."""
        return str(self.path) if self.is_sqlite else conn.hide_password(self.target)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    # -- the one connection --------------------------------------------------------------------
    def ensure_ready(self) -> None:
        """Create the file if it is missing and bring the schema up to date (`caseload init`)."""
        self.driver(create=True)

    def driver(self, create: bool = False) -> conn.SqliteDriver | conn.ServerDriver:
        """The open connection, prepared (migrated) before first use. A missing SQLite file is
        created only when `create` (a write) asks for it."""
        if self._driver is None:
            if self.is_sqlite:
                _check_sqlite_file(self.path, create)
            self._connect()
        if self._prepare is not None:
            prepare, self._prepare = self._prepare, None
            try:
                prepare(self)
            except BaseException:
                self._prepare = prepare
                raise
        return self._driver

    def as_it_is(self):
        """The driver's connection (sqlite3 or psycopg) to the database as it is, never created or
        migrated: for `check`, `backup` and the migration check itself."""
        if self._driver is None:
            if self.is_sqlite and not self.path.is_file():
                raise NotFound(f"no database file at {self.path}")
            self._connect()
        return self._driver.connection

    def _connect(self) -> None:
        if self.is_sqlite:
            self._driver = conn.SqliteDriver(conn.sqlite_connect(self.path))
        else:
            self._driver = conn.ServerDriver(conn.server_connect(self.target))

    def rows_as_it_is(self) -> Rows:
        """The row API on the database as it is, never created or migrated, outside any unit of
        work: for `check`, which reports on a database rather than changes it."""
        self.as_it_is()
        return Rows(self._driver)

    # -- units of work -------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Rows]:
        """A read-only look at one consistent snapshot (inside a write: that write's)."""
        with self._unit_of_work(write=False) as rows:
            yield rows

    @contextmanager
    def write(self) -> Iterator[Rows]:
        """One unit of work: everything inside commits together or not at all."""
        with self._unit_of_work(write=True) as rows:
            yield rows

    @contextmanager
    def _unit_of_work(self, write: bool) -> Iterator[Rows]:
        if self._unit is not None:
            if write and not self._unit_writes:
                raise RuntimeError("a write cannot start inside a read; open the write first")
            yield self._unit
            return
        driver = self.driver(create=write and self._creates)
        driver.begin(write)
        self._unit, self._unit_writes = Rows(driver), write
        try:
            yield self._unit
            driver.commit()
        except BaseException:
            driver.rollback()
            raise
        finally:
            self._unit = None


def _check_sqlite_file(path: Path, create: bool) -> None:
    """The file must be a private regular file of ours; a write creates it (0600) where it is
    missing, a read does not: a mistyped --db must not leave an empty database behind."""
    from caseload.settings import default_db_path

    if not path.exists():
        if not create:
            raise NotFound(f"no database at {path} (create one with: caseload init)")
        directory = path.parent
        if not directory.exists():
            if path != default_db_path():
                raise IntegrityProblem(f"the directory {directory} does not exist")
            make_private_directories(directory)
        _create_private_file(path)
        return
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a device or pipe"
        raise IntegrityProblem(f"{path} is {kind}, not a database file")
    refuse_shared(path, info)
    if path == default_db_path():
        refuse_shared(path.parent, path.parent.stat())


def refuse_shared(path: Path, info: os.stat_result) -> None:
    """Case records are private: a file or directory that others may read, or that belongs to
    someone else, is refused with the fix."""
    if info.st_uid != os.geteuid():
        raise IntegrityProblem(f"{path} belongs to another user; caseload only opens its own files")
    if info.st_mode & 0o077:
        fix = "chmod 700" if stat.S_ISDIR(info.st_mode) else "chmod 600"
        raise IntegrityProblem(f"{path} can be read by other users; make it private with: {fix} {path}")


def make_private_directories(directory: Path) -> None:
    """Create `directory` and its missing parents 0700 whatever the umask."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        os.chmod(folder, 0o700)


def _create_private_file(path: Path) -> None:
    if not os.access(path.parent, os.W_OK):
        raise IntegrityProblem(f"cannot create the database: {path.parent} is not writable")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
        os.close(fd)
    except FileExistsError:
        return  # another process created it first
    except OSError as exc:
        raise IntegrityProblem(f"cannot create the database {path}: {exc.strerror}") from exc
    os.chmod(path, PRIVATE_MODE)
