"""Queries and writes behind audited corrections: a member's, a worker's, a case's opening date, a
hearing's date (continued or cancelled), a placement's dates.

A correction changes the record in place; what it was is kept in the audit trail (`detail` holds
`field: before -> after`), which is also where a hearing's history and a worker's being inactive are
read from: both are events, and the audit log is the append-only record of events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload.store.db import Rows
from caseload.store.records import _id_list

CANCELLED = "cancelled"
# A hearing that still takes place: a cancelled one has no report due and holds nothing.
NOT_CANCELLED = "(outcome IS NULL OR outcome <> 'cancelled')"

_UPDATABLE = {
    "member": frozenset({"name", "name_key", "role", "born_on"}),
    "worker": frozenset({"name", "supervisor_id"}),
    "hearing": frozenset({"hearing_on", "report_due_on", "outcome"}),
    "placement": frozenset({"start_on", "end_on", "removed_on", "adjudicated_on"}),
    "service": frozenset({"referred_on"}),
}


def update(rows: Rows, table: str, record_id: Any, changes: dict[str, Any]) -> None:
    """Set the given columns of one row (only the columns a correction may change)."""
    unknown = set(changes) - _UPDATABLE[table]
    if unknown:
        raise ValueError(f"{table} columns not correctable: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    rows.execute(
        f"UPDATE {table} SET {assignments} WHERE id = :record_id", {**changes, "record_id": record_id}
    )


def member(rows: Rows, member_id: int) -> dict | None:
    return rows.one(
        "SELECT m.id, m.family_id, f.case_number, m.name, m.name_key, m.role, m.born_on "
        "FROM member m JOIN family f ON f.id = m.family_id WHERE m.id = :id",
        {"id": member_id},
    )


def placement_count(rows: Rows, member_id: int) -> int:
    return rows.scalar("SELECT COUNT(*) FROM placement WHERE member_id = :m", {"m": member_id})


def placement(rows: Rows, placement_id: int) -> dict | None:
    return rows.one(
        "SELECT p.id, f.case_number, p.family_id, p.member_id, m.name AS child, p.setting, p.provider, "
        "p.start_on, p.end_on, p.end_reason, p.removed_on, p.adjudicated_on FROM placement p "
        "JOIN member m ON m.id = p.member_id JOIN family f ON f.id = p.family_id WHERE p.id = :id",
        {"id": placement_id},
    )


def first_change_after_referral(rows: Rows, service_id: int) -> dt.date | None:
    """The date of a service's earliest status entry after the one its referral made (the first)."""
    day = rows.scalar(
        "SELECT MIN(update_on) FROM service_update WHERE service_id = :s "
        "AND id > (SELECT MIN(id) FROM service_update WHERE service_id = :s)",
        {"s": service_id},
    )
    return dt.date.fromisoformat(day) if isinstance(day, str) else day


def earliest_records(rows: Rows, family_id: int) -> list[tuple[dt.date, str]]:
    """The earliest dated entry of each kind in a case's record, as (date, what): a case cannot be
    said to have opened after any of them."""
    kinds = (
        ("visit", "SELECT MIN(visit_on) FROM visit WHERE family_id = :f"),
        ("placement", "SELECT MIN(start_on) FROM placement WHERE family_id = :f"),
        ("removal", "SELECT MIN(removed_on) FROM placement WHERE family_id = :f"),
        ("hearing", f"SELECT MIN(hearing_on) FROM hearing WHERE family_id = :f AND {NOT_CANCELLED}"),
        ("service referral", "SELECT MIN(referred_on) FROM service WHERE family_id = :f"),
        ("plan review", "SELECT MIN(review_on) FROM plan_review WHERE family_id = :f"),
        ("assessment", "SELECT MIN(assessed_on) FROM assessment WHERE family_id = :f"),
        ("safety plan", "SELECT MIN(plan_on) FROM safety_plan WHERE family_id = :f"),
        (
            "goal progress entry",
            "SELECT MIN(p.entry_on) FROM goal_progress p JOIN goal g ON g.id = p.goal_id WHERE g.family_id = :f",
        ),
        (
            "service update",
            "SELECT MIN(u.update_on) FROM service_update u JOIN service s ON s.id = u.service_id "
            "WHERE s.family_id = :f",
        ),
    )
    found = []
    for what, sql in kinds:
        day = rows.scalar(sql, {"f": family_id})
        if day is not None:
            found.append((dt.date.fromisoformat(day) if isinstance(day, str) else day, what))
    return found


# -- events read back from the audit trail ---------------------------------------------------


def hearing_events(rows: Rows, hearing_ids: list[int]) -> dict[int, list[dict]]:
    """The continuances and cancellations of hearings, oldest first: at, actor, action, detail."""
    placeholders, params = _id_list(str(hearing_id) for hearing_id in hearing_ids)
    grouped: dict[int, list[dict]] = {}
    for row in rows.all(
        "SELECT entity_id, at, actor, action, detail FROM audit_log WHERE entity = 'hearing' "
        f"AND action IN ('continue', 'cancel') AND entity_id IN ({placeholders}) ORDER BY at, id",
        params,
    ):
        grouped.setdefault(int(row.pop("entity_id")), []).append(row)
    return grouped


def inactive_workers(rows: Rows) -> set[str]:
    """Workers whose latest activity change is a deactivation."""
    return {
        row["entity_id"]
        for row in rows.all(
            "SELECT a.entity_id, a.action FROM audit_log a WHERE a.entity = 'worker' "
            "AND a.action IN ('deactivate', 'reactivate') AND NOT EXISTS (SELECT 1 FROM audit_log b "
            "WHERE b.entity = 'worker' AND b.entity_id = a.entity_id "
            "AND b.action IN ('deactivate', 'reactivate') AND b.id > a.id)"
        )
        if row["action"] == "deactivate"
    }


def open_case_numbers(rows: Rows, worker_id: str) -> list[str]:
    return [
        row["case_number"]
        for row in rows.all(
            "SELECT case_number FROM family WHERE worker_id = :w AND closed_on IS NULL ORDER BY case_number",
            {"w": worker_id},
        )
    ]


def supervisors_of(rows: Rows, worker_id: str) -> list[str]:
    """The chain of supervisors above a worker, nearest first (stops at a loop)."""
    chain: list[str] = []
    current = worker_id
    while True:
        found = rows.scalar("SELECT supervisor_id FROM worker WHERE id = :id", {"id": current})
        if found is None or found in chain or found == worker_id:
            return chain
        chain.append(found)
        current = found
