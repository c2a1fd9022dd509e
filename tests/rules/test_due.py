"""Due items per kind (SPEC 5). Void, video, phone, collateral and attempted visits are never in the
facts the rules read (the store leaves them out), so "a phone call changes nothing" holds by design."""

import dataclasses
import datetime as dt

import pytest

from caseload.rules.courtdays import court_holidays
from caseload.rules.due import DueItem, deadlines, due_items, sort_items
from caseload.rules.facts import GoalFact, HearingFact, PlacementFact
from tests.rules.builders import STANDARDS, D, child, family_case, foster_case

NO_HOLIDAYS = frozenset()


def items(case, as_of, within=None, court_closed=NO_HOLIDAYS):
    return due_items(case, STANDARDS, as_of, within, court_closed=court_closed)


def deadlines_of(case, as_of, kind, court_closed=NO_HOLIDAYS):
    return [d for d in deadlines(case, STANDARDS, as_of, court_closed=court_closed) if d.kind == kind]


def the_deadline(case, as_of, kind):
    (only,) = deadlines_of(case, as_of, kind)
    return only


def removed(on, adjudicated=None, start=None, end=None):
    """A placement of an episode removed `on` (placed the same day unless `start` says otherwise)."""
    return PlacementFact(start_on=start or on, end_on=end, removed_on=on, adjudicated_on=adjudicated)


def hearing(on, type="review", filed=None, id=1):
    return HearingFact(id=id, hearing_on=on, type=type, report_filed_on=filed)


# --- SPEC 8 worked examples -----------------------------------------------------------------------


def test_spec_8_1_a_child_seen_this_month_has_nothing_due():
    # Latest visit 2026-03-01: next due 2026-04-30, beyond 2026-03-10 + 7. Nothing else is due
    # (builders.PLACED): plan review 2026-05-01, permanency 2026-12-31, 15 of 22 on 2027-03-31.
    case = foster_case(child(visits=[D(2026, 1, 31), D(2026, 3, 1)]))
    assert items(case, D(2026, 3, 10)) == []


def test_spec_8_4_due_soon_then_overdue():
    case = foster_case(child(visits=[D(2026, 2, 27)]))
    # Seen in February: March is due on its last day, 2026-03-31; 03-25 is 6 days before it.
    assert items(case, D(2026, 3, 25)) == [
        DueItem(
            kind="visit",
            status="due_soon",
            case_number="2026-0142",
            family="Rivera",
            worker="jdoe",
            subject="Maya Rivera",
            due_on=D(2026, 3, 31),
            days_overdue=-6,
            last_contact_on=D(2026, 2, 27),
            rule="monthly face-to-face visit (foster care)",
        )
    ]
    # 2026-04-01 is one day past 2026-03-31: exactly the JSON example of SPEC 5.
    assert [item.to_json() for item in items(case, D(2026, 4, 1))] == [
        {
            "kind": "visit",
            "status": "overdue",
            "case_number": "2026-0142",
            "family": "Rivera",
            "worker": "jdoe",
            "subject": "Maya Rivera",
            "due_on": "2026-03-31",
            "days_overdue": 1,
            "last_contact_on": "2026-02-27",
            "rule": "monthly face-to-face visit (foster care)",
        }
    ]


def test_spec_8_5_in_home_high_risk_every_14_days():
    # Latest face-to-face 2026-03-02 + 14 = 2026-03-16; as of 03-17 one day over. The phone call of
    # 2026-03-10 is not a counting visit, so it is not among the facts. Plan review: opened 2026-01-05
    # + 3 months = 2026-04-05, beyond 03-17 + 7.
    case = family_case(risk="high", visits=[D(2026, 3, 2)])
    assert items(case, D(2026, 3, 17)) == [
        DueItem(
            kind="visit",
            status="overdue",
            case_number="2026-0200",
            family="Okafor",
            worker="asmith",
            subject="Okafor family",
            due_on=D(2026, 3, 16),
            days_overdue=1,
            last_contact_on=D(2026, 3, 2),
            rule="face-to-face visit every 14 days (in-home, high risk)",
        )
    ]


