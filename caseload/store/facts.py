"""Building the rules' plain facts from the database in a few set-based queries.

One query per kind of fact for every case of the filter (never one per child), each shaped to use
an index: counting visits through ix_visit_family_kind_void_date (which covers them: no visit row is
read), the children seen through the visit_seen primary key. tests/test_query_plans.py holds them
to it.
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
from caseload.store.records import _where, worker_condition
from caseload.vocab import CLOSED_GOAL_STATUSES, COUNTING_KIND

# A counting visit (SPEC 5): the counting kind (`vocab.COUNTING_KIND`, a parameter), not void.
COUNTING = "v.kind = :counting_kind AND v.voided_at IS NULL"
# The closed goal statuses of `vocab`, as parameters :closed_goal_0, :closed_goal_1, …
CLOSED_GOALS = {f"closed_goal_{i}": status for i, status in enumerate(CLOSED_GOAL_STATUSES)}
CLOSED_GOALS_IN = "(" + ", ".join(f":{name}" for name in CLOSED_GOALS) + ")"


@dataclass(frozen=True)
class CaseFilter:
    """Which cases: one worker's (or her team's), one case, or all. Cases closed on or before `open_after` (default:
    `as_of`) are left out: nothing is due on them, and they hold no child-month after closing."""

    as_of: dt.date
    worker_id: str | None = None
    case_number: str | None = None
    program: str | None = None
    open_after: dt.date | None = None
    team: bool = False  # with worker_id: her cases and her team's (records.team_sql)
    covers: bool = False  # with worker_id: and the cases they cover on `as_of` (a morning list's)

    def sql(self) -> str:
        return (
            "SELECT f.id FROM family f WHERE (f.closed_on IS NULL OR f.closed_on > :open_after) AND "
            + _where(
                (worker_condition("worker_id", self.team, self.covers), self.worker_id),
                ("f.case_number = :case_number", self.case_number),
                ("f.program = :program", self.program),
            )
        )

    def params(self) -> dict:
        return {
            "as_of": self.as_of,
            "covered_on": self.as_of,
            "open_after": self.open_after or self.as_of,
            "worker_id": self.worker_id,
            "case_number": self.case_number,
            "program": self.program,
        }


def fact_queries(cases: CaseFilter, contacts_since: dt.date | None = None) -> tuple[dict[str, str], dict]:
    """The SQL `case_facts` runs, by name, and its parameters: one source for the store and for the
    test that reads their query plans. After the owner's id, goals, hearings and placements select
    their columns in the order of their fact's fields, which are built from them positionally.

    The latest counting visit and plan review of each family are correlated MAX subqueries, which an
    index answers with one look-up per family (the visit only for the programs judged by family
    visits: foster care is judged per child); a child's latest contact walks back through the
    family's face-to-face visits to the first that saw them (usually the newest). Children and
    their contacts are read only for children with placements (and their families): only they are
    in care, and most visits are to the other programs. As goals (the open ones) and visits (the
    latest), hearings are read as far as deadlines need them: those on or after `as_of`, and
    permanency and TPR hearings of any date, ordered by family first as their index is.

    So are a child's CANS assessments: only the latest on or before `as_of`, read with the child.
    The CANS clock (`rules.assessments.cans_reassessment`) counts the latest CANS dated from the
    current episode's removal to `as_of`: the latest one up to `as_of` is in that range exactly when
    any is, and then it is that one. Every user of these facts judges them at `as_of`.
    """
    chosen = cases.sql()
    if contacts_since is None:
        contacts = _latest_contacts(chosen, "<= :as_of")
    else:
        placed = f"SELECT p.family_id FROM placement p WHERE p.family_id IN ({chosen})"
        # every counting contact of the period, and each child's last one before it (for the
        # "last visit before" of a missed month)
        contacts = (
            "SELECT s.member_id, v.visit_on, CASE WHEN v.location = 'home' THEN 1 ELSE 0 END AS at_home "
            f"FROM visit v JOIN visit_seen s ON s.visit_id = v.id WHERE v.family_id IN ({placed}) "
            f"AND {COUNTING} AND v.visit_on >= :since AND v.visit_on <= :as_of "
            f"UNION ALL {_latest_contacts(chosen, '< :since')} ORDER BY 2"
        )
    queries = {
        "families": (
            "SELECT f.id, f.case_number, f.name, f.program, f.risk, f.opened_on, f.closed_on, f.worker_id, "
            "CASE WHEN f.program = 'foster_care' THEN NULL ELSE (SELECT MAX(v.visit_on) FROM visit v "
            f"WHERE v.family_id = f.id AND {COUNTING} AND v.visit_on <= :as_of) END AS latest_visit_on, "
            "(SELECT MAX(r.review_on) FROM plan_review r WHERE r.family_id = f.id "
            "AND r.review_on <= :as_of) AS latest_review_on "
            f"FROM family f WHERE f.id IN ({chosen}) ORDER BY f.case_number"
        ),
        "goals": (
            "SELECT g.family_id, g.id, g.text, g.status, g.target_on, m.name AS member FROM goal g "
            f"LEFT JOIN member m ON m.id = g.member_id WHERE g.family_id IN ({chosen}) "
            f"AND g.status NOT IN {CLOSED_GOALS_IN} ORDER BY g.id"
        ),
        "hearings": (
            "SELECT family_id, id, hearing_on, type, report_filed_on, report_due_on FROM hearing "
            f"WHERE family_id IN ({chosen}) AND (hearing_on >= :as_of OR type IN ('permanency', 'tpr')) "
            "AND (outcome IS NULL OR outcome <> 'cancelled') "
            "ORDER BY family_id, hearing_on, id"
        ),
        "placements": (
            "SELECT member_id, start_on, end_on, removed_on, adjudicated_on FROM placement "
            f"WHERE family_id IN ({chosen}) ORDER BY member_id, start_on"
        ),
        "contacts": contacts,
        "risk_changes": (
            "SELECT family_id, assessed_on, level FROM assessment "
            f"WHERE family_id IN ({chosen}) AND instrument = 'sdm_risk' ORDER BY family_id, assessed_on, id"
        ),
        "safety_plans": (
            "SELECT p.family_id, p.plan_on, p.review_by_on, (SELECT MAX(r.review_on) FROM safety_plan_review r "
            f"WHERE r.safety_plan_id = p.id) AS reviewed_on FROM safety_plan p WHERE p.family_id IN ({chosen}) "
            "ORDER BY p.family_id, p.plan_on, p.id"
        ),
        # a blank narrative saved before blanks were stored as none is no narrative either
        "unwritten_notes": (
            "SELECT v.family_id, v.id, v.visit_on FROM visit v "
            f"WHERE v.family_id IN ({chosen}) AND {COUNTING} AND v.visit_on <= :as_of "
            "AND (v.narrative IS NULL OR TRIM(v.narrative) = '') "
            "AND NOT EXISTS (SELECT 1 FROM visit_amendment a WHERE a.visit_id = v.id) "
            "ORDER BY v.family_id, v.visit_on, v.id"
        ),
        "children": (
            "SELECT m.id, m.family_id, m.name, m.born_on, (SELECT MAX(a.assessed_on) FROM assessment a "
            "WHERE a.family_id = m.family_id AND a.instrument = 'cans' AND a.member_id = m.id "
            "AND a.assessed_on <= :as_of) AS latest_cans_on FROM member m WHERE m.role = 'child' "
            f"AND m.id IN (SELECT p.member_id FROM placement p WHERE p.family_id IN ({chosen})) ORDER BY m.id"
        ),
    }
    return queries, {
        **cases.params(),
        "since": contacts_since,
        "counting_kind": COUNTING_KIND,
        **CLOSED_GOALS,
    }


def _latest_contacts(chosen: str, bound: str) -> str:
    """Each placed child's latest counting contact dated `bound` (`<= :as_of`, `< :since`), or NULL:
    walked back from the family's newest face-to-face visit to the first that saw them."""
    return (
        "SELECT child.member_id, (SELECT v.visit_on FROM visit v JOIN visit_seen s ON s.visit_id = v.id "
        f"WHERE v.family_id = child.family_id AND s.member_id = child.member_id AND {COUNTING} "
        f"AND v.visit_on {bound} ORDER BY v.visit_on DESC LIMIT 1) AS visit_on, 0 AS at_home "
        f"FROM (SELECT DISTINCT member_id, family_id FROM placement WHERE family_id IN ({chosen})) child"
    )


