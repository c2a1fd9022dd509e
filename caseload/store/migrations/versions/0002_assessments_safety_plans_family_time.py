"""Assessments (SDM risk, CANS), safety plans and their reviews, supervision of family time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safety_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("plan_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("review_by_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_safety_plan_family_id_family")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plan")),
    )
    with op.batch_alter_table("safety_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_safety_plan_family_id"), ["family_id"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_assessment_family_id_family")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_assessment_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_family_instrument_date", ["family_id", "instrument", "assessed_on"], unique=False
        )

    op.create_table(
        "safety_plan_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("safety_plan_id", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["safety_plan_id"],
            ["safety_plan.id"],
            name=op.f("fk_safety_plan_review_safety_plan_id_safety_plan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plan_review")),
    )
    with op.batch_alter_table("safety_plan_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_plan_review_safety_plan_id"), ["safety_plan_id"], unique=False
        )

    op.create_table(
        "assessment_rating",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_assessment_rating_assessment_id_assessment")
        ),
        sa.PrimaryKeyConstraint("assessment_id", "item", name=op.f("pk_assessment_rating")),
    )
    op.add_column("visit", sa.Column("supervision", sa.String(), nullable=True))
    _append_only()


NEW_APPEND_ONLY = ("assessment", "assessment_rating", "safety_plan", "safety_plan_review")
# Visit columns no update may touch (0001's list plus supervision); only the void mark may be set.
VISIT_FACTS = (
    "id, family_id, visit_on, visit_time, kind, location, duration_min, narrative, assessment, plan, "
    "safety_concern, late_entry, supervision, recorded_at, recorded_by"
)


def _append_only() -> None:
    """Assessments and safety plans are part of the record: never edited, never deleted."""
    if op.get_bind().dialect.name == "sqlite":
        for table in NEW_APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        op.execute("DROP TRIGGER visit_no_edit")
        op.execute(
            f"CREATE TRIGGER visit_no_edit BEFORE UPDATE OF {VISIT_FACTS} ON visit "
            "BEGIN SELECT RAISE(ABORT, 'visits are never edited: amend them instead'); END"
        )
        return
    for table in NEW_APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION caseload_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Native DROP COLUMN keeps the table (and 0001's other visit triggers) in place.
        op.execute("DROP TRIGGER visit_no_edit")
        op.execute("ALTER TABLE visit DROP COLUMN supervision")
        op.execute(
            f"CREATE TRIGGER visit_no_edit BEFORE UPDATE OF {VISIT_FACTS.replace('supervision, ', '')} ON visit "
            "BEGIN SELECT RAISE(ABORT, 'visits are never edited: amend them instead'); END"
        )
    else:
        op.drop_column("visit", "supervision")
    op.drop_table("assessment_rating")
    with op.batch_alter_table("safety_plan_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_plan_review_safety_plan_id"))

    op.drop_table("safety_plan_review")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_family_instrument_date")

    op.drop_table("assessment")
    with op.batch_alter_table("safety_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_plan_family_id"))

    op.drop_table("safety_plan")