def test_spec_8_7_permanency_hearing_12_months_after_entering_care():
    # Removed 2026-01-10, adjudicated 2026-04-01: entered care 2026-01-10 + 60 = 2026-03-11, which is
    # earlier; + 12 months = 2027-03-11.
    case = foster_case(child(placements=[removed(D(2026, 1, 10), adjudicated=D(2026, 4, 1))]))
    deadline = the_deadline(case, D(2026, 6, 1), "permanency_hearing")
    assert (deadline.subject, deadline.due_on) == ("Maya Rivera", D(2027, 3, 11))
    assert deadline.rule == "permanency hearing within 12 months of entering care"


def test_spec_8_8_asfa_15_of_22_for_one_episode():
    # Entered care 2025-01-01 (adjudicated on removal) + 15 months = 2026-04-01.
    case = foster_case(child(placements=[removed(D(2025, 1, 1), adjudicated=D(2025, 1, 1))]))
    [item] = [item for item in items(case, D(2026, 3, 28)) if item.kind == "asfa_15_of_22"]
    assert (item.status, item.due_on, item.days_overdue) == ("due_soon", D(2026, 4, 1), -4)
    assert item.rule == "ASFA: 15 of the most recent 22 months in care"


def test_spec_8_9_court_reports_move_back_to_a_court_day():
    # Mon 2026-05-04 - 10 = Fri 04-24; Tue 2026-11-24 - 10 = Sat 11-14 -> Fri 2026-11-13.
    case = foster_case(hearings=(hearing(D(2026, 5, 4)), hearing(D(2026, 11, 24), id=2)))
    found = deadlines_of(case, D(2026, 4, 1), "court_report", court_closed=court_holidays("US"))
    assert [(d.subject, d.due_on) for d in found] == [
        ("hearing 2026-05-04 (review)", D(2026, 4, 24)),
        ("hearing 2026-11-24 (review)", D(2026, 11, 13)),
    ]
    assert found[0].rule == "court report 10 days before the hearing"


# --- visits, foster care ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visits", "placements", "as_of", "due_on", "last_contact"),
    [
        # Seen 01-31: February is next, due on its last day, the 28th.
        ([D(2026, 1, 31)], None, D(2026, 2, 10), D(2026, 2, 28), D(2026, 1, 31)),
        # Seen on the last day of March: April is next, due on the 30th.
        ([D(2026, 3, 31)], None, D(2026, 4, 2), D(2026, 4, 30), D(2026, 3, 31)),
        # Seen on the first day of March: the same.
        ([D(2026, 3, 1)], None, D(2026, 3, 2), D(2026, 4, 30), D(2026, 3, 1)),
        # Leap year: seen in January 2028, February 2028 is due on the 29th.
        ([D(2028, 1, 15)], None, D(2028, 2, 1), D(2028, 2, 29), D(2028, 1, 15)),
        # Seen in December: January of the next year, due on the 31st.
        ([D(2026, 12, 3)], None, D(2026, 12, 20), D(2027, 1, 31), D(2026, 12, 3)),
        # Visits given out of order: the latest (03-05) counts -> April, 04-30.
        ([D(2026, 3, 5), D(2026, 1, 10)], None, D(2026, 3, 6), D(2026, 4, 30), D(2026, 3, 5)),
        # Never seen, placed 2026-03-28: the month the episode began, March, is due on the 31st.
        ([], [removed(D(2026, 3, 28))], D(2026, 3, 29), D(2026, 3, 31), None),
        # Removed 2026-02-20, placed (recorded) from 03-02: the episode began in February -> 02-28.
        ([], [removed(D(2026, 2, 20), start=D(2026, 3, 2))], D(2026, 3, 3), D(2026, 2, 28), None),
        # Seen 2025-10-15 in an earlier episode (home 10-31), removed again 2026-02-10: that visit
        # does not carry over, February is due (02-28); last_contact_on is still her latest visit.
        (
            [D(2025, 10, 15)],
            [removed(D(2025, 9, 1), end=D(2025, 10, 31)), removed(D(2026, 2, 10))],
            D(2026, 2, 20),
            D(2026, 2, 28),
            D(2025, 10, 15),
        ),
        # A visit after as_of (04-05, entered later) does not count as of 04-01: March was due 03-31.
        ([D(2026, 2, 27), D(2026, 4, 5)], None, D(2026, 4, 1), D(2026, 3, 31), D(2026, 2, 27)),
        # Seen on as_of itself, in its month: due at the end of the following month.
        ([D(2026, 4, 1)], None, D(2026, 4, 1), D(2026, 5, 31), D(2026, 4, 1)),
    ],
)
def test_foster_visit_due_on(visits, placements, as_of, due_on, last_contact):
    case = foster_case(child(visits=visits, placements=placements))
    deadline = the_deadline(case, as_of, "visit")
    assert (deadline.due_on, deadline.last_contact_on) == (due_on, last_contact)


