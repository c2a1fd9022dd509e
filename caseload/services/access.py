"""Use cases of access: a colleague covering a case while its worker is away."""

from __future__ import annotations

import datetime as dt

from caseload import clock
from caseload.errors import RuleViolation
from caseload.services.common import audit, require_open_family, require_worker
from caseload.settings import acting_worker
from caseload.store import access
from caseload.store.db import Database


def cover_family(db: Database, case_number: str, worker_id: str, until_on: dt.date) -> dict:
    """`family cover`: `worker_id` reads and writes the case through `until_on`, then no longer."""
    if until_on < clock.today():
        raise RuleViolation(f"the cover would already have ended ({until_on})")
    with db.write() as rows:
        family = require_open_family(rows, case_number)
        require_worker(rows, worker_id)
        if worker_id == family["worker_id"]:
            raise RuleViolation(f"case {family['case_number']} is already {worker_id}'s")
        cover_id = access.add_cover(rows, family["id"], worker_id, until_on, clock.now(), acting_worker())
        audit(rows, "cover", "family", family["id"], family["case_number"], f"{worker_id} until {until_on}")
    return {
        "id": cover_id,
        "case_number": family["case_number"],
        "worker_id": worker_id,
        "until_on": until_on,
    }


def login_worker(db: Database) -> str | None:
    """The worker linked to the PostgreSQL login (None on SQLite, and for a login linked to none)."""
    with db.read() as rows:
        return access.session_worker(rows)
