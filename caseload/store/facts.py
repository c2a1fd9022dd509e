"""Building the rules' plain facts from the database in a few set-based queries.

One query per kind of fact for every case of the filter (never one per child), each shaped to use
an index: counting visits through ix_visit_family_kind_date, the children seen through
ix_visit_seen_member / the visit_seen primary key.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from caseload.rules.facts import (
    CaseFact,
    ChildFact,
    ContactFact,
    GoalFact,
    HearingFact,
    PlacementFact,
    SafetyPlanFact,
)
from caseload.store.db import Rows
from caseload.store.records import _where

COUNTING = "v.kind = 'face_to_face' AND v.voided_at IS NULL"


@dataclass(frozen=True)
class CaseFilter:
    """Which cases: one worker's, one case, or all. Cases closed on or before `open_after` (default:
    `as_of`) are left out: nothing is due on them, and they hold no child-month after closing."""

    as_of: dt.date
    worker_id: str | None = None
    case_number: str | None = None
    program: str | None = None
    open_after: dt.date | None = None

    def sql(self) -> str:
        return (
            "SELECT f.id FROM family f WHERE (f.closed_on IS NULL OR f.closed_on > :open_after) AND "
            + _where(
                ("f.worker_id = :worker_id", self.worker_id),
                ("f.case_number = :case_number", self.case_number),
                ("f.program = :program", self.program),
            )
        )

    def params(self) -> dict:
        return {
            "as_of": self.as_of,
            "open_after": self.open_after or self.as_of,
            "worker_id": self.worker_id,
            "case_number": self.case_number,
            "program": self.program,
        }


def case_facts(rows: Rows, cases: CaseFilter, contacts_since: dt.date | None = None) -> list[CaseFact]:
    """Facts for every case of the filter. Contacts: the latest counting visit per child (enough for
    `overdue`), or every one from `contacts_since` on (the federal measure needs each month)."""
    params = cases.params()
    chosen = cases.sql()
    families = rows.all(
        "SELECT f.id, f.case_number, f.name, f.program, f.risk, f.opened_on, f.closed_on, f.worker_id "
        f"FROM family f WHERE f.id IN ({chosen}) ORDER BY f.case_number",
        params,
    )
    if not families:
        return []
    children = _children(rows, chosen, params, contacts_since)
    family_visits = _latest_by(
        rows,
        f"SELECT v.family_id AS owner, MAX(v.visit_on) AS day_on FROM visit v WHERE v.family_id IN ({chosen}) "
        f"AND {COUNTING} AND v.visit_on <= :as_of GROUP BY v.family_id",
        params,
    )
    reviews = _latest_by(
        rows,
        f"SELECT family_id AS owner, MAX(review_on) AS day_on FROM plan_review WHERE family_id IN ({chosen}) "
        "AND review_on <= :as_of GROUP BY family_id",
        params,
    )
    goals = defaultdict(list)
    for goal in rows.all(
        "SELECT g.family_id, g.id, g.text, g.status, g.target_on, m.name AS member FROM goal g "
        f"LEFT JOIN member m ON m.id = g.member_id WHERE g.family_id IN ({chosen}) "
        "AND g.status NOT IN ('achieved', 'not_achieved', 'discontinued') ORDER BY g.id",
        params,
    ):
        goals[goal.pop("family_id")].append(GoalFact(**goal))
    risk_changes = defaultdict(list)
    for change in rows.all(
        "SELECT family_id, assessed_on, level FROM assessment "
        f"WHERE family_id IN ({chosen}) AND instrument = 'sdm_risk' ORDER BY assessed_on, id",
        params,
    ):
        risk_changes[change["family_id"]].append((change["assessed_on"], change["level"]))
    safety_plans = _latest_safety_plans(rows, chosen, params)
    hearings = defaultdict(list)
    for hearing in rows.all(
        "SELECT family_id, id, hearing_on, type, report_filed_on, report_due_on FROM hearing "
        f"WHERE family_id IN ({chosen}) ORDER BY hearing_on, id",
        params,
    ):
        hearings[hearing.pop("family_id")].append(HearingFact(**hearing))
    return [
        CaseFact(
            case_number=f["case_number"],
            family=f["name"],
            worker=f["worker_id"],
            program=f["program"],
            risk=f["risk"],
            opened_on=f["opened_on"],
            closed_on=f["closed_on"],
            family_visits=family_visits.get(f["id"], ()),
            plan_reviews=reviews.get(f["id"], ()),
            goals=tuple(goals.get(f["id"], ())),
            hearings=tuple(hearings.get(f["id"], ())),
            children=tuple(children.get(f["id"], ())),
            risk_changes=tuple(risk_changes.get(f["id"], ())),
            safety_plan=safety_plans.get(f["id"]),
        )
        for f in families
    ]


def _latest_safety_plans(rows: Rows, chosen: str, params: dict) -> dict[int, SafetyPlanFact]:
    """Each family's latest safety plan with the date of its latest review."""
    plans = {}
    for plan in rows.all(
        "SELECT p.family_id, p.plan_on, p.review_by_on, "
        "(SELECT MAX(r.review_on) FROM safety_plan_review r WHERE r.safety_plan_id = p.id) AS reviewed_on "
        f"FROM safety_plan p WHERE p.family_id IN ({chosen}) ORDER BY p.plan_on, p.id",
        params,
    ):
        family_id = plan.pop("family_id")
        plans[family_id] = SafetyPlanFact(**plan)
    return plans


