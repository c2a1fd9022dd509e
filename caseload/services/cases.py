"""Use cases of the case record: workers, families, members and placements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseload import clock
from caseload.errors import Duplicate, NotFound, RuleViolation, UsageProblem
from caseload.parsing import name_key
from caseload.rules import record as record_rules
from caseload.services.common import (
    audit,
    check,
    due_soon_days_of,
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
        if login:
            if access.worker_of_login(rows, login):
                raise Duplicate(f"login {login!r} is already linked to a worker")
            access.grant_login(rows, login, role)
        records.add_worker(
            rows,
            worker_id=worker_id,
            name=name,
            supervisor_id=supervisor_id,
            created_at=clock.now(),
            login=login,
        )
        audit(
            rows, "add", "worker", worker_id, detail=name if not login else f"{name} (login {login}, {role})"
        )
    return {"id": worker_id, "name": name, "supervisor_id": supervisor_id}


def list_workers(db: Database) -> list[dict]:
    """Workers with their open cases and whether they are active (see `worker update --inactive`)."""
    from caseload.store.corrections import inactive_workers

    with db.read() as rows:
        inactive = inactive_workers(rows)
        return [worker | {"active": worker["id"] not in inactive} for worker in records.workers(rows)]


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
        from caseload.services.corrections import refuse_inactive

        require_worker(rows, worker_id)
        refuse_inactive(rows, worker_id)
    family_id = records.add_family(
        rows,
        case_number=case_number,
        name=name,
        program=program,
        risk=risk,
        opened_on=opened_on,
        worker_id=worker_id,
        county=county,
        docket=docket,
        created_at=clock.now(),
    )
    audit(rows, "add", "family", family_id, case_number, f"{name} ({program}, risk {risk})")
    return records.family(rows, case_number)


def team(db: Database, worker_id: str) -> list[dict]:
    """The worker and everyone she supervises, directly or through other supervisors."""
    with db.read() as rows:
        require_worker(rows, worker_id)
        return records.team(rows, worker_id)


def list_families(
    db: Database, *, worker_id: str | None, program: str | None, closed: bool, team: bool = False
) -> list[dict]:
    with db.read() as rows:
        require_worker(rows, worker_id)
        families = records.families(
            rows, worker_id=worker_id, program=program, closed=closed, team=team, covered_on=clock.today()
        )
        risks = assessment_records.assessed_risks(rows, clock.today())
    for family in families:
        family["risk"] = risks.get(family["id"], family["risk"])
    return families


def show_family(db: Database, case_number: str, standards=None) -> dict:
    """Everything a worker wants on one screen: members, placements, latest visits, open goals."""
    from caseload.services import plans
    from caseload.services.assessments import describe, latest_by_kind
    from caseload.services.visits import describe_visits
    from caseload.store import plans as plan_records
    from caseload.vocab import CLOSED_GOAL_STATUSES

    due_soon_days = due_soon_days_of(standards)
    with db.read() as rows:
        found = require_family(rows, case_number)
        family_id = found["id"]
        today = clock.today()
        risk = assessment_records.assessed_risks(rows, today).get(family_id, found["risk"])
        family = {key: value for key, value in found.items() if key != "id"} | {"risk": risk}
        latest_assessments = latest_by_kind(describe(rows, family_id))
        services = [plans.public(s) for s in plan_records.services(rows, family_id)]
        hearings = [
            plans.with_report_status(plans.public(h), due_soon_days)
            for h in plan_records.hearings(rows, family_id, today)
        ]
        last_review = plan_records.latest_plan_review(rows, family_id)
        safety_plan = assessment_records.latest_safety_plan(rows, family_id)
        members = records.members(rows, family_id)
        placements = records.placements(rows, family_id)
        latest = describe_visits(
            rows, records.visits(rows, family_id=family_id, since=None, until=None, limit=5)
        )
        goals = [g for g in records.goals(rows, family_id) if g["status"] not in CLOSED_GOAL_STATUSES]
    return {
        **family,
        "members": [member_shape(m) for m in members],
        "current_placements": [placement_shape(p) for p in placements if p["end_on"] is None],
        "latest_visits": latest,
        "open_goals": goals,
        "services": services,
        "upcoming_hearings": hearings,
        "last_plan_review": last_review,
        "latest_assessments": latest_assessments,
        "safety_plan": safety_plan,
    }


def update_family(
    db: Database, case_number: str, changes: dict[str, Any], max_child_age_years: int = 21
) -> dict:
    """Change a case's details; the record returned carries its `changes` as (field, before, after).
    A corrected opening date may not follow any record of the case (services.corrections)."""
    from caseload.services.corrections import check_opened, refuse_inactive

    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes:
        raise UsageProblem("nothing to change: give at least one option (see --help)")
    with db.write() as rows:
        family = require_family(rows, case_number)
        if "worker_id" in changes:
            require_worker(rows, changes["worker_id"])
            refuse_inactive(rows, changes["worker_id"])
        if "opened_on" in changes and changes["opened_on"] != family["opened_on"]:
            check_opened(rows, family, changes["opened_on"], max_child_age_years)
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
        updated = records.family(rows, family["case_number"])
        return updated | {"changes": [(key, family[key], value) for key, value in changed.items()]}


def close_family(db: Database, case_number: str, closed_on: dt.date, reason: str) -> dict:
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        check(record_rules.closing_problem(family["opened_on"], closed_on))
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


def add_member(
    db: Database,
    case_number: str,
    name: str,
    role: str,
    born_on: dt.date | None,
    max_child_age_years: int = 21,
) -> dict:
    with db.write() as rows:
        family = require_family(rows, case_number)
        return join_family(rows, family, name, role, born_on, max_child_age_years)


def join_family(
    rows: Rows,
    family: dict,
    name: str,
    role: str,
    born_on: dt.date | None,
    max_child_age_years: int = 21,
) -> dict:
    """Add a member to `family` inside the caller's unit of work (`member add`, the CSV import)."""
    from caseload.services.corrections import check_birth

    if born_on:
        not_future(born_on, "a date of birth")
    check_birth(family, name, role, born_on, max_child_age_years)
    existing = records.members(rows, family["id"])
    if any(m["name_key"] == name_key(name) for m in existing):
        raise Duplicate(f"{name} is already a member of case {family['case_number']}")
    member_id = records.add_member(
        rows, family_id=family["id"], name=name, name_key=name_key(name), role=role, born_on=born_on
    )
    audit(rows, "add", "member", member_id, family["case_number"], f"{name} ({role})")
    return {
        "id": member_id,
        "case_number": family["case_number"],
        "name": name,
        "role": role,
        "born_on": born_on,
    }


