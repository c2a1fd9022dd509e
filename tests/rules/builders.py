"""Facts and standards for rules tests, with defaults that leave nothing else due early in 2026."""

import datetime as dt

from caseload.rules.facts import CaseFact, ChildFact, ContactFact, PlacementFact
from caseload.rules.standards_model import Standards

D = dt.date

# The values SPEC 5 documents, which the shipped data/visit_standards.toml holds.
SPEC_STANDARDS = {
    "due_soon_days": 7,
    "late_entry_after_days": 3,
    "court_report_lead_days": 10,
    "holidays": "US",
    "extra_court_holidays": (),
    "max_child_age_years": 21,
    "foster_care": {"plan_review_every_months": 6},
    "in_home": {
        "plan_review_every_months": 3,
        "first_visit_within_days": 7,
        "visit_interval_days": {"very_high": 7, "high": 14, "moderate": 30, "low": 30},
    },
    "family_preservation": {
        "plan_review_every_months": 1,
        "first_visit_within_days": 1,
        "visit_interval_days": {"very_high": 2, "high": 3, "moderate": 7, "low": 7},
    },
    "assessments": {
        "sdm_risk_every_days": 90,
        "cans_every_months": 6,
        "cans_within_days_of_entering_care": 30,
    },
}
STANDARDS = Standards.from_toml(SPEC_STANDARDS)

# Placed and opened 2025-11-01, never adjudicated: entered care 2025-12-31 (+60 days), so the
# permanency hearing is due 2026-12-31, 15 of 22 months on 2027-03-31, the plan review on 2026-05-01.
PLACED = D(2025, 11, 1)


def child(name="Maya Rivera", visits=(), placements=None, born=None, at_home=(), member_id=1, cans=(PLACED,)):
    """A child placed since PLACED unless `placements` says otherwise; `visits` are counting visits,
    those also listed in `at_home` made where the child lives. A CANS on the day of placement keeps
    the CANS clock quiet until 2026-05-01."""
    return ChildFact(
        member_id=member_id,
        name=name,
        born_on=born,
        placements=(PlacementFact(PLACED),) if placements is None else tuple(placements),
        contacts=tuple(ContactFact(day, at_home=day in at_home) for day in visits),
        cans_assessments=tuple(cans),
    )


def foster_case(*children, **changes):
    fields = {
        "case_number": "2026-0142",
        "family": "Rivera",
        "worker": "jdoe",
        "program": "foster_care",
        "risk": "moderate",
        "opened_on": PLACED,
        "children": children or (child(),),
    }
    return CaseFact(**(fields | changes))


def family_case(program="in_home", risk="moderate", opened=D(2026, 1, 5), visits=(), **changes):
    fields = {
        "case_number": "2026-0200",
        "family": "Okafor",
        "worker": "asmith",
        "program": program,
        "risk": risk,
        "opened_on": opened,
        "family_visits": tuple(visits),
    }
    return CaseFact(**(fields | changes))
