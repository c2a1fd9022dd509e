"""Use cases of the case record: workers, families, members and placements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload import clock
from caseload.errors import Duplicate, NotFound, RuleViolation, UsageProblem
from caseload.parsing import name_key
from caseload.services.common import (
    audit,
    find_member,
    not_future,
    require_family,
    require_open_family,
    require_worker,
)
from caseload.settings import acting_worker
from caseload.store import access, records
from caseload.store import assessments as assessment_records
from caseload.store.db import Database, Rows

# -- workers ---------------------------------------------------------------------------------


def add_worker(
    db: Database,
    worker_id: str,
    name: str,
    supervisor_id: str | None,
    login: str | None = None,
    role: str = "worker",
) -> dict:
    """A worker; with `login`, linked to that database login, which gets the group role of `role`."""
    with db.write() as rows:
        if records.worker(rows, worker_id):
            raise Duplicate(f"worker {worker_id!r} already exists")
        if supervisor_id and not records.worker(rows, supervisor_id):
            raise NotFound(f"no worker {supervisor_id!r} to be the supervisor")
        values = {"id": worker_id, "name": name, "supervisor_id": supervisor_id, "created_at": clock.now()}
        if login:
            if access.worker_of_login(rows, login):
                raise Duplicate(f"login {login!r} is already linked to a worker")
            values["login"] = login
            access.grant_login(rows, login, role)
        rows.insert("worker", values, returning=None)
        audit(
            rows, "add", "worker", worker_id, detail=name if not login else f"{name} (login {login}, {role})"
        )
    return {"id": worker_id, "name": name, "supervisor_id": supervisor_id}


def list_workers(db: Database) -> list[dict]:
    with db.read() as rows:
        return records.workers(rows)


# -- families --------------------------------------------------------------------------------


def add_family(db: Database, case_number: str, **details: Any) -> dict:
    """`family add`: open a case in its own unit of work (details as for `open_family`)."""
    with db.write() as rows:
        return open_family(rows, case_number, **details)


def open_family(
    rows: Rows,
    case_number: str,
    *,
    name: str,
    program: str,
    risk: str,
    opened_on: dt.date | None,
    worker_id: str | None,
    county: str | None,
    docket: str | None,
) -> dict:
    """Open a case inside the caller's unit of work (`family add`, the families CSV import)."""
    opened_on = opened_on or clock.today()
    not_future(opened_on, "a case opening")
    if records.family(rows, case_number):
        raise Duplicate(f"case {case_number} already exists")
    me = access.session_worker(rows) or acting_worker()
    if worker_id is None and records.worker(rows, me):
        worker_id = me
    elif worker_id is not None:
        require_worker(rows, worker_id)
    values = {
        "case_number": case_number,
        "name": name,
        "program": program,
        "risk": risk,
        "opened_on": opened_on,
        "worker_id": worker_id,
        "county": county,
        "docket": docket,
        "created_at": clock.now(),
    }
    family_id = rows.insert("family", values)
    audit(rows, "add", "family", family_id, case_number, f"{name} ({program}, risk {risk})")
    return records.family(rows, case_number)


def list_families(db: Database, *, worker_id: str | None, program: str | None, closed: bool) -> list[dict]:
    with db.read() as rows:
        require_worker(rows, worker_id)
        families = records.families(rows, worker_id=worker_id, program=program, closed=closed)
        risks = assessment_records.assessed_risks(rows, clock.today())
    for family in families:
        family["risk"] = risks.get(family["id"], family["risk"])
    return families


