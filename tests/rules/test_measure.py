"""The federal monthly caseworker visit measure (SPEC 6). Only counting visits are in the facts."""

import pytest

from caseload.rules.facts import PlacementFact
from caseload.rules.measure import (
    ChildMonth,
    ChildMonths,
    Measure,
    MissedMonth,
    child_months,
    federal_measure,
    fiscal_year_period,
    missed_months,
)
from caseload.rules.months import Month
from tests.rules.builders import D, child

JAN, FEB, MAR, APR = (Month(2026, m) for m in (1, 2, 3, 4))


def counted(a_child, from_month, to_month, as_of):
    """(month, visited, in_residence) of each child-month, as plain tuples."""
    return [
        (str(m.month), m.visited, m.in_residence) for m in child_months(a_child, from_month, to_month, as_of)
    ]


def placed(start, end=None):
    return PlacementFact(start_on=start, end_on=end)


# --- SPEC 8 worked examples -----------------------------------------------------------------------


def test_spec_8_1_february_missed():
    # Placed since 2025-11-01; seen 01-31 and 03-01. March has ended by 2026-04-01.
    maya = child(visits=[D(2026, 1, 31), D(2026, 3, 1)], at_home=[D(2026, 3, 1)])
    measure = federal_measure([("2026-0142", maya)], JAN, MAR, D(2026, 4, 1))
    assert measure.to_json() == {
        "from": "2026-01",
        "to": "2026-03",
        "child_months": 3,
        "visited_months": 2,
        "visited_pct": 66.67,  # 2/3 = 66.666...
        "residence_months": 1,
        "residence_pct": 50.0,  # at home on 03-01, not on 01-31
        "meets_visit_standard": False,
        "meets_residence_standard": True,
        "children": [
            {
                "case_number": "2026-0142",
                "child": "Maya Rivera",
                "months": [
                    {"month": "2026-01", "visited": True, "in_residence": False},
                    {"month": "2026-02", "visited": False, "in_residence": False},
                    {"month": "2026-03", "visited": True, "in_residence": True},
                ],
            }
        ],
    }


def test_spec_8_2_visits_early_and_late_in_the_month():
    maya = child(visits=[D(2026, 1, 2), D(2026, 2, 27)])
    measure = federal_measure([("2026-0142", maya)], JAN, FEB, D(2026, 3, 1))
    assert (measure.child_months, measure.visited_months, measure.to_json()["visited_pct"]) == (2, 2, 100.0)
    assert measure.meets_visit_standard is True


def test_spec_8_3_entering_care_mid_month():
    # Entered care 2026-01-15: January is not a child-month, February is.
    maya = child(placements=[placed(D(2026, 1, 15))], visits=[D(2026, 1, 20), D(2026, 2, 10)])
    assert counted(maya, JAN, FEB, D(2026, 3, 1)) == [("2026-02", True, False)]


def months_of(visited, in_residence, total):
    """A Measure of one child whose first `visited` of `total` months were visited, `in_residence` at home."""
    months = tuple(ChildMonth(Month(2000, 1) + n, n < visited, n < in_residence) for n in range(total))
    return Measure(Month(2000, 1), Month(2000, 1) + (total - 1), (ChildMonths("c", "x", months),))


@pytest.mark.parametrize(
    ("visited", "total", "pct", "meets"),
    [
        (228, 240, 95.0, True),  # SPEC 8.6: exactly 95%
        (227, 240, 94.58, False),  # SPEC 8.6: 94.5833...%
        (240, 240, 100.0, True),
        (0, 240, 0.0, False),
        (1, 160, 0.63, False),  # 0.625 rounds half up
        (2, 3, 66.67, False),
    ],
)
def test_spec_8_6_visit_standard_compared_unrounded(visited, total, pct, meets):
    measure = months_of(visited, 0, total)
    assert (measure.to_json()["visited_pct"], measure.meets_visit_standard) == (pct, meets)


def test_the_visit_standard_is_not_met_by_rounding_up():
    # 18999/20000 = 94.995%: shown as 95.0, still short of 95%.
    measure = months_of(18999, 0, 20000)
    assert (measure.to_json()["visited_pct"], measure.meets_visit_standard) == (95.0, False)


@pytest.mark.parametrize(
    ("at_home", "visited", "pct", "meets"),
    [
        (6, 12, 50.0, True),  # SPEC 8.6: 6 of 12 is 50%, met
        (5, 12, 41.67, False),
        (12, 12, 100.0, True),
    ],
)
def test_spec_8_6_residence_standard(at_home, visited, pct, meets):
    measure = months_of(visited, at_home, visited)
    assert (measure.to_json()["residence_pct"], measure.meets_residence_standard) == (pct, meets)


