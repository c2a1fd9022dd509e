"""The fact queries behind `overdue`, `visit add` and `compliance` reach visits through indexes.

An agency's database holds a million contacts: one full scan of `visit` or `visit_seen` turns the
morning list from a fraction of a second into seconds. SQLite's EXPLAIN QUERY PLAN of the very SQL
the store runs (`store.facts.fact_queries`) may show SEARCH steps on them, never a SCAN. (A fresh
database and an agency's plan alike: neither has ANALYZE statistics, so the planner's choice is the
same.)
"""

import datetime as dt
import re

import pytest

from caseload.store.db import Database
from caseload.store.facts import CaseFilter, fact_queries

AS_OF = dt.date(2026, 4, 1)
FISCAL_YEAR = dt.date(2025, 10, 1)
FILTERS = {
    "all cases": CaseFilter(as_of=AS_OF),
    "one worker": CaseFilter(as_of=AS_OF, worker_id="jdoe"),
    "one case": CaseFilter(as_of=AS_OF, case_number="2026-0142"),
    "open since the period began": CaseFilter(as_of=AS_OF, open_after=FISCAL_YEAR),
}
# `FROM visit v`, `JOIN visit_seen s`: the tables that must never be scanned, and their aliases.
VISIT_TABLES = re.compile(r"\b(?:FROM|JOIN) (visit|visit_seen)\b(?: (?!WHERE\b|JOIN\b|ON\b)(\w+))?")


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    database = Database(str(tmp_path_factory.mktemp("plans") / "caseload.db"))
    with database.read() as rows:
        yield rows


def visit_scans(rows, sql: str, params: dict) -> list[str]:
    """The steps of the query's plan that read a visit table whole (`SCAN v`, `SCAN s USING …`)."""
    names = {name for match in VISIT_TABLES.findall(sql) for name in match if name}
    plan = [row["detail"] for row in rows.all("EXPLAIN QUERY PLAN " + sql, params)]
    return [step for step in plan if re.match(rf"SCAN ({'|'.join(names)})\b", step)] if names else []


@pytest.mark.parametrize("contacts_since", [None, FISCAL_YEAR], ids=["latest contacts", "contacts since"])
@pytest.mark.parametrize("chosen", FILTERS)
def test_fact_queries_never_scan_visits(rows, chosen, contacts_since):
    queries, params = fact_queries(FILTERS[chosen], contacts_since)
    assert "contacts" in queries and "families" in queries
    for name, sql in queries.items():
        assert visit_scans(rows, sql, params) == [], f"{name} scans visits: {sql}"


def test_a_scan_of_visits_is_caught(rows):
    # The check itself: a filter on an unindexed column reads the table; one on the date alone reads
    # a whole index (the SQL of a "counting visits since" query that forgot the family).
    assert visit_scans(rows, "SELECT v.id FROM visit v WHERE v.location = 'home'", {}) == ["SCAN v"]
    [whole_index] = visit_scans(
        rows, "SELECT COUNT(*) FROM visit v WHERE v.visit_on >= :since", {"since": AS_OF}
    )
    assert whole_index.startswith("SCAN v USING COVERING INDEX ")
