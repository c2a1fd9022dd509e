"""Audited corrections of the case record: a mistake typed in is put right, and the record keeps
what it was. Each use case returns the corrected record and its `changes` as (field, before,
after), writes one audit row `field: before -> after; …` in the same unit of work, and refuses a
correction that would leave the record inconsistent (a date before the case opened, overlapping
placements …). Narratives are never corrected: they are amended or voided (services.visits).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from caseload.errors import Duplicate, NotFound, RuleViolation, UsageProblem
from caseload.parsing import name_key
from caseload.services.common import audit, find_member, not_future, require_family, require_worker
from caseload.store import corrections as store
from caseload.store import plans as plan_records
from caseload.store import records
from caseload.store.db import Database, Rows

Change = tuple[str, Any, Any]


def _changed(record: dict, wanted: dict[str, Any]) -> dict[str, Any]:
    """The wanted values that differ from the record's (None: not given)."""
    return {key: value for key, value in wanted.items() if value is not None and record[key] != value}


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _detail(changes: dict[str, Any], before: dict, reason: str | None = None) -> str:
    """The audit row's detail: `field: before -> after; …` and the reason, if any."""
    detail = "; ".join(f"{key}: {_text(before[key])} -> {_text(value)}" for key, value in changes.items())
    return detail + (f"; reason: {reason}" if reason else "")


def _listed(changes: dict[str, Any], before: dict) -> list[Change]:
    return [(key, before[key], value) for key, value in changes.items()]


def _nothing_to_change(what: str) -> RuleViolation:
    return RuleViolation(f"{what} already says so: nothing to change")


# -- plausibility shared with `member add` -----------------------------------------------------


def check_birth(family: dict, name: str, role: str, born_on: dt.date | None, max_age_years: int) -> None:
    """A child's date of birth within 0..max_age_years of the case (rules.plausibility)."""
    from caseload.rules.plausibility import child_birth_problem

    if role != "child" or born_on is None:
        return
    problem = child_birth_problem(name, born_on, family["opened_on"], family["case_number"], max_age_years)
    if problem:
        raise RuleViolation(problem)


# -- members -----------------------------------------------------------------------------------


def update_member(
    db: Database,
    case_number: str,
    member_name: str,
    *,
    name: str | None,
    born_on: dt.date | None,
    role: str | None,
    max_child_age_years: int,
) -> dict:
    """Correct a member's name, date of birth or role."""
    if name is None and born_on is None and role is None:
        raise UsageProblem("nothing to change: give --name, --dob or --role")
    if born_on:
        not_future(born_on, "a date of birth")
    with db.write() as rows:
        family = require_family(rows, case_number)
        members = records.members(rows, family["id"])
        member = find_member(members, member_name, family["case_number"])
        wanted = {"name": name, "role": role, "born_on": born_on}
        changes = _changed(member, wanted)
        if not changes:
            raise _nothing_to_change(f"{member['name']}'s record")
        if "name" in changes:
            key = name_key(name)
            if any(m["name_key"] == key and m["id"] != member["id"] for m in members):
                raise Duplicate(f"{name} is already a member of case {family['case_number']}")
        if changes.get("role", "child") != "child" and store.placement_count(rows, member["id"]):
            raise RuleViolation(
                f"{member['name']} has placements: only a child is placed, so the role stays child"
            )
        after = {**member, **changes}
        check_birth(family, after["name"], after["role"], after["born_on"], max_child_age_years)
        stored = dict(changes)
        if "name" in changes:
            stored["name_key"] = name_key(name)
        store.update(rows, "member", member["id"], stored)
        audit(rows, "update", "member", member["id"], family["case_number"], _detail(changes, member))
    result = {key: after[key] for key in ("id", "name", "role", "born_on")}
    return {"case_number": family["case_number"], **result, "changes": _listed(changes, member)}


# -- workers -----------------------------------------------------------------------------------