def test_null_percentages_without_child_months():
    assert federal_measure([], JAN, MAR, D(2026, 4, 1)).to_json() == {
        "from": "2026-01",
        "to": "2026-03",
        "child_months": 0,
        "visited_months": 0,
        "visited_pct": None,
        "residence_months": 0,
        "residence_pct": None,
        "meets_visit_standard": None,
        "meets_residence_standard": None,
        "children": [],
    }


def test_residence_is_null_when_no_month_was_visited():
    measure = federal_measure([("2026-0142", child())], JAN, FEB, D(2026, 3, 1))
    json = measure.to_json()
    assert (json["visited_pct"], json["meets_visit_standard"]) == (0.0, False)
    assert (json["residence_pct"], json["meets_residence_standard"]) == (None, None)


# --- what is a child-month ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("placements", "months"),
    [
        ([placed(D(2025, 11, 1), D(2026, 2, 14))], ["2026-01"]),  # discharged mid-February
        ([placed(D(2026, 2, 1))], ["2026-02", "2026-03"]),  # placed on the 1st: February counts
        ([placed(D(2026, 2, 2))], ["2026-03"]),  # placed on the 2nd: it does not
        ([placed(D(2025, 11, 1), D(2026, 2, 28))], ["2026-01", "2026-02"]),  # left on February's last day
        ([placed(D(2025, 11, 1), D(2026, 2, 27))], ["2026-01"]),  # one day short
        # Moved 02-10 -> 02-11: no gap, one episode, February counts.
        ([placed(D(2025, 11, 1), D(2026, 2, 10)), placed(D(2026, 2, 11))], ["2026-01", "2026-02", "2026-03"]),
        # Home on 02-11, placed again 02-12: February is not whole.
        ([placed(D(2025, 11, 1), D(2026, 2, 10)), placed(D(2026, 2, 12))], ["2026-01", "2026-03"]),
        ([], []),
    ],
)
def test_in_care_the_entire_month(placements, months):
    # As of 2026-04-15: months up to March have ended.
    a_child = child(placements=placements)
    assert [month for month, _, _ in counted(a_child, JAN, APR, D(2026, 4, 15))] == months


@pytest.mark.parametrize(
    ("end", "months"),
    [
        (D(2026, 4, 30), ["2026-03", "2026-04"]),  # April has 30 days: left on the 30th, it is whole
        (D(2026, 4, 29), ["2026-03"]),
        (D(2026, 3, 31), ["2026-03"]),  # left on March 31st: March is whole, April not in care
        (D(2026, 3, 30), []),
    ],
)
def test_month_ends_31st_and_30th(end, months):
    a_child = child(placements=[placed(D(2026, 3, 1), end)])
    assert [month for month, _, _ in counted(a_child, MAR, APR, D(2026, 5, 1))] == months


@pytest.mark.parametrize(
    ("end", "counts"),
    [
        (D(2028, 2, 28), False),  # 2028 is a leap year: February has a 29th
        (D(2028, 2, 29), True),
    ],
)
def test_leap_february(end, counts):
    a_child = child(placements=[placed(D(2028, 1, 1), end)])
    feb = Month(2028, 2)
    assert bool(counted(a_child, feb, feb, D(2028, 3, 1))) is counts


@pytest.mark.parametrize(
    ("born", "months"),
    [
        (D(2008, 4, 1), ["2026-01", "2026-02", "2026-03"]),  # 18 on 2026-04-01: April is out
        (D(2008, 4, 2), ["2026-01", "2026-02", "2026-03", "2026-04"]),  # 17 on 04-01: April counts
        (D(2008, 2, 15), ["2026-01", "2026-02"]),  # 18 mid-February: February still counts, March not
        (D(2008, 3, 1), ["2026-01", "2026-02"]),  # 18 on March 1st: March is out
        (D(2007, 12, 31), []),  # 18 before the period
        (None, ["2026-01", "2026-02", "2026-03", "2026-04"]),  # age unknown counts
    ],
)
def test_under_18_on_the_first_day(born, months):
    a_child = child(born=born)
    assert [month for month, _, _ in counted(a_child, JAN, APR, D(2026, 5, 1))] == months


