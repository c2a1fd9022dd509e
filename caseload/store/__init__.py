"""The only code that knows the schema. `open_database` is the way in: a command's one database,
brought up to date by the migrations before its first unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseload.store.db import Database


def open_database(target: str, *, creates: bool = True) -> Database:
    """The database at `target` (a file path or postgresql:// URL), migrated on first use; a missing
    SQLite file is created by the first write only when `creates`."""
    from caseload.store.db import Database
    from caseload.store.migrate import ensure_current

    return Database(target, prepare=ensure_current, creates=creates)
