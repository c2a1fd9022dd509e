"""Use cases that look after the database itself: check that it is sound and private, back it up."""

from __future__ import annotations

from pathlib import Path

from caseload.errors import IntegrityProblem
from caseload.services.common import audit
from caseload.store import health
from caseload.store.db import Database

PG_BACKUP_HINT = (
    "backup copies SQLite files; for PostgreSQL use pg_dump "
    "(pg_dump -Fc -f caseload.dump DBNAME, restore with pg_restore)"
)


def check(db: Database) -> dict:
    """Every check, run even when an earlier one failed, so one run shows everything that is wrong."""
    checks = health.sqlite_checks(db) if db.is_sqlite else _server_checks(db)
    if all(c["status"] != "fail" for c in checks if c["check"] in ("integrity", "schema")):
        checks += _record_checks(db)
    return {
        "database": db.display_name(),
        "ok": all(c["status"] != "fail" for c in checks),
        "checks": checks,
    }


def owns_schema(db: Database) -> bool:
    """Whether this login may migrate the database: a SQLite file's user always does."""
    from caseload.store.migrate import _owns_schema

    return db.is_sqlite or _owns_schema(db)


def _record_checks(db: Database) -> list[dict]:
    """The audit chain unbroken, and the triggers that keep the record append-only as made."""
    from caseload.store import access

    rows = db.rows_as_it_is()
    try:
        chain = access.verify_chain(rows)
        problems = access.trigger_problems(rows)
    finally:
        db.close()
    triggers = (
        health.result("triggers", "fail", "; ".join(problems))
        if problems
        else health.result("triggers", "ok", "append-only and audit triggers as the migrations made them")
    )
    return [health.result("audit chain", chain["status"], chain["detail"]), triggers]


def _server_checks(db: Database) -> list[dict]:
    from caseload.store.migrate import stored_version

    return [
        health.result("integrity", "skip", "PostgreSQL checks its own pages (pg_amcheck for a deep check)"),
        health.result("foreign keys", "skip", "PostgreSQL enforces them on every write"),
        health.schema_result(stored_version(db)),
        health.result("permissions", "skip", "managed by the PostgreSQL server (roles, pg_hba.conf)"),
    ]


def backup(db: Database, dest: Path, force: bool, progress: health.Progress | None = None) -> dict:
    """A verified copy at `dest` (0600); audited, since it carries every record out of the database.
    `progress(description, total)`: a progress bar over the pages copied."""
    if not db.is_sqlite:
        raise IntegrityProblem(PG_BACKUP_HINT)
    dest = dest.expanduser()
    health.check_destination(db, dest, force)
    partial, counts = health.verified_copy(db, dest, progress)
    try:
        with db.write() as rows:
            audit(rows, "backup", "database", detail=str(dest.absolute()))
        health.publish(partial, dest, force)
    finally:
        health.discard(partial)
    return {"path": str(dest), "bytes": dest.stat().st_size, "integrity": "ok", "rows": counts}