def test_a_child_born_on_29_february_turns_18_on_the_28th():
    # Born 2008-02-29: relativedelta puts the 18th birthday on 2026-02-28, so 2026-03-01 is past it.
    a_child = child(born=D(2008, 2, 29))
    assert [month for month, _, _ in counted(a_child, JAN, MAR, D(2026, 4, 1))] == ["2026-01", "2026-02"]


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        (D(2026, 3, 31), ["2026-01", "2026-02"]),  # March ends today: not yet
        (D(2026, 4, 1), ["2026-01", "2026-02", "2026-03"]),
        (D(2026, 1, 31), []),
    ],
)
def test_only_months_ended_before_as_of(as_of, months):
    assert [month for month, _, _ in counted(child(), JAN, MAR, as_of)] == months


@pytest.mark.parametrize(
    ("visits", "at_home", "expected"),
    [
        ([D(2026, 2, 1)], [], ("2026-02", True, False)),  # a visit on the first day of the month
        ([D(2026, 2, 28)], [D(2026, 2, 28)], ("2026-02", True, True)),  # on the last day, at home
        ([D(2026, 2, 3), D(2026, 2, 20)], [D(2026, 2, 20)], ("2026-02", True, True)),  # one of two at home
        ([D(2026, 1, 31), D(2026, 3, 1)], [D(2026, 1, 31), D(2026, 3, 1)], ("2026-02", False, False)),
    ],
)
def test_visited_and_in_residence(visits, at_home, expected):
    a_child = child(visits=visits, at_home=at_home)
    assert counted(a_child, FEB, FEB, D(2026, 3, 1)) == [expected]


def test_children_without_a_child_month_are_left_out_and_the_period_is_kept():
    at_home = child("Ana Rivera", placements=[], member_id=2)
    maya = child(visits=[D(2026, 1, 10)])
    # Asked up to April as of 2026-03-05: only January and February have ended.
    measure = federal_measure([("2026-0142", maya), ("2026-0142", at_home)], JAN, APR, D(2026, 3, 5))
    assert [record.child for record in measure.children] == ["Maya Rivera"]
    assert (str(measure.from_month), str(measure.to_month), measure.child_months) == ("2026-01", "2026-04", 2)


def test_several_children_add_up():
    maya = child(visits=[D(2026, 1, 10), D(2026, 2, 10)], at_home=[D(2026, 1, 10)])
    leo = child("Leo Rivera", visits=[D(2026, 2, 11)], member_id=2, placements=[placed(D(2026, 1, 5))])
    measure = federal_measure([("2026-0142", maya), ("2026-0142", leo)], JAN, FEB, D(2026, 3, 1))
    # Maya: January (at home) and February visited; Leo: February only (placed 01-05), visited.
    assert (measure.child_months, measure.visited_months, measure.residence_months) == (3, 3, 1)
    assert measure.meets_visit_standard is True
    assert measure.meets_residence_standard is False  # 1 of 3 visited months at home


# --- missed months ------------------------------------------------------------------------------------


def test_missed_months_with_the_last_visit_before_each():
    maya = child(visits=[D(2025, 12, 20), D(2026, 3, 1)])
    leo = child("Leo Rivera", member_id=2, placements=[placed(D(2026, 1, 1))])
    found = missed_months([("2026-0142", maya), ("2026-0150", leo)], JAN, MAR, D(2026, 4, 1))
    assert found == [
        MissedMonth("2026-0142", "Maya Rivera", JAN, D(2025, 12, 20)),
        MissedMonth("2026-0142", "Maya Rivera", FEB, D(2025, 12, 20)),
        MissedMonth("2026-0150", "Leo Rivera", JAN, None),
        MissedMonth("2026-0150", "Leo Rivera", FEB, None),
        MissedMonth("2026-0150", "Leo Rivera", MAR, None),
    ]


# --- the default period --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        (D(2026, 4, 15), Month(2025, 10), Month(2026, 3)),  # FY2026 up to March
        (D(2026, 1, 1), Month(2025, 10), Month(2025, 12)),  # December has just ended
        (D(2026, 9, 30), Month(2025, 10), Month(2026, 8)),  # September ends today: not yet
        (D(2026, 10, 1), Month(2025, 10), Month(2026, 9)),  # October: the whole year just closed
        (D(2026, 10, 31), Month(2025, 10), Month(2026, 9)),
        (D(2026, 11, 1), Month(2026, 10), Month(2026, 10)),  # FY2027's first month has ended
    ],
)
def test_fiscal_year_period(as_of, first, last):
    assert fiscal_year_period(as_of) == (first, last)
