"""What an entry of the case record may say: dates, durations, placements, ages.

Pure checks over plain data. Each returns the problem as the sentence the user sees (None: no
problem), and the service that holds the unit of work raises it as a RuleViolation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

MAX_DURATION_MIN = 24 * 60  # a contact lasts at most a day


def future_problem(day: dt.date, today: dt.date, what: str) -> str | None:
    """Records are of what happened (SPEC 3): nothing is dated after today."""
    if day > today:
        return f"{what} cannot be in the future ({day})"
    return None


def outside_case_problem(
    day: dt.date, opened_on: dt.date, closed_on: dt.date | None, case_number: str, what: str
) -> str | None:
    """An entry of the case's record falls between its opening and (if closed) its closing, both
    days included (SPEC 3: a case is open from `opened_on` to `closed_on`)."""
    if day < opened_on:
        return f"case {case_number} opened on {opened_on}: {what} is dated {day}"
    if closed_on and day > closed_on:
        return f"case {case_number} closed on {closed_on}: {what} is dated {day}"
    return None


def is_late_entry(visit_on: dt.date, recorded_on: dt.date, late_entry_after_days: int) -> bool:
    """SPEC 4: a visit recorded more than `late_entry_after_days` after its date is a late entry
    (recorded exactly that many days after is on time)."""
    return (recorded_on - visit_on).days > late_entry_after_days


def duration_problem(duration_min: int | None) -> str | None:
    """A contact's duration, when given, is a whole number of minutes from 1 to a day (1440)."""
    if duration_min is not None and not 0 < duration_min <= MAX_DURATION_MIN:
        return f"duration must be between 1 and {MAX_DURATION_MIN} minutes, not {duration_min}"
    return None


def age_on(born_on: dt.date | None, day: dt.date) -> int | None:
    """Whole years of age on `day` (a February 29 birthday comes of age on March 1); None unknown."""
    if born_on is None:
        return None
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


# -- placements (SPEC 5, "Readings": an end date is the child's last day in the placement) -----


def placement_dates_problem(
    start_on: dt.date, removed_on: dt.date | None, adjudicated_on: dt.date | None
) -> str | None:
    """A child is removed on or before the first day of the placement, and adjudicated on or after
    the removal."""
    if removed_on and removed_on > start_on:
        return f"the removal date {removed_on} is after the placement start {start_on}"
    if adjudicated_on and removed_on and adjudicated_on < removed_on:
        return f"adjudication {adjudicated_on} is before the removal {removed_on}"
    return None


def placement_case_problem(
    program: str, case_number: str, opened_on: dt.date, start_on: dt.date
) -> str | None:
    """Placements belong to foster-care cases, and start no earlier than the case opened."""
    if program != "foster_care":
        return (
            f"case {case_number} is {program}: placements belong to foster-care "
            f"cases (caseload family update {case_number} --program foster_care)"
        )
    if start_on < opened_on:
        return f"the case opened on {opened_on}: a placement cannot start {start_on}"
    return None


def placed_member_problem(role: str, name: str) -> str | None:
    """Only children are placed (SPEC 3: a placement is a child's)."""
    if role != "child":
        return f"{name} is a {role}, not a child: only children are placed"
    return None


def placements_ended_by(
    earlier: Iterable[Mapping], start_on: dt.date, child: str
) -> tuple[list[Mapping], str | None]:
    """A new placement of a child from `start_on`: the open placements it ends the day before (a
    move), or the problem when it would overlap one (placements of a child never overlap).

    `earlier` are the child's placements (mappings with `start_on` and `end_on`, None while open).
    """
    ended = []
    for placement in earlier:
        if placement["end_on"] is None and placement["start_on"] < start_on:
            ended.append(placement)
        elif placement["end_on"] is None or placement["end_on"] >= start_on:
            return ended, (
                f"{child} was already placed from {placement['start_on']} "
                f"to {placement['end_on'] or 'now'}: placements cannot overlap"
            )
    return ended, None


def placement_end_problem(start_on: dt.date, end_on: dt.date) -> str | None:
    """A placement ends on or after the day it started (its end date is its last day)."""
    if end_on < start_on:
        return f"the placement started {start_on}: it cannot end {end_on}"
    return None


# -- other dates of the record -----------------------------------------------------------------


def closing_problem(opened_on: dt.date, closed_on: dt.date) -> str | None:
    """A case closes on or after the day it opened."""
    if closed_on < opened_on:
        return f"the case opened on {opened_on}: it cannot close on {closed_on}"
    return None


def target_problem(opened_on: dt.date, target_on: dt.date | None) -> str | None:
    """A goal's target date, when set, is not before the case opened."""
    if target_on is not None and target_on < opened_on:
        return f"the case opened on {opened_on}: a target of {target_on} is before it"
    return None


def hearing_date_problem(case_number: str, opened_on: dt.date, hearing_on: dt.date) -> str | None:
    """A hearing of the case is not dated before the case opened (it may be in the future)."""
    if hearing_on < opened_on:
        return f"case {case_number} opened on {opened_on}: no hearing before it"
    return None


def before_latest_problem(latest_on: dt.date | None, day: dt.date, what: str) -> str | None:
    """A change of status is not slipped in before the latest entry: the current status of a goal
    or a service is its latest entry's."""
    if latest_on is not None and day < latest_on:
        return f"{what} has an entry dated {latest_on}: a change cannot be dated {day}, before it"
    return None
