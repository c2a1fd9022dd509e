"""Use cases of structured assessments (SDM risk, CANS) and safety plans."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from caseload import clock
from caseload.errors import CaseloadError, RuleViolation, UsageProblem
from caseload.rules.assessments import actionable, cans_trend
from caseload.services.common import (
    audit,
    find_member,
    not_future,
    require_family,
    require_open_family,
    within_case,
)
from caseload.settings import acting_worker, shipped_data
from caseload.store import assessments as store
from caseload.store import records
from caseload.store.db import Database, Rows

CANS_ITEMS_ENV = "CASELOAD_CANS_ITEMS"


def cans_items() -> dict[str, tuple[str, str]]:
    """Item → (domain, label) from the agency's CANS item file ($CASELOAD_CANS_ITEMS) or the shipped
    generic one."""
    import os

    path = Path(os.environ[CANS_ITEMS_ENV]).expanduser() if os.environ.get(CANS_ITEMS_ENV) else None
    path = path or shipped_data("cans_items.toml")
    try:
        with path.open("rb") as handle:
            domains = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CaseloadError(f"cannot read the CANS item file {path}: {exc}") from None
    return {
        item: (domain, label)
        for domain, items in domains.items()
        if isinstance(items, dict)
        for item, label in items.items()
    }


def parse_ratings(value: str, known: dict[str, tuple[str, str]]) -> dict[str, int]:
    """`sleep=2,anxiety=1`, or a file of `item = rating` lines (TOML-like; `#` comments)."""
    path = Path(value).expanduser()
    text = path.read_text(encoding="utf-8") if path.is_file() else value
    ratings: dict[str, int] = {}
    parts = [part.strip() for line in text.splitlines() for part in line.split("#", 1)[0].split(",")]
    for part in parts:
        if not part:
            continue
        item, separator, rating = part.replace(":", "=").partition("=")
        item, rating = item.strip(), rating.strip()
        if not separator or not rating.isdigit():
            raise UsageProblem(f"ratings must look like item=0..3, not {part!r}")
        if item not in known:
            raise UsageProblem(
                f"unknown CANS item {item!r} (the items are in {CANS_ITEMS_ENV} or data/cans_items.toml)"
            )
        if not 0 <= int(rating) <= 3:
            raise UsageProblem(f"CANS ratings are 0 to 3: {item}={rating}")
        ratings[item] = int(rating)
    if not ratings:
        raise UsageProblem("give at least one rating, e.g. --ratings sleep=2,anxiety=1")
    return ratings


def add_assessment(
    db: Database,
    case_number: str,
    *,
    instrument: str,
    assessed_on: dt.date,
    level: str | None,
    score: int | None,
    member_name: str | None,
    ratings: dict[str, int] | None,
    note: str | None,
) -> dict:
    """Record an assessment. An SDM risk level holds the family to that level from its date on."""
    not_future(assessed_on, "an assessment")
    if instrument == "sdm_risk" and (level is None or ratings or member_name):
        raise UsageProblem(
            "an SDM risk assessment takes --level (and optionally --score), not --member or --ratings"
        )
    if instrument == "cans" and (ratings is None or member_name is None or level):
        raise UsageProblem("a CANS takes --member CHILD and --ratings, not --level")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        within_case(family, assessed_on, "the assessment")
        member_id = None
        if member_name:
            member = find_member(records.members(rows, family["id"]), member_name, family["case_number"])
            if member["role"] != "child":
                raise RuleViolation(f"{member['name']} is a {member['role']}: the CANS assesses children")
            member_id = member["id"]
        assessment_id = store.add_assessment(
            rows,
            family_id=family["id"],
            member_id=member_id,
            instrument=instrument,
            assessed_on=assessed_on,
            level=level,
            score=score,
            note=note,
            ratings=ratings or {},
            recorded_at=clock.now(),
            recorded_by=acting_worker(),
        )
        detail = f"SDM risk {level} from {assessed_on}" if instrument == "sdm_risk" else f"CANS {member_name}"
        audit(rows, "add", "assessment", assessment_id, family["case_number"], detail)
        return next(a for a in describe(rows, family["id"]) if a["id"] == assessment_id)


def describe(rows: Rows, family_id: int) -> list[dict]:
    """A case's assessments with ratings, each CANS with its trend against the child's previous one."""
    found = store.assessments(rows, family_id)
    all_ratings = store.ratings(rows, [a["id"] for a in found if a["instrument"] == "cans"])
    previous: dict[int, dict[str, int]] = {}
    shown = []
    for assessment in found:
        current = all_ratings.get(assessment["id"], {})
        shown.append(_assessment_shape(assessment, current, previous.get(assessment["member_id"])))
        if assessment["instrument"] == "cans":
            previous[assessment["member_id"]] = current
    return shown


def _assessment_shape(assessment: dict, ratings: dict[str, int], earlier: dict[str, int] | None) -> dict:
    """An assessment as shown: the store's record without when it was typed in; a CANS with its
    ratings, their trend against the child's previous CANS (`earlier`) and the actionable items."""
    shape = {key: value for key, value in assessment.items() if key != "recorded_at"}
    if assessment["instrument"] != "cans":
        return shape
    return shape | {
        "ratings": ratings,
        "trend": cans_trend(earlier, ratings),
        "actionable": actionable(ratings),
    }


