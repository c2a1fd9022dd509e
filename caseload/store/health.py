"""What `check` and `backup` ask of a SQLite file: sound pages, no dangling references, the schema
version, private file modes, and a verified copy made with SQLite's online backup API.

Everything here takes the file as it is: it is never created, migrated or written to (a backup
only reads it, inside one snapshot, so other processes keep writing meanwhile).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from caseload.errors import CaseloadError, Duplicate, IntegrityProblem, NotFound
from caseload.store.connection import sqlite_problem as _sqlite_problem
from caseload.store.db import PRIVATE_MODE, Database
from caseload.store.migrate import HEAD_REVISION, KNOWN_REVISIONS, sqlite_version

BACKUP_STEP_PAGES = 1024  # pages per step of a backup drawn as a progress bar (4 MiB at 4 KiB pages)
# (description, total) -> advance(n): caseload.render.progress.progress, given by the command
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
COMPANIONS = ("-wal", "-shm", "-journal")  # files SQLite keeps next to a database while it is in use


def result(name: str, status: str, detail: str) -> dict:
    """One line of `caseload check`: status is ok, fail or skip."""
    return {"check": name, "status": status, "detail": detail}


def schema_result(version: str | None) -> dict:
    if version == HEAD_REVISION:
        return result("schema", "ok", f"{version} (current)")
    if version is None:
        return result("schema", "fail", "empty: no caseload schema yet (caseload init creates it)")
    if version in KNOWN_REVISIONS:
        return result(
            "schema", "fail", f"{version}, behind {HEAD_REVISION}: caseload init (or any command) upgrades it"
        )
    return result(
        "schema", "fail", f"{version}, newer than this caseload ({HEAD_REVISION}): upgrade caseload"
    )


# -- check -----------------------------------------------------------------------------------


def sqlite_checks(db: Database) -> list[dict]:
    """Integrity, foreign keys and schema of the file, then the modes of its files and directory."""
    inside: list[tuple[str, Callable[[sqlite3.Connection], dict]]] = [
        ("integrity", _integrity),
        ("foreign keys", _foreign_keys),
        ("schema", lambda connection: schema_result(sqlite_version(connection, db.path))),
    ]
    results = []
    connection = db.as_it_is()
    for name, run in inside:
        try:
            results.append(run(connection))
        except sqlite3.Error as exc:
            results.append(result(name, "fail", _sqlite_problem(exc).message))
        except CaseloadError as exc:
            results.append(result(name, "fail", exc.message))
    db.close()  # closing the last connection tidies the WAL files away before their modes are read
    return results + _mode_results(db.path)


def _integrity(connection: sqlite3.Connection) -> dict:
    found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if found == ["ok"]:
        return result("integrity", "ok", "ok")
    return result("integrity", "fail", f"{len(found)} problem(s): {'; '.join(found[:3])}")


def _foreign_keys(connection: sqlite3.Connection) -> dict:
    dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    if not dangling:
        return result("foreign keys", "ok", "no dangling references")
    examples = "; ".join(
        f"{table} row {rowid} → missing {parent}" for table, rowid, parent, _ in dangling[:3]
    )
    return result("foreign keys", "fail", f"{len(dangling)} dangling reference(s): {examples}")


def _mode_results(path: Path) -> list[dict]:
    """The database and its WAL/SHM files must be 0600; nobody else may write in their directory."""
    results = []
    for file in [path, *(Path(f"{path}{suffix}") for suffix in COMPANIONS)]:
        if not file.exists():
            continue
        mode = stat.S_IMODE(file.stat().st_mode)
        if mode == PRIVATE_MODE:
            results.append(result("file mode", "ok", f"{file.name} {mode:04o}"))
        else:
            results.append(
                result("file mode", "fail", f"{file.name} is {mode:04o}, not 0600 (chmod 600 '{file}')")
            )
    directory = path.absolute().parent
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o022:
        results.append(
            result(
                "directory",
                "fail",
                f"{directory} is {mode:04o}: others could replace the database (chmod go-w '{directory}')",
            )
        )
    else:
        results.append(result("directory", "ok", f"{directory} {mode:04o}"))
    return results


# -- backup ----------------------------------------------------------------------------------


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def check_destination(db: Database, dest: Path, force: bool) -> None:
    """Refuse, before copying anything, a DEST that cannot or should not be written."""
    if not dest.parent.is_dir():
        raise NotFound(f"the directory {dest.parent} does not exist")
    if dest.is_dir():
        raise IntegrityProblem(f"{dest} is a directory; give the backup file's name")
    if dest.exists() and dest.resolve() == db.path.resolve():
        raise IntegrityProblem(f"{dest} is the database itself")
    if force:
        return
    if dest.exists():
        raise Duplicate(f"{dest} already exists; use --force to replace it")
    stale = [f"{dest}{suffix}" for suffix in COMPANIONS if Path(f"{dest}{suffix}").exists()]
    if stale:
        raise Duplicate(f"{stale[0]} exists (left by a program that had {dest.name} open); use --force")


def verified_copy(db: Database, dest: Path, progress: Progress | None = None) -> tuple[Path, dict[str, int]]:
    """A private (0600) copy next to `dest`, checked page by page and table by table.

    Returns the copy's temporary path, for the caller to publish, and the row counts it holds.
    """
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    os.close(fd)
    partial = Path(name)
    try:
        source = db.as_it_is()
        try:
            source.execute("BEGIN")  # the counts and the copy see the same snapshot
            version = sqlite_version(source, db.path)
            if version not in KNOWN_REVISIONS:
                raise IntegrityProblem(f"nothing to back up: schema {schema_result(version)['detail']}")
            counts = table_counts(source)
            copy_pages(source, partial, progress)
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc) from exc
        finally:
            if source.in_transaction:
                source.execute("ROLLBACK")
        _verify(partial, counts)
    except BaseException:
        discard(partial)
        raise
    return partial, counts


def copy_pages(source: sqlite3.Connection, target_path: Path, progress: Progress | None = None) -> None:
    """SQLite's online backup API: a consistent copy even while other processes write; with
    `progress`, in steps of BACKUP_STEP_PAGES, advancing a bar over the database's pages."""
    target = sqlite3.connect(target_path, isolation_level=None)
    try:
        if progress is None:
            source.backup(target)
            return
        total = source.execute("PRAGMA page_count").fetchone()[0]
        with progress("Backing up", total) as advance:
            copied = 0

            def step(_status: int, remaining: int, pages: int) -> None:
                nonlocal copied
                advance(pages - remaining - copied)
                copied = pages - remaining

            source.backup(target, pages=BACKUP_STEP_PAGES, progress=step)
    finally:
        target.close()


