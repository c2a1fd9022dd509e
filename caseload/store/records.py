"""The store's queries and writes for the case record. The only module (with migrations) holding SQL.

Every function takes the `Rows` of an open unit of work and returns plain dicts, so services can
compose several calls in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from caseload.store.db import Rows
from caseload.vocab import COUNTING_KIND


def _where(*conditions: tuple[str, object]) -> str:
    """AND the SQL of the conditions whose value is given; filters left out keep indexes usable."""
    return " AND ".join(sql for sql, value in conditions if value is not None) or "1 = 1"


# -- audit -----------------------------------------------------------------------------------


def audit(
    rows: Rows,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: Any = None,
    case_number: str | None = None,
    detail: str | None = None,
) -> None:
    from caseload.store.access import insert_audit

    insert_audit(
        rows,
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "case_number": case_number,
            "detail": detail,
        },
    )


def audit_entries(rows: Rows, case_number: str | None, since: dt.datetime | None) -> list[dict]:
    return rows.all(
        "SELECT id, at, actor, action, entity, entity_id, case_number, detail, imported FROM audit_log "
        f"WHERE {_where(('case_number = :case_number', case_number), ('at >= :since', since))} "
        "ORDER BY at, id",
        {"case_number": case_number, "since": since},
    )


# -- workers ---------------------------------------------------------------------------------


def worker(rows: Rows, worker_id: str) -> dict | None:
    return rows.one("SELECT id, name, supervisor_id FROM worker WHERE id = :id", {"id": worker_id})


def add_worker(
    rows: Rows,
    *,
    worker_id: str,
    name: str,
    supervisor_id: str | None,
    created_at: dt.datetime,
    login: str | None = None,
) -> None:
    values = {"id": worker_id, "name": name, "supervisor_id": supervisor_id, "created_at": created_at}
    if login:
        values["login"] = login
    rows.insert("worker", values, returning=None)


def team_sql(param: str) -> str:
    """SQL selecting the worker `:param` and every worker under her, following worker.supervisor_id
    down any number of levels (UNION, not UNION ALL: a supervision cycle cannot loop)."""
    return (
        f"WITH RECURSIVE team(id) AS (SELECT w.id FROM worker w WHERE w.id = :{param} "
        "UNION SELECT w.id FROM worker w JOIN team t ON w.supervisor_id = t.id) SELECT id FROM team"
    )


def worker_condition(param: str, team: bool, covers: bool = False) -> str:
    """`f.worker_id` is the worker `:param`, or (`team`) one of her team; with `covers`, also the
    cases they cover on `:covered_on` (family_cover): a colleague's case she visits meanwhile."""
    workers = f"IN ({team_sql(param)})" if team else f"= :{param}"
    if not covers:
        return f"f.worker_id {workers}"
    # one id list (not an OR beside the worker test), so both databases look both halves up by index
    return (
        f"f.id IN (SELECT o.id FROM family o WHERE o.worker_id {workers} UNION SELECT c.family_id "
        f"FROM family_cover c WHERE c.worker_id {workers} AND c.until_on >= :covered_on)"
    )


def team(rows: Rows, worker_id: str) -> list[dict]:
    """The worker and everyone under her, with their names and supervisors, by id."""
    return rows.all(
        f"SELECT id, name, supervisor_id FROM worker WHERE id IN ({team_sql('worker_id')}) ORDER BY id",
        {"worker_id": worker_id},
    )


def workers(rows: Rows) -> list[dict]:
    return rows.all(
        "SELECT w.id, w.name, w.supervisor_id, "
        "(SELECT COUNT(*) FROM family f WHERE f.worker_id = w.id AND f.closed_on IS NULL) AS open_cases "
        "FROM worker w ORDER BY w.id"
    )


# -- families --------------------------------------------------------------------------------

_FAMILY_COLUMNS = (
    "f.id, f.case_number, f.name, f.program, f.risk, f.opened_on, f.closed_on, f.close_reason, "
    "f.worker_id, f.county, f.docket"
)


def family(rows: Rows, case_number: str) -> dict | None:
    return rows.one(f"SELECT {_FAMILY_COLUMNS} FROM family f WHERE f.case_number = :c", {"c": case_number})


def add_family(
    rows: Rows,
    *,
    case_number: str,
    name: str,
    program: str,
    risk: str,
    opened_on: dt.date,
    worker_id: str | None,
    county: str | None,
    docket: str | None,
    created_at: dt.datetime,
) -> int:
    """Open a case; returns the family's id."""
    return rows.insert(
        "family",
        {
            "case_number": case_number,
            "name": name,
            "program": program,
            "risk": risk,
            "opened_on": opened_on,
            "worker_id": worker_id,
            "county": county,
            "docket": docket,
            "created_at": created_at,
        },
    )


