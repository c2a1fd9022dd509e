"""The federal monthly caseworker visit measure for a filter of cases, per worker and in total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseload.errors import UsageProblem
from caseload.rules.measure import Measure, MissedMonth, fiscal_year_period, measure_and_missed
from caseload.rules.months import Month
from caseload.rules.trend import monthly
from caseload.services.common import require_family, require_worker
from caseload.store.db import Database
from caseload.store.facts import CaseFilter, case_facts


@dataclass(frozen=True)
class Compliance:
    measure: Measure
    by_worker: dict[str | None, Measure]
    missed: list[MissedMonth]


@dataclass(frozen=True)
class Trend:
    """The measure month by month, in total and per worker (`compliance --by-month`)."""

    first: Month
    last: Month
    total: list[Measure]
    by_worker: dict[str | None, list[Measure]]

    def to_json(self) -> dict:
        return {
            "from": str(self.first),
            "to": str(self.last),
            "months": [_month_json(measure) for measure in self.total],
            "workers": [
                {"worker": worker, "months": [_month_json(measure) for measure in months]}
                for worker, months in self.by_worker.items()
            ],
        }


def _month_json(measure: Measure) -> dict:
    summary = measure.summary()
    del summary["from"], summary["to"]
    return {"month": str(measure.from_month), **summary}


def trend(result: Compliance) -> Trend:
    """The measure of `result` month by month: the unit's and each worker's."""
    measure = result.measure
    return Trend(
        first=measure.from_month,
        last=measure.to_month,
        total=monthly(measure),
        by_worker={worker: monthly(by_worker) for worker, by_worker in result.by_worker.items()},
    )


def period(as_of: dt.date, from_month: Month | None, to_month: Month | None) -> tuple[Month, Month]:
    """The asked period, ending no later than the last month ended before `as_of` (only ended
    months count, SPEC 6); by default the fiscal year containing `as_of`."""
    default_from, default_to = fiscal_year_period(as_of)
    first, last = from_month or default_from, min(to_month or default_to, Month.of(as_of) - 1)
    if to_month is not None and to_month < first:
        raise UsageProblem(f"--to {to_month} is before --from {first}")
    if last < first:
        raise UsageProblem(f"no month from {first} on has ended by {as_of}")
    return first, last


def compliance(
    db: Database,
    *,
    as_of: dt.date,
    first: Month,
    last: Month,
    worker_id: str | None,
    case_number: str | None,
    team: bool = False,
) -> Compliance:
    with db.read() as rows:
        require_worker(rows, worker_id)
        if case_number:
            case_number = require_family(rows, case_number)["case_number"]
        chosen = CaseFilter(
            as_of=as_of, worker_id=worker_id, case_number=case_number, open_after=first.first_day, team=team
        )
        facts = case_facts(rows, chosen, contacts_since=first.first_day)
    children = [(case.case_number, child) for case in facts for child in case.children]
    measure, missed = measure_and_missed(children, first, last, as_of)
    # Every worker of the chosen cases is listed, also one without child-months in the period.
    worker_of = {case.case_number: case.worker for case in facts}
    per_worker = {worker: [] for worker in worker_of.values()}
    for record in measure.children:
        per_worker[worker_of[record.case_number]].append(record)
    return Compliance(
        measure=measure,
        by_worker={
            worker: Measure(first, last, tuple(records))
            for worker, records in sorted(per_worker.items(), key=lambda item: item[0] or "")
        },
        missed=missed,
    )
