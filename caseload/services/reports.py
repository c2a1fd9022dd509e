"""Use cases of the reports: gather each report's context from the store, and log each disclosure.

One function per report reads everything in one snapshot with a handful of queries for the whole
case (or caseload) and returns its typed context; the command renders it. A report leaves the
system only through `record_disclosure`, which writes the audit row in the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from caseload import clock
from caseload.errors import NotFound, RuleViolation
from caseload.reports import contexts as c
from caseload.rules.due import court_report_status
from caseload.rules.episodes import episode_on, removal_episodes
from caseload.rules.facts import CaseFact
from caseload.rules.measure import Measure, federal_measure, fiscal_year_period
from caseload.rules.months import Month, months_from
from caseload.rules.record import age_on
from caseload.rules.trend import monthly
from caseload.services.common import disclose, due_soon_days_of, require_family, require_worker
from caseload.services.visits import describe_visits
from caseload.settings import acting_worker
from caseload.store import records, reporting
from caseload.store.db import Database, Rows
from caseload.store.facts import CaseFilter, case_facts

if TYPE_CHECKING:
    from caseload.rules.standards_model import Standards

UPCOMING_DAYS = 30  # how far ahead "upcoming" deadlines and hearings reach


# -- court report ----------------------------------------------------------------------------


def court_report(
    db: Database,
    case_number: str,
    *,
    hearing_id: int | None,
    since: dt.date | None,
    as_of: dt.date,
    standards: Standards | None = None,
) -> c.CourtReportContext:
    """The court report: the hearing (default: the next on or after `as_of`) and everything since the
    previous hearing (or `since`, or the case's opening) up to `as_of` or the hearing, if earlier;
    the hearing's report status as of `as_of` (`rules.due.court_report_status`)."""
    due_soon_days = due_soon_days_of(standards)
    with db.read() as rows:
        family = require_family(rows, case_number)
        hearings = reporting.hearings(rows, family["id"])
        hearing = _chosen_hearing(hearings, hearing_id, as_of, family["case_number"])
        period_to = as_of if hearing is None else min(as_of, hearing["hearing_on"])
        period_from, basis = _period_start(hearings, hearing, since, family, period_to)
        if hearing is not None:
            status = court_report_status(
                hearing["hearing_on"],
                hearing["report_due_on"],
                hearing["report_filed_on"],
                as_of,
                due_soon_days,
            )
            hearing = hearing | {"report_status": status}
        children, others = _members(rows, family["id"], as_of)
        everything = _contacts(rows, family["id"], period_from, period_to)
        contacts = [contact for contact in everything if contact.kind != "family_time"]
        return c.CourtReportContext(
            **_prepared(rows),
            case=_case_summary(rows, family, as_of),
            as_of=as_of,
            hearing=hearing,
            period_from=period_from,
            period_to=period_to,
            period_basis=basis,
            children=children,
            others=others,
            contacts=contacts,
            measure=_case_measure(rows, family, Month.of(period_from), Month.of(period_to), as_of),
            goals=_goals(rows, family["id"], period_from, period_to),
            services=reporting.services(rows, family["id"], period_to),
            safety_concerns=[contact for contact in contacts if contact.safety_concern],
            family_time=[contact for contact in everything if contact.kind == "family_time"],
            assessments=_assessments(rows, family["id"], period_to),
            part2_notice=_part2_notice(everything),
        )


def _chosen_hearing(
    hearings: list[dict], hearing_id: int | None, as_of: dt.date, case_number: str
) -> dict | None:
    if hearing_id is None:
        return next((h for h in hearings if h["hearing_on"] >= as_of), None)
    for hearing in hearings:
        if hearing["id"] == hearing_id:
            return hearing
    raise NotFound(f"no hearing {hearing_id} on case {case_number}")


def _period_start(
    hearings: list[dict], hearing: dict | None, since: dt.date | None, family: dict, period_to: dt.date
) -> tuple[dt.date, str]:
    """Where the report's period begins, and why: `--since`, else the previous hearing, else opening."""
    if since is not None:
        if since > period_to:
            raise RuleViolation(f"--since {since} is after the end of the report period ({period_to})")
        return since, "as asked with --since"
    earlier = [
        h
        for h in hearings
        if h["hearing_on"] <= period_to and (hearing is None or h["hearing_on"] < hearing["hearing_on"])
    ]
    if earlier:
        previous = earlier[-1]
        return previous["hearing_on"], f"since the {previous['type']} hearing of {previous['hearing_on']}"
    return family["opened_on"], "since the case opened; no earlier hearing is recorded"


def _case_measure(
    rows: Rows, family: dict, first: Month, last: Month, as_of: dt.date
) -> c.VisitMeasure | None:
    """The federal measure over the period's calendar months that ended before `as_of` (foster care)."""
    last = min(last, Month.of(as_of) - 1)
    if family["program"] != "foster_care" or last < first:
        return None
    chosen = CaseFilter(as_of=as_of, case_number=family["case_number"], open_after=first.first_day)
    facts = case_facts(rows, chosen, contacts_since=first.first_day)
    measure = federal_measure(_children_of(facts), first, last, as_of)
    return c.VisitMeasure.model_validate(measure.to_json())


# -- progress note ---------------------------------------------------------------------------


def progress_note(db: Database, visit_id: int) -> c.ProgressNoteContext:
    """The DAP note of one visit, void or not (a void one is marked so)."""
    with db.read() as rows:
        found = records.visit(rows, visit_id)
        if found is None:
            raise NotFound(f"no visit {visit_id}")
        family = require_family(rows, found["case_number"])
        visit = describe_visits(rows, [found])[0]
        void = None
        if visit["void"]:
            void = c.VoidMark(
                voided_at=visit["voided_at"], voided_by=visit["voided_by"], reason=visit["void_reason"]
            )
        record = c.VisitRecord(
            **_contact(visit).model_dump(),
            assessment=visit["assessment"],
            plan=visit["plan"],
            goals=reporting.goal_refs(rows, visit["goals"]),
            recorded_at=visit["recorded_at"],
            recorded_by=visit["recorded_by"],
            void=void,
        )
        return c.ProgressNoteContext(
            **_prepared(rows),
            case=_case_summary(rows, family, visit["visit_on"]),
            signed_by=_worker_name(rows, visit["recorded_by"]),
            children=_members(rows, family["id"], visit["visit_on"])[0],
            visit=record,
            part2_notice=_part2_notice([record]),
        )


# -- monthly progress ------------------------------------------------------------------------


def monthly_progress(
    db: Database, standards: Standards, case_number: str, month: Month
) -> c.MonthlyProgressContext:
    """A month of one case: its contacts, goal progress and services, and what is due in the next
    `UPCOMING_DAYS` days as of today."""
    today = clock.today()
    if month.first_day > today:
        raise RuleViolation(f"{month} has not begun (today is {today})")
    with db.read() as rows:
        family = require_family(rows, case_number)
        facts = case_facts(rows, CaseFilter(as_of=today, case_number=family["case_number"]))
        deadlines = [
            c.Deadline(**{key: item.to_json()[key] for key in c.Deadline.model_fields})
            for item in _due_items(facts, standards, today, UPCOMING_DAYS)
        ]
        contacts = _contacts(rows, family["id"], month.first_day, month.last_day)
        return c.MonthlyProgressContext(
            **_prepared(rows),
            case=_case_summary(rows, family, today),
            month=str(month),
            period_from=month.first_day,
            period_to=month.last_day,
            children=_members(rows, family["id"], min(today, month.last_day))[0],
            contacts=contacts,
            part2_notice=_part2_notice(contacts),
            assessments=_assessments(rows, family["id"], month.last_day),
            goals=_goals(rows, family["id"], month.first_day, month.last_day),
            services=reporting.services(rows, family["id"], month.last_day),
            deadlines=deadlines,
            deadlines_as_of=today,
            deadlines_within_days=UPCOMING_DAYS,
        )


# -- caseload review -------------------------------------------------------------------------


def caseload_review(
    db: Database, standards: Standards, *, worker_id: str | None, as_of: dt.date, team: bool = False
) -> c.CaseloadReviewContext:
    """Per worker: open cases by program, children in care, overdue and due-soon counts, the visit
    measure for the last ended month and the fiscal year to date (and month by month), hearings held
    or with their court report due in the next 30 days, and hearings of the fiscal year held without
    a filed report."""
    year_first, year_last = fiscal_year_period(as_of)
    with db.read() as rows:
        require_worker(rows, worker_id)
        names = {worker["id"]: worker["name"] for worker in records.workers(rows)}
        # every worker of the scope has a section, also one without cases (but not a supervisor
        # who carries no cases herself)
        members = [w["id"] for w in records.team(rows, worker_id)] if worker_id and team else [worker_id]
        chosen = CaseFilter(as_of=as_of, worker_id=worker_id, open_after=year_first.first_day, team=team)
        facts = case_facts(rows, chosen, contacts_since=year_first.first_day)
        unfiled = reporting.hearings_without_report(rows, chosen, year_first.first_day)
        prepared = _prepared(rows)
    passed: dict[str | None, list[c.PassedHearing]] = defaultdict(list)
    for hearing in unfiled:
        passed[hearing.pop("worker_id")].append(c.PassedHearing.model_validate(hearing))
    by_worker: dict[str | None, list[CaseFact]] = defaultdict(list)
    for case in facts:
        if case.opened_on <= as_of:
            by_worker[case.worker].append(case)
    for member in members if worker_id is not None else ():
        if member != worker_id or len(members) == 1:
            by_worker.setdefault(member, [])
    for worker in passed:
        by_worker.setdefault(worker, [])
    reviews = [
        _worker_review(
            worker, names.get(worker, worker) if worker else "Unassigned", cases, standards, as_of
        ).model_copy(update={"hearings_without_report": passed.get(worker, [])})
        for worker, cases in sorted(by_worker.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]
    unit = federal_measure(
        _children_of(case for cases in by_worker.values() for case in cases), year_first, year_last, as_of
    )
    scope = f"worker {worker_id} ({names[worker_id]})" if worker_id else "all workers"
    if len(members) > 1:
        scope = f"team of {worker_id} ({names[worker_id]})"
    return c.CaseloadReviewContext(
        **prepared,
        scope=scope,
        as_of=as_of,
        hearings_until=as_of + dt.timedelta(days=UPCOMING_DAYS),
        workers=reviews,
        trend_months=[str(month) for month in months_from(year_first, year_last)],
        visited_by_month=_visited_by_month(unit),
    )


def _visited_by_month(measure: Measure) -> list[float | None]:
    """Visited % of each month of the measure's period, rounded as the measure reports it."""
    return [month.summary()["visited_pct"] for month in monthly(measure)]


def _worker_review(
    worker: str | None, name: str, cases: list[CaseFact], standards: Standards, as_of: dt.date
) -> c.WorkerReview:
    year_first, year_last = fiscal_year_period(as_of)
    last_month = Month.of(as_of) - 1
    open_cases = [case for case in cases if case.closed_on is None or case.closed_on > as_of]
    programs = Counter(case.program for case in open_cases)
    statuses = Counter(item.status for item in _due_items(open_cases, standards, as_of, None))
    children = _children_of(cases)
    in_care = [
        child
        for case in open_cases
        for child in case.children
        if episode_on(removal_episodes(child.placements), as_of)
    ]
    until = as_of + dt.timedelta(days=UPCOMING_DAYS)
    hearings = [
        c.UpcomingHearing(
            case_number=case.case_number,
            family=case.family,
            hearing_on=hearing.hearing_on,
            type=hearing.type,
            report_due_on=hearing.report_due_on,
            report_filed_on=hearing.report_filed_on,
            report_status=court_report_status(
                hearing.hearing_on,
                hearing.report_due_on,
                hearing.report_filed_on,
                as_of,
                standards.due_soon_days,
            ),
        )
        for case in open_cases
        for hearing in case.hearings
        # held in the window, or later with the report due in it (a hearing of 01-04 has its report
        # due 12-24) or already overdue
        if hearing.hearing_on >= as_of and min(hearing.hearing_on, hearing.report_due_on) <= until
    ]
    year = federal_measure(children, year_first, year_last, as_of)
    return c.WorkerReview(
        worker_id=worker,
        worker_name=name,
        open_cases=len(open_cases),
        cases_by_program=[c.CaseCount(program=p, cases=n) for p, n in sorted(programs.items())],
        children_in_care=len(in_care),
        overdue=statuses["overdue"],
        due_soon=statuses["due_soon"],
        measure_last_month=_summary(federal_measure(children, last_month, last_month, as_of)),
        measure_fiscal_year=_summary(year),
        hearings=sorted(hearings, key=lambda h: (h.hearing_on, h.case_number)),
        visited_by_month=_visited_by_month(year),
    )


def _summary(measure: Measure) -> c.MeasureSummary:
    document = measure.to_json()
    document.pop("children")
    return c.MeasureSummary.model_validate(document)


# -- the disclosure log ----------------------------------------------------------------------


def record_disclosure(
    db: Database,
    *,
    report: str,
    entity_id: object,
    case_number: str | None,
    detail: str,
    deliver: Callable[[], None],
) -> None:
    """Audit a report (action "report") and hand it over in the same unit of work."""
    disclose(db, "report", report, entity_id, case_number, detail, deliver)


# -- shared pieces ---------------------------------------------------------------------------


def _prepared(rows: Rows) -> dict:
    return {"prepared_on": clock.today(), "prepared_by": _worker_name(rows, acting_worker())}


def _worker_name(rows: Rows, worker_id: str | None) -> str:
    found = records.worker(rows, worker_id) if worker_id else None
    return found["name"] if found else (worker_id or "unknown")


def _case_summary(rows: Rows, family: dict, risk_on: dt.date) -> c.CaseSummary:
    """The case as a report shows it, with the risk in force on `risk_on` (the report's date): the
    latest SDM risk assessment on or before it, else the risk the case was given."""
    from caseload.store.assessments import assessed_risks

    shared = ("case_number", "program", "opened_on", "closed_on", "worker_id", "county", "docket")
    worker = family["worker_id"]
    return c.CaseSummary(
        **{key: family[key] for key in shared},
        risk=assessed_risks(rows, risk_on).get(family["id"], family["risk"]),
        family=family["name"],
        worker_name=_worker_name(rows, worker) if worker else None,
    )


def _members(rows: Rows, family_id: int, day: dt.date) -> tuple[list[c.Child], list[c.Person]]:
    """The children with their age and placement on `day`, and the other members."""
    placed = {
        p["member_id"]: c.Placement(setting=p["setting"], provider=p["provider"], start_on=p["start_on"])
        for p in records.placements(rows, family_id)
        if p["start_on"] <= day and (p["end_on"] is None or p["end_on"] >= day)
    }
    children, others = [], []
    for member in records.members(rows, family_id):
        if member["role"] == "child":
            children.append(
                c.Child(
                    name=member["name"],
                    born_on=member["born_on"],
                    age=age_on(member["born_on"], day),
                    placement=placed.get(member["id"]),
                )
            )
        else:
            others.append(c.Person(name=member["name"], role=member["role"]))
    return children, others


def _contact(visit: dict) -> c.Contact:
    return c.Contact(
        **{key: visit[key] for key in c.Contact.model_fields if key not in ("amendments",)},
        amendments=[
            c.Amendment(
                amended_at=a["amended_at"],
                amended_by=a["amended_by"],
                reason=a["reason"],
                text=a["narrative"],
            )
            for a in visit["amendments"]
        ],
    )


def _assessments(rows: Rows, family_id: int, until: dt.date) -> list[c.AssessmentResult]:
    """The latest SDM risk assessment and each child's latest CANS up to `until`, with its trend."""
    from caseload.services.assessments import describe, latest_by_kind

    found = [a for a in describe(rows, family_id) if a["assessed_on"] <= until]
    return [
        c.AssessmentResult(
            instrument=a["instrument"],
            assessed_on=a["assessed_on"],
            member=a["member"],
            level=a["level"],
            score=a["score"],
            items=[
                c.AssessmentItem(item=item, rating=rating, trend=a["trend"][item])
                for item, rating in a.get("ratings", {}).items()
            ],
        )
        for a in latest_by_kind(found)
    ]


def _part2_notice(contacts: list[c.Contact]) -> str | None:
    """The 42 CFR 2.32 redisclosure statement when any included contact is a Part 2 record."""
    from caseload.disclosure import part2_notice

    return part2_notice() if any(contact.part2 for contact in contacts) else None


def _contacts(rows: Rows, family_id: int, since: dt.date, until: dt.date) -> list[c.Contact]:
    """The contacts of a period, oldest first; those voided as made in error are left out."""
    found = records.visits(rows, family_id=family_id, since=since, until=until)
    return [_contact(visit) for visit in describe_visits(rows, found) if not visit["void"]]


def _goals(rows: Rows, family_id: int, since: dt.date, until: dt.date) -> list[c.Goal]:
    """Every goal of the case with its latest progress up to `until` and its entries of the period."""
    progress = reporting.goal_progress(rows, family_id, until)
    goals = []
    for goal in records.goals(rows, family_id):
        entries = [c.Progress(**entry) for entry in progress.get(goal["id"], [])]
        goals.append(
            c.Goal(
                **goal,
                latest_progress=entries[-1] if entries else None,
                progress=[entry for entry in entries if entry.entry_on >= since],
            )
        )
    return goals


def _children_of(facts: Iterable[CaseFact]) -> list:
    return [(case.case_number, child) for case in facts for child in case.children]


def _due_items(facts: Iterable[CaseFact], standards: Standards, as_of: dt.date, within: int | None) -> list:
    from caseload.rules.due import due_items, sort_items
    from caseload.services.due import CourtClosedDays

    closed = CourtClosedDays(standards)
    return sort_items(
        item for case in facts for item in due_items(case, standards, as_of, within, court_closed=closed)
    )
