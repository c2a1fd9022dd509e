"""The fact queries behind `overdue`, `visit add` and `compliance` reach their rows through indexes.

An agency's database holds a million contacts: one full scan of `visit` or `visit_seen` turns the
morning list from a fraction of a second into seconds. SQLite's EXPLAIN QUERY PLAN of the very SQL
the store runs (`store.facts.fact_queries`) may show SEARCH steps on every table but the chosen
families, never a SCAN; the latest visit, plan review and CANS come from covering indexes (migration
0004), without reading a row. (A fresh database and an agency's plan alike: neither has ANALYZE
statistics, so the planner's choice is the same.)
"""

import datetime as dt
import re

import pytest

from caseload.store import open_database
from caseload.store.facts import CaseFilter, fact_queries

AS_OF = dt.date(2026, 4, 1)
FISCAL_YEAR = dt.date(2025, 10, 1)
FILTERS = {
    "all cases": CaseFilter(as_of=AS_OF),
    "one worker": CaseFilter(as_of=AS_OF, worker_id="jdoe"),
    "a supervisor's team": CaseFilter(as_of=AS_OF, worker_id="bsup", team=True),
    "one worker and her covers": CaseFilter(as_of=AS_OF, worker_id="jdoe", covers=True),
    "a team and its covers": CaseFilter(as_of=AS_OF, worker_id="bsup", team=True, covers=True),
    "one case": CaseFilter(as_of=AS_OF, case_number="2026-0142"),
    "open since the period began": CaseFilter(as_of=AS_OF, open_after=FISCAL_YEAR),
}
# `FROM visit v`, `JOIN visit_seen s`: the tables a query names, and their aliases.
TABLES = re.compile(r"\b(?:FROM|JOIN) (\w+)\b(?: (?!WHERE\b|JOIN\b|ON\b)(\w+))?")
# The only table read whole: the chosen cases (an agency has thousands of families, not millions).
CHOSEN = {"family", "f"}
# Not tables: a supervisor's team (`store.records.team_sql`), a few worker ids built in memory.
CTES = {"team", "t"}
# The look-ups behind the deadlines, answered by an index alone (never the rows), by query and alias.
COVERED = {
    "families": {"v": "ix_visit_family_kind_void_date", "r": "ix_plan_review_family_date"},
    "contacts": {"v": "ix_visit_family_kind_void_date"},
    "children": {"a": "ix_assessment_family_instrument_member_date"},
}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    with open_database(str(tmp_path_factory.mktemp("plans") / "caseload.db")) as database:
        database.ensure_ready()
        with database.read() as rows:
            yield rows


def plan(rows, sql: str, params: dict) -> list[str]:
    return [row["detail"] for row in rows.all("EXPLAIN QUERY PLAN " + sql, params)]


def table_scans(rows, sql: str, params: dict) -> list[str]:
    """The steps of the query's plan that read a table whole (`SCAN v`, `SCAN s USING …`), the chosen
    families aside."""
    names = {name for match in TABLES.findall(sql) for name in match if name} - CHOSEN - CTES
    steps = plan(rows, sql, params)
    return [step for step in steps if re.match(rf"SCAN ({'|'.join(names)})\b", step)] if names else []


def fact_queries_of(chosen: str, contacts_since: dt.date | None) -> tuple[dict[str, str], dict]:
    queries, params = fact_queries(FILTERS[chosen], contacts_since)
    assert set(COVERED) <= set(queries)
    return queries, params


@pytest.mark.parametrize("contacts_since", [None, FISCAL_YEAR], ids=["latest contacts", "contacts since"])
@pytest.mark.parametrize("chosen", FILTERS)
def test_fact_queries_never_scan_a_table(rows, chosen, contacts_since):
    queries, params = fact_queries_of(chosen, contacts_since)
    for name, sql in queries.items():
        assert table_scans(rows, sql, params) == [], f"{name} scans a table: {sql}"


@pytest.mark.parametrize("contacts_since", [None, FISCAL_YEAR], ids=["latest contacts", "contacts since"])
@pytest.mark.parametrize("chosen", FILTERS)
def test_latest_visits_reviews_and_cans_are_read_from_covering_indexes(rows, chosen, contacts_since):
    queries, params = fact_queries_of(chosen, contacts_since)
    for name, indexes in COVERED.items():
        steps = plan(rows, queries[name], params)
        for alias, index in indexes.items():
            reads = [step for step in steps if re.match(rf"(SCAN|SEARCH) {alias}\b", step)]
            assert reads, f"{name} does not read {alias}: {steps}"
            for step in reads:
                assert step.startswith(f"SEARCH {alias} USING COVERING INDEX {index} ("), f"{name}: {step}"


def test_a_scan_is_caught(rows):
    # The check itself: a filter on an unindexed column reads the table; one on the date alone reads
    # a whole index (the SQL of a "counting visits since" query that forgot the family).
    assert table_scans(rows, "SELECT v.id FROM visit v WHERE v.recorded_by = 'jdoe'", {}) == ["SCAN v"]
    [whole_index] = table_scans(
        rows, "SELECT COUNT(*) FROM visit v WHERE v.visit_on >= :since", {"since": AS_OF}
    )
    assert whole_index.startswith("SCAN v USING COVERING INDEX ")
    # the cases' assessments read without their family: a whole index
    [whole_index] = table_scans(rows, "SELECT a.id FROM assessment a WHERE a.instrument = 'cans'", {})
    assert whole_index.startswith("SCAN a USING COVERING INDEX ")
    # the chosen families are the one table read whole
    assert table_scans(rows, "SELECT f.id FROM family f WHERE f.program = 'in_home'", {}) == []
