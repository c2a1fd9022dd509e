"""Properties that must hold for any facts, checked with hypothesis."""

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from caseload.rules.due import DUE_SOON, OVERDUE, due_items, sort_items, status_on
from caseload.rules.facts import ContactFact, PlacementFact
from caseload.rules.measure import federal_measure
from caseload.rules.months import Month
from tests.rules.builders import STANDARDS, D, child, family_case, foster_case

EARLIEST, LATEST = D(2023, 1, 1), D(2027, 12, 31)
days = st.dates(EARLIEST, LATEST)
months = st.builds(Month.of, days)


@st.composite
def placement_histories(draw):
    """Non-overlapping placements from sorted distinct dates taken in pairs; an odd last one is open."""
    edges = sorted(draw(st.lists(days, min_size=1, max_size=6, unique=True)))
    placements = []
    for start, end in zip(edges[::2], [*edges[1::2], None], strict=False):
        adjudicated = draw(st.none() | st.dates(start, start + dt.timedelta(days=120)))
        placements.append(PlacementFact(start_on=start, end_on=end, adjudicated_on=adjudicated))
    return placements


@st.composite
def foster_children(draw, name="Maya Rivera"):
    visits = draw(st.lists(days, max_size=8))
    return child(
        name,
        visits=visits,
        at_home=draw(st.lists(st.sampled_from(visits), max_size=len(visits))) if visits else (),
        placements=draw(placement_histories()),
        born=draw(st.none() | st.dates(D(2005, 1, 1), D(2026, 1, 1))),
    )


def by_subject(items):
    return {(item.kind, item.subject): item for item in items}


@given(due_on=days, as_of=days, within=st.integers(0, 60))
def test_an_item_is_overdue_or_due_soon_never_both(due_on, as_of, within):
    status = status_on(due_on, as_of, as_of + dt.timedelta(days=within))
    assert (status == OVERDUE) == (due_on < as_of)
    assert (status == DUE_SOON) == (as_of <= due_on <= as_of + dt.timedelta(days=within))


@given(maya=foster_children(), new_visit=days, as_of=days, within=st.integers(0, 30))
def test_a_counting_visit_to_a_foster_child_never_makes_an_item_more_overdue(maya, new_visit, as_of, within):
    before = foster_case(maya)
    visited = dataclasses.replace(maya, contacts=(*maya.contacts, ContactFact(new_visit)))
    after = foster_case(visited)
    assert_not_more_overdue(before, after, as_of, within)


@given(
    program=st.sampled_from(["in_home", "family_preservation"]),
    risk=st.sampled_from(["low", "moderate", "high", "very_high"]),
    visits=st.lists(days, max_size=5),
    new_visit=days,
    as_of=days,
)
def test_a_counting_visit_to_a_family_never_makes_an_item_more_overdue(
    program, risk, visits, new_visit, as_of
):
    before = family_case(program, risk, opened=EARLIEST, visits=visits)
    after = dataclasses.replace(before, family_visits=(*visits, new_visit))
    assert_not_more_overdue(before, after, as_of, STANDARDS.due_soon_days)


def assert_not_more_overdue(before, after, as_of, within):
    listed_before = by_subject(due_items(before, STANDARDS, as_of, within, court_closed=frozenset()))
    for key, item in by_subject(due_items(after, STANDARDS, as_of, within, court_closed=frozenset())).items():
        assert key in listed_before
        assert item.days_overdue <= listed_before[key].days_overdue


@given(
    children=st.lists(foster_children(), max_size=3),
    as_of=days,
    within=st.integers(0, 30),
)
def test_listed_items_agree_with_their_status_and_sort_worst_first(children, as_of, within):
    case = foster_case(*children) if children else foster_case()
    listed = sort_items(due_items(case, STANDARDS, as_of, within, court_closed=frozenset()))
    for item in listed:
        assert (item.status == OVERDUE) == (item.days_overdue > 0)
        assert (item.status == DUE_SOON) == (-within <= item.days_overdue <= 0)
    statuses = [item.status for item in listed]
    assert statuses == sorted(statuses, key=lambda status: status != OVERDUE)
    assert [item.days_overdue for item in listed] == sorted(
        (item.days_overdue for item in listed), reverse=True
    )


@given(
    children=st.lists(foster_children(), max_size=4),
    first=months,
    last=months,
    as_of=days,
)
def test_the_measure_stays_within_its_bounds(children, first, last, as_of):
    measure = federal_measure([("2026-0142", c) for c in children], first, last, as_of)
    assert 0 <= measure.residence_months <= measure.visited_months <= measure.child_months
    json = measure.to_json()
    for pct, meets in [
        ("visited_pct", "meets_visit_standard"),
        ("residence_pct", "meets_residence_standard"),
    ]:
        assert (json[pct] is None) == (json[meets] is None)
        assert json[pct] is None or 0 <= json[pct] <= 100
    assert (json["visited_pct"] is None) == (measure.child_months == 0)
    assert all(
        first <= m.month <= last and m.month.last_day < as_of for c in measure.children for m in c.months
    )
