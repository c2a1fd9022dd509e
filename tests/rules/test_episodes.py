import datetime as dt

import pytest

from caseload.rules.episodes import (
    Episode,
    days_in_care,
    entered_care,
    episode_on,
    reaches_15_of_22,
    removal_episodes,
)
from caseload.rules.facts import PlacementFact

D = dt.date


def placed(start, end=None, removed=None, adjudicated=None):
    return PlacementFact(start_on=start, end_on=end, removed_on=removed, adjudicated_on=adjudicated)


def episode(entered, last_day=None):
    """An episode removed and adjudicated on `entered`, so that it entered care that same day."""
    return Episode(removed_on=entered, first_day=entered, last_day=last_day, adjudicated_on=entered)


@pytest.mark.parametrize(
    ("placements", "expected"),
    [
        pytest.param(
            [placed(D(2026, 1, 15))],
            [Episode(D(2026, 1, 15), D(2026, 1, 15), None, None)],
            id="one open placement: no removal recorded, its start stands for it",
        ),
        pytest.param(
            [placed(D(2026, 1, 10), D(2026, 2, 14), removed=D(2026, 1, 9)), placed(D(2026, 2, 15))],
            [Episode(D(2026, 1, 9), D(2026, 1, 10), None, None)],
            id="next start = previous end + 1: one episode",
        ),
        pytest.param(
            [placed(D(2026, 1, 10), D(2026, 2, 14)), placed(D(2026, 2, 14), D(2026, 3, 31))],
            [Episode(D(2026, 1, 10), D(2026, 1, 10), D(2026, 3, 31), None)],
            id="moved on the same day: one episode",
        ),
        pytest.param(
            [placed(D(2026, 1, 10), D(2026, 2, 14)), placed(D(2026, 2, 16), removed=D(2026, 2, 16))],
            [
                Episode(D(2026, 1, 10), D(2026, 1, 10), D(2026, 2, 14), None),
                Episode(D(2026, 2, 16), D(2026, 2, 16), None, None),
            ],
            id="a one-day gap (02-15 at home): two episodes",
        ),
        pytest.param(
            [placed(D(2026, 3, 1), adjudicated=D(2026, 3, 20)), placed(D(2026, 1, 5), D(2026, 2, 28))],
            [Episode(D(2026, 1, 5), D(2026, 1, 5), None, D(2026, 3, 20))],
            id="given out of order; adjudication recorded on the later placement",
        ),
        pytest.param(
            [
                placed(D(2026, 1, 5), D(2026, 1, 31), removed=D(2026, 1, 4)),
                placed(D(2026, 2, 1), removed=D(2026, 1, 3)),
            ],
            [Episode(D(2026, 1, 3), D(2026, 1, 5), None, None)],
            id="disagreeing removal dates: the earliest stands",
        ),
        pytest.param([], [], id="no placements"),
    ],
)
def test_removal_episodes(placements, expected):
    assert removal_episodes(placements) == expected


def test_episode_on_a_day():
    first, second = removal_episodes([placed(D(2026, 1, 10), D(2026, 2, 14)), placed(D(2026, 2, 16))])
    assert episode_on([first, second], D(2026, 1, 10)) == first  # first day
    assert episode_on([first, second], D(2026, 2, 14)) == first  # last day there is still in care
    assert episode_on([first, second], D(2026, 2, 15)) is None  # the day at home
    assert episode_on([first, second], D(2030, 1, 1)) == second  # open
    assert episode_on([first, second], D(2026, 1, 9)) is None


@pytest.mark.parametrize(
    ("removed", "adjudicated", "entered"),
    [
        # SPEC 8.7: 2026-01-10 + 60: +21 -> 01-31, +28 -> 02-28 (49), +11 -> 2026-03-11; adjudicated later.
        (D(2026, 1, 10), D(2026, 4, 1), D(2026, 3, 11)),
        # Adjudicated 2026-02-01, before removal + 60 (03-11): the adjudication stands.
        (D(2026, 1, 10), D(2026, 2, 1), D(2026, 2, 1)),
        # Never adjudicated: 2025-12-15 + 60: +16 -> 12-31, +31 -> 01-31 (47), +13 -> 2026-02-13.
        (D(2025, 12, 15), None, D(2026, 2, 13)),
        # Leap year: 2027-12-31 + 60: +31 -> 2028-01-31, +29 -> 2028-02-29.
        (D(2027, 12, 31), None, D(2028, 2, 29)),
        # A finding recorded before the removal cannot put the child in care before the removal.
        (D(2026, 3, 1), D(2026, 2, 1), D(2026, 3, 1)),
    ],
)
def test_entered_care(removed, adjudicated, entered):
    assert entered_care(Episode(removed, removed, None, adjudicated)) == entered


