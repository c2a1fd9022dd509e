"""Queries of assessments and safety plans."""

from __future__ import annotations

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
