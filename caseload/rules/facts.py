"""Plain data the rules read: what the store knows about a case, with no database behind it.

The store builds these in a few set-based queries; the rules never see a connection or a clock.
All dates are `datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PROGRAMS = ("foster_care", "in_home", "family_preservation")
RISKS = ("low", "moderate", "high", "very_high")


@dataclass(frozen=True)
class PlacementFact:
    """One placement of a child; `end_on` is the child's last day there (None: still open)."""

    start_on: dt.date
    end_on: dt.date | None = None
    removed_on: dt.date | None = None
    adjudicated_on: dt.date | None = None


@dataclass(frozen=True)
class ContactFact:
    """A counting visit (face-to-face, not void) at which this child was seen."""

    visit_on: dt.date
    at_home: bool = False


@dataclass(frozen=True)
class HearingFact:
    id: int
    hearing_on: dt.date
    type: str  # adjudication | disposition | review | permanency | tpr | other
    report_filed_on: dt.date | None = None
    # The due date fixed when the hearing was scheduled; None: derive it from the court calendar.
    report_due_on: dt.date | None = None


@dataclass(frozen=True)
class GoalFact:
    id: int
    text: str
    status: str
    target_on: dt.date | None = None
    member: str | None = None


@dataclass(frozen=True)
class ChildFact:
    """A child of a foster-care case with the placements and counting contacts that concern them."""

    member_id: int
    name: str
    born_on: dt.date | None = None
    placements: tuple[PlacementFact, ...] = ()
    contacts: tuple[ContactFact, ...] = ()
    # The child's CANS dates that the clock needs: the store reads only the latest on or before the
    # date judged (see store.facts.fact_queries); the rules take the latest of whatever is given.
    cans_assessments: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class SafetyPlanFact:
    """The latest safety plan of a case: its review date, and whether a review has been recorded."""

    plan_on: dt.date
    review_by_on: dt.date | None = None
    reviewed_on: dt.date | None = None


@dataclass(frozen=True)
class CaseFact:
    """Everything the due-date rules need about one case."""

    case_number: str
    family: str
    worker: str | None
    program: str
    risk: str  # the risk level the case opened with; see risk_changes
    opened_on: dt.date
    closed_on: dt.date | None = None
    # Dates of counting visits to the family (any member seen): in-home and family preservation.
    family_visits: tuple[dt.date, ...] = ()
    plan_reviews: tuple[dt.date, ...] = ()
    goals: tuple[GoalFact, ...] = ()
    # Hearings on or after the date judged, and permanency and TPR hearings of any date.
    hearings: tuple[HearingFact, ...] = ()
    children: tuple[ChildFact, ...] = field(default=())
    # SDM risk reassessments as (date, level): from each date the family is held to that level;
    # before the first, `risk` (the level the case opened with) is in force.
    risk_changes: tuple[tuple[dt.date, str], ...] = ()
    safety_plan: SafetyPlanFact | None = None
    # Counting visits on or before the date judged saved without a narrative, none added by an
    # amendment since, as (visit id, visit date).
    unwritten_notes: tuple[tuple[int, dt.date], ...] = ()
