"""Use cases of the service plan and the court calendar: goals and their progress, services,
hearings with their court-report due dates, and case-plan reviews. History is appended, never rewritten."""

from __future__ import annotations

import datetime as dt

from caseload import clock
from caseload.errors import Duplicate, NotFound, RuleViolation, UsageProblem
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
    within_case,
)
from caseload.settings import acting_worker
from caseload.store import plans as store
from caseload.store import records
from caseload.store.db import Database, Rows
from caseload.vocab import CLOSED_GOAL_STATUSES


def _member_id(rows: Rows, family: dict, name: str | None) -> int | None:
    if name is None:
        return None
    return find_member(records.members(rows, family["id"]), name, family["case_number"])["id"]


def _goal_of_case(rows: Rows, goal_id: int | None, family: dict) -> int | None:
    if goal_id is None:
        return None
    found = store.goal(rows, goal_id)
    if found is None or found["family_id"] != family["id"]:
        raise NotFound(f"goal {goal_id} is not a goal of case {family['case_number']}")
    return goal_id


def _not_before_latest(latest_on: dt.date | None, day: dt.date, what: str) -> None:
    check(record_rules.before_latest_problem(latest_on, day, what))


def _check_target(family: dict, target_on: dt.date | None) -> None:
    check(record_rules.target_problem(family["opened_on"], target_on))


_INTERNAL = ("family_id", "member_id")  # the store's keys, not shown


def public(record: dict) -> dict:
    """The shape shown of a goal, service or hearing: the store's record without its internal ids."""
    return {key: value for key, value in record.items() if key not in _INTERNAL}


# -- goals -----------------------------------------------------------------------------------


def add_goals(db: Database, case_number: str, goals: list[dict], target_on: dt.date | None) -> list[dict]:
    """Add goals (each `text`, `member`, `domain`) to the plan in one unit of work: all or none."""
    with db.write() as rows:
        return _add_goals(rows, case_number, goals, target_on)


def add_goals_from_assessment(
    db: Database, case_number: str, assessment_id: int, target_on: dt.date | None
) -> list[dict]:
    """Add the goals a CANS proposes (`assessments.proposed_goals`), read and added in one unit of work."""
    from caseload.services.assessments import proposed_goals_in

    with db.write() as rows:
        return _add_goals(rows, case_number, proposed_goals_in(rows, case_number, assessment_id), target_on)


def _add_goals(rows: Rows, case_number: str, goals: list[dict], target_on: dt.date | None) -> list[dict]:
    family = require_open_family(rows, case_number)
    _check_target(family, target_on)
    added = []
    for goal in goals:
        goal_id = store.add_goal(
            rows,
            family_id=family["id"],
            member_id=_member_id(rows, family, goal["member"]),
            text=goal["text"],
            domain=goal["domain"],
            target_on=target_on,
            status="not_started",
            created_at=clock.now(),
        )
        audit(rows, "add", "goal", goal_id, family["case_number"], goal["text"][:80])
        added.append(public(store.goal(rows, goal_id)))
    return added


def update_goal(
    db: Database,
    goal_id: int,
    *,
    status: str | None,
    note: str | None,
    entry_on: dt.date | None,
    target_on: dt.date | None,
) -> dict:
    """Append a dated progress entry (a status change and/or a note); a new target is kept on the goal.

    A goal that is achieved, not achieved or discontinued takes notes only (its status repeated is
    no change). A change of status or target is never dated before the latest entry, since the
    goal's status is its latest one; a note may be.
    """
    if status is None and note is None and target_on is None:
        raise UsageProblem("give --status, --note or --target")
    entry_on = entry_on or clock.today()
    not_future(entry_on, "progress")
    with db.write() as rows:
        goal = store.goal(rows, goal_id)
        if goal is None:
            raise NotFound(f"no goal {goal_id}")
        family = require_family(rows, goal["case_number"])
        within_case(family, entry_on, "the progress")
        changes = {
            key: value
            for key, value in (("status", status), ("target_on", target_on))
            if value is not None and value != goal[key]
        }
        if status is None and note is None and not changes:
            raise RuleViolation(f"goal {goal_id} already has the target {target_on}: nothing to record")
        if changes:
            if goal["status"] in CLOSED_GOAL_STATUSES:
                raise RuleViolation(
                    f"goal {goal_id} is {goal['status'].replace('_', ' ')}: add a note, or a new goal"
                )
            _not_before_latest(goal["progress_on"], entry_on, f"goal {goal_id}")
            _check_target(family, changes.get("target_on"))
            store.update_goal(rows, goal_id, changes)
        target_on = changes.get("target_on")
        if target_on is not None:
            moved = f"target {goal['target_on'] or 'none'} -> {target_on}"
            note = f"{note} ({moved})" if note else moved.capitalize()
        store.add_goal_progress(
            rows,
            goal_id=goal_id,
            entry_on=entry_on,
            status=status,
            note=note,
            recorded_at=clock.now(),
            recorded_by=acting_worker(),
        )
        detail = "; ".join(f"{k}: {goal[k]} -> {v}" for k, v in changes.items()) or "note"
        audit(rows, "update", "goal", goal_id, family["case_number"], detail)
        return public(store.goal(rows, goal_id)) | {"history": store.goal_history(rows, goal_id)}


