"""Calendar months as values: the unit of the monthly visit rule and of the federal measure.

A `Month` orders and adds like a number and prints as `YYYY-MM`, the form users type and JSON shows.
Month arithmetic is integer arithmetic on the month count, and `add_months` moves a date the way
`dateutil.relativedelta(months=n)` does (SPEC 5: Jan 31 + 1 month = Feb 28): an agency's overdue
list and federal measure do it hundreds of thousands of times, where relativedelta costs ~5x.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")
        if not dt.MINYEAR <= self.year <= dt.MAXYEAR:
            raise ValueError(f"year {self.year} is out of range")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read `YYYY-MM`; anything else (`2026-3`, `2026-13`) is a ValueError naming the text."""
        match = _MONTH_TEXT.fullmatch(text.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"not a month (YYYY-MM): {text!r}")
        return cls(int(match[1]), int(match[2]))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, _days_in(self.year, self.month))

    def __add__(self, months: int) -> Month:
        return Month(*_shift(self.year, self.month, months))

    def __sub__(self, months: int) -> Month:
        return self + -months

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_from(first: Month, last: Month) -> Iterator[Month]:
    """Every month from `first` to `last`, both included (nothing when `first` is after `last`)."""
    month = first
    while month <= last:
        yield month
        month += 1


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, kept on its day of the month or else on the last day of
    a shorter month: 2026-01-31 + 1 = 2026-02-28, 2024-02-29 + 12 = 2025-02-28 (as relativedelta)."""
    year, month = _shift(day.year, day.month, months)
    return dt.date(year, month, min(day.day, _days_in(year, month)))


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved by whole months."""
    shifted_year, index = divmod(year * 12 + month - 1 + months, 12)
    return shifted_year, index + 1


def _days_in(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month]
