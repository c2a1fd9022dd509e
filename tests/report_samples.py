"""Hand-built report contexts for the rendering tests: the Rivera case at the end of March 2026."""

from __future__ import annotations

import datetime as dt

from caseload.reports import contexts as c

D = dt.date
PREPARED = {"prepared_on": D(2026, 4, 1), "prepared_by": "Jamie Doe"}
HOSTILE = "| x |\n# Heading\n{{ 7*7 }}"

RIVERA = c.CaseSummary(
    case_number="2026-0142",
    family="Rivera",
    program="foster_care",
    risk="high",
    opened_on=D(2026, 1, 5),
    worker_id="jdoe",
    worker_name="Jamie Doe",
    county="Marion",
    docket="JV-26-0142",
)
CHILDREN = [
    c.Child(
        name="Maya Rivera",
        born_on=D(2016, 5, 2),
        age=9,
        placement=c.Placement(setting="kinship", provider="Lopez family", start_on=D(2026, 1, 10)),
    ),
    c.Child(name="Leo Rivera", born_on=D(2019, 8, 14), age=6, placement=None),
]
AMENDMENT = c.Amendment(
    amended_at=dt.datetime(2026, 3, 3, 16, 5, tzinfo=dt.UTC),
    amended_by="jdoe",
    reason="omitted from the original entry",
    text="Maya's grandmother, Rosa Lopez, was also present.",
)
CONTACTS = [
    c.Contact(
        id=4,
        visit_on=D(2026, 1, 31),
        visit_time="15:30",
        kind="face_to_face",
        location="home",
        duration_min=50,
        seen=["Maya Rivera"],
        narrative="Maya showed me her room and her school work.\nShe said she likes living with her aunt.",
    ),
    c.Contact(
        id=7,
        visit_on=D(2026, 3, 2),
        visit_time="16:00",
        kind="face_to_face",
        location="home",
        duration_min=45,
        seen=["Maya Rivera", "Leo Rivera"],
        narrative="Leo had a bruise on his left arm; Maya said he fell at the park.",
        safety_concern=True,
        amendments=[AMENDMENT],
    ),
    c.Contact(
        id=9,
        visit_on=D(2026, 3, 20),
        kind="phone",
        seen=["Ana Rivera"],
        narrative="Ana confirmed she is attending the parenting class.",
    ),
]
GOALS = [
    c.Goal(
        id=3,
        text="Maya attends school every day",
        member="Maya Rivera",
        domain="well_being",
        target_on=D(2026, 6, 30),
        status="in_progress",
        latest_progress=c.Progress(
            entry_on=D(2026, 3, 10), status="in_progress", note="Missed 2 days in March."
        ),
        progress=[c.Progress(entry_on=D(2026, 3, 10), status="in_progress", note="Missed 2 days in March.")],
    ),
    c.Goal(
        id=4,
        text="Ana completes a parenting class",
        member="Ana Rivera",
        domain="permanency",
        status="not_started",
    ),
]
SERVICES = [
    c.Service(
        id=1,
        name="Parenting class",
        provider="Family Center",
        member="Ana Rivera",
        goal_id=4,
        referred_on=D(2026, 2, 1),
        status="active",
        updated_on=D(2026, 2, 15),
        note="Attending weekly.",
    )
]
MEASURE = c.VisitMeasure.model_validate(
    {
        "from": "2026-02",
        "to": "2026-03",
        "child_months": 2,
        "visited_months": 1,
        "visited_pct": 50.0,
        "residence_months": 1,
        "residence_pct": 100.0,
        "meets_visit_standard": False,
        "meets_residence_standard": True,
        "children": [
            {
                "case_number": "2026-0142",
                "child": "Maya Rivera",
                "months": [
                    {"month": "2026-02", "visited": False, "in_residence": False},
                    {"month": "2026-03", "visited": True, "in_residence": True},
                ],
            }
        ],
    }
)


