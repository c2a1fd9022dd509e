"""Risk in force, reassessment clocks, safety-plan reviews and the CANS trend (issue 10), hand-checked."""

import dataclasses

import pytest

from caseload.rules.assessments import actionable, cans_trend, risk_on
from caseload.rules.due import deadlines
from caseload.rules.facts import PlacementFact, SafetyPlanFact
from tests.rules.builders import STANDARDS, D, child, family_case, foster_case

NO_HOLIDAYS = frozenset()


def due(case, as_of, kind):
    return [
        (d.due_on, d.rule)
        for d in deadlines(case, STANDARDS, as_of, court_closed=NO_HOLIDAYS)
        if d.kind == kind
    ]


def test_risk_in_force_by_date():
    case = family_case(risk="moderate", risk_changes=((D(2026, 3, 10), "high"), (D(2026, 5, 1), "low")))
    assert [risk_on(case, day) for day in (D(2026, 3, 9), D(2026, 3, 10), D(2026, 4, 30), D(2026, 5, 1))] == [
        "moderate",
        "high",
        "high",
        "low",
    ]


@pytest.mark.parametrize(
    ("changes", "due_on", "rule"),
    [
        # the example: last visit 03-01 under moderate (30 days → 03-31); high from 03-10:
        # 03-01 + 14 = 03-15, after 03-10, so due 03-15 under high
        (
            ((D(2026, 3, 10), "high"),),
            D(2026, 3, 15),
            "face-to-face visit every 14 days (in-home, high risk)",
        ),
        # raised to high on 03-20, already past 03-15: due the day of the reassessment
        (
            ((D(2026, 3, 20), "high"),),
            D(2026, 3, 20),
            "face-to-face visit every 14 days (in-home, high risk)",
        ),
        # raised after the moderate due date: nothing changes, 03-31 stands
        (
            ((D(2026, 4, 5), "very_high"),),
            D(2026, 3, 31),
            "face-to-face visit every 30 days (in-home, moderate risk)",
        ),
        # lowered from high to low on 03-10: 14 days would be 03-15, but from 03-10 the interval is 30
        (
            ((D(2026, 2, 1), "high"), (D(2026, 3, 10), "low")),
            D(2026, 3, 31),
            "face-to-face visit every 30 days (in-home, low risk)",
        ),
    ],
)
def test_family_visits_follow_the_risk_in_force(changes, due_on, rule):
    case = family_case(risk="moderate", visits=[D(2026, 3, 1)], risk_changes=changes)
    assert due(case, D(2026, 3, 2), "visit") == [(due_on, rule)]


def test_sdm_reassessment_every_90_days():
    case = family_case(opened=D(2026, 1, 5))
    # none yet: 2026-01-05 + 90 days = 2026-04-05
    assert due(case, D(2026, 3, 1), "assessment") == [(D(2026, 4, 5), "SDM risk reassessment every 90 days")]
    reassessed = dataclasses.replace(case, risk_changes=((D(2026, 2, 10), "high"),))
    # 2026-02-10 + 90 days = 2026-05-11
    assert due(reassessed, D(2026, 3, 1), "assessment") == [
        (D(2026, 5, 11), "SDM risk reassessment every 90 days")
    ]
    assert due(foster_case(), D(2026, 3, 1), "assessment")[0][1].startswith(
        "CANS"
    )  # no SDM clock in foster care


def test_cans_within_30_days_of_coming_into_care_then_every_6_months():
    placed = (PlacementFact(D(2026, 1, 10), removed_on=D(2026, 1, 10)),)
    never = foster_case(child(placements=placed, cans=()))
    # removed 2026-01-10 + 30 days = 2026-02-09
    assert due(never, D(2026, 1, 20), "assessment") == [
        (D(2026, 2, 9), "CANS within 30 days of coming into care")
    ]
    done = foster_case(child(placements=placed, cans=(D(2026, 1, 31),)))
    # 2026-01-31 + 6 months = 2026-07-31
    assert due(done, D(2026, 3, 1), "assessment") == [(D(2026, 7, 31), "CANS every 6 months")]
    # a CANS from an earlier episode does not count for a new removal
    again = (
        PlacementFact(D(2025, 6, 1), D(2025, 8, 31)),
        PlacementFact(D(2026, 1, 10), removed_on=D(2026, 1, 10)),
    )
    earlier = foster_case(child(placements=again, cans=(D(2025, 6, 15),)))
    assert due(earlier, D(2026, 1, 20), "assessment") == [
        (D(2026, 2, 9), "CANS within 30 days of coming into care")
    ]


def test_safety_plan_review_until_reviewed_or_replaced():
    plan = SafetyPlanFact(D(2026, 3, 1), review_by_on=D(2026, 3, 15))
    case = family_case(visits=[D(2026, 3, 1)], safety_plan=plan)
    assert due(case, D(2026, 3, 10), "safety_plan") == [(D(2026, 3, 15), "safety plan review date")]
    reviewed = dataclasses.replace(case, safety_plan=dataclasses.replace(plan, reviewed_on=D(2026, 3, 14)))
    assert due(reviewed, D(2026, 3, 16), "safety_plan") == []
    assert due(reviewed, D(2026, 3, 13), "safety_plan") == [(D(2026, 3, 15), "safety plan review date")]
    no_date = dataclasses.replace(case, safety_plan=SafetyPlanFact(D(2026, 3, 1)))
    assert due(no_date, D(2026, 3, 10), "safety_plan") == []


def test_cans_trend_and_actionable_items():
    before = {"sleep": 2, "anxiety": 1, "school_attendance": 3}
    after = {"sleep": 1, "anxiety": 1, "school_attendance": 3, "substance_use": 2}
    assert cans_trend(before, after) == {
        "sleep": "improved",
        "anxiety": "same",
        "school_attendance": "same",
        "substance_use": "new",
    }
    assert cans_trend({"sleep": 1}, {"sleep": 3}) == {"sleep": "worse"}
    assert cans_trend(None, {"sleep": 0}) == {"sleep": "new"}
    assert actionable(after) == ["school_attendance", "substance_use"]
