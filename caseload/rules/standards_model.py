"""The shape of `visit_standards.toml`: frozen dataclasses, checked by one small walker.

Plain stdlib rather than pydantic, so that the everyday commands (`overdue`, `calendar`) never
pay ~45 ms to import pydantic for a dozen numbers. Every field's type says how it is checked: a
nested section is a table, `tuple[X, ...]` an array, and a leaf is `Annotated[type, check]`.
Integers are strict (TOML has real integers; `"14"`, `14.5` or `true` is a mistake); dates may be
TOML dates or ISO strings. Unknown keys are refused so that a misspelt key is reported instead of
silently falling back to nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin, get_type_hints

_CALENDAR = re.compile(r"[A-Za-z]{2,3}(/[A-Za-z0-9-]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _shown(value: Any) -> str:
    """A value as it is written in TOML, for a message: `"14"`, `true`, `14.5`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return "an array" if isinstance(value, list) else str(value)


# No clock or window of the file is longer than this (ten years of days; of months, far more):
# a date moved by more would fall out of the calendar and fail deep in the rules.
LONGEST = 3660


def _whole_number(minimum: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if type(value) is not int:  # not `isinstance`: True is an int to Python, not to an agency
            raise ValueError(f"expected a whole number, got {_shown(value)}")
        if value < minimum:
            raise ValueError(f"expected {minimum} or more, got {value}")
        if value > LONGEST:
            raise ValueError(f"expected at most {LONGEST}, got {value}")
        return value

    return check


def _calendar(value: Any) -> str:
    if not (isinstance(value, str) and _CALENDAR.fullmatch(value)):
        raise ValueError(
            f"expected a country code with an optional subdivision, like US or US/CA, got {_shown(value)}"
        )
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # 2026-02-30: reported below like any other non-date
    elif type(value) is dt.date:  # a TOML date-time is a `datetime`, a subclass of date
        return value
    raise ValueError(f"expected a date like 2026-12-24, got {_shown(value)}")


Days = Annotated[int, _whole_number(0)]
PositiveCount = Annotated[int, _whole_number(1)]
Calendar = Annotated[str, _calendar]
Date = Annotated[dt.date, _date]

# Keyword-only, so that fields keep the file's order whether or not they have a default.
_section = dataclasses.dataclass(frozen=True, kw_only=True)


@_section
class VisitIntervals:
    """Days allowed between counting visits to a family, by the case's risk level."""

    very_high: PositiveCount
    high: PositiveCount
    moderate: PositiveCount
    low: PositiveCount


@_section
class ProgramStandards:
    """What every program has. Foster care needs no more: its monthly visit is the law (42 U.S.C.
    624(f)), not an agency setting."""

    plan_review_every_months: PositiveCount


@_section
class FamilyVisitStandards(ProgramStandards):
    """In-home and family preservation: visits to the family at an interval set by risk."""

    first_visit_within_days: Days
    visit_interval_days: VisitIntervals

    def interval_days(self, risk: str) -> int:
        return getattr(self.visit_interval_days, risk)


@_section
class AssessmentStandards:
    """Reassessment clocks: SDM risk for families served at home, CANS for children in care.
    0 turns a clock off, for an agency that does not use the instrument."""

    sdm_risk_every_days: Days = 90
    cans_every_months: Days = 6
    cans_within_days_of_entering_care: Days = 30


@_section
class Standards:
    """The whole file: windows and lead times, the court's calendar, and a section per program."""

    due_soon_days: Days
    late_entry_after_days: Days
    court_report_lead_days: Days
    holidays: Calendar
    extra_court_holidays: tuple[Date, ...] = ()
    # a child of a case is at most this old when the case opens (rules.plausibility)
    max_child_age_years: PositiveCount = 21
    foster_care: ProgramStandards
    in_home: FamilyVisitStandards
    family_preservation: FamilyVisitStandards
    assessments: AssessmentStandards = AssessmentStandards()

    @classmethod
    def from_toml(cls, table: dict[str, Any]) -> Standards:
        """The parsed file, checked; else ValueError `key.path: problem`, with a count of any others."""
        problems: list[str] = []
        standards = _read(cls, table, "", problems)
        if problems:
            others = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ValueError(problems[0] + others)
        return standards

    def program(self, name: str) -> ProgramStandards:
        """The section for a program: `foster_care`, `in_home` or `family_preservation`."""
        return {
            "foster_care": self.foster_care,
            "in_home": self.in_home,
            "family_preservation": self.family_preservation,
        }[name]


def _read(kind: Any, value: Any, key: str, problems: list[str]) -> Any:
    """`value` checked as `kind` (a section, `tuple[X, ...]` or `Annotated[type, check]`); on a
    problem, `key: what is wrong` is added to `problems` and the result is not to be used."""
    try:
        if dataclasses.is_dataclass(kind):
            return _read_section(kind, value, key, problems)
        if get_origin(kind) is tuple:
            if not isinstance(value, list | tuple):
                raise ValueError(f"expected an array, got {_shown(value)}")
            return tuple(
                _read(get_args(kind)[0], item, f"{key}[{i}]", problems) for i, item in enumerate(value)
            )
        return kind.__metadata__[0](value)
    except ValueError as problem:
        problems.append(f"{key}: {problem}")
        return None


def _read_section(kind: type, table: Any, key: str, problems: list[str]) -> Any:
    if not isinstance(table, dict):
        raise ValueError(f"expected a table, got {_shown(table)}")
    types, values, before = get_type_hints(kind, include_extras=True), {}, len(problems)
    for field in dataclasses.fields(kind):
        at = f"{key}.{field.name}".lstrip(".")
        if field.name in table:
            values[field.name] = _read(types[field.name], table[field.name], at, problems)
        elif field.default is dataclasses.MISSING:
            problems.append(f"{at}: missing")
    problems.extend(f"{key}.{name}".lstrip(".") + ": unknown key" for name in table if name not in values)
    return kind(**values) if len(problems) == before else None
