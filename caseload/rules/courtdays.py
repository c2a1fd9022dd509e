"""Court business days: when a court report is due before its hearing.

Courts are closed on Saturdays, Sundays, the public holidays of the configured calendar (the
`holidays` package, including its "observed" days: July 4 2026 is a Saturday, so Friday July 3 is
closed) and any extra closed days the agency lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable


class UnknownCalendar(ValueError):
    """A `holidays` calendar spec the `holidays` package does not know."""


_SATURDAY = 5
_ONE_DAY = dt.timedelta(days=1)


def court_holidays(spec: str, extra: Iterable[dt.date] = (), years: Iterable[int] = ()) -> Container[dt.date]:
    """Closed days besides weekends for a calendar `country[/subdivision]`, e.g. "US" or "US/CA".

        `years` are loaded at once; any other year is loaded the first time a date in it is looked up,
        so a caller need not guess how far ahead hearings go. An unknown calendar is an UnknownCalendar
    (a ValueError; the service turns it into the user's one-line error).
    """
    import holidays

    country, _, subdivision = spec.partition("/")
    try:
        closed = holidays.country_holidays(country, subdiv=subdivision or None, years=list(years))
    except NotImplementedError as error:
        raise UnknownCalendar(f"unknown court holiday calendar {spec!r}: {error}") from None
    closed.update(dict.fromkeys(extra, "court closed"))
    return closed


def is_court_day(day: dt.date, closed_days: Container[dt.date]) -> bool:
    return day.weekday() < _SATURDAY and day not in closed_days


def court_report_due(hearing_on: dt.date, lead_days: int, closed_days: Container[dt.date]) -> dt.date:
    """`lead_days` calendar days before the hearing, moved back to the previous court day.

    Moving back, never forward, keeps the report ahead of the hearing by at least the lead time.
    """
    due = hearing_on - dt.timedelta(days=lead_days)
    while not is_court_day(due, closed_days):
        due -= _ONE_DAY
    return due