@pytest.mark.parametrize(
    ("placements", "as_of", "in_care"),
    [
        ([removed(D(2025, 11, 1), end=D(2026, 3, 15))], D(2026, 3, 20), False),  # discharged mid-month
        ([removed(D(2025, 11, 1), end=D(2026, 3, 20))], D(2026, 3, 20), True),  # her last day is today
        ([removed(D(2026, 4, 1))], D(2026, 3, 20), False),  # not placed yet
        ([], D(2026, 3, 20), False),  # never placed
    ],
)
def test_only_children_in_care_have_per_child_items(placements, as_of, in_care):
    # (A placement with a recorded end never reaches 15 months here, so no asfa_15_of_22 either way.)
    case = foster_case(child(placements=placements))
    per_child = {"visit", "permanency_hearing"}
    found = {d.kind for d in deadlines(case, STANDARDS, as_of, court_closed=NO_HOLIDAYS)} & per_child
    assert found == (per_child if in_care else set())


def test_one_visit_item_per_child_each_with_her_own_latest_visit():
    case = foster_case(
        child("Maya Rivera", visits=[D(2026, 2, 27)]),
        child("Leo Rivera", visits=[D(2026, 1, 20)], member_id=2),
        child("Ana Rivera", placements=[], member_id=3),  # at home: no item
    )
    found = deadlines_of(case, D(2026, 3, 1), "visit")
    assert [(d.subject, d.due_on, d.last_contact_on) for d in found] == [
        ("Maya Rivera", D(2026, 3, 31), D(2026, 2, 27)),
        ("Leo Rivera", D(2026, 2, 28), D(2026, 1, 20)),
    ]


# --- visits, in-home and family preservation --------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "risk", "due_on", "rule"),
    [
        # Latest visit 2026-03-02 plus the interval for the risk.
        ("in_home", "very_high", D(2026, 3, 9), "face-to-face visit every 7 days (in-home, very high risk)"),
        ("in_home", "high", D(2026, 3, 16), "face-to-face visit every 14 days (in-home, high risk)"),
        # 03-02 + 30: 29 days to 03-31, one more -> 04-01.
        ("in_home", "moderate", D(2026, 4, 1), "face-to-face visit every 30 days (in-home, moderate risk)"),
        ("in_home", "low", D(2026, 4, 1), "face-to-face visit every 30 days (in-home, low risk)"),
        (
            "family_preservation",
            "very_high",
            D(2026, 3, 4),
            "face-to-face visit every 2 days (family preservation, very high risk)",
        ),
        (
            "family_preservation",
            "high",
            D(2026, 3, 5),
            "face-to-face visit every 3 days (family preservation, high risk)",
        ),
        (
            "family_preservation",
            "moderate",
            D(2026, 3, 9),
            "face-to-face visit every 7 days (family preservation, moderate risk)",
        ),
        (
            "family_preservation",
            "low",
            D(2026, 3, 9),
            "face-to-face visit every 7 days (family preservation, low risk)",
        ),
    ],
)
def test_family_visit_interval_by_risk(program, risk, due_on, rule):
    deadline = the_deadline(family_case(program, risk, visits=[D(2026, 3, 2)]), D(2026, 3, 3), "visit")
    assert (deadline.subject, deadline.due_on, deadline.rule) == ("Okafor family", due_on, rule)
    assert deadline.last_contact_on == D(2026, 3, 2)


