"""Global ids for laptop replicas, and the corrections' grants on PostgreSQL.

Every record a replica can add carries `uid`, a UUID, besides its integer id (which each database
assigns itself), and `synced_at`, when the agency database received it from a replica. `uid` is
unique (a push says ON CONFLICT DO NOTHING: pushing twice is pushing once) and filled on every insert
(`Rows.insert`; on PostgreSQL also by the column default). Existing rows get one here: on PostgreSQL
by the volatile default (no UPDATE runs, so no trigger is involved); on SQLite by an UPDATE with the
append-only triggers set aside and put back exactly as they were, in the same transaction.

PostgreSQL only, as the owner (caseload.store.access): the functions that keep a pushed row's
`recorded_at` and stamp its arrival, `caseload_audit_pushed()`, and UPDATE grants for the columns the
audited corrections change (before, `member update` and the other corrections were refused to a
worker's login).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import uuid

import sqlalchemy as sa
from alembic import op

from caseload.store import access

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen here so this migration never changes.
UID_TABLES = (
    "family",
    "member",
    "placement",
    "goal",
    "goal_progress",
    "service",
    "service_update",
    "visit",
    "visit_amendment",
    "hearing",
    "plan_review",
    "assessment",
    "safety_plan",
    "safety_plan_review",
    "family_cover",
    "audit_log",
)


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    for table in UID_TABLES:
        default = sa.text("gen_random_uuid()::text") if postgres else None
        op.add_column(table, sa.Column("uid", sa.String(), nullable=True, server_default=default))
        op.add_column(table, sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True))
        if not postgres:
            _backfill_sqlite(bind, table)
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)
    if postgres:
        for statement in access.pg_statements_0006():
            op.execute(statement)


def _backfill_sqlite(bind, table: str) -> None:
    triggers = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name", (table,)
    ).fetchall()
    for name, _sql in triggers:
        op.execute(f"DROP TRIGGER {name}")
    ids = [row[0] for row in bind.exec_driver_sql(f"SELECT id FROM {table}").fetchall()]
    if ids:
        bind.exec_driver_sql(
            f"UPDATE {table} SET uid = ? WHERE id = ?", [(str(uuid.uuid4()), i) for i in ids]
        )
    for _name, sql in triggers:
        op.execute(sql)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT COUNT(*) FROM audit_log WHERE synced_at IS NOT NULL").scalar():
        raise RuntimeError(
            "audit rows pushed from laptop replicas are chained with their arrival (synced_at): "
            "going back to 0005 would leave a chain that no longer verifies"
        )
    if bind.dialect.name == "postgresql":
        groups = ", ".join(access.GROUPS)
        for name, (table, _statement) in access.pg_triggers("0006").items():
            if name not in access.pg_triggers("0005"):
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for table, columns in access.UPDATABLE_0006.items():
            op.execute(f"REVOKE UPDATE ({columns}) ON {table} FROM {groups}")
        for name in access.PG_FUNCTIONS_0006:
            if name not in access.PG_FUNCTIONS_0005:
                op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
        for name in access.PG_FUNCTIONS_0006:
            if name in access.PG_FUNCTIONS_0005:
                op.execute(access.PG_FUNCTIONS_0005[name])
        op.execute("DROP TABLE audit_chain_head")
    for table in UID_TABLES:
        op.drop_index(f"ix_{table}_uid", table_name=table)
        # native DROP COLUMN on SQLite too: the tables (and their triggers) stay in place
        op.execute(f"ALTER TABLE {table} DROP COLUMN synced_at")
        op.execute(f"ALTER TABLE {table} DROP COLUMN uid")
