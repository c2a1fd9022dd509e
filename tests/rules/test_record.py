"""rules.record: the checks on entries of the case record, hand-derived."""

import datetime as dt

import pytest

from caseload.rules import record

D = dt.date


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(2016, 5, 2), D(2026, 5, 1), 9),  # the day before the 10th birthday
        (D(2016, 5, 2), D(2026, 5, 2), 10),  # on it
        (D(2016, 2, 29), D(2026, 2, 28), 9),  # a leap-day birthday comes of age on March 1
        (D(2016, 2, 29), D(2026, 3, 1), 10),
        (None, D(2026, 3, 1), None),
    ],
)
def test_age_on(born, day, age):
    assert record.age_on(born, day) == age


@pytest.mark.parametrize(
    ("visit_on", "recorded_on", "late"),
    [
        (D(2026, 3, 1), D(2026, 3, 4), False),  # 3 days after: on time with late_entry_after_days 3
        (D(2026, 3, 1), D(2026, 3, 5), True),  # 4 days after
        (D(2026, 3, 1), D(2026, 3, 1), False),
    ],
)
def test_late_entry_is_more_than_the_allowed_days_after(visit_on, recorded_on, late):
    assert record.is_late_entry(visit_on, recorded_on, 3) is late


@pytest.mark.parametrize(
    ("minutes", "ok"), [(None, True), (1, True), (1440, True), (0, False), (1441, False)]
)
def test_duration_bounds(minutes, ok):
    assert (record.duration_problem(minutes) is None) is ok


def test_dates_within_the_case_both_ends_included():
    opened, closed = D(2026, 1, 5), D(2026, 6, 30)
    assert record.outside_case_problem(opened, opened, closed, "2026-0142", "the visit") is None
    assert record.outside_case_problem(closed, opened, closed, "2026-0142", "the visit") is None
    assert record.outside_case_problem(D(2026, 1, 4), opened, closed, "2026-0142", "the visit") == (
        "case 2026-0142 opened on 2026-01-05: the visit is dated 2026-01-04"
    )
    assert record.outside_case_problem(D(2026, 7, 1), opened, None, "2026-0142", "the visit") is None
    assert record.future_problem(D(2026, 4, 2), D(2026, 4, 1), "a visit") == (
        "a visit cannot be in the future (2026-04-02)"
    )
    assert record.future_problem(D(2026, 4, 1), D(2026, 4, 1), "a visit") is None


def test_a_new_placement_ends_the_open_one_and_never_overlaps_a_closed_one():
    open_one = {"start_on": D(2026, 1, 10), "end_on": None}
    closed_one = {"start_on": D(2025, 6, 1), "end_on": D(2025, 9, 30)}
    assert record.placements_ended_by([closed_one, open_one], D(2026, 3, 1), "Maya") == ([open_one], None)
    # a placement starting the day the closed one ended overlaps it (an end date is the last day)
    ended, problem = record.placements_ended_by([closed_one], D(2025, 9, 30), "Maya")
    assert (
        ended == []
        and problem == "Maya was already placed from 2025-06-01 to 2025-09-30: placements cannot overlap"
    )
    # an open placement that starts the same day is not ended but overlapped
    assert record.placements_ended_by([open_one], D(2026, 1, 10), "Maya")[1] == (
        "Maya was already placed from 2026-01-10 to now: placements cannot overlap"
    )
    assert record.placement_dates_problem(D(2026, 1, 10), D(2026, 1, 11), None) == (
        "the removal date 2026-01-11 is after the placement start 2026-01-10"
    )
    assert record.placement_end_problem(D(2026, 1, 10), D(2026, 1, 10)) is None