@pytest.mark.parametrize(
    ("program", "due_on", "rule"),
    [
        # Opened 2026-03-02, never visited: + 7 days = 03-09.
        ("in_home", D(2026, 3, 9), "first face-to-face visit within 7 days of opening (in-home)"),
        # + 1 day = 03-03.
        (
            "family_preservation",
            D(2026, 3, 3),
            "first face-to-face visit within 1 day of opening (family preservation)",
        ),
    ],
)
def test_first_family_visit_after_opening(program, due_on, rule):
    deadline = the_deadline(family_case(program, opened=D(2026, 3, 2)), D(2026, 3, 2), "visit")
    assert (deadline.due_on, deadline.rule, deadline.last_contact_on) == (due_on, rule, None)


def test_the_interval_follows_the_risk_as_it_changes():
    # Moderate: 03-02 + 30 = 04-01. Raised to very high: 03-02 + 7 = 03-09, overdue as of 03-12.
    case = family_case(risk="moderate", visits=[D(2026, 3, 2)])
    assert [item.due_on for item in items(case, D(2026, 3, 12))] == []
    raised = dataclasses.replace(case, risk="very_high")
    assert [(item.due_on, item.days_overdue) for item in items(raised, D(2026, 3, 12))] == [
        (D(2026, 3, 9), 3)
    ]


def test_a_family_visit_after_as_of_does_not_count():
    # As of 03-20 only the 03-02 visit was made: 03-02 + 14 = 03-16.
    case = family_case(risk="high", visits=[D(2026, 3, 2), D(2026, 3, 25)])
    assert the_deadline(case, D(2026, 3, 20), "visit").due_on == D(2026, 3, 16)


# --- status and the window --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "within", "status", "days_overdue"),
    [
        # Due 2026-03-31 (seen in February).
        (D(2026, 3, 31), None, "due_soon", 0),  # as_of exactly on the due date: due soon, not overdue
        (D(2026, 4, 1), None, "overdue", 1),
        (D(2026, 3, 24), None, "due_soon", -7),  # the window's last day: 03-24 + 7 = 03-31
        (D(2026, 3, 23), None, None, -8),  # one day before the window: not listed
        (D(2026, 3, 21), 10, "due_soon", -10),  # a wider --within
        (D(2026, 3, 31), 0, "due_soon", 0),  # --within 0: only what is due today
        (D(2026, 3, 30), 0, None, -1),
    ],
)
def test_status_against_as_of_and_within(as_of, within, status, days_overdue):
    found = items(foster_case(child(visits=[D(2026, 2, 27)])), as_of, within)
    assert [(item.status, item.days_overdue) for item in found] == (
        [(status, days_overdue)] if status else []
    )


def test_a_case_without_a_worker_has_null_worker():
    case = foster_case(child(visits=[D(2026, 2, 27)]), worker=None)
    assert items(case, D(2026, 4, 1))[0].to_json()["worker"] is None


# --- closed cases -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("closed_on", "listed"),
    [
        (D(2026, 3, 31), False),  # closed yesterday
        (D(2026, 4, 1), False),  # closed today
        (D(2026, 4, 2), True),  # closed after as_of: as of 04-01 it was still open
        (None, True),
    ],
)
def test_closed_cases_have_nothing_due(closed_on, listed):
    case = foster_case(
        child(visits=[D(2026, 2, 27)]),
        closed_on=closed_on,
        goals=(GoalFact(1, "x", "in_progress", D(2026, 3, 1)),),
    )
    assert bool(items(case, D(2026, 4, 1))) is listed