def case_facts(rows: Rows, cases: CaseFilter, contacts_since: dt.date | None = None) -> list[CaseFact]:
    """Facts for every case of the filter. Contacts: the latest counting visit per child (enough for
    `overdue`), or every one from `contacts_since` on (the federal measure needs each month)."""
    queries, params = fact_queries(cases, contacts_since)
    families = rows.all(queries["families"], params)
    if not families:
        return []
    children = _children(rows, queries, params)
    goals = defaultdict(list)
    for family_id, *goal in rows.values(queries["goals"], params):
        goals[family_id].append(GoalFact(*goal))
    hearings = defaultdict(list)
    for family_id, *hearing in rows.values(queries["hearings"], params):
        hearings[family_id].append(HearingFact(*hearing))
    risk_changes = defaultdict(list)
    for family_id, assessed_on, level in rows.values(queries["risk_changes"], params):
        risk_changes[family_id].append((assessed_on, level))
    unwritten_notes = defaultdict(list)
    for family_id, visit_id, visit_on in rows.values(queries["unwritten_notes"], params):
        unwritten_notes[family_id].append((visit_id, visit_on))
    # ordered by date: the last one read is each family's latest plan
    safety_plans = {
        family_id: SafetyPlanFact(*plan) for family_id, *plan in rows.values(queries["safety_plans"], params)
    }
    return [
        CaseFact(
            case_number=f["case_number"],
            family=f["name"],
            worker=f["worker_id"],
            program=f["program"],
            risk=f["risk"],
            opened_on=f["opened_on"],
            closed_on=f["closed_on"],
            family_visits=_dates(f["latest_visit_on"]),
            plan_reviews=_dates(f["latest_review_on"]),
            goals=tuple(goals.get(f["id"], ())),
            hearings=tuple(hearings.get(f["id"], ())),
            children=tuple(children.get(f["id"], ())),
            risk_changes=tuple(risk_changes.get(f["id"], ())),
            safety_plan=safety_plans.get(f["id"]),
            unwritten_notes=tuple(unwritten_notes.get(f["id"], ())),
        )
        for f in families
    ]


def _dates(day: dt.date | None) -> tuple[dt.date, ...]:
    return () if day is None else (day,)


def _children(rows: Rows, queries: dict[str, str], params: dict) -> dict[int, list[ChildFact]]:
    """Children with placements (foster care only: only they have placements), their contacts and
    latest CANS."""
    placements = defaultdict(list)
    for member_id, *placement in rows.values(queries["placements"], params):
        placements[member_id].append(PlacementFact(*placement))
    if not placements:
        return {}
    contacts = defaultdict(list)
    for member_id, visit_on, at_home in rows.values(queries["contacts"], params):
        if visit_on is not None:  # a child not seen by then has no latest contact
            contacts[member_id].append(ContactFact(visit_on, bool(at_home)))
    children = defaultdict(list)
    for member_id, family_id, name, born_on, latest_cans_on in rows.values(queries["children"], params):
        children[family_id].append(
            ChildFact(
                member_id=member_id,
                name=name,
                born_on=born_on,
                placements=tuple(placements[member_id]),
                contacts=tuple(contacts.get(member_id, ())),
                cans_assessments=_dates(latest_cans_on),
            )
        )
    return children
