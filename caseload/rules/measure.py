"""The federal monthly caseworker visit measure (SPEC 6): 42 U.S.C. 622(b)(17) and 624(f).

The denominator is child-months: calendar months a child spent entirely in foster care while under
18 on the month's first day (an unknown age counts). A child-month is visited when it holds a counting
visit with the child seen, and in residence when one of those visits was where the child lives. The
standards: visited >= 95% of child-months and in residence >= 50% of visited months, both compared
as exact fractions; percentages are rounded only for display.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from caseload.rules.episodes import Episode, removal_episodes
from caseload.rules.facts import ChildFact, ContactFact
from caseload.rules.months import Month, add_months, months_from

VISIT_STANDARD_PCT = 95
RESIDENCE_STANDARD_PCT = 50
ADULTHOOD_MONTHS = 18 * 12


@dataclass(frozen=True)
class ChildMonth:
    month: Month
    visited: bool
    in_residence: bool

    def to_json(self) -> dict[str, object]:
        return {"month": str(self.month), "visited": self.visited, "in_residence": self.in_residence}


@dataclass(frozen=True)
class ChildMonths:
    """One child's child-months in a period."""

    case_number: str
    child: str
    months: tuple[ChildMonth, ...]


@dataclass(frozen=True)
class Measure:
    """The measure over a period; every count and percentage derives from `children` (the counts are
    computed once: an agency's year holds tens of thousands of child-months)."""

    from_month: Month
    to_month: Month
    children: tuple[ChildMonths, ...]

    @cached_property
    def child_months(self) -> int:
        return sum(len(child.months) for child in self.children)

    @cached_property
    def visited_months(self) -> int:
        return sum(month.visited for month in self._months())

    @cached_property
    def residence_months(self) -> int:
        return sum(month.in_residence for month in self._months())

    @property
    def visited_pct(self) -> Fraction | None:
        """Visited child-months as an exact percentage; None without child-months."""
        return _percentage(self.visited_months, self.child_months)

    @property
    def residence_pct(self) -> Fraction | None:
        """In-residence months as an exact percentage of visited months; None when none was visited."""
        return _percentage(self.residence_months, self.visited_months)

    @property
    def meets_visit_standard(self) -> bool | None:
        return None if self.visited_pct is None else self.visited_pct >= VISIT_STANDARD_PCT

    @property
    def meets_residence_standard(self) -> bool | None:
        return None if self.residence_pct is None else self.residence_pct >= RESIDENCE_STANDARD_PCT

    def summary(self) -> dict[str, object]:
        """The SPEC 6 JSON object without its children: percentages rounded half up to 2 places,
        null where undefined."""
        return {
            "from": str(self.from_month),
            "to": str(self.to_month),
            "child_months": self.child_months,
            "visited_months": self.visited_months,
            "visited_pct": _rounded(self.visited_pct),
            "residence_months": self.residence_months,
            "residence_pct": _rounded(self.residence_pct),
            "meets_visit_standard": self.meets_visit_standard,
            "meets_residence_standard": self.meets_residence_standard,
        }

    def to_json(self) -> dict[str, object]:
        """The SPEC 6 JSON object: the summary and every child's months."""
        return {
            **self.summary(),
            "children": [
                {
                    "case_number": child.case_number,
                    "child": child.child,
                    "months": [month.to_json() for month in child.months],
                }
                for child in self.children
            ],
        }

    def _months(self) -> Iterator[ChildMonth]:
        return (month for child in self.children for month in child.months)


@dataclass(frozen=True)
class MissedMonth:
    """A child-month without a visit, with the child's last counting visit before it."""

    case_number: str
    child: str
    month: Month
    last_visit_before: dt.date | None


def child_months(child: ChildFact, from_month: Month, to_month: Month, as_of: dt.date) -> list[ChildMonth]:
    """The child's child-months from `from_month` to `to_month` that ended before `as_of`.

    Reading (SPEC 6): in care the entire month means placements without a gap cover its first and
    last day (a child discharged or placed mid-month does not count that month); under 18 on its first
    day means an 18th birthday on the 1st already excludes that month.
    """
    episodes = removal_episodes(child.placements)
    at_home = _visited_at_home(child.contacts)
    last_ended = min(to_month, Month.of(as_of) - 1)
    adult_on = None if child.born_on is None else add_months(child.born_on, ADULTHOOD_MONTHS)
    return [
        ChildMonth(month, month in at_home, at_home.get(month, False))
        for month in months_from(from_month, last_ended)
        if _in_care_all_month(episodes, month) and (adult_on is None or month.first_day < adult_on)
    ]


def federal_measure(
    children: Iterable[tuple[str, ChildFact]], from_month: Month, to_month: Month, as_of: dt.date
) -> Measure:
    """The measure over `(case_number, child)` pairs; children without a child-month are left out.

    The period stays as asked even where months after `as_of` could not count yet.
    """
    return measure_and_missed(children, from_month, to_month, as_of)[0]


def missed_months(
    children: Iterable[tuple[str, ChildFact]], from_month: Month, to_month: Month, as_of: dt.date
) -> list[MissedMonth]:
    """Every unvisited child-month in the period, for a supervisor to follow up."""
    return measure_and_missed(children, from_month, to_month, as_of)[1]


def measure_and_missed(
    children: Iterable[tuple[str, ChildFact]], from_month: Month, to_month: Month, as_of: dt.date
) -> tuple[Measure, list[MissedMonth]]:
    """`federal_measure` and `missed_months` from one pass over the children's months (an agency's
    fiscal year holds tens of thousands of them)."""
    records, missed = [], []
    for case_number, child in children:
        months = child_months(child, from_month, to_month, as_of)
        if months:
            records.append(ChildMonths(case_number, child.name, tuple(months)))
        for month in months:
            if not month.visited:
                first_day = month.month.first_day
                before = [contact.visit_on for contact in child.contacts if contact.visit_on < first_day]
                missed.append(MissedMonth(case_number, child.name, month.month, max(before, default=None)))
    return Measure(from_month, to_month, tuple(records)), missed


def fiscal_year_period(as_of: dt.date) -> tuple[Month, Month]:
    """The default period: the federal fiscal year (October-September) up to its last ended month.

    That is the fiscal year of the last month ended before `as_of`: the one containing `as_of`,
    except in October, when no month of the new year has ended and the year just closed is the
    useful answer (its final figure), rather than an empty period.
    """
    last_ended = Month.of(as_of) - 1
    starts_in = last_ended.year if last_ended.month >= 10 else last_ended.year - 1
    return Month(starts_in, 10), last_ended


def _visited_at_home(contacts: Iterable[ContactFact]) -> dict[Month, bool]:
    """Each month with a counting visit, and whether one of its visits was at home."""
    at_home: dict[Month, bool] = {}
    for contact in contacts:
        month = Month.of(contact.visit_on)
        at_home[month] = at_home.get(month, False) or contact.at_home
    return at_home


def _in_care_all_month(episodes: Iterable[Episode], month: Month) -> bool:
    first, last = month.first_day, month.last_day
    return any(episode.covers(first) and episode.covers(last) for episode in episodes)


def _percentage(part: int, whole: int) -> Fraction | None:
    return None if whole == 0 else Fraction(100 * part, whole)


def _rounded(percentage: Fraction | None) -> float | None:
    """Half up to 2 places, exactly (66.666... -> 66.67, 0.625 -> 0.63)."""
    if percentage is None:
        return None
    return math.floor(percentage * 100 + Fraction(1, 2)) / 100