def list_assessments(db: Database, case_number: str) -> list[dict]:
    with db.read() as rows:
        return describe(rows, require_family(rows, case_number)["id"])


def latest_by_kind(assessments: list[dict]) -> list[dict]:
    """The latest SDM risk assessment and each child's latest CANS (for `family show` and reports)."""
    latest: dict[tuple, dict] = {}
    for assessment in assessments:
        latest[(assessment["instrument"], assessment["member_id"])] = assessment
    return list(latest.values())


def add_safety_plan(
    db: Database, case_number: str, plan_on: dt.date, text: str, review_by: dt.date | None
) -> dict:
    not_future(plan_on, "a safety plan")
    if review_by and review_by < plan_on:
        raise RuleViolation(f"the review date {review_by} is before the plan's date {plan_on}")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        within_case(family, plan_on, "the safety plan")
        plan_id = store.add_safety_plan(
            rows,
            family_id=family["id"],
            plan_on=plan_on,
            text=text,
            review_by_on=review_by,
            recorded_at=clock.now(),
            recorded_by=acting_worker(),
        )
        audit(rows, "add", "safety_plan", plan_id, family["case_number"], f"review by {review_by or '-'}")
        return store.latest_safety_plan(rows, family["id"]) | {"case_number": family["case_number"]}


def review_safety_plan(db: Database, case_number: str, review_on: dt.date, note: str | None) -> dict:
    not_future(review_on, "a review")
    with db.write() as rows:
        family = require_family(rows, case_number)
        plan = store.latest_safety_plan(rows, family["id"])
        if plan is None:
            raise RuleViolation(f"case {family['case_number']} has no safety plan to review")
        if review_on < plan["plan_on"]:
            raise RuleViolation(
                f"the safety plan dates from {plan['plan_on']}: it cannot be reviewed {review_on}"
            )
        review_id = store.add_safety_plan_review(
            rows,
            safety_plan_id=plan["id"],
            review_on=review_on,
            note=note,
            recorded_at=clock.now(),
            recorded_by=acting_worker(),
        )
        audit(
            rows,
            "review",
            "safety_plan",
            plan["id"],
            family["case_number"],
            f"review {review_id} on {review_on}",
        )
        return store.latest_safety_plan(rows, family["id"]) | {"case_number": family["case_number"]}


def proposed_goals(db: Database, case_number: str, assessment_id: int) -> list[dict]:
    """A goal for each actionable item (rated 2 or 3) of a CANS: what the service plan should target.
    Risk-behaviour items become safety goals, the others well-being goals."""
    with db.read() as rows:
        return proposed_goals_in(rows, case_number, assessment_id)


def proposed_goals_in(rows: Rows, case_number: str, assessment_id: int) -> list[dict]:
    """`proposed_goals` in the caller's unit of work (`goal add --from-assessment --yes`)."""
    items = cans_items()
    family = require_family(rows, case_number)
    found = next((a for a in describe(rows, family["id"]) if a["id"] == assessment_id), None)
    if found is None or found["instrument"] != "cans":
        raise CaseloadError(f"assessment {assessment_id} is not a CANS of case {family['case_number']}")
    proposals = []
    for item in found["actionable"]:
        domain, label = items.get(item, ("", item.replace("_", " ")))
        rating = found["ratings"][item]
        proposals.append(
            {
                "text": f"{found['member'].split()[0]}: address {label.lower()} (CANS {rating} on {found['assessed_on']})",
                "member": found["member"],
                "domain": "safety" if domain == "risk_behaviors" else "well_being",
            }
        )
    return proposals