def _verify(path: Path, expected: dict[str, int]) -> None:
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        counts = table_counts(connection)
    except sqlite3.Error as exc:
        raise IntegrityProblem(f"the backup did not verify ({exc}); nothing was kept") from exc
    finally:
        connection.close()
    if problems != ["ok"]:
        raise IntegrityProblem(f"the backup did not verify ({problems[0]}); nothing was kept")
    differ = [
        table for table in sorted(set(counts) | set(expected)) if counts.get(table) != expected.get(table)
    ]
    if differ:
        raise IntegrityProblem(
            f"the backup did not verify (row counts differ in {differ[0]}); nothing was kept"
        )


def publish(partial: Path, dest: Path, force: bool) -> None:
    """Give the verified copy its name: never over an existing file unless `force`."""
    if force:
        for suffix in COMPANIONS:  # an old file's WAL would be replayed into the new copy
            Path(f"{dest}{suffix}").unlink(missing_ok=True)
        os.replace(partial, dest)
        return
    try:
        os.link(partial, dest)  # fails, atomically, if dest appeared meanwhile
    except FileExistsError:
        raise Duplicate(f"{dest} already exists; use --force to replace it") from None
    except OSError:  # a file system without hard links
        if dest.exists():
            raise Duplicate(f"{dest} already exists; use --force to replace it") from None
        os.replace(partial, dest)
        return
    partial.unlink()


def discard(partial: Path) -> None:
    for file in [partial, *(Path(f"{partial}{suffix}") for suffix in COMPANIONS)]:
        file.unlink(missing_ok=True)
