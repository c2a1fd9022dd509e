"""Structured assessments: the risk level in force on a date, reassessment clocks, safety-plan reviews,
and the CANS reading of needs and strengths. Pure functions over the facts.

SDM (Structured Decision Making) risk levels and the CANS (Child and Adolescent Needs and Strengths)
are agencies' licensed instruments; caseload records their results, never the instruments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from caseload.rules.episodes import Episode
from caseload.rules.facts import CaseFact, ChildFact
from caseload.rules.months import add_months

ACTIONABLE_FROM = 2  # CANS: 0 no evidence, 1 watch, 2 act, 3 act immediately


def risk_on(case: CaseFact, day: dt.date) -> str:
    """The risk level in force on `day`: the latest SDM reassessment on or before it, else the
    level the case opened with."""
    level = case.risk
    for changed_on, changed_to in sorted(case.risk_changes):
        if changed_on > day:
            break
        level = changed_to
    return level


def interval_met_on(case: CaseFact, since: dt.date, interval_days) -> tuple[dt.date, str]:
    """The first day on which the days since `since` reach the interval of the risk in force that
    day, and that risk. A reassessment to a higher risk holds the family to the shorter interval
    from its date on (so a visit can fall due on the very day of the reassessment); one to a lower
    risk relaxes it from then on.

    `interval_days(risk)` gives the interval of a risk level (the standards file).
    """
    boundaries = sorted(day for day, _ in case.risk_changes if day > since)
    segment_start = since
    for segment_end in [*boundaries, None]:
        risk = risk_on(case, segment_start)
        due = max(segment_start, since + dt.timedelta(days=interval_days(risk)))
        if segment_end is None or due < segment_end:
            return due, risk
        segment_start = segment_end
    raise AssertionError("unreachable: the last segment is open-ended")


class AssessmentDeadline(NamedTuple):
    """A reassessment or review due (a named tuple, as the other deadlines: thousands a morning)."""

    subject: str
    due_on: dt.date
    rule: str


def sdm_reassessment(case: CaseFact, every_days: int, as_of: dt.date) -> Iterator[AssessmentDeadline]:
    """SDM risk reassessment of a family served at home, every `every_days` (90) days after the
    latest one on or before `as_of`, the first `every_days` after the case opened. Reading: the
    agency's policy clock from the standards file (0: off); foster-care cases are reassessed by
    other tools."""
    if case.program == "foster_care" or every_days == 0:
        return
    done = [day for day, _ in case.risk_changes if day <= as_of]
    since = max(done, default=case.opened_on)
    yield AssessmentDeadline(
        f"{case.family} family (SDM risk)",
        since + dt.timedelta(days=every_days),
        f"SDM risk reassessment every {every_days} days",
    )


def cans_reassessment(
    children_in_care: Iterable[tuple[ChildFact, Episode]], every_months: int, within_days: int, as_of: dt.date
) -> Iterator[AssessmentDeadline]:
    """A CANS for each child in foster care (with the current removal episode) within `within_days`
    (30) of coming into care (the removal that began the episode), then every `every_months` (6)
    months after the latest. Reading: a CANS from an earlier episode does not count for the current
    one. `every_months` 0 turns the clock off."""
    if every_months == 0:
        return
    for child, episode in children_in_care:
        done = [day for day in child.cans_assessments if episode.removed_on <= day <= as_of]
        if done:
            due, rule = add_months(max(done), every_months), f"CANS every {every_months} months"
        else:
            due = episode.removed_on + dt.timedelta(days=within_days)
            rule = f"CANS within {within_days} days of coming into care"
        yield AssessmentDeadline(f"{child.name} (CANS)", due, rule)


def safety_plan_review(case: CaseFact, as_of: dt.date) -> Iterator[AssessmentDeadline]:
    """The review date of the latest safety plan, until the plan is reviewed or replaced (a newer
    plan is the latest one, so the older plan's date no longer counts)."""
    plan = case.safety_plan
    if plan is None or plan.review_by_on is None or plan.plan_on > as_of:
        return
    if plan.reviewed_on is not None and plan.reviewed_on <= as_of:
        return
    yield AssessmentDeadline(f"{case.family} family", plan.review_by_on, "safety plan review date")


def cans_trend(previous: Mapping[str, int] | None, current: Mapping[str, int]) -> dict[str, str]:
    """Each item's change since the previous CANS: improved (rated lower), same, worse, or new.
    On the CANS, lower is better for needs and for strengths alike (0 = a centrepiece strength)."""
    trend = {}
    for item, rating in current.items():
        before = None if previous is None else previous.get(item)
        if before is None:
            trend[item] = "new"
        elif rating < before:
            trend[item] = "improved"
        elif rating > before:
            trend[item] = "worse"
        else:
            trend[item] = "same"
    return trend


def actionable(ratings: Mapping[str, int]) -> list[str]:
    """Items rated 2 or 3: the needs a service plan should target."""
    return sorted(item for item, rating in ratings.items() if rating >= ACTIONABLE_FROM)
