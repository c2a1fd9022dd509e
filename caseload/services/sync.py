"""Laptop replicas of the agency database (issue 18): `sync init`, `sync` and `sync status`.

A replica is a SQLite file holding what the server login's worker may see (her cases, with every
record hanging off them) plus what the rules need (the workers). Every other command works on it
offline, unchanged. `sync` reads the server in one snapshot, pushes what was recorded in the replica
since the last sync in one server transaction (READ COMMITTED, so the audit chain grows from its
head as it is), reads the server again in one snapshot, then takes it in, in one replica
transaction; the replica stays locked (for writes) from start to end, so nothing recorded meanwhile
is missed.

The conflict rule: append-only records (visits, amendments, progress entries, assessments, …) never
conflict, both sides' are kept. A field both sides changed since the last sync (a family's risk, a
goal's status, a placement's end) keeps the server's value; the laptop's is kept as a conflict that
`sync status` lists, for the worker to resolve with the usual correction commands.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from caseload import clock
from caseload.errors import Duplicate, IntegrityProblem, NotFound, RuleViolation, UsageProblem
from caseload.services.common import audit
from caseload.store import sync as store
from caseload.store.db import Database
from caseload.vocab import counted

# What a worker calls the records, in the order a summary lists them (visits first).
NOUNS = {
    "visit": "visit",
    "visit_amendment": "amendment",
    "goal_progress": "goal update",
    "service_update": "service update",
    "assessment": "assessment",
    "plan_review": "plan review",
    "safety_plan": "safety plan",
    "safety_plan_review": "safety plan review",
    "family": "case",
    "member": "member",
    "placement": "placement",
    "goal": "goal",
    "service": "service",
    "hearing": "hearing",
    "family_cover": "cover",
}


def without_password(url: str) -> str:
    """The URL as the replica keeps it: no password in the user part nor in the query (libpq's
    PGPASSFILE, PGPASSWORD or service file supplies it at each sync)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user_info, _, host = netloc.rpartition("@")
        user = user_info.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    secrets = ("password", "sslpassword")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in secrets])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _server(url: str) -> Database:
    """The agency database, never migrated from a laptop: it must be at this caseload's schema."""
    from caseload.store import connection
    from caseload.store.migrate import HEAD_REVISION, stored_version

    if not connection.is_url(url) or url.startswith("sqlite:"):
        raise UsageProblem(f"sync needs the agency database's postgresql:// URL, not {url!r}")
    connection.libpq_url(url)  # a scheme other than postgresql:// is refused here

    def require_current(db: Database) -> None:
        version = stored_version(db)
        if version != HEAD_REVISION:
            raise IntegrityProblem(
                f"the agency database is at schema {version or 'none'}, this caseload needs "
                f"{HEAD_REVISION}: its owner upgrades it with caseload init"
            )

    return Database(url, prepare=require_current)


def recording_hint(worker: str) -> str | None:
    """What to set to record on a new replica, when the acting worker is not its worker."""
    from caseload.settings import acting_worker

    if acting_worker() == worker:
        return None
    return f"Record on it as {worker}: export CASELOAD_WORKER={worker}"


def _replica_only(db: Database) -> None:
    if not db.is_sqlite:
        raise UsageProblem("a replica is a file: give it with --db (the URL is the agency database's)")


def _worker_of(server, expected: str | None = None) -> str:
    login, worker, admin = store.login_worker(server)
    if worker is None:
        raise RuleViolation(f"login {login!r} is not a caseload worker")
    if admin:
        raise RuleViolation(
            f"login {login!r} is an admin's and sees the whole agency: a replica is a worker's caseload"
        )
    if expected is not None and worker != expected:
        raise RuleViolation(f"this replica is {expected}'s: the login {login!r} ({worker}) cannot sync it")
    return worker