def update_worker(
    db: Database, worker_id: str, *, name: str | None, supervisor_id: str | None, active: bool | None
) -> dict:
    """Correct a worker's name or supervisor, or mark them inactive (or active again). An inactive
    worker keeps their history but takes no case: their open cases are reassigned first."""
    if name is None and supervisor_id is None and active is None:
        raise UsageProblem("nothing to change: give --name, --supervisor, --inactive or --active")
    with db.write() as rows:
        worker = records.worker(rows, worker_id)
        if worker is None:
            require_worker(rows, worker_id)  # the not-found message with suggestions
        inactive = store.inactive_workers(rows)
        before = {**worker, "active": worker_id not in inactive}
        changes = _changed(before, {"name": name, "supervisor_id": supervisor_id, "active": active})
        if not changes:
            raise _nothing_to_change(f"worker {worker_id}'s record")
        if "supervisor_id" in changes:
            require_worker(rows, supervisor_id)
            if supervisor_id == worker_id or worker_id in store.supervisors_of(rows, supervisor_id):
                raise RuleViolation(
                    f"{supervisor_id} is supervised by {worker_id}: supervision cannot go in a circle"
                )
            if supervisor_id in inactive:
                raise RuleViolation(f"worker {supervisor_id} is inactive: choose an active supervisor")
        if changes.get("active") is False:
            open_cases = store.open_case_numbers(rows, worker_id)
            if open_cases:
                raise RuleViolation(
                    f"{worker_id} still has {len(open_cases)} open case(s) ({', '.join(open_cases[:3])}"
                    f"{' …' if len(open_cases) > 3 else ''}): reassign them first "
                    f"(caseload family update CASE --worker ID)"
                )
        columns = {key: value for key, value in changes.items() if key != "active"}
        if columns:
            store.update(rows, "worker", worker_id, columns)
            audit(rows, "update", "worker", worker_id, detail=_detail(columns, before))
        if "active" in changes:
            audit(
                rows,
                "reactivate" if active else "deactivate",
                "worker",
                worker_id,
                detail=_detail({"active": active}, before),
            )
    after = {**before, **changes}
    return {
        "id": worker_id,
        "name": after["name"],
        "supervisor_id": after["supervisor_id"],
        "active": after["active"],
        "changes": _listed(changes, before),
    }


def refuse_inactive(rows: Rows, worker_id: str | None) -> None:
    """A case is never assigned to an inactive worker."""
    if worker_id is not None and worker_id in store.inactive_workers(rows):
        raise RuleViolation(f"worker {worker_id} is inactive: assign the case to an active worker")


# -- the case's opening date -------------------------------------------------------------------


def check_opened(rows: Rows, family: dict, opened_on: dt.date, max_child_age_years: int = 21) -> None:
    """A case's opening date may be corrected to any day up to its earliest record (and closing)."""
    not_future(opened_on, "a case opening")
    if family["closed_on"] and opened_on > family["closed_on"]:
        raise RuleViolation(
            f"case {family['case_number']} closed on {family['closed_on']}: it cannot open {opened_on}"
        )
    earlier = sorted(entry for entry in store.earliest_records(rows, family["id"]) if entry[0] < opened_on)
    if earlier:
        day, what = earlier[0]
        raise RuleViolation(
            f"case {family['case_number']} has a {what} dated {day}: it cannot have opened on {opened_on}"
        )
    moved = {**family, "opened_on": opened_on}
    for member in records.members(rows, family["id"]):
        check_birth(moved, member["name"], member["role"], member["born_on"], max_child_age_years)


# -- hearings ----------------------------------------------------------------------------------

_MOVE = re.compile(r"hearing_on: (\d{4}-\d{2}-\d{2}) -> (\d{4}-\d{2}-\d{2})")
_REASON = re.compile(r"; reason: (.*)$", re.S)


