"""Plausibility checks of what is typed in: errors for what cannot be, warnings for what is odd.

Pure functions over plain data: each returns a message, or None when all is well. The caller decides
whether a message is an error (nothing is saved) or a warning (saved, and said on stderr).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable

from dateutil.relativedelta import relativedelta

_SATURDAY = 5


def child_birth_problem(
    name: str, born_on: dt.date, opened_on: dt.date, case_number: str, max_age_years: int
) -> str | None:
    """A child of a case is 0 to `max_age_years` years old while the case is open.

    Reading: the child may be born after the case opened (a baby born during an open case), but not
    more than `max_age_years` (21: extended foster care ends at 21, 42 U.S.C. 675(8)) years before it
    opened. A future date of birth is refused elsewhere (nothing is dated after today).
    """
    age = relativedelta(opened_on, born_on).years
    if age > max_age_years:
        return (
            f"{name} born {born_on} would be {age} when case {case_number} opened on {opened_on}: "
            f"a child of a case is 0-{max_age_years} years old (max_child_age_years in the standards file)"
        )
    return None


def hearing_day_warning(hearing_on: dt.date, court_closed: Container[dt.date]) -> str | None:
    """A hearing set on a day the court is closed (a weekend, or a holiday of the court's calendar:
    see rules.courtdays) is most likely a typing mistake; it is kept, with a warning."""
    if hearing_on.weekday() >= _SATURDAY:
        return f"{hearing_on} is a {hearing_on:%A}: courts do not sit on weekends; check the date"
    if hearing_on in court_closed:
        return f"{hearing_on} is a court holiday; check the date"
    return None


def duplicate_visit_warning(
    visit_on: dt.date, kind: str, seen: Iterable[str], same_day: Iterable[dict]
) -> str | None:
    """The same contact recorded twice: another contact of the case that is not void, on the same
    day, of the same kind and with the same people seen (each of `same_day`: id, kind, seen)."""
    wanted = sorted(seen)
    for other in same_day:
        if other["kind"] == kind and sorted(other["seen"]) == wanted:
            return (
                f"visit {other['id']} is the same {kind} contact on {visit_on} already; "
                f"if this one was entered in error: caseload visit void ID --reason …"
            )
    return None
