"""`add_months` and Month arithmetic agree with dateutil's relativedelta, which SPEC 5 names."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from caseload.rules.months import Month, add_months

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
month_steps = st.integers(min_value=-1200, max_value=1200)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # SPEC 5: Jan 31 + 1 month = Feb 28
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # a leap year's February
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),  # a leap day a year on
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),  # backwards, also clipped
        (dt.date(2025, 1, 1), 15, dt.date(2026, 4, 1)),  # SPEC 8 example 8: 15 months in care
        (dt.date(2026, 3, 11), 12, dt.date(2027, 3, 11)),  # SPEC 8 example 7: permanency hearing
        (dt.date(2026, 5, 15), 0, dt.date(2026, 5, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(days, month_steps)
def test_add_months_moves_a_date_as_relativedelta_does(day, months):
    assert add_months(day, months) == day + relativedelta(months=months)


@given(days, month_steps)
def test_month_arithmetic_matches_relativedelta(day, months):
    month = Month.of(day)
    assert month + months == Month.of(day.replace(day=1) + relativedelta(months=months))
    assert month.last_day == month.first_day + relativedelta(day=31)


def test_a_month_outside_the_calendar_is_refused():
    with pytest.raises(ValueError, match="out of range"):
        Month(9999, 12) + 1
