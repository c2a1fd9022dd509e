"""Indexes that answer the due-date queries alone: the latest counting visit and plan review of a
family, and a child's latest CANS, are read from an index, never from the rows (a million visits at
an agency).

`ix_visit_family_kind_void_date` replaces `ix_visit_family_kind_date`, whose prefix it keeps, and
`ix_plan_review_family_date` replaces the index on `plan_review.family_id`. Indexes only: no table is
rebuilt (plain CREATE and DROP INDEX, not batch mode), so the append-only triggers and the rows stay
as they are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_visit_family_kind_void_date", "visit", ["family_id", "kind", "voided_at", "visit_on", "location"]
    )
    op.drop_index("ix_visit_family_kind_date", table_name="visit")
    op.create_index("ix_plan_review_family_date", "plan_review", ["family_id", "review_on"])
    op.drop_index("ix_plan_review_family_id", table_name="plan_review")
    op.create_index(
        "ix_assessment_family_instrument_member_date",
        "assessment",
        ["family_id", "instrument", "member_id", "assessed_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_assessment_family_instrument_member_date", table_name="assessment")
    op.create_index("ix_plan_review_family_id", "plan_review", ["family_id"])
    op.drop_index("ix_plan_review_family_date", table_name="plan_review")
    op.create_index("ix_visit_family_kind_date", "visit", ["family_id", "kind", "visit_on"])
    op.drop_index("ix_visit_family_kind_void_date", table_name="visit")