def court(**changes) -> c.CourtReportContext:
    values = {
        **PREPARED,
        "case": RIVERA,
        "as_of": D(2026, 4, 1),
        "hearing": c.Hearing(
            id=2,
            hearing_on=D(2026, 5, 4),
            type="review",
            court="Marion County Juvenile Court",
            report_due_on=D(2026, 4, 24),
            report_status="due",
        ),
        "period_from": D(2026, 1, 5),
        "period_to": D(2026, 4, 1),
        "period_basis": "since the case opened; no earlier hearing",
        "children": CHILDREN,
        "others": [c.Person(name="Ana Rivera", role="parent")],
        "contacts": CONTACTS,
        "measure": MEASURE,
        "goals": GOALS,
        "services": SERVICES,
        "safety_concerns": [CONTACTS[1]],
    }
    return c.CourtReportContext(**{**values, **changes})


def note(**changes) -> c.ProgressNoteContext:
    visit = c.VisitRecord(
        **CONTACTS[1].model_dump(),
        assessment="Explanation consistent with the injury; no other marks seen.",
        plan="Follow up with the school nurse.\nNext visit in April.",
        goals=[c.GoalRef(id=3, text="Maya attends school every day", status="in_progress")],
        recorded_at=dt.datetime(2026, 3, 2, 21, 10, tzinfo=dt.UTC),
        recorded_by="jdoe",
    )
    values = {**PREPARED, "case": RIVERA, "signed_by": "Jamie Doe", "children": CHILDREN, "visit": visit}
    return c.ProgressNoteContext(**{**values, **changes})


def progress(**changes) -> c.MonthlyProgressContext:
    values = {
        **PREPARED,
        "case": RIVERA,
        "month": "2026-03",
        "period_from": D(2026, 3, 1),
        "period_to": D(2026, 3, 31),
        "children": CHILDREN,
        "contacts": CONTACTS[1:],
        "goals": GOALS,
        "services": SERVICES,
        "deadlines": [
            c.Deadline(
                kind="court_report",
                subject="review hearing 2026-05-04",
                due_on=D(2026, 4, 24),
                status="due_soon",
                days_overdue=-6,
                rule="court report 10 days before the hearing",
            )
        ],
        "deadlines_as_of": D(2026, 4, 18),
        "deadlines_within_days": 30,
    }
    return c.MonthlyProgressContext(**{**values, **changes})


def caseload(**changes) -> c.CaseloadReviewContext:
    summary = MEASURE.model_dump(exclude={"children"})
    worker = c.WorkerReview(
        worker_id="jdoe",
        worker_name="Jamie Doe",
        open_cases=2,
        cases_by_program=[
            c.CaseCount(program="foster_care", cases=1),
            c.CaseCount(program="in_home", cases=1),
        ],
        children_in_care=1,
        overdue=1,
        due_soon=2,
        measure_last_month=c.MeasureSummary.model_validate(
            {
                **summary,
                "from": "2026-03",
                "child_months": 1,
                "visited_months": 1,
                "visited_pct": 100.0,
                "residence_months": 1,
                "residence_pct": 100.0,
                "meets_visit_standard": True,
            }
        ),
        measure_fiscal_year=c.MeasureSummary.model_validate(summary),
        hearings=[
            c.UpcomingHearing(
                case_number="2026-0142",
                family="Rivera",
                hearing_on=D(2026, 5, 4),
                type="review",
                report_due_on=D(2026, 4, 24),
                report_status="due",
            )
        ],
    )
    unassigned = c.WorkerReview(
        worker_id=None,
        worker_name="Unassigned",
        open_cases=1,
        cases_by_program=[c.CaseCount(program="in_home", cases=1)],
        children_in_care=0,
        overdue=1,
        due_soon=0,
    )
    values = {
        **PREPARED,
        "scope": "all workers",
        "as_of": D(2026, 4, 1),
        "hearings_until": D(2026, 5, 1),
        "workers": [worker, unassigned],
    }
    return c.CaseloadReviewContext(**{**values, **changes})
