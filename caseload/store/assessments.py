"""Queries of assessments and safety plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from caseload.store.db import Rows


def assessments(rows: Rows, family_id: int, instrument: str | None = None) -> list[dict]:
    """A case's assessments, oldest first, with the member assessed (CANS) by name."""
    condition = "AND a.instrument = :instrument" if instrument else ""
    return rows.all(
        "SELECT a.id, a.instrument, a.assessed_on, a.level, a.score, a.note, a.member_id, m.name AS member, "
        "a.recorded_at, a.recorded_by FROM assessment a LEFT JOIN member m ON m.id = a.member_id "
        f"WHERE a.family_id = :f {condition} ORDER BY a.assessed_on, a.id",
        {"f": family_id, "instrument": instrument},
    )


def ratings(rows: Rows, assessment_ids: list[int]) -> dict[int, dict[str, int]]:
    if not assessment_ids:
        return {}
    params = {f"a{i}": assessment_id for i, assessment_id in enumerate(assessment_ids)}
    found: dict[int, dict[str, int]] = {assessment_id: {} for assessment_id in assessment_ids}
    for row in rows.all(
        "SELECT assessment_id, item, rating FROM assessment_rating "
        f"WHERE assessment_id IN ({', '.join(':' + name for name in params)}) ORDER BY item",
        params,
    ):
        found[row["assessment_id"]][row["item"]] = row["rating"]
    return found


def latest_safety_plan(rows: Rows, family_id: int) -> dict | None:
    return rows.one(
        "SELECT p.id, p.plan_on, p.text, p.review_by_on, "
        "(SELECT MAX(r.review_on) FROM safety_plan_review r WHERE r.safety_plan_id = p.id) AS reviewed_on "
        "FROM safety_plan p WHERE p.family_id = :f ORDER BY p.plan_on DESC, p.id DESC LIMIT 1",
        {"f": family_id},
    )


def assessed_risks(rows: Rows, today) -> dict[int, str]:
    """Each family's risk level from its latest SDM risk assessment on or before `today`."""
    return {
        row["family_id"]: row["level"]
        for row in rows.all(
            "SELECT a.family_id, a.level FROM assessment a WHERE a.instrument = 'sdm_risk' "
            "AND a.assessed_on <= :today AND NOT EXISTS (SELECT 1 FROM assessment b "
            "WHERE b.family_id = a.family_id AND b.instrument = 'sdm_risk' AND b.assessed_on <= :today "
            "AND (b.assessed_on > a.assessed_on OR (b.assessed_on = a.assessed_on AND b.id > a.id)))",
            {"today": today},
        )
    }


# -- writes ----------------------------------------------------------------------------------


def add_assessment(
    rows: Rows,
    *,
    family_id: int,
    member_id: int | None,
    instrument: str,
    assessed_on: dt.date,
    level: str | None,
    score: int | None,
    note: str | None,
    ratings: Mapping[str, int],
    recorded_at: dt.datetime,
    recorded_by: str,
) -> int:
    """Record an assessment with its item ratings (a CANS); its id."""
    assessment_id = rows.insert(
        "assessment",
        {
            "family_id": family_id,
            "member_id": member_id,
            "instrument": instrument,
            "assessed_on": assessed_on,
            "level": level,
            "score": score,
            "note": note,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
    )
    rows.insert_many(
        "assessment_rating",
        [{"assessment_id": assessment_id, "item": item, "rating": r} for item, r in ratings.items()],
    )
    return assessment_id


def add_safety_plan(
    rows: Rows,
    *,
    family_id: int,
    plan_on: dt.date,
    text: str,
    review_by_on: dt.date | None,
    recorded_at: dt.datetime,
    recorded_by: str,
) -> int:
    return rows.insert(
        "safety_plan",
        {
            "family_id": family_id,
            "plan_on": plan_on,
            "text": text,
            "review_by_on": review_by_on,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
    )


def add_safety_plan_review(
    rows: Rows,
    *,
    safety_plan_id: int,
    review_on: dt.date,
    note: str | None,
    recorded_at: dt.datetime,
    recorded_by: str,
) -> int:
    return rows.insert(
        "safety_plan_review",
        {
            "safety_plan_id": safety_plan_id,
            "review_on": review_on,
            "note": note,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
        },
    )
