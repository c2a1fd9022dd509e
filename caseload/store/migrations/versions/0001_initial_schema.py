"""Initial schema, with append-only triggers on the record of what happened.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=True),
        sa.Column("case_number", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_case_at", ["case_number", "at"], unique=False)

    op.create_table(
        "worker",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("supervisor_id", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["worker.id"], name=op.f("fk_worker_supervisor_id_worker")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
    )
    op.create_table(
        "family",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("program", sa.String(), nullable=False),
        sa.Column("risk", sa.String(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(), nullable=True),
        sa.Column("worker_id", sa.String(), nullable=True),
        sa.Column("county", sa.String(), nullable=True),
        sa.Column("docket", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name=op.f("fk_family_worker_id_worker")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family")),
        sa.UniqueConstraint("case_number", name=op.f("uq_family_case_number")),
    )
    with op.batch_alter_table("family", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "hearing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("hearing_on", sa.Date(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("court", sa.String(), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=False),
        sa.Column("report_filed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_hearing_family_id_family")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing")),
    )
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.create_index("ix_hearing_family_date", ["family_id", "hearing_on"], unique=False)

    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("born_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_member_family_id_family")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("family_id", "name_key", name=op.f("uq_member_family_id")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_family_id"), ["family_id"], unique=False)

    op.create_table(
        "plan_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_plan_review_family_id_family")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_review")),
    )
    with op.batch_alter_table("plan_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_review_family_id"), ["family_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("visit_time", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("assessment", sa.Text(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("safety_concern", sa.Boolean(), nullable=False),
        sa.Column("late_entry", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.String(), nullable=True),
        sa.Column("void_reason", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_visit_family_id_family")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_family_kind_date", ["family_id", "kind", "visit_on"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("domain", sa.String(), nullable=True),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_goal_family_id_family")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_goal_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_family_id"), ["family_id"], unique=False)

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(), nullable=False),
        sa.Column("provider", sa.String(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("adjudicated_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_placement_family_id_family")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_placement_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_family_id"), ["family_id"], unique=False)
        batch_op.create_index("ix_placement_member_start", ["member_id", "start_on"], unique=False)

    op.create_table(
        "visit_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("amended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amended_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_visit_amendment_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_amendment")),
    )
    with op.batch_alter_table("visit_amendment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_amendment_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_seen",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_visit_seen_member_id_member")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_visit_seen_visit_id_visit")),
        sa.PrimaryKeyConstraint("visit_id", "member_id", name=op.f("pk_visit_seen")),
    )
    with op.batch_alter_table("visit_seen", schema=None) as batch_op:
        batch_op.create_index("ix_visit_seen_member", ["member_id", "visit_id"], unique=False)

    op.create_table(
        "goal_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("entry_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_goal_progress_goal_id_goal")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_progress")),
    )
    with op.batch_alter_table("goal_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_progress_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("provider", sa.String(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name=op.f("fk_service_family_id_family")),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_service_goal_id_goal")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_service_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_family_id"), ["family_id"], unique=False)

    op.create_table(
        "visit_goal",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"], name=op.f("fk_visit_goal_goal_id_goal")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_visit_goal_visit_id_visit")),
        sa.PrimaryKeyConstraint("visit_id", "goal_id", name=op.f("pk_visit_goal")),
    )
    op.create_table(
        "service_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("update_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_update_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_update")),
    )
    with op.batch_alter_table("service_update", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_update_service_id"), ["service_id"], unique=False)

    _append_only_triggers()


# Tables whose rows, once written, never change: the legal record of visits and decisions.
APPEND_ONLY = ("visit_amendment", "visit_seen", "visit_goal", "goal_progress", "service_update", "audit_log")
# A visit's own columns; only its void mark (voided_at, voided_by, void_reason) may be set, once.
VISIT_FACTS = (
    "id, family_id, visit_on, visit_time, kind, location, duration_min, narrative, assessment, plan, "
    "safety_concern, late_entry, recorded_at, recorded_by"
)


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        op.execute(
            "CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit "
            "BEGIN SELECT RAISE(ABORT, 'visits are never deleted: void them instead'); END"
        )
        op.execute(
            f"CREATE TRIGGER visit_no_edit BEFORE UPDATE OF {VISIT_FACTS} ON visit "
            "BEGIN SELECT RAISE(ABORT, 'visits are never edited: amend them instead'); END"
        )
        op.execute(
            "CREATE TRIGGER visit_void_once BEFORE UPDATE OF voided_at, voided_by, void_reason ON visit "
            "WHEN OLD.voided_at IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'the visit is already void'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION caseload_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION caseload_append_only()"
        )
    op.execute(
        "CREATE FUNCTION caseload_visit_void_only() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'visits are never deleted: void them instead'; END IF; "
        "IF OLD.voided_at IS NOT NULL THEN RAISE EXCEPTION 'the visit is already void'; END IF; "
        "IF (to_jsonb(NEW) - 'voided_at' - 'voided_by' - 'void_reason') "
        "<> (to_jsonb(OLD) - 'voided_at' - 'voided_by' - 'void_reason') "
        "THEN RAISE EXCEPTION 'visits are never edited: amend them instead'; END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER visit_void_only BEFORE UPDATE OR DELETE ON visit "
        "FOR EACH ROW EXECUTE FUNCTION caseload_visit_void_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS caseload_append_only, caseload_visit_void_only CASCADE")
    with op.batch_alter_table("service_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_update_service_id"))

    op.drop_table("service_update")
    op.drop_table("visit_goal")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_family_id"))

    op.drop_table("service")
    with op.batch_alter_table("goal_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_progress_goal_id"))

    op.drop_table("goal_progress")
    with op.batch_alter_table("visit_seen", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_seen_member")

    op.drop_table("visit_seen")
    with op.batch_alter_table("visit_amendment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_amendment_visit_id"))

    op.drop_table("visit_amendment")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_member_start")
        batch_op.drop_index(batch_op.f("ix_placement_family_id"))

    op.drop_table("placement")
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_family_id"))

    op.drop_table("goal")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_family_kind_date")

    op.drop_table("visit")
    with op.batch_alter_table("plan_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_review_family_id"))

    op.drop_table("plan_review")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_family_id"))

    op.drop_table("member")
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_index("ix_hearing_family_date")

    op.drop_table("hearing")
    with op.batch_alter_table("family", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_worker_id"))

    op.drop_table("family")
    op.drop_table("worker")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_case_at")

    op.drop_table("audit_log")
