"""Access by assignment on PostgreSQL, covers, and a tamper-evident audit trail on both backends.

Both backends: `worker.login` (the PostgreSQL login a worker is), `family_cover` (a colleague covers a
family until a date), and on `audit_log` the chain columns `record_hash`, `imported` and `hash`
(rows already held are chained here, in id order).

PostgreSQL only, run as the database owner: the group roles, the functions and triggers that stamp
who and when from `session_user` and `now()`, FORCE row-level security with policies on every table
of case data, and least-privilege grants (see caseload.store.access).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from caseload.store import access

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# As migration 0001 created it on SQLite; lifted for the moment the existing rows are chained.
SQLITE_AUDIT_NO_UPDATE = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("worker", sa.Column("login", sa.String(), nullable=True))
    op.create_index("uq_worker_login", "worker", ["login"], unique=True)
    op.create_index("ix_worker_supervisor_id", "worker", ["supervisor_id"])
    op.create_table(
        "family_cover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name="fk_family_cover_family_id_family"),
        sa.ForeignKeyConstraint(["worker_id"], ["worker.id"], name="fk_family_cover_worker_id_worker"),
        sa.PrimaryKeyConstraint("id", name="pk_family_cover"),
    )
    op.create_index("ix_family_cover_family_id", "family_cover", ["family_id"])
    op.create_index("ix_family_cover_worker_until", "family_cover", ["worker_id", "until_on", "family_id"])
    op.add_column("audit_log", sa.Column("record_hash", sa.String(), nullable=True))
    op.add_column("audit_log", sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("audit_log", sa.Column("hash", sa.String(), nullable=True))
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor", "at"])
    _chain_existing_rows(sqlite)
    if sqlite:
        return
    owner = op.get_bind().exec_driver_sql("SELECT current_user").scalar()
    for statement in access.pg_statements_0005(owner):
        op.execute(statement)


class _Bound:
    """The little of the store's row API that the chaining below needs, over Alembic's connection,
    with SQLite's text dates and 0/1 read back as the store reads them (by the column naming rule)."""

    def __init__(self, bind):
        self.bind = bind
        self.dialect = bind.dialect.name

    def all(self, sql, params=None):
        result = self.bind.execute(sa.text(sql), params or {})
        return [{name: _typed(name, value) for name, value in row._mapping.items()} for row in result]

    def one(self, sql, params=None):
        found = self.all(sql, params)
        return found[0] if found else None

    def execute(self, sql, params=None):
        self.bind.execute(sa.text(sql), params or {})


def _typed(name, value):
    import datetime as dt

    if isinstance(value, str) and name.endswith("_on"):
        return dt.date.fromisoformat(value)
    if isinstance(value, str) and (name.endswith("_at") or name == "at"):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, int) and name in ("safety_concern", "late_entry", "part2", "imported"):
        return bool(value)
    return value


def _chain_existing_rows(sqlite: bool) -> None:
    """Chain the rows already held, in id order, and seal the visits they record as added."""
    rows = _Bound(op.get_bind())
    found = rows.all(
        "SELECT id, at, actor, action, entity, entity_id, case_number, detail FROM audit_log ORDER BY id"
    )
    if not found:
        return
    op.execute("DROP TRIGGER audit_log_no_update" if sqlite else "ALTER TABLE audit_log DISABLE TRIGGER USER")
    prev = None
    for row in found:
        row["imported"] = False
        row["record_hash"] = None
        if (row["entity"], row["action"]) == ("visit", "add") and (row["entity_id"] or "").isdigit():
            row["record_hash"] = access.visit_digest(rows, row["entity_id"])
        prev = access.audit_digest(prev, row)
        rows.execute(
            "UPDATE audit_log SET hash = :hash, record_hash = :record_hash WHERE id = :id",
            {"hash": prev, "record_hash": row["record_hash"], "id": row["id"]},
        )
    op.execute(SQLITE_AUDIT_NO_UPDATE if sqlite else "ALTER TABLE audit_log ENABLE TRIGGER USER")


def downgrade() -> None:
    """Back to 0004: the group roles stay (they belong to the cluster, other databases may use them)."""
    if op.get_bind().dialect.name == "postgresql":
        groups = ", ".join(access.GROUPS)
        op.execute("DROP POLICY IF EXISTS caseload_cover_given ON family_cover")
        for table in access.CASE_TABLES:
            for policy in ("caseload_owner", "caseload_admin", "caseload_team"):
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for name, (table, _statement) in access.pg_triggers("0005").items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {groups}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {groups}")
        op.execute("ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT nextval('audit_log_id_seq')")
        for name in reversed(list(access.PG_FUNCTIONS_0005)):
            op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
    op.drop_index("ix_audit_log_actor_at", table_name="audit_log")
    op.drop_table("family_cover")
    op.drop_index("ix_worker_supervisor_id", table_name="worker")
    op.drop_index("uq_worker_login", table_name="worker")
    # native DROP COLUMN on SQLite too: the tables (and their append-only triggers) stay in place
    for table, column in (
        ("audit_log", "hash"),
        ("audit_log", "imported"),
        ("audit_log", "record_hash"),
        ("worker", "login"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