# --- court reports ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hearings", "as_of", "expected"),
    [
        # Hearing Tue 2026-05-05, the day after as_of: 05-05 - 10 = Sat 04-25 -> Fri 04-24, 10 days over.
        ([hearing(D(2026, 5, 5))], D(2026, 5, 4), [("overdue", D(2026, 4, 24), 10)]),
        # Hearing today (Mon 05-04): still ahead, still listed; due Fri 04-24.
        ([hearing(D(2026, 5, 4))], D(2026, 5, 4), [("overdue", D(2026, 4, 24), 10)]),
        # Hearing yesterday: held, nothing more to file.
        ([hearing(D(2026, 5, 3))], D(2026, 5, 4), []),
        # Report filed: nothing due.
        ([hearing(D(2026, 5, 4), filed=D(2026, 4, 20))], D(2026, 4, 21), []),
        # Filed on 04-22, after as_of 04-20: as of 04-20 it was still due on 04-24, 4 days on.
        ([hearing(D(2026, 5, 4), filed=D(2026, 4, 22))], D(2026, 4, 20), [("due_soon", D(2026, 4, 24), -4)]),
    ],
)
def test_court_report(hearings, as_of, expected):
    case = family_case(hearings=tuple(hearings))
    found = [item for item in items(case, as_of) if item.kind == "court_report"]
    assert [(item.status, item.due_on, item.days_overdue) for item in found] == expected
    assert all(item.last_contact_on is None for item in found)


def test_court_report_skips_a_court_holiday():
    # Mon 2026-07-13 - 10 = Fri 07-03, Independence Day observed -> Thu 2026-07-02.
    case = foster_case(hearings=(hearing(D(2026, 7, 13), type="permanency"),))
    found = deadlines_of(case, D(2026, 7, 1), "court_report", court_closed=court_holidays("US", years=[2026]))
    assert [(d.subject, d.due_on) for d in found] == [("hearing 2026-07-13 (permanency)", D(2026, 7, 2))]


# --- goals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "listed"),
    [
        ("not_started", True),
        ("in_progress", True),
        ("partially_achieved", True),
        ("achieved", False),
        ("not_achieved", False),
        ("discontinued", False),
    ],
)
def test_open_goals_are_due_on_their_target_date(status, listed):
    goal = GoalFact(id=7, text="Maya attends school daily", status=status, target_on=D(2026, 3, 30))
    found = deadlines_of(foster_case(goals=(goal,)), D(2026, 3, 1), "goal")
    expected = [("Maya attends school daily", D(2026, 3, 30), "service-plan goal target date")]
    assert [(d.subject, d.due_on, d.rule) for d in found] == (expected if listed else [])


def test_a_goal_without_a_target_date_is_never_due():
    goal = GoalFact(id=7, text="Stable housing", status="in_progress")
    assert deadlines_of(foster_case(goals=(goal,)), D(2026, 3, 1), "goal") == []


# --- plan reviews -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "as_of", "due_on", "rule"),
    [
        # Foster care, opened 2025-11-01, never reviewed: + 6 months = 2026-05-01.
        (foster_case(), D(2026, 3, 1), D(2026, 5, 1), "case plan review every 6 months"),
        # Reviewed 2026-03-31: + 6 months = 2026-09-31 -> clamped to 09-30.
        (
            foster_case(plan_reviews=(D(2026, 3, 31),)),
            D(2026, 4, 1),
            D(2026, 9, 30),
            "case plan review every 6 months",
        ),
        # Reviewed 2025-08-31: + 6 months = 2026-02-31 -> 02-28.
        (
            foster_case(plan_reviews=(D(2025, 8, 31),)),
            D(2026, 2, 1),
            D(2026, 2, 28),
            "case plan review every 6 months",
        ),
        # A review after as_of (05-01) does not count yet: 2026-01-10 + 6 months = 07-10.
        (
            foster_case(plan_reviews=(D(2026, 1, 10), D(2026, 5, 1))),
            D(2026, 4, 1),
            D(2026, 7, 10),
            "case plan review every 6 months",
        ),
        # In-home opened 2026-01-05: + 3 months = 04-05.
        (family_case(), D(2026, 3, 1), D(2026, 4, 5), "case plan review every 3 months"),
        # Family preservation reviewed 2026-01-31: + 1 month = 02-28; in 2028, 02-29.
        (
            family_case("family_preservation", plan_reviews=(D(2026, 1, 31),)),
            D(2026, 2, 1),
            D(2026, 2, 28),
            "case plan review every 1 month",
        ),
        (
            family_case("family_preservation", plan_reviews=(D(2028, 1, 31),)),
            D(2028, 2, 1),
            D(2028, 2, 29),
            "case plan review every 1 month",
        ),
    ],
)
def test_plan_review(case, as_of, due_on, rule):
    deadline = the_deadline(case, as_of, "plan_review")
    assert (deadline.subject, deadline.due_on, deadline.rule) == (f"{case.family} family", due_on, rule)