def hearing_histories(rows: Rows, hearing_ids: list[int]) -> dict[int, list[dict]]:
    """Each hearing's continuances and cancellation, oldest first, as the audit trail holds them:
    {"action": "continued"|"cancelled", "on": date recorded, "by", "from", "to", "reason"}."""
    histories: dict[int, list[dict]] = {}
    for hearing_id, events in store.hearing_events(rows, hearing_ids).items():
        for event in events:
            move = _MOVE.search(event["detail"] or "")
            reason = _REASON.search(event["detail"] or "")
            histories.setdefault(hearing_id, []).append(
                {
                    "action": "continued" if event["action"] == "continue" else "cancelled",
                    "on": event["at"].date(),
                    "by": event["actor"],
                    "from": dt.date.fromisoformat(move.group(1)) if move else None,
                    "to": dt.date.fromisoformat(move.group(2)) if move else None,
                    "reason": reason.group(1) if reason else None,
                }
            )
    return histories


def _require_hearing(rows: Rows, hearing_id: int) -> dict:
    found = plan_records.hearing(rows, hearing_id)
    if found is None:
        raise NotFound(f"no hearing {hearing_id}")
    if found["outcome"] == store.CANCELLED:
        raise RuleViolation(
            f"hearing {hearing_id} was cancelled: add the new hearing with caseload hearing add"
        )
    return found


def _described(rows: Rows, hearing_id: int, standards=None) -> dict:
    from caseload.services.common import due_soon_days_of
    from caseload.services.plans import public, with_report_status

    hearing = with_report_status(public(plan_records.hearing(rows, hearing_id)), due_soon_days_of(standards))
    return hearing | {"history": hearing_histories(rows, [hearing_id]).get(hearing_id, [])}


def continue_hearing(db: Database, hearing_id: int, to: dt.date, reason: str | None, standards) -> dict:
    """A hearing continued (or rescheduled) to another date: its court report due date is derived
    again from the new date; the old date stays in the hearing's history."""
    from caseload.rules.courtdays import court_report_due
    from caseload.rules.plausibility import hearing_day_warning
    from caseload.services.due import CourtClosedDays

    closed = CourtClosedDays(standards)
    with db.write() as rows:
        hearing = _require_hearing(rows, hearing_id)
        family = require_family(rows, hearing["case_number"])
        if to == hearing["hearing_on"]:
            raise _nothing_to_change(f"hearing {hearing_id} is on {to}:")
        if to < family["opened_on"]:
            raise RuleViolation(
                f"case {family['case_number']} opened on {family['opened_on']}: no hearing before it"
            )
        twin = plan_records.hearing_id_on(rows, family["id"], to, hearing["type"])
        if twin is not None:
            raise Duplicate(f"hearing {twin} is the {hearing['type']} hearing of {to} already")
        changes: dict[str, Any] = {"hearing_on": to}
        due_on = court_report_due(to, standards.court_report_lead_days, closed)
        if due_on != hearing["report_due_on"]:
            changes["report_due_on"] = due_on
        store.update(rows, "hearing", hearing_id, changes)
        audit(
            rows, "continue", "hearing", hearing_id, family["case_number"], _detail(changes, hearing, reason)
        )
        result = _described(rows, hearing_id, standards)
    warning = hearing_day_warning(to, closed)
    return result | {"changes": _listed(changes, hearing), "warnings": [warning] if warning else []}


def cancel_hearing(db: Database, hearing_id: int, reason: str) -> dict:
    """A hearing taken off the calendar: no court report is due for it any more; it stays listed."""
    with db.write() as rows:
        hearing = _require_hearing(rows, hearing_id)
        changes = {"outcome": store.CANCELLED}
        store.update(rows, "hearing", hearing_id, changes)
        audit(
            rows, "cancel", "hearing", hearing_id, hearing["case_number"], _detail(changes, hearing, reason)
        )
        return _described(rows, hearing_id) | {"changes": _listed(changes, hearing)}


# -- services --------------------------------------------------------------------------------