def list_goals(
    db: Database, case_number: str | None, worker_id: str | None = None, team: bool = False
) -> list[dict]:
    """Goals with their latest progress and days left to the target (negative: past it): of one case,
    else of `worker_id`'s cases (`team`: her team's), else of every case."""
    today = clock.today()
    with db.read() as rows:
        require_worker(rows, worker_id)
        family_id = require_family(rows, case_number)["id"] if case_number else None
        found = store.goals(rows, family_id, worker_id, team, covered_on=today)
    for goal in found:
        goal["days_to_target"] = (goal["target_on"] - today).days if goal["target_on"] else None
    return [public(goal) for goal in found]


# -- services --------------------------------------------------------------------------------


def add_service(
    db: Database,
    case_number: str,
    name: str,
    *,
    provider: str | None,
    referred_on: dt.date | None,
    goal_id: int | None,
    member: str | None,
) -> dict:
    referred_on = referred_on or clock.today()
    not_future(referred_on, "a referral")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        within_case(family, referred_on, "the referral")
        service_id = store.add_service(
            rows,
            family_id=family["id"],
            member_id=_member_id(rows, family, member),
            goal_id=_goal_of_case(rows, goal_id, family),
            name=name,
            provider=provider,
            referred_on=referred_on,
            status="referred",
            created_at=clock.now(),
        )
        _append_service_update(rows, service_id, referred_on, "referred", None)
        audit(
            rows, "add", "service", service_id, family["case_number"], f"{name} ({provider or 'no provider'})"
        )
        return public(store.service(rows, service_id))


def _append_service_update(
    rows: Rows, service_id: int, update_on: dt.date, status: str, note: str | None
) -> None:
    store.add_service_update(
        rows,
        service_id=service_id,
        update_on=update_on,
        status=status,
        note=note,
        recorded_at=clock.now(),
        recorded_by=acting_worker(),
    )


def update_service(
    db: Database, service_id: int, status: str, note: str | None, update_on: dt.date | None
) -> dict:
    """Append a dated status entry, never dated before the latest one (it sets the current status)."""
    update_on = update_on or clock.today()
    not_future(update_on, "a service update")
    with db.write() as rows:
        found = store.service(rows, service_id)
        if found is None:
            raise NotFound(f"no service {service_id}")
        within_case(require_family(rows, found["case_number"]), update_on, "the update")
        _not_before_latest(found["updated_on"], update_on, f"service {service_id}")
        store.set_service_status(rows, service_id, status)
        _append_service_update(rows, service_id, update_on, status, note)
        audit(
            rows,
            "update",
            "service",
            service_id,
            found["case_number"],
            f"status: {found['status']} -> {status}",
        )
        return public(store.service(rows, service_id)) | {"history": store.service_history(rows, service_id)}


def list_services(db: Database, case_number: str | None) -> list[dict]:
    with db.read() as rows:
        family_id = require_family(rows, case_number)["id"] if case_number else None
        return [public(s) for s in store.services(rows, family_id)]


# -- hearings and plan reviews ---------------------------------------------------------------


