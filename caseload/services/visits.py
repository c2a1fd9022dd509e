"""Use cases of contacts: record, list, show, amend and void visits. Narratives are never edited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from caseload import clock
from caseload.errors import NotFound, RuleViolation, UsageProblem
from caseload.rules import record as record_rules
from caseload.services.common import audit, check, find_member, not_future, require_family, within_case
from caseload.services.due import next_visits_due_in
from caseload.settings import acting_worker
from caseload.store import records
from caseload.store.db import Database, Rows

if TYPE_CHECKING:
    from caseload.rules.standards_model import Standards


def add_visit(
    db: Database,
    case_number: str,
    *,
    visit_on: dt.date | None,
    visit_time: str | None,
    kind: str,
    location: str | None,
    seen: list[str],
    duration_min: int | None,
    narrative: str | None,
    assessment: str | None,
    plan: str | None,
    goal_ids: list[int],
    safety_concern: bool,
    standards: Standards,
    supervision: str | None = None,
    part2: bool = False,
) -> dict:
    """Record a contact. Without `seen`, a face-to-face visit or family time saw every child of the
    case; other kinds record exactly the names given, and an attempted contact no one
    (rules.contacts). Family time (a parent's visit with the child) carries its level of supervision
    and never counts as a caseworker visit. `part2` marks notes that hold substance-use disorder
    treatment information (42 CFR Part 2). A blank narrative is saved as none: `overdue` then lists
    the note as due. The record returned carries `warnings` (the same contact recorded twice).

    Returns the visit as shown, with `next_due`: when the next visit is due after it, read in the
    same unit of work (one transaction for the command, including what it prints).
    """
    from caseload.rules import contacts, plausibility

    if (kind == "family_time") != (supervision is not None):
        raise UsageProblem("family time needs --supervision, and only family time takes it")
    problem = contacts.seen_problem(kind, seen)
    if problem:
        raise UsageProblem(problem)
    if contacts.blank(narrative):
        narrative = None
    today = clock.today()
    visit_on = visit_on or today
    not_future(visit_on, "a visit")
    check(record_rules.duration_problem(duration_min))
    with db.write() as rows:
        family = require_family(rows, case_number)
        within_case(family, visit_on, "the visit")
        members = records.members(rows, family["id"])
        if seen:
            seen_members = [find_member(members, name, family["case_number"]) for name in seen]
        elif contacts.seen_by_default(kind):
            seen_members = [m for m in members if m["role"] == "child"]
        else:
            seen_members = []
        same_day = describe_visits(
            rows, records.visits(rows, family_id=family["id"], since=visit_on, until=visit_on)
        )
        warning = plausibility.duplicate_visit_warning(
            visit_on,
            kind,
            {m["name"] for m in seen_members},
            [v for v in same_day if not v["void"]],
        )
        unknown_goals = set(goal_ids) - records.goal_ids(rows, family["id"])
        if unknown_goals:
            raise NotFound(f"goal {sorted(unknown_goals)[0]} is not a goal of case {family['case_number']}")
        recorded_at = clock.now()
        visit = records.NewVisit(
            family_id=family["id"],
            visit_on=visit_on,
            visit_time=visit_time,
            kind=kind,
            location=location,
            duration_min=duration_min,
            narrative=narrative,
            assessment=assessment,
            plan=plan,
            safety_concern=safety_concern,
            supervision=supervision,
            late_entry=record_rules.is_late_entry(visit_on, today, standards.late_entry_after_days),
            part2=part2,
            recorded_at=recorded_at,
            recorded_by=acting_worker(),
            seen_member_ids=tuple({m["id"]: m for m in seen_members}),
            goal_ids=tuple(sorted(set(goal_ids))),
        )
        visit_id = records.add_visit(rows, visit)
        detail = f"{kind} on {visit_on}" + (" (42 CFR Part 2)" if part2 else "")
        audit(rows, "add", "visit", visit_id, family["case_number"], detail)
        shown = describe_visits(rows, [records.visit(rows, visit_id)])[0]
        next_due = next_visits_due_in(rows, standards, family["case_number"], today)
        return shown | {"next_due": next_due, "warnings": [warning] if warning else []}


def check_case(db: Database, case_number: str) -> None:
    """Fail now on an unknown case, before the user writes a note for it."""
    with db.read() as rows:
        require_family(rows, case_number)


def describe_visits(rows: Rows, found: list[dict]) -> list[dict]:
    """Visits with who was seen, goals addressed and amendments attached (three queries in all)."""
    ids = [v["id"] for v in found]
    seen = records.seen_names(rows, ids)
    goals = records.visit_goal_ids(rows, ids)
    amendments = records.amendments(rows, ids)
    return [
        {
            **v,
            "seen": seen.get(v["id"], []),
            "goals": goals.get(v["id"], []),
            "amendments": amendments.get(v["id"], []),
            "void": v["voided_at"] is not None,
        }
        for v in found
    ]


def list_visits(
    db: Database, case_number: str | None, since: dt.date | None, until: dt.date | None
) -> list[dict]:
    with db.read() as rows:
        family_id = require_family(rows, case_number)["id"] if case_number else None
        return describe_visits(rows, records.visits(rows, family_id=family_id, since=since, until=until))


def _require_visit(rows: Rows, visit_id: int) -> dict:
    found = records.visit(rows, visit_id)
    if not found:
        raise NotFound(f"no visit {visit_id}")
    return found


def show_visit(db: Database, visit_id: int) -> dict:
    with db.read() as rows:
        return describe_visits(rows, [_require_visit(rows, visit_id)])[0]


def amend_visit(db: Database, visit_id: int, narrative: str, reason: str) -> dict:
    """Append an amendment; the original narrative stays as it was."""
    with db.write() as rows:
        found = _require_visit(rows, visit_id)
        if found["voided_at"]:
            raise RuleViolation(f"visit {visit_id} is void: record a new visit instead")
        amendment_id = records.add_amendment(
            rows,
            visit_id=visit_id,
            narrative=narrative,
            reason=reason,
            amended_at=clock.now(),
            amended_by=acting_worker(),
        )
        audit(rows, "amend", "visit", visit_id, found["case_number"], f"amendment {amendment_id}: {reason}")
        return describe_visits(rows, [found])[0]


def void_visit(db: Database, visit_id: int, reason: str) -> dict:
    """Mark an entry made in error; it stays in the record, shown as void, and stops counting."""
    with db.write() as rows:
        found = _require_visit(rows, visit_id)
        if found["voided_at"]:
            raise RuleViolation(f"visit {visit_id} was already voided on {found['voided_at']:%Y-%m-%d}")
        records.void_visit(rows, visit_id, clock.now(), acting_worker(), reason)
        audit(rows, "void", "visit", visit_id, found["case_number"], reason)
        return describe_visits(rows, [_require_visit(rows, visit_id)])[0]
