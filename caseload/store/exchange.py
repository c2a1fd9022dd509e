"""The whole record as tables, for export and import: every table of the schema in foreign-key order,
each column with its kind, one case's rows picked by following the foreign keys, and the plain
(JSON) form of each value.

Imports the models, so only `export` and `import` pay for SQLModel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from caseload.store.bulk import TABLE_ORDER
from caseload.store.db import Rows

KINDS = {int: "int", bool: "bool", dt.date: "date", dt.datetime: "datetime", str: "text"}
# The worker of a case and the supervisors above them: a case's rows refer to them by foreign key.
_CASE_WORKERS = (
    "id IN (WITH RECURSIVE chain(id) AS (SELECT worker_id FROM family WHERE id = :family_id "
    "UNION SELECT w.supervisor_id FROM worker w JOIN chain c ON w.id = c.id) SELECT id FROM chain)"
)


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]  # column -> kind (int, bool, date, datetime, text), in model order
    key: tuple[str, ...]  # primary key, the export's row order
    case_scope: str  # SQL condition picking the rows of the case :family_id (:case_number)


@cache
def tables() -> tuple[Table, ...]:
    """Every table of the models, parents before children (the order `bulk.load` inserts in)."""
    from caseload.store.models import SQLModel

    schema = SQLModel.metadata.tables
    return tuple(
        Table(
            name=name,
            columns={column.name: _kind(column) for column in schema[name].columns},
            key=tuple(column.name for column in schema[name].primary_key.columns),
            case_scope=_case_scope(schema[name]),
        )
        for name in TABLE_ORDER
    )


def _kind(column) -> str:
    """The column's kind, seen through SQLModel's type decorators (AutoString, UTCDateTime)."""
    return KINDS[getattr(column.type, "impl", column.type).python_type]


def _case_scope(table) -> str:
    """Which rows of `table` belong to one case: found through `family_id` or, for rows hanging off
    another table (amendments, progress entries, ratings…), through the foreign key to it."""
    if table.name == "family":
        return "id = :family_id"
    if table.name == "audit_log":
        return "case_number = :case_number"
    if table.name == "worker":
        return _CASE_WORKERS
    if "family_id" in table.columns:
        return "family_id = :family_id"
    for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        parent = key.column.table
        if parent.name != "worker":
            return f"{key.parent.name} IN (SELECT {key.column.name} FROM {parent.name} WHERE {_case_scope(parent)})"
    raise LookupError(f"table {table.name} is not tied to a case")


def read_table(rows: Rows, table: Table, family: dict | None) -> list[dict[str, Any]]:
    """The rows of one table (of one case when `family` is given), by primary key."""
    where = table.case_scope if family else "1 = 1"
    params = {"family_id": family["id"], "case_number": family["case_number"]} if family else {}
    found = rows.all(
        f"SELECT {', '.join(table.columns)} FROM {table.name} WHERE {where} ORDER BY {', '.join(table.key)}",
        params,
    )
    return [{name: typed(kind, row[name]) for name, kind in table.columns.items()} for row in found]


def typed(kind: str, value: Any) -> Any:
    """A stored value as the Python type of its column, the same on both backends: SQLite's 0/1 as a
    bool, its text timestamps as datetimes, and every timestamp in UTC."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "datetime":
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return moment.astimezone(dt.UTC) if moment.tzinfo else moment
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def from_plain(kind: str, value: Any) -> Any:
    """A JSON value back as the Python type of its column; ValueError when it is not one."""
    if value is None:
        return None
    expected = {"int": int, "bool": bool, "text": str}.get(kind, str)
    parse = {"date": dt.date.fromisoformat, "datetime": dt.datetime.fromisoformat}.get(kind)
    try:
        if not isinstance(value, expected) or (kind == "int" and isinstance(value, bool)):
            raise ValueError
        return parse(value) if parse else value
    except ValueError:
        raise ValueError(f"expected {'an ISO ' if parse else ''}{kind}, not {value!r}") from None


def counts(rows: Rows) -> dict[str, int]:
    """How many rows each table holds."""
    return {table.name: rows.scalar(f"SELECT COUNT(*) FROM {table.name}") or 0 for table in tables()}
