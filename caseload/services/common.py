"""Look-ups every use case needs (a case by number, a member by name, with forgiving suggestions),
and the audit row every change or disclosure writes."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable

from caseload import clock
from caseload.errors import NotFound, RuleViolation, UsageProblem
from caseload.parsing import name_key
from caseload.rules import record as record_rules
from caseload.settings import acting_worker
from caseload.store import access, records
from caseload.store.db import Database, Rows


def require_family(rows: Rows, case_number: str) -> dict:
    found = records.family(rows, case_number.strip())
    if found:
        return found
    if access.hidden_case(rows, case_number.strip()):
        raise NotFound(f"case {case_number.strip()} is not on your caseload")
    known = {row["case_number"]: row["name"] for row in records.case_numbers(rows)}
    close = difflib.get_close_matches(case_number, list(known), n=3, cutoff=0.6)
    wanted = case_number.strip()
    if not close and wanted:  # a short form: `11` for 2026-0011, `0142` for 2026-0142
        ending = [c for c in known if c.endswith(wanted)]
        close = (ending or [c for c in known if wanted in c])[:3]
    hint = f" Did you mean {', '.join(f'{c} ({known[c]})' for c in close)}?" if close else ""
    raise NotFound(f"no case {case_number!r}.{hint}")


def require_worker(rows: Rows, worker_id: str | None) -> None:
    """A worker id given by --worker or $CASELOAD_WORKER must exist: a typo would otherwise show an
    empty caseload, "nothing overdue", which is false reassurance."""
    if worker_id is None or records.worker(rows, worker_id):
        return
    known = [row["id"] for row in records.workers(rows)]
    close = difflib.get_close_matches(worker_id, known, n=3, cutoff=0.6)
    if close:
        raise NotFound(f"no worker {worker_id!r}. Did you mean {', '.join(close)}?")
    raise NotFound(f"no worker {worker_id!r}; add one with: caseload worker add {worker_id} --name NAME")


def require_open_family(rows: Rows, case_number: str) -> dict:
    family = require_family(rows, case_number)
    if family["closed_on"]:
        raise RuleViolation(f"case {family['case_number']} was closed on {family['closed_on']}")
    return family


def find_member(members: list[dict], name: str, case_number: str) -> dict:
    """A member by full name, or by first name when that names exactly one member. A name that
    several members share as first name, or as surname (a family's), is ambiguous: they are listed."""
    wanted = name_key(name.strip())
    for member in members:
        if member["name_key"] == wanted:
            return member
    by_first = [m for m in members if m["name_key"].split(" ")[0] == wanted]
    if len(by_first) == 1:
        return by_first[0]
    by_last = [m for m in members if " " in m["name_key"] and m["name_key"].rsplit(" ", 1)[1] == wanted]
    for sharing in (by_first, by_last):
        if len(sharing) > 1:
            names = ", ".join(m["name"] for m in sharing)
            raise UsageProblem(f"{name!r} could be {names} in case {case_number}; give the full name")
    # a misspelt full name, or a misspelt first name (`Thoe` for Theo Begay)
    keys = {m["name_key"]: m for m in members} | {m["name_key"].split(" ")[0]: m for m in members}
    close = difflib.get_close_matches(wanted, list(keys), n=2, cutoff=0.6)
    hint = ""
    if close:
        suggested = list(dict.fromkeys(keys[key]["name"] for key in close))
        hint = " Did you mean " + ", ".join(suggested) + "?"
    elif by_last:
        hint = f" Did you mean {by_last[0]['name']}?"
    raise NotFound(f"no member {name!r} in case {case_number}.{hint}")


# (entity, action) an unregistered actor may do: add workers, restore an export, take a backup.
UNCHECKED_ACTORS = frozenset({("worker", "add"), ("database", "import"), ("database", "backup")})


def audit(
    rows: Rows,
    action: str,
    entity: str,
    entity_id=None,
    case_number: str | None = None,
    detail: str | None = None,
) -> None:
    """An audit row in the same unit of work as the change it records. On SQLite the actor must be a
    registered worker (a worker's own addition and restoring an export aside); on PostgreSQL the
    database records the login's worker, whatever the client says."""
    actor = acting_worker()
    if (
        rows.dialect == "sqlite"
        and (entity, action) not in UNCHECKED_ACTORS
        and not records.worker(rows, actor)
    ):
        raise RuleViolation(
            f"{actor!r} is not a registered worker, so cannot write: set CASELOAD_WORKER to your worker id, "
            f"or add one with: caseload worker add {actor} --name NAME"
        )
    records.audit(
        rows,
        at=clock.now(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        case_number=case_number,
        detail=detail,
    )


def disclose(
    db: Database,
    action: str,
    entity: str,
    entity_id: object,
    case_number: str | None,
    detail: str,
    deliver: Callable[[], None],
) -> None:
    """Audit data leaving the system (a report, an export), then hand it over: nothing is handed over
    unlogged, and no transaction is held while a reader takes its time (a pipe not yet read would
    block every writer). A file is staged first (render.files.staged) and `deliver` only renames it
    into place, so a failed write leaves no audit row and a failed audit leaves no file."""
    with db.write() as rows:
        audit(rows, action, entity, entity_id, case_number, detail)
    deliver()


def check(problem: str | None) -> None:
    """Raise a rule's problem (see `rules.record`) as a RuleViolation; None is no problem."""
    if problem is not None:
        raise RuleViolation(problem)


def not_future(day: dt.date, what: str) -> None:
    """`rules.record.future_problem` as of today."""
    check(record_rules.future_problem(day, clock.today(), what))


def within_case(family: dict, day: dt.date, what: str) -> None:
    """`rules.record.outside_case_problem` for the case `family`."""
    check(
        record_rules.outside_case_problem(
            day, family["opened_on"], family["closed_on"], family["case_number"], what
        )
    )


def due_soon_days_of(standards) -> int:
    """The due-soon window of the standards given, else of `load_standards()`."""
    if standards is None:
        from caseload.standards import load_standards

        standards = load_standards()
    return standards.due_soon_days