# --- permanency hearings ----------------------------------------------------------------------------

# Removed 2026-01-10, adjudicated 2026-04-01: entered care 2026-03-11 (SPEC 8.7), first due 2027-03-11.
SPEC_8_7 = [removed(D(2026, 1, 10), adjudicated=D(2026, 4, 1))]


@pytest.mark.parametrize(
    ("hearings", "as_of", "expected"),
    [
        # None recorded: 12 months after entering care.
        ([], D(2026, 6, 1), [(D(2027, 3, 11), "permanency hearing within 12 months of entering care")]),
        # Held 2027-03-01: + 12 months = 2028-03-01.
        (
            [hearing(D(2027, 3, 1), "permanency")],
            D(2027, 6, 1),
            [(D(2028, 3, 1), "permanency hearing within 12 months of the last one")],
        ),
        # Held twice: the latest (2028-02-15) + 12 months = 2029-02-15.
        (
            [hearing(D(2027, 3, 1), "permanency"), hearing(D(2028, 2, 15), "permanency", id=2)],
            D(2028, 6, 1),
            [(D(2029, 2, 15), "permanency hearing within 12 months of the last one")],
        ),
        # Scheduled 2027-03-05, before the due date 2027-03-11: nothing due.
        ([hearing(D(2027, 3, 5), "permanency")], D(2027, 2, 20), []),
        # Scheduled on the due date itself: still in time.
        ([hearing(D(2027, 3, 11), "permanency")], D(2027, 2, 20), []),
        # Scheduled on as_of (= the due date), so not yet held: in time.
        ([hearing(D(2027, 3, 11), "permanency")], D(2027, 3, 11), []),
        # Scheduled 2027-03-20, after the due date: the item stays, due 2027-03-11.
        (
            [hearing(D(2027, 3, 20), "permanency")],
            D(2027, 2, 20),
            [(D(2027, 3, 11), "permanency hearing within 12 months of entering care")],
        ),
        # A review hearing is not a permanency hearing.
        (
            [hearing(D(2027, 3, 1), "review")],
            D(2027, 2, 20),
            [(D(2027, 3, 11), "permanency hearing within 12 months of entering care")],
        ),
    ],
)
def test_permanency_hearing(hearings, as_of, expected):
    case = foster_case(child(placements=SPEC_8_7), hearings=tuple(hearings))
    assert [(d.due_on, d.rule) for d in deadlines_of(case, as_of, "permanency_hearing")] == expected


def test_a_permanency_hearing_of_an_earlier_episode_does_not_count():
    # Home 2024-12-31, removed again 2025-06-01 (never adjudicated): entered care 2025-06-01 + 60 =
    # 2025-07-31 (+29 -> 06-30, +31 -> 07-31), + 12 months = 2026-07-31. The 2024 hearing is history.
    placements = [removed(D(2024, 1, 1), end=D(2024, 12, 31)), removed(D(2025, 6, 1))]
    case = foster_case(child(placements=placements), hearings=(hearing(D(2024, 11, 1), "permanency"),))
    assert the_deadline(case, D(2026, 1, 1), "permanency_hearing").due_on == D(2026, 7, 31)


