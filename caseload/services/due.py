"""What is due: `overdue` for a filter of cases, and the next visit due after one is recorded."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from caseload.rules.due import VISIT, DueItem, deadlines, due_items, sort_items
from caseload.services.common import require_family, require_worker
from caseload.store.db import Database, Rows
from caseload.store.facts import CaseFilter, case_facts

if TYPE_CHECKING:
    from caseload.rules.standards_model import Standards


class CourtClosedDays:
    """The court's closed days, built on first look-up: loading the holiday calendars costs ~100 ms,
    and hearings carry their stored report due date, so most runs never need them."""

    def __init__(self, standards: Standards):
        self._standards = standards
        self._days = None

    def __contains__(self, day: object) -> bool:
        if self._days is None:
            from caseload.errors import CaseloadError
            from caseload.rules.courtdays import UnknownCalendar, court_holidays

            try:
                self._days = court_holidays(self._standards.holidays, self._standards.extra_court_holidays)
            except UnknownCalendar as problem:
                raise CaseloadError(str(problem)) from None
        return day in self._days


def overdue(
    db: Database,
    standards: Standards,
    *,
    as_of: dt.date,
    within: int | None,
    worker_id: str | None,
    case_number: str | None,
    team: bool = False,
) -> list[DueItem]:
    """Overdue and due-soon items of the chosen cases, worst first (SPEC section 5): of one case, of
    one worker (`team`: and of every worker under her; with the cases they cover that day), or of
    every worker."""
    with db.read() as rows:
        require_worker(rows, worker_id)
        if case_number:
            case_number = require_family(rows, case_number)["case_number"]
        facts = case_facts(
            rows,
            CaseFilter(as_of=as_of, worker_id=worker_id, case_number=case_number, team=team, covers=True),
        )
    closed = CourtClosedDays(standards)
    items = [
        item for case in facts for item in due_items(case, standards, as_of, within, court_closed=closed)
    ]
    return sort_items(items)


def next_visits_due_in(rows: Rows, standards: Standards, case_number: str, as_of: dt.date) -> list[dict]:
    """After a visit is recorded, in the caller's unit of work: when the next visit is due, per child
    (foster care) or family (after a back-dated visit, possibly before `as_of`: overdue)."""
    facts = case_facts(rows, CaseFilter(as_of=as_of, case_number=case_number))
    closed = CourtClosedDays(standards)
    return [
        {"subject": d.subject, "due_on": d.due_on, "rule": d.rule}
        for case in facts
        for d in deadlines(case, standards, as_of, court_closed=closed)
        if d.kind == VISIT
    ]
