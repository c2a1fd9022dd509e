import datetime as dt

import pytest

from caseload.rules.months import Month, months_from


@pytest.mark.parametrize(
    ("month", "first", "last"),
    [
        (Month(2026, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 31)),  # 31-day month
        (Month(2026, 4), dt.date(2026, 4, 1), dt.date(2026, 4, 30)),  # 30-day month
        (Month(2026, 2), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),  # common-year February
        (Month(2028, 2), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # 2028 is a leap year
        (Month(2026, 12), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_first_and_last_day(month, first, last):
    assert (month.first_day, month.last_day) == (first, last)


@pytest.mark.parametrize(
    ("month", "step", "expected"),
    [
        (Month(2026, 1), 1, Month(2026, 2)),
        (Month(2026, 12), 1, Month(2027, 1)),  # across the year end
        (Month(2026, 1), -1, Month(2025, 12)),
        (Month(2026, 10), 11, Month(2027, 9)),  # a fiscal year's last month
        (Month(2026, 3), 0, Month(2026, 3)),
    ],
)
def test_adding_months(month, step, expected):
    assert month + step == expected
    assert expected - step == month


def test_months_are_ordered_and_print_as_iso():
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert str(Month(2026, 3)) == "2026-03"
    assert Month.of(dt.date(2026, 3, 31)) == Month(2026, 3)


@pytest.mark.parametrize("text", ["2026-03", " 2026-03 "])
def test_parse(text):
    assert Month.parse(text) == Month(2026, 3)


@pytest.mark.parametrize("text", ["2026-3", "2026-13", "2026-00", "2026/03", "March 2026", "2026-03-01"])
def test_parse_rejects_anything_but_yyyy_mm(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)


def test_a_month_number_out_of_range_is_refused():
    with pytest.raises(ValueError):
        Month(2026, 13)


def test_months_from_includes_both_ends_and_is_empty_when_reversed():
    assert list(months_from(Month(2025, 11), Month(2026, 2))) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]
    assert list(months_from(Month(2026, 3), Month(2026, 3))) == [Month(2026, 3)]
    assert list(months_from(Month(2026, 3), Month(2026, 2))) == []
