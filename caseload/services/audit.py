"""Reading the audit trail: who changed, reported or exported what, and when."""

from __future__ import annotations

import datetime as dt

from caseload.services.common import require_family
from caseload.store import records
from caseload.store.db import Database


def audit_log(db: Database, case_number: str | None, since: dt.date | None) -> list[dict]:
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    with db.read() as rows:
        if case_number:
            case_number = require_family(rows, case_number)["case_number"]
        return records.audit_entries(rows, case_number, start)