def case_numbers(rows: Rows) -> list[dict]:
    """Every case number with its family name, for suggestions and completion."""
    return rows.all("SELECT case_number, name FROM family ORDER BY case_number")


def families(
    rows: Rows,
    *,
    worker_id: str | None,
    program: str | None,
    closed: bool,
    team: bool = False,
    covered_on: dt.date | None = None,
) -> list[dict]:
    """The cases of `worker_id` (`team`: and her team's; `covered_on`: and those covered that day),
    else every case."""
    covers = covered_on is not None
    return rows.all(
        f"SELECT {_FAMILY_COLUMNS}, "
        "(SELECT COUNT(*) FROM member m WHERE m.family_id = f.id AND m.role = 'child') AS children, "
        "(SELECT MAX(v.visit_on) FROM visit v WHERE v.family_id = f.id AND v.kind = :counting_kind "
        " AND v.voided_at IS NULL) AS last_visit_on "
        f"FROM family f WHERE {_where((worker_condition('worker', team, covers), worker_id), ('f.program = :program', program))} "
        f"AND f.closed_on IS {'NOT NULL' if closed else 'NULL'} ORDER BY f.case_number",
        {"worker": worker_id, "program": program, "counting_kind": COUNTING_KIND, "covered_on": covered_on},
    )


def update_family(rows: Rows, family_id: int, changes: dict[str, Any]) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    rows.execute(
        f"UPDATE family SET {assignments} WHERE id = :family_id", {**changes, "family_id": family_id}
    )


# -- members and placements ------------------------------------------------------------------


def add_member(
    rows: Rows, *, family_id: int, name: str, name_key: str, role: str, born_on: dt.date | None
) -> int:
    return rows.insert(
        "member",
        {"family_id": family_id, "name": name, "name_key": name_key, "role": role, "born_on": born_on},
    )


def members(rows: Rows, family_id: int) -> list[dict]:
    return rows.all(
        "SELECT id, name, name_key, role, born_on FROM member WHERE family_id = :f ORDER BY id",
        {"f": family_id},
    )


def placements(rows: Rows, family_id: int, member_id: int | None = None) -> list[dict]:
    return rows.all(
        "SELECT p.id, p.member_id, m.name AS child, p.setting, p.provider, p.start_on, p.end_on, "
        "p.end_reason, p.removed_on, p.adjudicated_on FROM placement p JOIN member m ON m.id = p.member_id "
        f"WHERE p.family_id = :f AND {_where(('p.member_id = :m', member_id))} ORDER BY m.name, p.start_on",
        {"f": family_id, "m": member_id},
    )


def add_placement(
    rows: Rows,
    *,
    member_id: int,
    family_id: int,
    setting: str,
    provider: str | None,
    start_on: dt.date,
    removed_on: dt.date | None,
    adjudicated_on: dt.date | None,
) -> int:
    return rows.insert(
        "placement",
        {
            "member_id": member_id,
            "family_id": family_id,
            "setting": setting,
            "provider": provider,
            "start_on": start_on,
            "removed_on": removed_on,
            "adjudicated_on": adjudicated_on,
        },
    )


def end_placement(rows: Rows, placement_id: int, end_on: dt.date, reason: str) -> None:
    rows.execute(
        "UPDATE placement SET end_on = :end_on, end_reason = :reason WHERE id = :id",
        {"end_on": end_on, "reason": reason, "id": placement_id},
    )


# -- visits ----------------------------------------------------------------------------------

_VISIT_COLUMNS = (
    "v.id, f.case_number, f.name AS family, v.visit_on, v.visit_time, v.kind, v.location, v.duration_min, "
    "v.narrative, v.assessment, v.plan, v.safety_concern, v.late_entry, v.supervision, v.part2, "
    "v.recorded_at, v.recorded_by, "
    "v.voided_at, v.voided_by, v.void_reason"
)


class NewVisit(NamedTuple):
    """A contact to record (`add_visit`), with who was seen and the goals it addressed."""

    family_id: int
    visit_on: dt.date
    visit_time: str | None
    kind: str
    location: str | None
    duration_min: int | None
    narrative: str | None
    assessment: str | None
    plan: str | None
    safety_concern: bool
    supervision: str | None
    late_entry: bool
    part2: bool
    recorded_at: dt.datetime
    recorded_by: str
    seen_member_ids: tuple[int, ...] = ()
    goal_ids: tuple[int, ...] = ()


_VISIT_LINKS = ("seen_member_ids", "goal_ids")  # rows of visit_seen and visit_goal, not visit columns


