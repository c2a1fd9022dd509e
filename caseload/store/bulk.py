"""Loading many rows at once (demo data, imports): explicit ids, foreign-key order, one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from caseload.store.db import Rows

# Parents before children, so foreign keys hold at every insert.
TABLE_ORDER = (
    "worker",
    "family",
    "member",
    "placement",
    "goal",
    "goal_progress",
    "service",
    "service_update",
    "visit",
    "visit_seen",
    "visit_goal",
    "visit_amendment",
    "hearing",
    "plan_review",
    "assessment",
    "assessment_rating",
    "safety_plan",
    "safety_plan_review",
    "audit_log",
    "family_cover",
)
# Tables keyed by something other than a generated integer id.
NATURAL_KEY_TABLES = frozenset({"worker", "visit_seen", "visit_goal", "assessment_rating"})
_SERIAL_TABLES = frozenset(TABLE_ORDER) - NATURAL_KEY_TABLES


def next_ids(rows: Rows) -> dict[str, int]:
    """The first free id of each table with a numeric id, for callers that assign ids themselves."""
    return {table: (rows.scalar(f"SELECT MAX(id) FROM {table}") or 0) + 1 for table in sorted(_SERIAL_TABLES)}


def load(
    rows: Rows,
    data: Mapping[str, Sequence[Mapping[str, Any]]],
    chunk: int = 50_000,
    advance: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Insert rows table by table in foreign-key order; returns how many rows each table got.
    `advance(n)` is told of each chunk of n rows inserted (a progress bar's steps)."""
    unknown = set(data) - set(TABLE_ORDER)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    counts = {}
    for table in TABLE_ORDER:
        table_rows = data.get(table) or []
        for start in range(0, len(table_rows), chunk):
            rows.insert_many(table, table_rows[start : start + chunk])
            if advance is not None:
                advance(len(table_rows[start : start + chunk]))
        counts[table] = len(table_rows)
    if rows.dialect == "postgresql":
        for table in sorted(_SERIAL_TABLES & set(data)):
            rows.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
    return counts


def count_cases(rows: Rows) -> int:
    return rows.scalar("SELECT COUNT(*) FROM family") or 0
