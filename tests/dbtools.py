"""Helpers for the reliability tests: real `caseload` processes, a whole-database dump to prove that
nothing changed, and statements sent straight to the database driver, past caseload."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def caseload_command(db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "caseload", "--db", db, *map(str, args)]


def process_env() -> dict[str, str]:
    """The test's environment (CASELOAD_TODAY, CASELOAD_WORKER …) with this worktree importable."""
    return {**os.environ, "PYTHONPATH": str(REPOSITORY), "NO_COLOR": "1"}


def run_caseload(db: str, *args: str, prefix: tuple[str, ...] = (), umask: int = -1):
    """One real `caseload` process; its CompletedProcess (text stdout/stderr)."""
    return subprocess.run(
        [*prefix, *caseload_command(db, *args)],
        capture_output=True,
        text=True,
        env=process_env(),
        timeout=180,
        umask=umask,
    )


def table_dump(target: str, without: tuple[str, ...] = ()) -> dict[str, list]:
    """Every row of every caseload table, in a stable order: equal dumps mean nothing changed.
    `without`: columns left out (the global ids a downgrade and upgrade give anew)."""
    from sqlmodel import SQLModel

    import caseload.store.models  # noqa: F401  (registers the tables)
    from caseload.store import open_database

    with open_database(target) as db, db.read() as rows:
        return {
            table.name: sorted(
                repr(sorted(item for item in row.items() if item[0] not in without))
                for row in rows.all(f"SELECT * FROM {table.name}")
            )
            for table in SQLModel.metadata.sorted_tables
        }


def scalar(target: str, sql: str):
    from caseload.store import open_database

    with open_database(target) as db, db.read() as rows:
        return rows.scalar(sql)


def raw_execute(target: str, sql: str) -> str | None:
    """Run one statement through the bare driver (sqlite3 or psycopg) and commit; the database's
    error text, or None when it was accepted."""
    if "://" not in target:
        connection = sqlite3.connect(target)
        try:
            connection.execute(sql)
            connection.commit()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        finally:
            connection.close()
        return None
    import psycopg

    with psycopg.connect(target.replace("postgresql+psycopg://", "postgresql://")) as connection:
        try:
            connection.execute(sql)
        except psycopg.Error as exc:
            return str(exc).splitlines()[0]
    return None


def read_until_closed(primary: int) -> list[bytes]:
    """Everything a child writes to a pseudo-terminal, until it closes its end (or 30 s of silence);
    closes `primary`."""
    import select

    chunks = []
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed its end (Linux raises EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return chunks