def init(db: Database, url: str) -> dict:
    """Make `db` (new, or empty) a replica of what the URL's login may see. The agency database is
    read (and the disclosure audited there) before the file is touched: a login that cannot, or a
    server out of reach, leaves no file behind."""
    _replica_only(db)
    kept_url = without_password(url)
    if db.path.exists():
        with db.read() as rows:
            _refuse_as_replica(db, rows)
    server = _server(url)
    now = clock.now()
    try:
        with server.read() as there:
            store.server_session(there)
            worker = _worker_of(there)
            snapshot = store.read_snapshot(there, server=True)
        cases = len(snapshot.rows["family"])
        with server.write() as there:
            audit(there, "sync", "replica", None, None, f"replica made: {cases} case(s) to {worker}'s laptop")
    finally:
        server.close()
    with db.write() as rows:
        _refuse_as_replica(db, rows)
        store.make_replica(rows, kept_url, worker)
        pulled = store.apply_server(rows, store.read_snapshot(rows), snapshot, [], now)
        _mark_synced(rows, now)
    return {
        "replica": db.display_name(),
        "server": kept_url,
        "worker": worker,
        "cases": pulled.inserted.get("family", 0),
        "pulled": _nouns(pulled.inserted),
    }


def _still_waiting(held: dict[str, int], refused: list[str]) -> str | None:
    """One line when something this sync could not push waits on the laptop; None when nothing."""
    count = sum(held.values()) + len(refused)
    if not count:
        return None
    return f"{_records_wait(count)} on this laptop (see above and: caseload sync status)"


def _records_wait(count: int) -> str:
    return f"{counted(count, 'record')} {'waits' if count == 1 else 'wait'}"


def _refuse_as_replica(db: Database, rows) -> None:
    """A replica is made of a new or empty database only."""
    if store.is_replica(rows):
        raise Duplicate(
            f"{db.display_name()} is a replica already ({store.state(rows)['url']}): run caseload sync"
        )
    if cases := store.holds_records(rows):
        raise RuleViolation(
            f"{db.display_name()} holds {cases} case(s): a replica is made of a new or empty database"
        )


def sync(db: Database) -> dict:
    """Push what the replica recorded since the last sync, pull what changed on the server."""
    _replica_only(db)
    if not db.path.exists():
        raise NotFound(f"no replica at {db.display_name()} (make one with: caseload --db FILE sync init URL)")
    now = clock.now()
    with db.write() as rows:
        state = _state(db, rows)
        server = _server(state["url"])
        try:
            with server.read() as there:
                store.server_session(there)
                worker = _worker_of(there, state["worker"])
                seen = store.read_snapshot(there, server=True)
            local = store.read_snapshot(rows)
            changes = store.changed_fields(local, store.base(rows))
            held_back = store.held(rows)
            new_rows = store.new_here(local, seen, store.marks(rows), held_back)
            voids = store.waiting_voids(local, store.synced_voids(rows))
            out = store.outgoing(local, seen, new_rows, changes, voids)
            pushes = store.to_push(out.changes, seen)
            overruled = store.overruled(out.changes, pushes)
            with server.write() as there:  # READ COMMITTED: the audit chain's head as it is now
                pushed = store.push(
                    there, local, seen, out.rows, pushes, out.voids, overruled, store.pause_for_tests
                )
                audit(there, "sync", "replica", None, None, f"{worker}'s laptop replica synced")
            after = seen
            if out.rows or pushes or out.voids:
                with server.read() as there:
                    store.server_session(there)
                    after = store.read_snapshot(there, server=True)
        finally:
            server.close()
        store.pause_for_tests("committed")  # pushed and committed there, not yet pulled here
        conflicts = changes + pushed.adopted_changes
        kept = {**out.cases, **dict.fromkeys(pushed.refused_cases, 0)}
        pulled = store.apply_server(rows, local, after, conflicts, now, pushed.adopted, kept)
        waits = {
            table: out.held.get(table, []) + pushed.refused.get(table, [])
            for table in {*out.held, *pushed.refused}
        }
        unsent_voids = {visit["uid"] for visit in voids if visit not in out.voids} | set(
            waits.get("visit", [])
        )
        _mark_synced(rows, now, waits, unsent_voids, waiting_lines(pushed.reasons, out.cases))
    return {
        "pushed": _nouns(pushed.inserted),
        "pushed_changes": pushed.changed,
        "pulled": _nouns(pulled.inserted),
        "pulled_changes": pulled.changed,
        "reassigned": pulled.removed,
        "held": out.cases,
        "refused": pushed.reasons,
        "still_waiting": _still_waiting(out.cases, pushed.reasons),
        "conflicts": pulled.conflicts,
        "summary": summary(pushed, pulled, out.cases),
    }