def correct_referral(db: Database, service_id: int, referred_on: dt.date) -> dict:
    """Correct the date a service was referred. Its history is append-only: the entry the referral
    made keeps the date first typed, and the audit trail holds the correction. A service's later
    status entries (started, completed …) are dated changes of their own, never corrected."""
    from caseload.services.common import within_case
    from caseload.services.plans import public

    not_future(referred_on, "a referral")
    with db.write() as rows:
        service = plan_records.service(rows, service_id)
        if service is None:
            raise NotFound(f"no service {service_id}")
        if service["referred_on"] == referred_on:
            raise _nothing_to_change(f"service {service_id}")
        within_case(require_family(rows, service["case_number"]), referred_on, "the referral")
        later = store.first_change_after_referral(rows, service_id)
        if later is not None and referred_on > later:
            raise RuleViolation(
                f"service {service_id} has a status entry dated {later}: it cannot have been referred on {referred_on}"
            )
        changes = {"referred_on": referred_on}
        store.update(rows, "service", service_id, changes)
        audit(rows, "update", "service", service_id, service["case_number"], _detail(changes, service))
        corrected = public(plan_records.service(rows, service_id))
        return corrected | {
            "history": plan_records.service_history(rows, service_id),
            "changes": _listed(changes, service),
        }


# -- placements --------------------------------------------------------------------------------


def update_placement(
    db: Database,
    placement_id: int,
    *,
    start_on: dt.date | None,
    end_on: dt.date | None,
    removed_on: dt.date | None,
    adjudicated_on: dt.date | None,
) -> dict:
    """Correct a placement's dates. An open placement is ended with `placement end` (it takes a
    reason), not here; the corrected placement may not overlap the child's others."""
    wanted = {
        "start_on": start_on,
        "end_on": end_on,
        "removed_on": removed_on,
        "adjudicated_on": adjudicated_on,
    }
    if all(value is None for value in wanted.values()):
        raise UsageProblem("nothing to change: give --start, --end, --removed or --adjudicated")
    for value in wanted.values():
        if value is not None:
            not_future(value, "a placement date")
    with db.write() as rows:
        placement = store.placement(rows, placement_id)
        if placement is None:
            raise NotFound(f"no placement {placement_id}")
        family = require_family(rows, placement["case_number"])
        if end_on is not None and placement["end_on"] is None:
            raise RuleViolation(
                f"placement {placement_id} is open: end it with caseload placement end "
                f"{family['case_number']} {placement['child']!r} --end DATE --reason TEXT"
            )
        changes = _changed(placement, wanted)
        if not changes:
            raise _nothing_to_change(f"placement {placement_id}")
        after = {**placement, **changes}
        if after["start_on"] < family["opened_on"]:
            raise RuleViolation(
                f"the case opened on {family['opened_on']}: a placement cannot start {after['start_on']}"
            )
        if after["end_on"] is not None and after["end_on"] < after["start_on"]:
            raise RuleViolation(f"a placement that starts {after['start_on']} cannot end {after['end_on']}")
        if after["removed_on"] and after["removed_on"] > after["start_on"]:
            raise RuleViolation(
                f"the removal date {after['removed_on']} is after the placement start {after['start_on']}"
            )
        if after["adjudicated_on"] and after["removed_on"] and after["adjudicated_on"] < after["removed_on"]:
            raise RuleViolation(
                f"adjudication {after['adjudicated_on']} is before the removal {after['removed_on']}"
            )
        for other in records.placements(rows, family["id"], placement["member_id"]):
            if other["id"] == placement_id:
                continue
            if other["start_on"] <= (after["end_on"] or dt.date.max) and after["start_on"] <= (
                other["end_on"] or dt.date.max
            ):
                raise RuleViolation(
                    f"{placement['child']} was placed from {other['start_on']} to {other['end_on'] or 'now'} "
                    f"(placement {other['id']}): placements cannot overlap"
                )
        store.update(rows, "placement", placement_id, changes)
        audit(rows, "update", "placement", placement_id, family["case_number"], _detail(changes, placement))
        after.pop("family_id")
        after.pop("member_id")
    return after | {"changes": _listed(changes, placement)}
