"""Calendar months as values: the unit of the monthly visit rule and of the federal measure.

A `Month` orders and adds like a number and prints as `YYYY-MM`, the form users type and JSON shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, not {self.month}")

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
        return self.first_day + relativedelta(day=31)

    def __add__(self, months: int) -> Month:
        return Month.of(self.first_day + relativedelta(months=months))

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
