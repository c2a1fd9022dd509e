"""The shape of `visit_standards.toml`, checked by pydantic.

Kept apart from the loader so that only commands which actually read the standards pay for
importing pydantic. Integers are strict (TOML has real integers; `"14"` or `14.5` is a mistake);
dates may be TOML dates or ISO strings. Unknown keys are refused so that a misspelt key is
reported instead of silently falling back to nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

Days = Annotated[int, Field(strict=True, ge=0)]
PositiveCount = Annotated[int, Field(strict=True, gt=0)]

_CALENDAR = re.compile(r"[A-Za-z]{2,3}(/[A-Za-z0-9-]+)?")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VisitIntervals(_Section):
    """Days allowed between counting visits to a family, by the case's risk level."""

    very_high: PositiveCount
    high: PositiveCount
    moderate: PositiveCount
    low: PositiveCount


class ProgramStandards(_Section):
    plan_review_every_months: PositiveCount


class FamilyVisitStandards(ProgramStandards):
    """In-home and family preservation: visits to the family at an interval set by risk."""

    first_visit_within_days: Days
    visit_interval_days: VisitIntervals

    def interval_days(self, risk: str) -> int:
        return getattr(self.visit_interval_days, risk)


class AssessmentStandards(_Section):
    """Reassessment clocks: SDM risk for families served at home, CANS for children in care.
    0 turns a clock off, for an agency that does not use the instrument."""

    sdm_risk_every_days: Days = 90
    cans_every_months: Days = 6
    cans_within_days_of_entering_care: Days = 30


class Standards(_Section):
    due_soon_days: Days
    late_entry_after_days: Days
    court_report_lead_days: Days
    holidays: StrictStr
    extra_court_holidays: tuple[dt.date, ...] = ()
    foster_care: ProgramStandards
    in_home: FamilyVisitStandards
    family_preservation: FamilyVisitStandards
    assessments: AssessmentStandards = AssessmentStandards()

    @field_validator("holidays")
    @classmethod
    def _country_with_optional_subdivision(cls, value: str) -> str:
        if not _CALENDAR.fullmatch(value):
            raise ValueError("expected a country code with an optional subdivision, like US or US/CA")
        return value

    def program(self, name: str) -> ProgramStandards:
        """The section for a program: `foster_care`, `in_home` or `family_preservation`."""
        return {
            "foster_care": self.foster_care,
            "in_home": self.in_home,
            "family_preservation": self.family_preservation,
        }[name]
