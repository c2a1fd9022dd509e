"""Everything each report shows, as typed values: `--json` prints them, templates format them.

The services build these from the store; tests build them by hand. Vocabulary words stay as stored
(`face_to_face`); the templates turn them into words. Every report carries its title, "DRAFT", the
date it was prepared and who prepared it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(moment: dt.datetime) -> dt.datetime:
    """Stored timestamps are UTC; PostgreSQL hands them back in the session's zone."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


Timestamp = Annotated[dt.datetime, AfterValidator(_utc)]


class _Part(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


class Report(_Part):
    title: str
    status: Literal["DRAFT"] = "DRAFT"
    prepared_on: dt.date
    prepared_by: str  # the acting worker's name (id when not registered)
    redacted: bool = False  # children's names reduced to initials, dates of birth left out
    part2_notice: str | None = None  # the 42 CFR 2.32 statement, when a Part 2 record is included


class CaseSummary(_Part):
    case_number: str
    family: str
    program: str
    risk: str
    opened_on: dt.date
    closed_on: dt.date | None = None
    worker_id: str | None = None
    worker_name: str | None = None
    county: str | None = None
    docket: str | None = None


class Placement(_Part):
    setting: str
    provider: str | None = None
    start_on: dt.date


class Child(_Part):
    name: str
    born_on: dt.date | None = None
    age: int | None = None  # whole years on the report's as-of date
    placement: Placement | None = None  # the current one


class Person(_Part):
    """A member of the family who is not a child of the case."""

    name: str
    role: str


class Amendment(_Part):
    amended_at: Timestamp
    amended_by: str
    reason: str
    text: str


class Contact(_Part):
    """A visit or other contact as reports list it (void ones are left out of lists)."""

    id: int
    visit_on: dt.date
    visit_time: str | None = None
    kind: str
    location: str | None = None
    duration_min: int | None = None
    part2: bool = False  # holds substance-use disorder treatment information (42 CFR Part 2)
    supervision: str | None = None  # family time only: supervised | monitored | unsupervised
    seen: list[str] = []
    narrative: str | None = None
    safety_concern: bool = False
    late_entry: bool = False
    amendments: list[Amendment] = []


class GoalRef(_Part):
    id: int
    text: str
    status: str


class VoidMark(_Part):
    voided_at: Timestamp
    voided_by: str
    reason: str


class VisitRecord(Contact):
    """One visit in full, for its DAP progress note."""

    assessment: str | None = None
    plan: str | None = None
    goals: list[GoalRef] = []
    recorded_at: Timestamp
    recorded_by: str
    void: VoidMark | None = None


class Progress(_Part):
    entry_on: dt.date
    status: str | None = None
    note: str | None = None


class Goal(_Part):
    id: int
    text: str
    member: str | None = None
    domain: str | None = None
    target_on: dt.date | None = None
    status: str
    latest_progress: Progress | None = None
    progress: list[Progress] = []  # the entries of the report's period, oldest first


class Service(_Part):
    id: int
    name: str
    provider: str | None = None
    member: str | None = None
    goal_id: int | None = None
    referred_on: dt.date
    status: str
    updated_on: dt.date | None = None  # the latest status update
    note: str | None = None  # its note


class Hearing(_Part):
    id: int
    hearing_on: dt.date
    type: str
    court: str | None = None
    report_due_on: dt.date
    report_filed_on: dt.date | None = None
    report_status: str  # as of the report's as_of: filed | overdue | due_soon | due | not filed


class MeasureMonth(_Part):
    month: str  # YYYY-MM
    visited: bool
    in_residence: bool


class MeasureChild(_Part):
    case_number: str
    child: str
    months: list[MeasureMonth] = []


class MeasureSummary(_Part):
    """The federal monthly caseworker visit measure (SPEC 6), as `compliance --json` totals it."""

    from_month: str = Field(alias="from")
    to_month: str = Field(alias="to")
    child_months: int
    visited_months: int
    visited_pct: float | None = None
    residence_months: int
    residence_pct: float | None = None
    meets_visit_standard: bool | None = None
    meets_residence_standard: bool | None = None


class VisitMeasure(MeasureSummary):
    """The measure with its month-by-month detail per child."""

    children: list[MeasureChild] = []


class Deadline(_Part):
    kind: str
    subject: str
    due_on: dt.date
    status: str  # overdue | due_soon
    days_overdue: int
    rule: str


class AssessmentItem(_Part):
    item: str
    rating: int  # 0-3
    trend: str  # improved | same | worse | new (since the child's previous CANS)


class AssessmentResult(_Part):
    """The latest SDM risk assessment of the family, or a child's latest CANS with its trend."""

    instrument: str  # sdm_risk | cans
    assessed_on: dt.date
    member: str | None = None
    level: str | None = None
    score: int | None = None
    items: list[AssessmentItem] = []


class CourtReportContext(Report):
    title: str = "Court report"
    case: CaseSummary
    as_of: dt.date
    hearing: Hearing | None = None  # the one the report is for; None when none is scheduled
    period_from: dt.date
    period_to: dt.date
    period_basis: str  # why the period starts where it does
    children: list[Child] = []
    others: list[Person] = []
    contacts: list[Contact] = []
    measure: VisitMeasure | None = None  # None when the period holds no ended month
    goals: list[Goal] = []
    services: list[Service] = []
    safety_concerns: list[Contact] = []
    family_time: list[Contact] = []  # parent-child visits the agency supervised, kept out of `contacts`
    assessments: list[AssessmentResult] = []


class ProgressNoteContext(Report):
    title: str = "Progress note (DAP)"
    case: CaseSummary
    signed_by: str  # the worker who recorded the visit (name, else id)
    children: list[Child] = []
    visit: VisitRecord


class MonthlyProgressContext(Report):
    title: str = "Monthly progress"
    case: CaseSummary
    month: str  # YYYY-MM
    period_from: dt.date
    period_to: dt.date
    children: list[Child] = []
    contacts: list[Contact] = []
    goals: list[Goal] = []
    services: list[Service] = []
    deadlines: list[Deadline] = []  # overdue, or due within `deadlines_within_days` of `deadlines_as_of`
    assessments: list[AssessmentResult] = []
    deadlines_as_of: dt.date
    deadlines_within_days: int


class CaseCount(_Part):
    program: str
    cases: int


class UpcomingHearing(_Part):
    case_number: str
    family: str
    hearing_on: dt.date
    type: str
    report_due_on: dt.date
    report_filed_on: dt.date | None = None
    report_status: str  # rules.due.court_report_status: filed | overdue | due_soon | due


class PassedHearing(_Part):
    """A hearing held without its court report filed by the hearing day."""

    case_number: str
    family: str
    hearing_on: dt.date
    type: str
    report_due_on: dt.date
    report_filed_on: dt.date | None = None  # filed after the hearing, or None: never filed


class WorkerReview(_Part):
    worker_id: str | None  # None: the cases no worker is assigned to
    worker_name: str
    open_cases: int
    cases_by_program: list[CaseCount] = []
    children_in_care: int
    overdue: int
    due_soon: int
    measure_last_month: MeasureSummary | None = None
    measure_fiscal_year: MeasureSummary | None = None
    hearings: list[UpcomingHearing] = []  # held, or with the report due, by hearings_until
    hearings_without_report: list[PassedHearing] = []  # held this fiscal year before as_of
    visited_by_month: list[float | None] = []  # visited %, per month of trend_months


class CaseloadReviewContext(Report):
    title: str = "Caseload review"
    scope: str  # "worker jdoe (Jamie Doe)" or "all workers"
    as_of: dt.date
    hearings_until: dt.date
    workers: list[WorkerReview] = []
    trend_months: list[str] = []  # the fiscal year's ended months, YYYY-MM
    visited_by_month: list[float | None] = []  # the scope's visited %, per month of trend_months
    chart: str | None = None  # the trend chart's image, relative to the draft (URL-quoted)
