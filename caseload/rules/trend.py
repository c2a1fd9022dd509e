"""The federal monthly caseworker visit measure month by month: the trend a supervisor follows.

42 U.S.C. 622(b)(17) and 624(f) judge a fiscal year as a whole; the same measure taken over one
calendar month at a time (SPEC 6: child-months, visited, in residence) shows where a year is being
lost. Each month's figure counts only that month's child-months, so the months' counts add up to
the period's.
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

from caseload.rules.measure import ChildMonths, Measure
from caseload.rules.months import Month, months_from


def monthly(measure: Measure) -> list[Measure]:
    """The measure of each month of `measure`'s period, in order; a month without child-months is
    there too (its percentages are None), so every series of one period has the same months."""
    by_month: dict[Month, list[ChildMonths]] = defaultdict(list)
    for child in measure.children:
        for month in child.months:
            by_month[month.month].append(ChildMonths(child.case_number, child.child, (month,)))
    return [
        Measure(month, month, tuple(by_month.get(month, ())))
        for month in months_from(measure.from_month, measure.to_month)
    ]


def whole_percent(percentage: Fraction | None) -> int | None:
    """A percentage rounded down to a whole number, for compact displays: rounding down keeps the
    standard honest (94.58% shows 94, never 95; 95 shows only when the standard is met)."""
    return None if percentage is None else math.floor(percentage)