def test_each_child_in_care_has_a_permanency_hearing_of_their_own():
    # Maya: SPEC 8.7, 2027-03-11. Leo, never adjudicated, removed 2026-02-01: + 60 = 04-02, + 12 months.
    case = foster_case(
        child("Maya Rivera", placements=SPEC_8_7),
        child("Leo Rivera", placements=[removed(D(2026, 2, 1))], member_id=2),
    )
    found = deadlines_of(case, D(2026, 6, 1), "permanency_hearing")
    assert [(d.subject, d.due_on) for d in found] == [
        ("Maya Rivera", D(2027, 3, 11)),
        ("Leo Rivera", D(2027, 4, 2)),
    ]


# --- ASFA 15 of 22 ----------------------------------------------------------------------------------

ENTERED_2025_01_01 = [removed(D(2025, 1, 1), adjudicated=D(2025, 1, 1))]


@pytest.mark.parametrize(
    "tpr", [hearing(D(2026, 5, 1), "tpr"), hearing(D(2025, 12, 1), "tpr")], ids=["scheduled", "held"]
)
def test_asfa_is_listed_until_a_tpr_hearing_is_recorded(tpr):
    case = foster_case(child(placements=ENTERED_2025_01_01), hearings=(tpr,))
    assert deadlines_of(case, D(2026, 3, 1), "asfa_15_of_22") == []


def test_asfa_with_several_episodes_counts_days_within_22_months():
    # 2024-01-01..10-31 in care (305 days); back 2025-06-01. 456 - 305 = 151 more days: 2025-10-29
    # (see test_episodes). As of 2025-10-25 that is 4 days ahead.
    placements = [
        removed(D(2024, 1, 1), adjudicated=D(2024, 1, 1), end=D(2024, 10, 31)),
        removed(D(2025, 6, 1), adjudicated=D(2025, 6, 1)),
    ]
    [item] = [
        i
        for i in items(foster_case(child(placements=placements)), D(2025, 10, 25))
        if i.kind == "asfa_15_of_22"
    ]
    assert (item.subject, item.status, item.due_on, item.days_overdue) == (
        "Maya Rivera",
        "due_soon",
        D(2025, 10, 29),
        -4,
    )


def test_asfa_overdue_after_15_months():
    [item] = [
        i
        for i in items(foster_case(child(placements=ENTERED_2025_01_01)), D(2026, 4, 3))
        if i.kind == "asfa_15_of_22"
    ]
    assert (item.status, item.days_overdue) == ("overdue", 2)


# --- programs ---------------------------------------------------------------------------------------


def test_children_placed_on_an_in_home_case_get_no_foster_care_items():
    case = family_case(children=(child(placements=ENTERED_2025_01_01),), visits=[D(2026, 3, 2)])
    # in-home families get the SDM risk reassessment clock instead of the CANS of children in care
    assert {d.kind for d in deadlines(case, STANDARDS, D(2026, 3, 3), court_closed=NO_HOLIDAYS)} == {
        "visit",
        "plan_review",
        "assessment",
    }


# --- sorting ----------------------------------------------------------------------------------------


def item(case_number, subject, days_overdue, kind="visit", as_of=D(2026, 4, 1)):
    return DueItem(
        kind=kind,
        status="overdue" if days_overdue > 0 else "due_soon",
        case_number=case_number,
        family="F",
        worker=None,
        subject=subject,
        due_on=as_of - dt.timedelta(days=days_overdue),
        days_overdue=days_overdue,
        last_contact_on=None,
        rule="r",
    )


def test_sort_items_worst_first():
    expected = [
        item("2026-0300", "Ada", 10),  # most days overdue
        item("2026-0100", "Ben", 5),  # then equal days by case number...
        item("2026-0100", "Cleo", 5, kind="plan_review"),  # ...and subject, and kind
        item("2026-0100", "Cleo", 5),
        item("2026-0200", "Ada", 5),
        item("2026-0100", "Ada", 1),
        item("2026-0300", "Ben", 0),  # due today: due soon, first of them
        item("2026-0200", "Ada", -1),  # then by due_on
        item("2026-0100", "Ada", -5),
    ]
    assert sort_items(reversed(expected)) == expected
    assert sort_items(expected[::2] + expected[1::2]) == expected