def show_family(db: Database, case_number: str) -> dict:
    """Everything a worker wants on one screen: members, placements, latest visits, open goals."""
    from caseload.services import plans
    from caseload.services.assessments import describe, latest_by_kind
    from caseload.services.visits import describe_visits
    from caseload.store import plans as plan_records
    from caseload.vocab import CLOSED_GOAL_STATUSES

    with db.read() as rows:
        family = require_family(rows, case_number)
        family_id = family.pop("id")
        today = clock.today()
        family["risk"] = assessment_records.assessed_risks(rows, today).get(family_id, family["risk"])
        latest_assessments = latest_by_kind(describe(rows, family_id))
        services = [plans.public(s) for s in plan_records.services(rows, family_id)]
        hearings = [
            plans.with_report_status(plans.public(h)) for h in plan_records.hearings(rows, family_id, today)
        ]
        last_review = plan_records.latest_plan_review(rows, family_id)
        safety_plan = assessment_records.latest_safety_plan(rows, family_id)
        members = records.members(rows, family_id)
        placements = records.placements(rows, family_id)
        latest = describe_visits(
            rows, records.visits(rows, family_id=family_id, since=None, until=None, limit=5)
        )
        goals = [g for g in records.goals(rows, family_id) if g["status"] not in CLOSED_GOAL_STATUSES]
    for member in members:
        member.pop("name_key")
    for placement in placements:
        placement.pop("member_id")
    return {
        **family,
        "members": members,
        "current_placements": [p for p in placements if p["end_on"] is None],
        "latest_visits": latest,
        "open_goals": goals,
        "services": services,
        "upcoming_hearings": hearings,
        "last_plan_review": last_review,
        "latest_assessments": latest_assessments,
        "safety_plan": safety_plan,
    }


def update_family(db: Database, case_number: str, changes: dict[str, Any]) -> dict:
    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes:
        raise UsageProblem("nothing to change: give at least one option (see --help)")
    with db.write() as rows:
        family = require_family(rows, case_number)
        if "worker_id" in changes:
            require_worker(rows, changes["worker_id"])
        if "case_number" in changes:
            raise RuleViolation("case numbers never change")
        if "risk" in changes and assessment_records.assessments(rows, family["id"], "sdm_risk"):
            raise RuleViolation(
                "this family's risk follows its SDM risk assessments: record a new one with caseload assess add"
            )
        changed = {key: value for key, value in changes.items() if family[key] != value}
        if changed:
            records.update_family(rows, family["id"], changed)
            detail = "; ".join(f"{key}: {family[key]} -> {value}" for key, value in changed.items())
            audit(rows, "update", "family", family["id"], family["case_number"], detail)
        return records.family(rows, family["case_number"])


def close_family(db: Database, case_number: str, closed_on: dt.date, reason: str) -> dict:
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        if closed_on < family["opened_on"]:
            raise RuleViolation(f"the case opened on {family['opened_on']}: it cannot close on {closed_on}")
        not_future(closed_on, "a closing")
        still_placed = [p["child"] for p in records.placements(rows, family["id"]) if p["end_on"] is None]
        if still_placed:
            raise RuleViolation(
                f"end the open placements first ({', '.join(still_placed)}): caseload placement end"
            )
        records.update_family(rows, family["id"], {"closed_on": closed_on, "close_reason": reason})
        audit(rows, "close", "family", family["id"], family["case_number"], reason)
        return records.family(rows, family["case_number"])


# -- members ---------------------------------------------------------------------------------


def add_member(db: Database, case_number: str, name: str, role: str, born_on: dt.date | None) -> dict:
    with db.write() as rows:
        return join_family(rows, require_family(rows, case_number), name, role, born_on)


def join_family(rows: Rows, family: dict, name: str, role: str, born_on: dt.date | None) -> dict:
    """Add a member to `family` inside the caller's unit of work (`member add`, the CSV import)."""
    if born_on:
        not_future(born_on, "a date of birth")
    existing = records.members(rows, family["id"])
    if any(m["name_key"] == name_key(name) for m in existing):
        raise Duplicate(f"{name} is already a member of case {family['case_number']}")
    values = {
        "family_id": family["id"],
        "name": name,
        "name_key": name_key(name),
        "role": role,
        "born_on": born_on,
    }
    member_id = rows.insert("member", values)
    audit(rows, "add", "member", member_id, family["case_number"], f"{name} ({role})")
    return {
        "id": member_id,
        "case_number": family["case_number"],
        "name": name,
        "role": role,
        "born_on": born_on,
    }