def status(db: Database) -> dict:
    """What waits to be pushed, when the last sync was, and the conflicts not yet resolved; offline."""
    _replica_only(db)
    with db.read() as rows:
        state = _state(db, rows)
        local = store.read_snapshot(rows)
        changes = store.changed_fields(local, store.base(rows))
        waiting = store.waiting(rows, store.marks(rows), store.held(rows))
        voids = len(store.waiting_voids(local, store.synced_voids(rows)))
        conflicts = store.conflicts(rows)
    last = state.get("last_sync")
    why = json.loads(state.get("why", "[]"))
    return {
        "server": state["url"],
        "worker": state["worker"],
        "last_sync": dt.datetime.fromisoformat(last) if last else None,
        "waiting": _nouns(waiting),
        "waiting_changes": len(changes) + voids,
        "held_back": why,
        "conflicts": conflicts,
    }


def _mark_synced(
    rows,
    now: dt.datetime,
    waits: dict[str, list[str]] | None = None,
    unsent_voids: set[str] = frozenset(),
    why: list[str] = (),
) -> None:
    """What the replica holds now is synced, but for what waits (held back or refused: new rows by
    uid, voids; `why`, as the sync said it): the next sync pushes what is recorded after this, and
    those."""
    store.set_state(
        rows,
        {
            "marks": json.dumps(store.current_marks(rows)),
            "held": json.dumps({table: uids for table, uids in (waits or {}).items() if uids}),
            "voided": json.dumps(sorted(store.voided_uids(rows) - unsent_voids)),
            "why": json.dumps(list(why)),
            "last_sync": store.plain(now),
        },
    )


def _state(db: Database, rows) -> dict:
    if not store.is_replica(rows):
        raise NotFound(
            f"{db.display_name()} is not a replica (make one with: caseload --db FILE sync init URL)"
        )
    return store.state(rows)


def _nouns(counts: dict[str, int]) -> dict[str, int]:
    """Counts by what a worker calls the records (audit rows and link rows are not counted)."""
    return {noun: counts[table] for table, noun in NOUNS.items() if counts.get(table)}


def phrase(counts: dict[str, int], changes: int = 0, extra: list[tuple[int, str]] = ()) -> str:
    """`2 visits, 1 goal update, 1 change`, or `nothing`."""
    parts = [counted(n, noun) for noun, n in counts.items()]
    parts += [counted(n, noun) for n, noun in [(changes, "change"), *extra] if n]
    return ", ".join(parts) or "nothing"


def summary(pushed: store.Pushed, pulled: store.Pulled, held: dict[str, int]) -> str:
    """`pushed 3 visits, 1 goal update; pulled 2 visits, 1 reassignment`, then a line for conflicts
    kept and one for each case whose records the agency database would not take."""
    line = (
        f"pushed {phrase(_nouns(pushed.inserted), pushed.changed)}; "
        f"pulled {phrase(_nouns(pulled.inserted), pulled.changed, [(len(pulled.removed), 'reassignment')])}"
    )
    lines = [line]
    if pulled.conflicts:
        lines.append(
            f"{counted(pulled.conflicts, 'conflict')}: the server's value kept (see: caseload sync status)"
        )
    return "\n".join(lines + waiting_lines(pushed.reasons, held))


def waiting_lines(refused: list[str], held: dict[str, int]) -> list[str]:
    """A line for each record the agency database refused and each case it no longer lets her write."""
    return refused + [
        f"case {case} is no longer yours on the agency database: {_records_wait(count)} here until "
        "it is again (ask for a cover)"
        for case, count in sorted(held.items())
    ]