def add_visit(rows: Rows, visit: NewVisit) -> int:
    """Record a contact with its seen members and goals, in the caller's unit of work; its id."""
    values = {key: value for key, value in visit._asdict().items() if key not in _VISIT_LINKS}
    visit_id = rows.insert("visit", values)
    rows.insert_many("visit_seen", [{"visit_id": visit_id, "member_id": m} for m in visit.seen_member_ids])
    rows.insert_many("visit_goal", [{"visit_id": visit_id, "goal_id": g} for g in visit.goal_ids])
    return visit_id


def add_amendment(
    rows: Rows, *, visit_id: int, narrative: str, reason: str, amended_at: dt.datetime, amended_by: str
) -> int:
    return rows.insert(
        "visit_amendment",
        {
            "visit_id": visit_id,
            "narrative": narrative,
            "reason": reason,
            "amended_at": amended_at,
            "amended_by": amended_by,
        },
    )


def visit(rows: Rows, visit_id: int) -> dict | None:
    return rows.one(
        f"SELECT {_VISIT_COLUMNS} FROM visit v JOIN family f ON f.id = v.family_id WHERE v.id = :id",
        {"id": visit_id},
    )


def visits(
    rows: Rows,
    *,
    family_id: int | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int | None = None,
) -> list[dict]:
    order = "v.visit_on DESC, v.id DESC" if limit else "v.visit_on, v.id"
    return rows.all(
        f"SELECT {_VISIT_COLUMNS} FROM visit v JOIN family f ON f.id = v.family_id "
        "WHERE "
        + _where(
            ("v.family_id = :family_id", family_id),
            ("v.visit_on >= :since", since),
            ("v.visit_on <= :until", until),
        )
        + f" ORDER BY {order}"
        + (" LIMIT :limit" if limit else ""),
        {"family_id": family_id, "since": since, "until": until, "limit": limit},
    )


def _by_visit(found: list[dict], key: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in found:
        grouped.setdefault(row["visit_id"], []).append(row[key])
    return grouped


def _id_list(visit_ids: Iterable[int]) -> tuple[str, dict[str, int]]:
    """An `IN (:v0, :v1, …)` list: portable across sqlite3 and SQLAlchemy text()."""
    params = {f"v{i}": visit_id for i, visit_id in enumerate(visit_ids)}
    return ", ".join(":" + name for name in params) or "NULL", params


def seen_names(rows: Rows, visit_ids: list[int]) -> dict[int, list[str]]:
    placeholders, params = _id_list(visit_ids)
    return _by_visit(
        rows.all(
            "SELECT s.visit_id, m.name FROM visit_seen s JOIN member m ON m.id = s.member_id "
            f"WHERE s.visit_id IN ({placeholders}) ORDER BY s.visit_id, m.id",
            params,
        ),
        "name",
    )


def visit_goal_ids(rows: Rows, visit_ids: list[int]) -> dict[int, list[int]]:
    placeholders, params = _id_list(visit_ids)
    return _by_visit(
        rows.all(
            f"SELECT visit_id, goal_id FROM visit_goal WHERE visit_id IN ({placeholders}) "
            "ORDER BY visit_id, goal_id",
            params,
        ),
        "goal_id",
    )


def amendments(rows: Rows, visit_ids: list[int]) -> dict[int, list[dict]]:
    placeholders, params = _id_list(visit_ids)
    found = rows.all(
        "SELECT visit_id, id, narrative, reason, amended_at, amended_by FROM visit_amendment "
        f"WHERE visit_id IN ({placeholders}) ORDER BY visit_id, id",
        params,
    )
    grouped: dict[int, list[dict]] = {}
    for row in found:
        grouped.setdefault(row.pop("visit_id"), []).append(row)
    return grouped


def void_visit(rows: Rows, visit_id: int, at: dt.datetime, by: str, reason: str) -> None:
    rows.execute(
        "UPDATE visit SET voided_at = :at, voided_by = :by, void_reason = :reason WHERE id = :id",
        {"at": at, "by": by, "reason": reason, "id": visit_id},
    )


# -- goals (as far as the case record needs them) --------------------------------------------


def goals(rows: Rows, family_id: int) -> list[dict]:
    return rows.all(
        "SELECT g.id, g.text, g.domain, g.target_on, g.status, m.name AS member FROM goal g "
        "LEFT JOIN member m ON m.id = g.member_id WHERE g.family_id = :f ORDER BY g.id",
        {"f": family_id},
    )


def goal_ids(rows: Rows, family_id: int) -> set[int]:
    return {row["id"] for row in rows.all("SELECT id FROM goal WHERE family_id = :f", {"f": family_id})}
