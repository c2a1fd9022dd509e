"""Visits can be marked as 42 CFR Part 2 records; TRUNCATE cannot empty the record on PostgreSQL.

The Part 2 mark is part of the record: like the narrative it can never be edited, so on SQLite the
`visit_no_edit` trigger is rebuilt to cover the new column (PostgreSQL's trigger compares whole rows).
PostgreSQL's TRUNCATE skips row triggers, so the append-only tables also get statement triggers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# As migration 0002 listed them; frozen here so this migration never changes.
VISIT_FACTS_0002 = (
    "id, family_id, visit_on, visit_time, kind, location, duration_min, narrative, assessment, plan, "
    "safety_concern, late_entry, supervision, recorded_at, recorded_by"
)
RECORD_TABLES = (
    "visit",
    "visit_amendment",
    "visit_seen",
    "visit_goal",
    "goal_progress",
    "service_update",
    "audit_log",
    "assessment",
    "assessment_rating",
    "safety_plan",
    "safety_plan_review",
)


def upgrade() -> None:
    op.add_column("visit", sa.Column("part2", sa.Boolean(), nullable=False, server_default=sa.false()))
    if _dialect() == "sqlite":
        _visit_edit_trigger(VISIT_FACTS_0002 + ", part2")
        return
    for table in RECORD_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION caseload_append_only()"
        )


def downgrade() -> None:
    if _dialect() == "sqlite":
        _visit_edit_trigger(VISIT_FACTS_0002)
    else:
        for table in RECORD_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.drop_column("visit", "part2")


def _dialect() -> str:
    return op.get_bind().dialect.name


def _visit_edit_trigger(columns: str) -> None:
    op.execute("DROP TRIGGER visit_no_edit")
    op.execute(
        f"CREATE TRIGGER visit_no_edit BEFORE UPDATE OF {columns} ON visit "
        "BEGIN SELECT RAISE(ABORT, 'visits are never edited: amend them instead'); END"
    )
