"""Queries and writes of the service plan and the court calendar: goals, services, hearings, reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload.store.db import Rows
from caseload.store.records import _where, worker_condition

_GOAL = (
    "SELECT g.id, f.case_number, g.family_id, g.text, g.member_id, m.name AS member, g.domain, g.target_on, "
    "g.status, p.entry_on AS progress_on, p.status AS progress_status, p.note AS progress_note "
    "FROM goal g JOIN family f ON f.id = g.family_id LEFT JOIN member m ON m.id = g.member_id "
    "LEFT JOIN goal_progress p ON p.id = (SELECT p2.id FROM goal_progress p2 WHERE p2.goal_id = g.id "
    "ORDER BY p2.entry_on DESC, p2.id DESC LIMIT 1) "
)
_SERVICE = (
    "SELECT s.id, f.case_number, s.family_id, s.name, s.provider, s.member_id, m.name AS member, s.goal_id, "
    "s.referred_on, s.status, u.update_on AS updated_on, u.note AS update_note "
    "FROM service s JOIN family f ON f.id = s.family_id LEFT JOIN member m ON m.id = s.member_id "
    "LEFT JOIN service_update u ON u.id = (SELECT u2.id FROM service_update u2 WHERE u2.service_id = s.id "
    "ORDER BY u2.update_on DESC, u2.id DESC LIMIT 1) "
)
_HEARING = (
    "SELECT h.id, f.case_number, h.family_id, h.hearing_on, h.type, h.court, h.report_due_on, "
    "h.report_filed_on, h.outcome FROM hearing h JOIN family f ON f.id = h.family_id "
)


def goal(rows: Rows, goal_id: int) -> dict | None:
    return rows.one(_GOAL + "WHERE g.id = :id", {"id": goal_id})


def goals(
    rows: Rows,
    family_id: int | None,
    worker_id: str | None = None,
    team: bool = False,
    covered_on: dt.date | None = None,
) -> list[dict]:
    """Goals of one case, or of the cases of `worker_id` (`team`: and of every worker under her;
    `covered_on`: and of the cases covered that day)."""
    condition = worker_condition("worker", team, covered_on is not None)
    where = _where(("g.family_id = :f", family_id), (condition, worker_id))
    return rows.all(
        _GOAL + f"WHERE {where} ORDER BY f.case_number, g.id",
        {"f": family_id, "worker": worker_id, "covered_on": covered_on},
    )


def goal_history(rows: Rows, goal_id: int) -> list[dict]:
    return rows.all(
        "SELECT entry_on, status, note, recorded_at, recorded_by FROM goal_progress WHERE goal_id = :id "
        "ORDER BY entry_on, id",
        {"id": goal_id},
    )


def service_history(rows: Rows, service_id: int) -> list[dict]:
    return rows.all(
        "SELECT update_on, status, note, recorded_at, recorded_by FROM service_update "
        "WHERE service_id = :id ORDER BY update_on, id",
        {"id": service_id},
    )


def update_goal(rows: Rows, goal_id: int, changes: dict[str, Any]) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    rows.execute(f"UPDATE goal SET {assignments} WHERE id = :goal_id", {**changes, "goal_id": goal_id})


def service(rows: Rows, service_id: int) -> dict | None:
    return rows.one(_SERVICE + "WHERE s.id = :id", {"id": service_id})


def services(rows: Rows, family_id: int | None) -> list[dict]:
    return rows.all(
        _SERVICE
        + f"WHERE {_where(('s.family_id = :f', family_id))} ORDER BY f.case_number, s.referred_on, s.id",
        {"f": family_id},
    )


def set_service_status(rows: Rows, service_id: int, status: str) -> None:
    rows.execute("UPDATE service SET status = :status WHERE id = :id", {"status": status, "id": service_id})


def hearing(rows: Rows, hearing_id: int) -> dict | None:
    return rows.one(_HEARING + "WHERE h.id = :id", {"id": hearing_id})


def hearings(
    rows: Rows,
    family_id: int | None,
    since: dt.date | None = None,
    worker_id: str | None = None,
    team: bool = False,
    covered_on: dt.date | None = None,
) -> list[dict]:
    """Hearings of one case, or of the cases of `worker_id` (`team`: and of every worker under her;
    `covered_on`: and of the cases covered that day)."""
    where = _where(
        ("h.family_id = :f", family_id),
        ("h.hearing_on >= :since", since),
        (worker_condition("worker", team, covered_on is not None), worker_id),
    )
    return rows.all(
        _HEARING + f"WHERE {where} ORDER BY h.hearing_on, f.case_number, h.id",
        {"f": family_id, "since": since, "worker": worker_id, "covered_on": covered_on},
    )


def hearing_id_on(rows: Rows, family_id: int, hearing_on: dt.date, hearing_type: str) -> int | None:
    """The hearing of this type on this day, if the case has one already (a double entry)."""
    return rows.scalar(
        "SELECT id FROM hearing WHERE family_id = :f AND hearing_on = :day AND type = :type "
        "AND (outcome IS NULL OR outcome <> 'cancelled')",
        {"f": family_id, "day": hearing_on, "type": hearing_type},
    )


def file_report(rows: Rows, hearing_id: int, filed_on: dt.date) -> None:
    rows.execute(
        "UPDATE hearing SET report_filed_on = :filed WHERE id = :id AND report_filed_on IS NULL",
        {"filed": filed_on, "id": hearing_id},
    )


def latest_plan_review(rows: Rows, family_id: int) -> dict | None:
    return rows.one(
        "SELECT review_on, note FROM plan_review WHERE family_id = :f ORDER BY review_on DESC, id DESC LIMIT 1",
        {"f": family_id},
    )


def plan_review_id_on(rows: Rows, family_id: int, review_on: dt.date) -> int | None:
    return rows.scalar(
        "SELECT id FROM plan_review WHERE family_id = :f AND review_on = :day",
        {"f": family_id, "day": review_on},
    )


# -- writes ----------------------------------------------------------------------------------


def add_goal(
    rows: Rows,
    *,
    family_id: int,
    member_id: int | None,
    text: str,
    domain: str,
    target_on: dt.date | None,
    status: str,
    created_at: dt.datetime,
) -> int:
    return rows.insert(
        "goal",
        {
            "family_id": family_id,
            "member_id": member_id,
            "text": text,
            "domain": domain,
            "target_on": target_on,
            "status": status,
            "created_at": created_at,
        },
    )


def add_goal_progress(
    rows: Rows,
    *,
    goal_id: int,
    entry_on: dt.date,
    status: str | None,
    note: str | None,
    recorded_at: dt.datetime,
    recorded_by: str,
) -> None:
    rows.insert(
        "goal_progress",
        {
            "goal_id": goal_id,
            "entry_on": entry_on,
            "status": status,
            "note": note,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
        returning=None,
    )


def add_service(
    rows: Rows,
    *,
    family_id: int,
    member_id: int | None,
    goal_id: int | None,
    name: str,
    provider: str | None,
    referred_on: dt.date,
    status: str,
    created_at: dt.datetime,
) -> int:
    return rows.insert(
        "service",
        {
            "family_id": family_id,
            "member_id": member_id,
            "goal_id": goal_id,
            "name": name,
            "provider": provider,
            "referred_on": referred_on,
            "status": status,
            "created_at": created_at,
        },
    )


def add_service_update(
    rows: Rows,
    *,
    service_id: int,
    update_on: dt.date,
    status: str,
    note: str | None,
    recorded_at: dt.datetime,
    recorded_by: str,
) -> None:
    rows.insert(
        "service_update",
        {
            "service_id": service_id,
            "update_on": update_on,
            "status": status,
            "note": note,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
        returning=None,
    )


def add_hearing(
    rows: Rows,
    *,
    family_id: int,
    hearing_on: dt.date,
    hearing_type: str,
    court: str | None,
    report_due_on: dt.date,
    created_at: dt.datetime,
) -> int:
    return rows.insert(
        "hearing",
        {
            "family_id": family_id,
            "hearing_on": hearing_on,
            "type": hearing_type,
            "court": court,
            "report_due_on": report_due_on,
            "created_at": created_at,
        },
    )


def add_plan_review(
    rows: Rows,
    *,
    family_id: int,
    review_on: dt.date,
    note: str | None,
    recorded_at: dt.datetime,
    recorded_by: str,
) -> int:
    return rows.insert(
        "plan_review",
        {
            "family_id": family_id,
            "review_on": review_on,
            "note": note,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
    )