def _latest_by(rows: Rows, sql: str, params: dict) -> dict[int, tuple[dt.date, ...]]:
    return {row["owner"]: (row["day_on"],) for row in rows.all(sql, params)}


def _children(
    rows: Rows, chosen: str, params: dict, contacts_since: dt.date | None
) -> dict[int, list[ChildFact]]:
    """Children with placements (foster care only: only they have placements) and their contacts."""
    placements = defaultdict(list)
    for p in rows.all(
        "SELECT member_id, start_on, end_on, removed_on, adjudicated_on FROM placement "
        f"WHERE family_id IN ({chosen}) ORDER BY member_id, start_on",
        params,
    ):
        placements[p.pop("member_id")].append(PlacementFact(**p))
    if not placements:
        return {}
    contacts = defaultdict(list)
    if contacts_since is None:
        found = rows.all(
            "SELECT s.member_id, MAX(v.visit_on) AS visit_on, 0 AS at_home FROM visit v "
            f"JOIN visit_seen s ON s.visit_id = v.id WHERE v.family_id IN ({chosen}) AND {COUNTING} "
            "AND v.visit_on <= :as_of GROUP BY s.member_id",
            params,
        )
    else:
        found = rows.all(
            "SELECT s.member_id, v.visit_on, CASE WHEN v.location = 'home' THEN 1 ELSE 0 END AS at_home "
            f"FROM visit v JOIN visit_seen s ON s.visit_id = v.id WHERE v.family_id IN ({chosen}) "
            f"AND {COUNTING} AND v.visit_on >= :since AND v.visit_on <= :as_of ORDER BY v.visit_on",
            {**params, "since": contacts_since},
        )
        # and each child's last visit before the period, for "last visit before" a missed month
        found += rows.all(
            "SELECT s.member_id, MAX(v.visit_on) AS visit_on, 0 AS at_home FROM visit v "
            f"JOIN visit_seen s ON s.visit_id = v.id WHERE v.family_id IN ({chosen}) AND {COUNTING} "
            "AND v.visit_on < :since GROUP BY s.member_id",
            {**params, "since": contacts_since},
        )
    for contact in found:
        contacts[contact["member_id"]].append(ContactFact(contact["visit_on"], bool(contact["at_home"])))
    cans = defaultdict(list)
    for assessment in rows.all(
        "SELECT member_id, assessed_on FROM assessment "
        f"WHERE family_id IN ({chosen}) AND instrument = 'cans' ORDER BY assessed_on",
        params,
    ):
        cans[assessment["member_id"]].append(assessment["assessed_on"])
    children = defaultdict(list)
    for child in rows.all(
        "SELECT m.id, m.family_id, m.name, m.born_on FROM member m "
        f"WHERE m.family_id IN ({chosen}) AND m.role = 'child' ORDER BY m.id",
        params,
    ):
        if child["id"] in placements:
            children[child["family_id"]].append(
                ChildFact(
                    member_id=child["id"],
                    name=child["name"],
                    born_on=child["born_on"],
                    placements=tuple(placements[child["id"]]),
                    contacts=tuple(contacts.get(child["id"], ())),
                    cans_assessments=tuple(cans.get(child["id"], ())),
                )
            )
    return children