def add_hearing(
    db: Database, case_number: str, hearing_on: dt.date, hearing_type: str, court: str | None, standards
) -> dict:
    """Schedule (or record) a hearing; its court-report due date is fixed now from the standards
    file: `court_report_lead_days` before, moved back over weekends and court holidays (SPEC 5)."""
    from caseload.rules.courtdays import court_report_due
    from caseload.rules.plausibility import hearing_day_warning
    from caseload.services.due import CourtClosedDays

    closed = CourtClosedDays(standards)
    due_on = court_report_due(hearing_on, standards.court_report_lead_days, closed)
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        check(record_rules.hearing_date_problem(family["case_number"], family["opened_on"], hearing_on))
        twin = store.hearing_id_on(rows, family["id"], hearing_on, hearing_type)
        if twin is not None:
            raise Duplicate(f"hearing {twin} is the {hearing_type} hearing of {hearing_on} already")
        warning = hearing_day_warning(hearing_on, closed)
        hearing_id = store.add_hearing(
            rows,
            family_id=family["id"],
            hearing_on=hearing_on,
            hearing_type=hearing_type,
            court=court,
            report_due_on=due_on,
            created_at=clock.now(),
        )
        audit(rows, "add", "hearing", hearing_id, family["case_number"], f"{hearing_type} on {hearing_on}")
        hearing = with_report_status(public(store.hearing(rows, hearing_id)), standards.due_soon_days)
        return hearing | {"warnings": [warning] if warning else []}


def file_report(db: Database, hearing_id: int, filed_on: dt.date | None, standards=None) -> dict:
    filed_on = filed_on or clock.today()
    due_soon_days = due_soon_days_of(standards)
    not_future(filed_on, "a filing")
    with db.write() as rows:
        found = store.hearing(rows, hearing_id)
        if found is None:
            raise NotFound(f"no hearing {hearing_id}")
        if found["report_filed_on"]:
            raise RuleViolation(
                f"the report for hearing {hearing_id} was already filed on {found['report_filed_on']}"
            )
        store.file_report(rows, hearing_id, filed_on)
        audit(rows, "file", "hearing", hearing_id, found["case_number"], f"court report filed {filed_on}")
        return with_report_status(public(store.hearing(rows, hearing_id)), due_soon_days)


def with_report_status(hearing: dict, due_soon_days: int) -> dict:
    """The hearing with its court report's status as of today (`rules.due.court_report_status`) and
    the days to the report's due date (negative: past it) while it is not filed."""
    from caseload.rules.due import REPORT_FILED, court_report_status

    today = clock.today()
    if hearing.get("outcome") == "cancelled":
        return hearing | {"report_status": "cancelled", "days_to_report_due": None}
    status = court_report_status(
        hearing["hearing_on"], hearing["report_due_on"], hearing["report_filed_on"], today, due_soon_days
    )
    days = None if status == REPORT_FILED else (hearing["report_due_on"] - today).days
    return hearing | {"report_status": status, "days_to_report_due": days}


def list_hearings(
    db: Database,
    case_number: str | None,
    upcoming_only: bool = False,
    standards=None,
    worker_id: str | None = None,
    team: bool = False,
) -> list[dict]:
    """Hearings with their court report's status, of one case, else of `worker_id`'s cases (`team`:
    her team's), else of every case; `standards` default to `load_standards()`."""
    from caseload.services.corrections import hearing_histories

    due_soon_days = due_soon_days_of(standards)
    with db.read() as rows:
        require_worker(rows, worker_id)
        family_id = require_family(rows, case_number)["id"] if case_number else None
        since = clock.today() if upcoming_only else None
        found = store.hearings(
            rows, family_id, since=since, worker_id=worker_id, team=team, covered_on=clock.today()
        )
        histories = hearing_histories(rows, [h["id"] for h in found])
    return [
        with_report_status(public(h), due_soon_days) | {"history": histories.get(h["id"], [])} for h in found
    ]


def review_plan(db: Database, case_number: str, review_on: dt.date, note: str | None) -> dict:
    not_future(review_on, "a plan review")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        within_case(family, review_on, "the review")
        if store.plan_review_id_on(rows, family["id"], review_on) is not None:
            raise Duplicate(f"case {family['case_number']} has a plan review on {review_on} already")
        review_id = store.add_plan_review(
            rows,
            family_id=family["id"],
            review_on=review_on,
            note=note,
            recorded_at=clock.now(),
            recorded_by=acting_worker(),
        )
        audit(rows, "add", "plan_review", review_id, family["case_number"], f"reviewed {review_on}")
    return {"id": review_id, "case_number": family["case_number"], "review_on": review_on, "note": note}
