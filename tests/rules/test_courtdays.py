import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseload.rules.courtdays import UnknownCalendar, court_holidays, court_report_due, is_court_day

D = dt.date
US = court_holidays("US", years=[2026, 2027])


def test_the_us_calendar_knows_the_observed_independence_day():
    # July 4 2026 is a Saturday; the federal holiday is observed on Friday July 3.
    assert D(2026, 7, 4).weekday() == 5
    assert D(2026, 7, 3) in US
    assert D(2026, 7, 2) not in US


@pytest.mark.parametrize(
    ("hearing_on", "closed", "due_on"),
    [
        # SPEC 8.9: Mon 2026-05-04 - 10 days = Fri 2026-04-24, a court day.
        (D(2026, 5, 4), US, D(2026, 4, 24)),
        # SPEC 8.9: Tue 2026-11-24 - 10 = Sat 2026-11-14 -> back to Fri 2026-11-13.
        (D(2026, 11, 24), US, D(2026, 11, 13)),
        # Mon 2026-07-13 - 10 = Fri 2026-07-03, Independence Day observed -> Thu 2026-07-02.
        (D(2026, 7, 13), US, D(2026, 7, 2)),
        # Tue 2026-07-14 - 10 = Sat 07-04 (holiday and weekend) -> Fri 07-03 (observed) -> Thu 07-02.
        (D(2026, 7, 14), US, D(2026, 7, 2)),
        # Thu 2026-06-04 - 10 = Memorial Day Mon 05-25 -> Sun 24 -> Sat 23 -> Fri 2026-05-22.
        (D(2026, 6, 4), US, D(2026, 5, 22)),
        # Thu 2026-01-29 - 10 = MLK Day Mon 01-19 -> Sun -> Sat -> Fri 2026-01-16.
        (D(2026, 1, 29), US, D(2026, 1, 16)),
        # Mon 2027-01-11 - 10 = Fri 2027-01-01, New Year's Day -> Thu 2026-12-31 (back across the year).
        (D(2027, 1, 11), US, D(2026, 12, 31)),
        # Mon 2026-12-07 - 10 = Fri 2026-11-27: open under the federal calendar...
        (D(2026, 12, 7), US, D(2026, 11, 27)),
        # ...closed in California (Day after Thanksgiving) -> Thu 11-26 Thanksgiving -> Wed 2026-11-25.
        (D(2026, 12, 7), court_holidays("US/CA"), D(2026, 11, 25)),
        # Weekends only: Sat 2026-07-04 -> Fri 2026-07-03.
        (D(2026, 7, 14), frozenset(), D(2026, 7, 3)),
    ],
)
def test_court_report_due_ten_days_before(hearing_on, closed, due_on):
    assert court_report_due(hearing_on, 10, closed) == due_on


def test_extra_closed_days_of_the_local_court():
    # Fri 2026-04-24 is listed as closed -> Thu 2026-04-23.
    closed = court_holidays("US", extra=[D(2026, 4, 24)])
    assert court_report_due(D(2026, 5, 4), 10, closed) == D(2026, 4, 23)


def test_an_extra_day_in_a_year_not_loaded_yet_keeps_that_years_holidays():
    closed = court_holidays("US", extra=[D(2030, 12, 24)], years=[2026])
    assert D(2030, 12, 24) in closed
    assert D(2030, 12, 25) in closed  # Christmas 2030 loaded along with the extra day


def test_years_not_asked_for_are_loaded_when_looked_up():
    closed = court_holidays("US", years=[2026])
    # Mon 2031-01-13 - 10 = Fri 2031-01-03: an ordinary day, even in a year never loaded up front.
    assert court_report_due(D(2031, 1, 13), 10, closed) == D(2031, 1, 3)
    # Wed 2031-01-01 is New Year's Day.
    assert D(2031, 1, 1) in closed


@pytest.mark.parametrize(
    ("hearing_on", "due_on"),
    [
        (D(2026, 5, 4), D(2026, 5, 4)),  # a Monday hearing: due that day
        (D(2026, 5, 9), D(2026, 5, 8)),  # a Saturday date: back to Friday
    ],
)
def test_no_lead_time(hearing_on, due_on):
    assert court_report_due(hearing_on, 0, US) == due_on


@pytest.mark.parametrize("spec", ["XX", "US/ZZ"])
def test_an_unknown_calendar_is_refused_by_name(spec):
    with pytest.raises(UnknownCalendar, match=f"unknown court holiday calendar '{spec}'"):
        court_holidays(spec)


@given(
    hearing_on=st.dates(D(2000, 1, 1), D(2100, 12, 31)),
    lead_days=st.integers(0, 60),
    closed=st.frozensets(st.dates(D(1999, 9, 1), D(2100, 12, 31)), max_size=20),
)
def test_the_due_date_is_the_latest_court_day_on_or_before_the_lead(hearing_on, lead_days, closed):
    latest = hearing_on - dt.timedelta(days=lead_days)
    due_on = court_report_due(hearing_on, lead_days, closed)
    assert due_on <= latest
    assert is_court_day(due_on, closed)
    skipped = (due_on + dt.timedelta(days=n) for n in range(1, (latest - due_on).days + 1))
    assert not any(is_court_day(day, closed) for day in skipped)
