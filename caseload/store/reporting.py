"""The queries behind the reports: one per kind of record for the whole case, never one per goal.

Everything a report reads beyond the case record (families, members, placements and visits live in
`records`): hearings, goals with their progress, services with their latest update.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from caseload.store.db import Rows
from caseload.store.facts import CaseFilter
from caseload.store.records import _id_list


def hearings(rows: Rows, family_id: int) -> list[dict]:
    """Every hearing of the case that was not cancelled, oldest first (ix_hearing_family_date)."""
    return rows.all(
        "SELECT id, hearing_on, type, court, report_due_on, report_filed_on FROM hearing "
        "WHERE family_id = :f AND (outcome IS NULL OR outcome <> 'cancelled') ORDER BY hearing_on, id",
        {"f": family_id},
    )


def hearings_without_report(rows: Rows, cases: CaseFilter, since: dt.date) -> list[dict]:
    """Hearings of the chosen cases held from `since` to the day before `as_of` whose court report
    was not filed by the hearing day (never, or after it), by date."""
    return rows.all(
        "SELECT f.case_number, f.name AS family, f.worker_id, h.hearing_on, h.type, h.report_due_on, "
        "h.report_filed_on FROM hearing h JOIN family f ON f.id = h.family_id "
        f"WHERE h.family_id IN ({cases.sql()}) AND h.hearing_on >= :since AND h.hearing_on < :as_of "
        "AND (h.report_filed_on IS NULL OR h.report_filed_on > h.hearing_on) "
        "ORDER BY h.hearing_on, f.case_number, h.id",
        {**cases.params(), "since": since},
    )


def goal_progress(rows: Rows, family_id: int, until: dt.date) -> dict[int, list[dict]]:
    """The progress entries of every goal of the case dated up to `until`, per goal, oldest first."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for entry in rows.all(
        "SELECT p.goal_id, p.entry_on, p.status, p.note FROM goal_progress p JOIN goal g ON g.id = p.goal_id "
        "WHERE g.family_id = :f AND p.entry_on <= :until ORDER BY p.goal_id, p.entry_on, p.id",
        {"f": family_id, "until": until},
    ):
        grouped[entry.pop("goal_id")].append(entry)
    return grouped


def services(rows: Rows, family_id: int, until: dt.date) -> list[dict]:
    """The services referred up to `until`, each with its latest update up to then (a single query)."""
    return rows.all(
        "SELECT s.id, s.name, s.provider, m.name AS member, s.goal_id, s.referred_on, "
        "COALESCE(u.status, s.status) AS status, u.update_on AS updated_on, u.note "
        "FROM service s LEFT JOIN member m ON m.id = s.member_id "
        "LEFT JOIN service_update u ON u.id = ("
        "  SELECT u2.id FROM service_update u2 WHERE u2.service_id = s.id AND u2.update_on <= :until "
        "  ORDER BY u2.update_on DESC, u2.id DESC LIMIT 1) "
        "WHERE s.family_id = :f AND s.referred_on <= :until ORDER BY s.referred_on, s.id",
        {"f": family_id, "until": until},
    )


def goal_refs(rows: Rows, goal_ids: list[int]) -> list[dict]:
    """Goals by id (those a visit addressed), in id order."""
    placeholders, params = _id_list(goal_ids)
    return rows.all(f"SELECT id, text, status FROM goal WHERE id IN ({placeholders}) ORDER BY id", params)
