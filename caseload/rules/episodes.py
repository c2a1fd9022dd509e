"""Removal episodes and time in care, built from a child's placements.

Placements that follow each other without a gap (next start <= previous end + 1 day) form one removal
episode: one continuous stay in foster care. A placement's end date is the child's last day there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from caseload.rules.facts import PlacementFact
from caseload.rules.months import add_months

_ONE_DAY = dt.timedelta(days=1)

ENTRY_AFTER_REMOVAL = dt.timedelta(days=60)
# "15 months" of the several-episode ASFA count, as days: 15 x 365.25 / 12 = 456.6, taken as 456.
# One episode entered 2025-01-01 reaches its 456th day on 2026-04-01, the same as entry + 15 months.
FIFTEEN_MONTHS_IN_DAYS = 456
ASFA_LOOK_BACK_MONTHS = 22


@dataclass(frozen=True)
class Episode:
    """One continuous stay in foster care."""

    removed_on: dt.date  # the recorded removal date; where none is recorded, the first placement's start
    first_day: dt.date  # the first placement's start
    last_day: dt.date | None  # the last placement's end; None while the child is still placed
    adjudicated_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether the child was in a placement of this episode on `day`."""
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


def removal_episodes(placements: Iterable[PlacementFact]) -> list[Episode]:
    """A child's episodes, oldest first (SPEC 5, "Readings")."""
    groups: list[list[PlacementFact]] = []
    for placement in sorted(placements, key=lambda placement: placement.start_on):
        if groups and _follows_without_gap(_last_day(groups[-1]), placement.start_on):
            groups[-1].append(placement)
        else:
            groups.append([placement])
    return [_episode(group) for group in groups]


def episode_on(episodes: Iterable[Episode], day: dt.date) -> Episode | None:
    """The episode the child is in on `day`, if any: the child is "in care" that day."""
    return next((episode for episode in episodes if episode.covers(day)), None)


def entered_care(episode: Episode) -> dt.date:
    """The date the child is considered to have entered foster care, 42 U.S.C. 675(5)(F).

    The earlier of the adjudication (first judicial finding) and 60 days after removal; never before
    the removal itself, should an adjudication be recorded that predates it.
    """
    sixty_days_on = episode.removed_on + ENTRY_AFTER_REMOVAL
    if episode.adjudicated_on is None:
        return sixty_days_on
    return max(episode.removed_on, min(episode.adjudicated_on, sixty_days_on))


def days_in_care(episodes: Iterable[Episode], first: dt.date, last: dt.date) -> int:
    """Days from `first` to `last` (both included) in care, each episode counted from entering care.

    An open episode counts through `last`. An episode that ended before its entered-care date (a
    short removal, never adjudicated) contributes nothing.
    """
    total = 0
    for episode in episodes:
        start = max(entered_care(episode), first)
        end = last if episode.last_day is None else min(episode.last_day, last)
        total += max(0, (end - start).days + 1)
    return total


def reaches_15_of_22(episodes: Sequence[Episode]) -> dt.date | None:
    """The day the child has been in care 15 of the most recent 22 months, 42 U.S.C. 675(5)(E).

    Reading (SPEC 5): with one episode holding time in care, its entered-care date + 15 months. With
    several, the first day D on which the days in care within the 22 months ending on D (after
    D - 22 months, through D) reach FIFTEEN_MONTHS_IN_DAYS, each episode counted from its own
    entered-care date (45 CFR 1356.21(i)(1): cumulative over exits and re-entries). An open episode
    is assumed to go on, so the date may lie ahead. None when ended episodes never reach it.
    """
    counted = [episode for episode in episodes if _has_time_in_care(episode)]
    if len(counted) == 1:
        (only,) = counted
        reached = add_months(entered_care(only), 15)
        return reached if only.covers(reached) else None
    # The count only grows on a day in care, so only days in care can be the first to reach it.
    for episode in counted:
        day = entered_care(episode)
        last = episode.last_day or day + dt.timedelta(days=FIFTEEN_MONTHS_IN_DAYS - 1)
        while day <= last:
            look_back_from = add_months(day, -ASFA_LOOK_BACK_MONTHS) + _ONE_DAY
            if days_in_care(counted, look_back_from, day) >= FIFTEEN_MONTHS_IN_DAYS:
                return day
            day += _ONE_DAY
    return None


def _has_time_in_care(episode: Episode) -> bool:
    return episode.last_day is None or entered_care(episode) <= episode.last_day


def _follows_without_gap(previous_last_day: dt.date | None, start_on: dt.date) -> bool:
    return previous_last_day is None or start_on <= previous_last_day + _ONE_DAY


def _last_day(placements: Sequence[PlacementFact]) -> dt.date | None:
    ends = [placement.end_on for placement in placements]
    return None if None in ends else max(ends)


def _episode(placements: Sequence[PlacementFact]) -> Episode:
    """An episode from its placements; the earliest recorded removal and adjudication dates stand."""
    removals = [placement.removed_on for placement in placements if placement.removed_on]
    adjudications = [placement.adjudicated_on for placement in placements if placement.adjudicated_on]
    return Episode(
        removed_on=min(removals, default=placements[0].start_on),
        first_day=placements[0].start_on,
        last_day=_last_day(placements),
        adjudicated_on=min(adjudications, default=None),
    )