def member_shape(member: dict) -> dict:
    """A member as shown (`member list`, `family show`): without the store's name key."""
    return {key: member[key] for key in ("id", "name", "role", "born_on")}


def placement_shape(placement: dict) -> dict:
    """A placement as shown in `family show`: the child by name, not by member id."""
    shown = (
        "id",
        "child",
        "setting",
        "provider",
        "start_on",
        "end_on",
        "end_reason",
        "removed_on",
        "adjudicated_on",
    )
    return {key: placement[key] for key in shown}


def case_numbers(db: Database) -> list[dict]:
    """Every case number with its family name (shell completion)."""
    with db.read() as rows:
        return records.case_numbers(rows)


def list_members(db: Database, case_number: str) -> list[dict]:
    with db.read() as rows:
        family = require_family(rows, case_number)
        return [member_shape(m) for m in records.members(rows, family["id"])]


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
    check(record_rules.placement_dates_problem(start_on, removed_on, adjudicated_on))
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        check(
            record_rules.placement_case_problem(
                family["program"], family["case_number"], family["opened_on"], start_on
            )
        )
        child = find_member(records.members(rows, family["id"]), child_name, family["case_number"])
        check(record_rules.placed_member_problem(child["role"], child["name"]))
        to_end, problem = record_rules.placements_ended_by(
            records.placements(rows, family["id"], child["id"]), start_on, child["name"]
        )
        check(problem)
        ended = None
        for earlier in to_end:
            ended = {
                **earlier,
                "end_on": start_on - dt.timedelta(days=1),
                "end_reason": f"moved to {setting}",
            }
            records.end_placement(rows, earlier["id"], ended["end_on"], ended["end_reason"])
            audit(rows, "end", "placement", earlier["id"], family["case_number"], "ended by a new placement")
        values = {
            "member_id": child["id"],
            "family_id": family["id"],
            "setting": setting,
            "provider": provider,
            "start_on": start_on,
            "removed_on": removed_on,
            "adjudicated_on": adjudicated_on,
        }
        placement_id = records.add_placement(rows, **values)
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
        check(record_rules.placement_end_problem(placement["start_on"], end_on))
        records.end_placement(rows, placement["id"], end_on, reason)
        audit(rows, "end", "placement", placement["id"], family["case_number"], reason)
    return {**placement, "end_on": end_on, "end_reason": reason, "case_number": family["case_number"]}


def list_placements(db: Database, case_number: str) -> list[dict]:
    with db.read() as rows:
        family = require_family(rows, case_number)
        return records.placements(rows, family["id"])