def test_entered_care_without_a_recorded_removal_counts_from_the_first_placement():
    # Placed 2026-01-15, no removal date: 2026-01-15 + 60: +16 -> 01-31, +28 -> 02-28 (44), +16 -> 03-16.
    (only,) = removal_episodes([placed(D(2026, 1, 15))])
    assert entered_care(only) == D(2026, 3, 16)


@pytest.mark.parametrize(
    ("episodes", "first", "last", "days"),
    [
        ([episode(D(2025, 1, 1))], D(2025, 1, 1), D(2025, 12, 31), 365),  # open, whole of 2025
        ([episode(D(2025, 1, 1))], D(2024, 6, 1), D(2025, 1, 1), 1),  # entered on the window's last day
        ([episode(D(2028, 2, 1), D(2028, 2, 29))], D(2028, 1, 1), D(2028, 12, 31), 29),  # leap February
        # 2024-01-01..03-31 (31 + 29 + 31 = 91) and 2024-06-01..06-30 (30).
        (
            [episode(D(2024, 1, 1), D(2024, 3, 31)), episode(D(2024, 6, 1))],
            D(2024, 1, 1),
            D(2024, 6, 30),
            121,
        ),
        # Removed 2026-01-01, home 2026-01-20, never adjudicated: entered care would be 03-02, after it ended.
        ([Episode(D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 20), None)], D(2026, 1, 1), D(2026, 12, 31), 0),
    ],
)
def test_days_in_care(episodes, first, last, days):
    assert days_in_care(episodes, first, last) == days


@pytest.mark.parametrize(
    ("episodes", "reached"),
    [
        pytest.param(
            # SPEC 8.8: entered 2025-01-01 + 15 months = 2026-04-01.
            [episode(D(2025, 1, 1))],
            D(2026, 4, 1),
            id="spec 8.8: one episode",
        ),
        pytest.param(
            # 2025-03-31 + 15 months = 2026-06-31, which relativedelta clamps to 2026-06-30.
            [episode(D(2025, 3, 31))],
            D(2026, 6, 30),
            id="one episode from a 31st",
        ),
        pytest.param(
            # First: 2024-01-01..10-31 = 31+29+31+30+31+30+31+31+30+31 = 305 days. Second from 2025-06-01
            # needs 456 - 305 = 151 days: 06-01 + 150 = 2025-10-29 (Jun 29, Jul 31, Aug 31, Sep 30, Oct 29).
            # 22 months before 2025-10-29 is 2023-12-29, so all of the first episode is within the window.
            [episode(D(2024, 1, 1), D(2024, 10, 31)), episode(D(2025, 6, 1))],
            D(2025, 10, 29),
            id="several episodes add up",
        ),
        pytest.param(
            # Same first episode (305 days), second from 2025-09-01: by 2025-10-31 only 305 + 61 = 366.
            # From then on days of the first slide out of the window as days of the second come in, until
            # the first has left it entirely (22 months after 2024-10-31 = 2026-08-31). The second alone
            # reaches its 456th day on 2025-09-01 + 455 = 2026-11-30 (one day before + 15 months).
            [episode(D(2024, 1, 1), D(2024, 10, 31)), episode(D(2025, 9, 1))],
            D(2026, 11, 30),
            id="an old episode slides out of the 22 months",
        ),
        pytest.param(
            # The first removal (never adjudicated, home after 31 days) never reached entered care, so only
            # the second counts, alone: 2025-06-01 + 15 months = 2026-09-01.
            [
                Episode(D(2025, 1, 1), D(2025, 1, 1), D(2025, 1, 31), None),
                episode(D(2025, 6, 1)),
            ],
            D(2026, 9, 1),
            id="an episode that never entered care does not count",
        ),
        pytest.param(
            # 2025-01-01..2026-03-31 ends one day short of + 15 months.
            [episode(D(2025, 1, 1), D(2026, 3, 31))],
            None,
            id="one ended episode short of 15 months",
        ),
        pytest.param(
            # 2024-01-01..06-30 (182) and 2024-09-01..2025-02-28 (181): 363 days, never 456.
            [episode(D(2024, 1, 1), D(2024, 6, 30)), episode(D(2024, 9, 1), D(2025, 2, 28))],
            None,
            id="ended episodes short of 15 months",
        ),
        pytest.param([], None, id="never in care"),
    ],
)
def test_reaches_15_of_22(episodes, reached):
    assert reaches_15_of_22(episodes) == reached