def case_numbers(db: Database) -> list[dict]:
    """Every case number with its family name (shell completion)."""
    with db.read() as rows:
        return records.case_numbers(rows)


def list_members(db: Database, case_number: str) -> list[dict]:
    with db.read() as rows:
        family = require_family(rows, case_number)
        found = records.members(rows, family["id"])
    for member in found:
        member.pop("name_key")
    return found


# -- placements ------------------------------------------------------------------------------


def add_placement(
    db: Database,
    case_number: str,
    child_name: str,
    *,
    start_on: dt.date,
    setting: str,
    provider: str | None,
    removed_on: dt.date | None,
    adjudicated_on: dt.date | None,
) -> dict:
    """Place a child; a placement still open before `start_on` ends the day before (a move)."""
    not_future(start_on, "a placement")
    if removed_on and removed_on > start_on:
        raise RuleViolation(f"the removal date {removed_on} is after the placement start {start_on}")
    if adjudicated_on and removed_on and adjudicated_on < removed_on:
        raise RuleViolation(f"adjudication {adjudicated_on} is before the removal {removed_on}")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        if family["program"] != "foster_care":
            raise RuleViolation(
                f"case {family['case_number']} is {family['program']}: placements belong to foster-care "
                f"cases (caseload family update {family['case_number']} --program foster_care)"
            )
        if start_on < family["opened_on"]:
            raise RuleViolation(
                f"the case opened on {family['opened_on']}: a placement cannot start {start_on}"
            )
        child = find_member(records.members(rows, family["id"]), child_name, family["case_number"])
        if child["role"] != "child":
            raise RuleViolation(
                f"{child['name']} is a {child['role']}, not a child: only children are placed"
            )
        ended = None
        for earlier in records.placements(rows, family["id"], child["id"]):
            if earlier["end_on"] is None and earlier["start_on"] < start_on:
                ended = {
                    **earlier,
                    "end_on": start_on - dt.timedelta(days=1),
                    "end_reason": f"moved to {setting}",
                }
                records.end_placement(rows, earlier["id"], ended["end_on"], ended["end_reason"])
                audit(
                    rows, "end", "placement", earlier["id"], family["case_number"], "ended by a new placement"
                )
            elif earlier["end_on"] is None or earlier["end_on"] >= start_on:
                raise RuleViolation(
                    f"{child['name']} was already placed from {earlier['start_on']} "
                    f"to {earlier['end_on'] or 'now'}: placements cannot overlap"
                )
        values = {
            "member_id": child["id"],
            "family_id": family["id"],
            "setting": setting,
            "provider": provider,
            "start_on": start_on,
            "removed_on": removed_on,
            "adjudicated_on": adjudicated_on,
        }
        placement_id = rows.insert("placement", values)
        audit(rows, "add", "placement", placement_id, family["case_number"], f"{child['name']}: {setting}")
    placement = {"id": placement_id, "case_number": family["case_number"], "child": child["name"], **values}
    return placement | {"ended_placement": ended}


def end_placement(db: Database, case_number: str, child_name: str, end_on: dt.date, reason: str) -> dict:
    not_future(end_on, "the end of a placement")
    with db.write() as rows:
        family = require_family(rows, case_number)
        child = find_member(records.members(rows, family["id"]), child_name, family["case_number"])
        open_ones = [p for p in records.placements(rows, family["id"], child["id"]) if p["end_on"] is None]
        if not open_ones:
            raise NotFound(f"{child['name']} has no open placement")
        placement = open_ones[0]
        if end_on < placement["start_on"]:
            raise RuleViolation(f"the placement started {placement['start_on']}: it cannot end {end_on}")
        records.end_placement(rows, placement["id"], end_on, reason)
        audit(rows, "end", "placement", placement["id"], family["case_number"], reason)
    return {**placement, "end_on": end_on, "end_reason": reason, "case_number": family["case_number"]}


def list_placements(db: Database, case_number: str) -> list[dict]:
    with db.read() as rows:
        family = require_family(rows, case_number)
        return records.placements(rows, family["id"])
