"""Sync between a laptop replica (a SQLite file) and the agency database (PostgreSQL): which rows of
the agency database a worker's replica holds, reading them, pushing the replica's new records and
changed fields, pulling the server's, and the replica's own bookkeeping.

Records are matched across the two databases by their global id (`uid`, migration 0006), never by
their integer ids, which each database assigns itself: every foreign key is translated through the
parent's uid on the way. Rows without a uid (who was seen, the goals a visit addressed, a CANS's
item ratings) are matched by their parents' uids.

On the agency database the login's row-level security decides what a replica holds: her cases, the
cases she covers (a supervisor: her team's), with every record hanging off them. Pushed rows arrive
through the same policies and triggers as any write (caseload.store.access): the actor is the login's
worker, the laptop's `recorded_at` is kept and `synced_at` stamped, audit rows join the chain by
`caseload_audit_pushed()`.

The replica's bookkeeping, created by `sync init` in the replica only (never in the agency database,
nor in the migrations: a plain caseload file has none of it):
- `sync_state`: the server URL (never a password), the replica's worker, the last sync, and per table
  the highest local id that existed after it (rows above it were recorded here since: waiting);
- `sync_base`: each changeable field's value on the server at the last sync, the common ancestor of
  a three-way merge;
- `sync_conflict`: a change made here to a field the server also changed; the server's value is
  kept, the laptop's is kept here, listed by `sync status`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from caseload.errors import CaseloadError
from caseload.store import access
from caseload.store.db import UID_TABLES, Rows


def _changeable(table: str) -> tuple[str, ...]:
    """The fields a command may change on `table`: those the agency database lets a worker update."""
    return tuple(column.strip() for column in access.UPDATABLE.get(table, "").split(",") if column.strip())


@dataclass(frozen=True)
class Spec:
    """How one table syncs."""

    name: str
    parents: dict[str, str]  # foreign-key column -> parent table, translated through uids
    scope: str  # which rows belong to the families `{families}` (a SQL query of family ids)
    link_key: tuple[str, ...] = ()  # identity of a row with no uid: these columns (parents by uid)
    mutable: tuple[str, ...] = ()  # fields either side may change: merged three ways
    pulled: tuple[str, ...] = ()  # fields only the agency database changes (a reassignment)

    @property
    def followed(self) -> tuple[str, ...]:
        """The fields whose server value the replica takes."""
        return self.mutable + self.pulled


def _of_families() -> str:
    return "family_id IN ({families})"


def _under(column: str, parent: str, parent_scope: str) -> str:
    return f"{column} IN (SELECT id FROM {parent} WHERE {parent_scope})"


_VISITS = _under("visit_id", "visit", _of_families())
SPECS: tuple[Spec, ...] = (
    Spec("family", {}, "id IN ({families})", mutable=_changeable("family"), pulled=("worker_id",)),
    Spec("member", {"family_id": "family"}, _of_families(), mutable=_changeable("member")),
    Spec(
        "placement",
        {"member_id": "member", "family_id": "family"},
        _of_families(),
        mutable=_changeable("placement"),
    ),
    Spec("goal", {"family_id": "family", "member_id": "member"}, _of_families(), mutable=_changeable("goal")),
    Spec("goal_progress", {"goal_id": "goal"}, _under("goal_id", "goal", _of_families())),
    Spec(
        "service",
        {"family_id": "family", "member_id": "member", "goal_id": "goal"},
        _of_families(),
        mutable=_changeable("service"),
    ),
    Spec("service_update", {"service_id": "service"}, _under("service_id", "service", _of_families())),
    Spec("visit", {"family_id": "family"}, _of_families()),
    Spec(
        "visit_seen",
        {"visit_id": "visit", "member_id": "member"},
        _VISITS,
        link_key=("visit_id", "member_id"),
    ),
    Spec("visit_goal", {"visit_id": "visit", "goal_id": "goal"}, _VISITS, link_key=("visit_id", "goal_id")),
    Spec("visit_amendment", {"visit_id": "visit"}, _VISITS),
    Spec("hearing", {"family_id": "family"}, _of_families(), mutable=_changeable("hearing")),
    Spec("plan_review", {"family_id": "family"}, _of_families()),
    Spec("assessment", {"family_id": "family", "member_id": "member"}, _of_families()),
    Spec(
        "assessment_rating",
        {"assessment_id": "assessment"},
        _under("assessment_id", "assessment", _of_families()),
        link_key=("assessment_id", "item"),
    ),
    Spec("safety_plan", {"family_id": "family"}, _of_families()),
    Spec(
        "safety_plan_review",
        {"safety_plan_id": "safety_plan"},
        _under("safety_plan_id", "safety_plan", _of_families()),
    ),
    Spec("family_cover", {"family_id": "family"}, _of_families()),
    Spec("audit_log", {}, "case_number IN (SELECT case_number FROM family WHERE id IN ({families}))"),
)
SPEC = {spec.name: spec for spec in SPECS}
VOID_MARK = ("voided_at", "voided_by", "void_reason")  # a visit's one change: set once, never unset
NOT_COPIED = ("id", "synced_at")  # each database numbers its own rows; synced_at is the server's own
NOUN_TABLES = frozenset(UID_TABLES) - {"audit_log"}  # records, as a worker counts them
REFUSED = object()  # a write the server refused


# -- snapshots ---------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """The synced tables of one side: the server's rows a worker may see, or all of a replica."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    workers: list[dict] = field(default_factory=list)
    uid_of: dict[str, dict[int, str]] = field(default_factory=dict)  # table -> id -> uid
    id_of: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> uid -> id
    _by_identity: dict[str, dict[Any, dict]] = field(default_factory=dict)
    _rows_by_id: dict[str, dict[int, dict]] = field(default_factory=dict)  # look-ups of family_of
    _case_families: dict[str, int] | None = None

    def identity(self, spec: Spec, row: dict) -> Any:
        """What a row is on either side: its uid, or for a link row its parents' uids (and item)."""
        if not spec.link_key:
            return row["uid"]
        return tuple(
            self.uid_of[spec.parents[column]].get(row[column]) if column in spec.parents else row[column]
            for column in spec.link_key
        )

    def by_identity(self, spec: Spec) -> dict[Any, dict]:
        """A table's rows by identity (worked out once, until `remember` adds a row)."""
        found = self._by_identity.get(spec.name)
        if found is None:
            found = self._by_identity[spec.name] = {
                self.identity(spec, row): row for row in self.rows[spec.name]
            }
        return found

    def remember(self, table: str, row_id: int, uid: str) -> None:
        """A row just added to this side."""
        self._by_identity.clear()
        self.uid_of[table][row_id] = uid
        self.id_of[table][uid] = row_id

    def family_of(self, table: str, row: dict) -> int | None:
        """A row's case (its family's id on this side), through its parents."""
        if table == "family":
            return row["id"]
        if table == "audit_log":
            return self._family_of_case().get(row["case_number"])
        if "family_id" in row:
            return row["family_id"]
        column, parent = next(iter(SPEC[table].parents.items()))
        parent_row = self._by_id(parent).get(row[column])
        return None if parent_row is None else self.family_of(parent, parent_row)

    def _by_id(self, table: str) -> dict[int, dict]:
        found = self._rows_by_id.get(table)
        if found is None:
            found = self._rows_by_id[table] = {row["id"]: row for row in self.rows[table]}
        return found

    def _family_of_case(self) -> dict[str, int]:
        if self._case_families is None:
            self._case_families = {row["case_number"]: row["id"] for row in self.rows["family"]}
        return self._case_families


def read_snapshot(rows: Rows, server: bool = False) -> Snapshot:
    """Every synced row: on the agency database (`server`), those of the families the login may see
    (row-level security decides; of the audit trail, the rows of those cases); in a replica, all."""
    snapshot = Snapshot(
        workers=rows.all("SELECT id, name, supervisor_id, created_at, login FROM worker ORDER BY id")
    )
    for spec in SPECS:
        # On the server row-level security decides which families; naming them in each table's
        # condition lets the planner reach the rows through the families' ids (an index) rather than
        # testing the policy on every row of a child table.
        where = spec.scope.format(families="SELECT id FROM family") if server else "1 = 1"
        found = rows.all(f"SELECT * FROM {spec.name} WHERE {where}")
        snapshot.rows[spec.name] = found
        if spec.name in UID_TABLES:
            snapshot.uid_of[spec.name] = {row["id"]: row["uid"] for row in found}
            snapshot.id_of[spec.name] = {row["uid"]: row["id"] for row in found}
    return snapshot


def plain(value: Any) -> Any:
    """A field's value as compared and kept in sync_base: dates and times as ISO text (UTC)."""
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# -- the server --------------------------------------------------------------------------------


def server_session(rows: Rows) -> None:
    """The first statements of a sync's reading transaction on the server: one snapshot for all its
    reads (REPEATABLE READ: a visit and who was seen at it are read together or not at all), times
    in UTC like the replica's (for the session). Never for the push: a write in an old snapshot
    would find the audit chain's head moved on and fail."""
    rows.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    rows.execute("SET TIME ZONE 'UTC'")


def login_worker(rows: Rows) -> tuple[str, str | None, bool]:
    """The server login, its worker's id (None: not a caseload worker), and whether it is an
    admin's (who sees the whole agency: no laptop should carry that)."""
    found = rows.one(
        "SELECT session_user AS login, caseload_me() AS worker, "
        "pg_has_role(session_user, 'caseload_admin', 'MEMBER') AS admin"
    )
    return found["login"], found["worker"], bool(found["admin"])


@dataclass
class Pushed:
    """What a push wrote on the server, and what the server refused (it waits on the laptop)."""

    inserted: dict[str, int] = field(default_factory=dict)  # table -> rows new to the server
    changed: int = 0  # fields and void marks written on the server
    adopted: dict[str, str] = field(default_factory=dict)  # a replica's member uid -> the server's
    adopted_changes: list[FieldChange] = field(default_factory=list)  # its fields the server's differ on
    refused: dict[str, list[str]] = field(default_factory=dict)  # table -> uids refused
    refused_cases: set[str] = field(default_factory=set)  # new cases refused: they stay on the laptop
    reasons: list[str] = field(default_factory=list)  # why, a line each (records, not links or audit rows)


@dataclass(frozen=True)
class FieldChange:
    table: str
    uid: str
    column: str
    value: Any  # the laptop's
    was: Any  # the server's value the laptop's replaces (its base)


def _adopt_member(server: Rows, values: dict, server_ids: dict, result: Pushed) -> bool:
    """A member added on both sides (same case, same name) is one person: the replica's takes the
    server's uid, and where the two differ (role, date of birth) the server's is kept and the
    laptop's becomes a conflict. False when the server holds no such member."""
    same = server.one(
        "SELECT id, uid, name, name_key, role, born_on FROM member "
        "WHERE family_id = :family_id AND name_key = :name_key",
        values,
    )
    if same is None:
        return False
    server_ids["member"][values["uid"]] = same["id"]
    result.adopted[values["uid"]] = same["uid"]
    result.adopted_changes += [
        FieldChange("member", same["uid"], column, values[column], same[column])
        for column in SPEC["member"].mutable
        if values[column] is not None and plain(values[column]) != plain(same[column])
    ]
    return True


def _refused_line(table: str, values: dict, case_number: str | None, reason: str) -> str:
    noun = {"family": "case", "family_cover": "cover", "goal_progress": "goal update"}.get(table, table)
    where = f" of case {case_number}" if case_number and table != "family" else ""
    what = f"case {values['case_number']}" if table == "family" else f"a {noun.replace('_', ' ')}{where}"
    return f"the agency database refused {what} ({reason}): it waits here"


def push(
    server: Rows,
    local: Snapshot,
    seen: Snapshot,
    new_rows: dict[str, list[dict]],
    changes: list[FieldChange],
    voids: list[dict],
    overruled: dict[tuple[str, str], list[str]] | None = None,
    pause: Callable[[str], None] = lambda _table: None,
) -> Pushed:
    """Insert the replica's new rows (ON CONFLICT DO NOTHING: a row the server holds already, from an
    earlier push that was cut short, is skipped, so pushing twice is pushing once) and write its
    changed fields where the server still holds the value they replace; in the caller's one server
    transaction. Each row is written under a savepoint: one the server refuses (its row-level
    security, a case number another family holds) is left out with its reason and waits, the rest
    goes on. `seen`: the server as read before, for its ids; `overruled`: (table, uid) -> the fields
    the server keeps its own value of, which the laptop's audit rows say so of; `pause(table)` after
    each table (a test stops the process there)."""
    result = Pushed()
    arrived = server.scalar("SELECT now()")
    server_ids: dict[str, dict[str, int]] = {table: dict(ids) for table, ids in seen.id_of.items()}
    case_of = {row["id"]: row["case_number"] for row in local.rows["family"]}

    def server_id(table: str, local_id: int | None) -> int | None:
        if local_id is None:
            return None
        uid = local.uid_of[table].get(local_id)
        if uid is None:
            return None
        known = server_ids[table].get(uid)
        if known is None:
            known = server.scalar(f"SELECT id FROM {table} WHERE uid = :uid", {"uid": uid})
            server_ids[table][uid] = known
        return known

    def attempt(write: Callable[[], Any], table: str, row: dict, values: dict) -> Any:
        server.execute("SAVEPOINT sync_row")
        try:
            done = write()
        except CaseloadError as refused:
            server.execute("ROLLBACK TO SAVEPOINT sync_row")
            _refuse(table, row, values, str(refused))
            return REFUSED
        server.execute("RELEASE SAVEPOINT sync_row")
        return done

    def _refuse(table: str, row: dict, values: dict, reason: str) -> None:
        if "uid" in row:
            result.refused.setdefault(table, []).append(row["uid"])
        if table == "family":
            result.refused_cases.add(row["case_number"])
        if table in NOUN_TABLES:
            case = case_of.get(local.family_of(table, row))
            result.reasons.append(
                _refused_line(table, values, case, reason.removeprefix("database refused the change: "))
            )

    for spec in SPECS:
        count = 0
        for row in new_rows.get(spec.name, ()):
            values = {column: value for column, value in row.items() if column not in NOT_COPIED}
            for column, parent in spec.parents.items():
                values[column] = server_id(parent, values[column])
            if spec.name == "audit_log":
                values["entity_id"] = _entity_id(values, lambda table, number: server_id(table, number))
                values["record_hash"] = None  # the laptop's digest is over its own ids: digested anew there
                values["detail"] = _as_applied(values, row, local, overruled or {})
                count += (
                    attempt(lambda v=values: access.push_audit(server, v), spec.name, row, values) is True
                )
                continue
            if spec.name in UID_TABLES:
                values["synced_at"] = arrived
            names = list(values)
            sql = (
                f"INSERT INTO {spec.name} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)}) "
                f"ON CONFLICT DO NOTHING RETURNING {'1' if spec.link_key else 'id'}"
            )
            new_id = attempt(lambda q=sql, v=values: server.scalar(q, v), spec.name, row, values)
            if new_id is REFUSED:
                continue
            if new_id is not None:
                count += 1
                if not spec.link_key:
                    server_ids[spec.name][row["uid"]] = new_id
            elif spec.link_key or server_id(spec.name, row["id"]) is not None:
                continue  # held already (an earlier push cut short)
            elif spec.name == "member" and _adopt_member(server, values, server_ids, result):
                continue
            elif spec.name == "family":
                _refuse("family", row, values, "the case number is another family's on the agency database")
        if count:
            result.inserted[spec.name] = count
        if new_rows.get(spec.name):
            pause(spec.name)
    for change in changes:
        sql = (
            f"UPDATE {change.table} SET {change.column} = :value WHERE uid = :uid "
            f"AND {change.column} IS NOT DISTINCT FROM :was RETURNING id"
        )
        params = {"value": change.value, "uid": change.uid, "was": change.was}
        row = local.by_identity(SPEC[change.table])[change.uid]
        written = attempt(lambda q=sql, v=params: server.scalar(q, v), change.table, row, {})
        result.changed += written not in (None, REFUSED)
    for visit in voids:
        params = {column: visit[column] for column in (*VOID_MARK, "uid")}
        sql = (
            "UPDATE visit SET voided_at = :voided_at, voided_by = :voided_by, void_reason = :void_reason "
            "WHERE uid = :uid AND voided_at IS NULL RETURNING id"
        )
        written = attempt(lambda q=sql, v=params: server.scalar(q, v), "visit", visit, {})
        result.changed += written not in (None, REFUSED)
    return result


def _as_applied(audit: dict, row: dict, local: Snapshot, overruled: dict[tuple[str, str], list[str]]) -> str:
    """An audit row's detail as the server receives it: a change the server did not take (it kept
    its own value) says so, so the agency's trail never records a change that did not happen."""
    entity, number = row["entity"], str(row["entity_id"] or "")
    if row["action"] != "update" or entity not in SPEC or not number.isdigit():
        return audit["detail"]
    kept = overruled.get((entity, local.uid_of.get(entity, {}).get(int(number))))
    if not kept:
        return audit["detail"]
    return f"{audit['detail']} (on a laptop; the agency database kept its own {', '.join(kept)})"


def _entity_id(audit: dict, translate: Callable[[str, int], int | None]) -> str | None:
    """An audit row's `entity_id` in the other database's numbering, where it names a record by its
    integer id (`visit 3`); kept as it is where it names something else (a worker, a case number) or
    a record the other side does not hold."""
    entity, number = audit["entity"], audit["entity_id"]
    if entity not in UID_TABLES or not str(number or "").isdigit():
        return number
    found = translate(entity, int(number))
    return number if found is None else str(found)


# -- the replica -------------------------------------------------------------------------------

_REPLICA_TABLES = (
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS sync_base (tbl TEXT NOT NULL, uid TEXT NOT NULL, data TEXT NOT NULL, "
    "PRIMARY KEY (tbl, uid))",
    "CREATE TABLE IF NOT EXISTS sync_conflict (id INTEGER PRIMARY KEY, at TEXT NOT NULL, tbl TEXT NOT NULL, "
    "uid TEXT NOT NULL, field TEXT NOT NULL, laptop_value TEXT, server_value TEXT, resolved_at TEXT)",
)


def is_replica(rows: Rows) -> bool:
    """Whether the database is a replica (`sync init` made its bookkeeping)."""
    return bool(
        rows.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sync_state'")
    )


def make_replica(rows: Rows, url: str, worker: str) -> None:
    """The replica's bookkeeping, with the server URL (no password) and the replica's worker."""
    for statement in _REPLICA_TABLES:
        rows.execute(statement)
    set_state(rows, {"url": url, "worker": worker})


def holds_records(rows: Rows) -> int:
    """How many cases a database holds (a replica is made only of an empty one)."""
    return rows.scalar("SELECT COUNT(*) FROM family") or 0


def state(rows: Rows) -> dict[str, str]:
    """The replica's bookkeeping: url, worker, marks, held, voided, last_sync."""
    return {row["key"]: row["value"] for row in rows.all("SELECT key, value FROM sync_state")}


def set_state(rows: Rows, values: dict[str, str]) -> None:
    """Keep these bookkeeping values (others unchanged)."""
    for key, value in values.items():
        rows.execute(
            "INSERT INTO sync_state (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"key": key, "value": value},
        )


def marks(rows: Rows) -> dict[str, int]:
    """Per table, the highest local id there was after the last sync."""
    return json.loads(state(rows).get("marks", "{}"))


def held(rows: Rows) -> dict[str, list[str]]:
    """Per table, the uids of rows recorded here that the last sync did not push (held back or
    refused): they wait, below the marks."""
    return json.loads(state(rows).get("held", "{}"))


def synced_voids(rows: Rows) -> set[str]:
    """The visits that were void on both sides after the last sync."""
    return set(json.loads(state(rows).get("voided", "[]")))


def voided_uids(rows: Rows) -> set[str]:
    """The visits void in the replica."""
    return {row["uid"] for row in rows.all("SELECT uid FROM visit WHERE voided_at IS NOT NULL")}


def current_marks(rows: Rows) -> dict[str, int]:
    """Per table, the highest local id now."""
    return {table: rows.scalar(f"SELECT MAX(id) FROM {table}") or 0 for table in sorted(UID_TABLES)}


def waiting(rows: Rows, since_marks: dict[str, int], held_back: dict[str, list[str]]) -> dict[str, int]:
    """Rows recorded in the replica and not yet pushed, per table."""
    found = {}
    for table in sorted(UID_TABLES):
        count = rows.scalar(
            f"SELECT COUNT(*) FROM {table} WHERE id > :mark", {"mark": since_marks.get(table, 0)}
        ) + len(held_back.get(table, ()))
        if count:
            found[table] = count
    return found


def base(rows: Rows) -> dict[tuple[str, str], dict]:
    """(table, uid) -> the server's values of its changeable fields at the last sync."""
    return {
        (row["tbl"], row["uid"]): json.loads(row["data"])
        for row in rows.all("SELECT tbl, uid, data FROM sync_base")
    }


def changed_fields(local: Snapshot, known: dict[tuple[str, str], dict]) -> list[FieldChange]:
    """The fields changed in the replica since the last sync: each differs from its base."""
    found = []
    for spec in SPECS:
        for row in local.rows[spec.name] if spec.followed else ():
            ancestor = known.get((spec.name, row["uid"]))
            if ancestor is None:
                continue  # new here: pushed whole
            for column in spec.followed:
                if plain(row[column]) != ancestor.get(column):
                    found.append(
                        FieldChange(spec.name, row["uid"], column, row[column], ancestor.get(column))
                    )
    return found


@dataclass
class Pulled:
    inserted: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    removed: list[str] = field(default_factory=list)  # case numbers reassigned away
    conflicts: int = 0


def apply_server(
    rows: Rows,
    local: Snapshot,
    server: Snapshot,
    local_changes: list[FieldChange],
    at: dt.datetime,
    adopted: dict[str, str] | None = None,
    kept: dict[str, int] | None = None,
) -> Pulled:
    """Make the replica hold what the server holds for the worker, in the caller's unit of work:
    remove the cases no longer hers (their records were pushed first), add the rows new to it,
    take the server's value of every field, and keep each local change the server did not take as a
    conflict. Then the server's values become the next sync's base. `adopted`: members added here
    that the server held already (same case, same name), which take the server's uid; `kept`: cases
    the server no longer shows whose waiting records were held back (see `outgoing`), kept."""
    result = Pulled()
    for mine, theirs in (adopted or {}).items():
        rows.execute("UPDATE member SET uid = :theirs WHERE uid = :mine", {"mine": mine, "theirs": theirs})
    if adopted:
        local = read_snapshot(rows)
    on_server = {row["uid"] for row in server.rows["family"]}
    gone = [
        row
        for row in local.rows["family"]
        if row["uid"] not in on_server and row["case_number"] not in (kept or {})
    ]
    if gone:
        _remove_families(rows, [row["id"] for row in gone])
        result.removed = sorted(row["case_number"] for row in gone)
        local = read_snapshot(rows)
    _workers(rows, local.workers, server.workers)
    for spec in SPECS:
        mine = local.by_identity(spec)
        count = 0
        for key, row in server.by_identity(spec).items():
            if key in mine:
                continue
            values = {column: value for column, value in row.items() if column not in NOT_COPIED}
            for column, parent in spec.parents.items():
                if values[column] is not None:
                    values[column] = local.id_of[parent][server.uid_of[parent][values[column]]]
            if spec.name == "audit_log":
                values["entity_id"] = _entity_id(
                    values, lambda table, number: local.id_of[table].get(server.uid_of[table].get(number))
                )
                values = {**values, "hash": None, "record_hash": None}  # chained and digested here
                access.insert_audit(rows, values)
            elif spec.link_key:
                rows.insert(spec.name, values, returning=None)
            else:
                values["synced_at"] = row["synced_at"]
                local.remember(spec.name, rows.insert(spec.name, values), row["uid"])
            count += 1
        if count:
            result.inserted[spec.name] = count
    result.changed += _take_server_fields(rows, local, server)
    result.conflicts = _keep_conflicts(rows, local, server, local_changes, at)
    _save_base(rows, local, server)
    return result


def _workers(rows: Rows, mine: list[dict], theirs: list[dict]) -> None:
    """The server's workers, whom the rules and reassignments name (supervisors before their team)."""
    known = {row["id"]: row for row in mine}
    pending = [row for row in theirs if row["id"] not in known]
    while pending:
        ready = [row for row in pending if row["supervisor_id"] is None or row["supervisor_id"] in known]
        ready = ready or pending  # a cycle cannot be (supervisors are added first); never loop forever
        for row in ready:
            rows.insert("worker", row, returning=None)
            known[row["id"]] = row
        pending = [row for row in pending if row["id"] not in known]
    for row in theirs:
        local = known[row["id"]]
        if (local["name"], local["supervisor_id"], local["login"]) != (
            row["name"],
            row["supervisor_id"],
            row["login"],
        ):
            rows.execute(
                "UPDATE worker SET name = :name, supervisor_id = :supervisor_id, login = :login WHERE id = :id",
                {key: row[key] for key in ("name", "supervisor_id", "login", "id")},
            )


def _take_server_fields(rows: Rows, local: Snapshot, server: Snapshot) -> int:
    changed = 0
    for spec in SPECS:
        if not spec.followed and spec.name != "visit":
            continue
        mine = local.by_identity(spec)
        for uid, row in server.by_identity(spec).items():
            here = mine.get(uid)
            if here is None:
                continue
            if spec.name == "visit":
                if here["voided_at"] is None and row["voided_at"] is not None:
                    rows.execute(
                        "UPDATE visit SET voided_at = :voided_at, voided_by = :voided_by, "
                        "void_reason = :void_reason WHERE id = :id",
                        {**{column: row[column] for column in VOID_MARK}, "id": here["id"]},
                    )
                    changed += 1
                continue
            different = {c: row[c] for c in spec.followed if plain(row[c]) != plain(here[c])}
            if different:
                assignments = ", ".join(f"{column} = :{column}" for column in different)
                rows.execute(
                    f"UPDATE {spec.name} SET {assignments} WHERE id = :id", {**different, "id": here["id"]}
                )
                changed += len(different)
    return changed


def _keep_conflicts(
    rows: Rows, local: Snapshot, server: Snapshot, local_changes: list[FieldChange], at: dt.datetime
) -> int:
    """A local change the server does not hold now was overruled: the server changed the field too.
    Kept once (a re-run after a crash does not list it twice). Conflicts whose field has since moved
    on from the value the server kept are marked resolved."""
    kept = 0
    for change in local_changes:
        row = server.by_identity(SPEC[change.table]).get(change.uid)
        if row is None or plain(row[change.column]) == plain(change.value):
            continue
        params = {
            "tbl": change.table,
            "uid": change.uid,
            "field": change.column,
            "laptop": json.dumps(plain(change.value)),
            "server": json.dumps(plain(row[change.column])),
        }
        if rows.scalar(
            "SELECT id FROM sync_conflict WHERE tbl = :tbl AND uid = :uid AND field = :field "
            "AND laptop_value = :laptop AND server_value = :server AND resolved_at IS NULL",
            params,
        ):
            continue
        rows.execute(
            "INSERT INTO sync_conflict (at, tbl, uid, field, laptop_value, server_value) "
            "VALUES (:at, :tbl, :uid, :field, :laptop, :server)",
            {**params, "at": plain(at)},
        )
        kept += 1
    for conflict in rows.all(
        "SELECT id, tbl, uid, field, server_value FROM sync_conflict WHERE resolved_at IS NULL"
    ):
        row = server.by_identity(SPEC[conflict["tbl"]]).get(conflict["uid"])
        if row is None or json.dumps(plain(row[conflict["field"]])) != conflict["server_value"]:
            rows.execute(
                "UPDATE sync_conflict SET resolved_at = :at WHERE id = :id",
                {"at": plain(at), "id": conflict["id"]},
            )
    return kept


def _save_base(rows: Rows, local: Snapshot, server: Snapshot) -> None:
    """The server's values of the changeable fields, as the next sync's common ancestor (rewritten
    only when they moved). A record the replica holds that the server no longer shows (a case held
    back) keeps its base, so a change made to it here still waits."""
    wanted = {
        (spec.name, row["uid"]): {column: plain(row[column]) for column in spec.followed}
        for spec in SPECS
        if spec.followed
        for row in server.rows[spec.name]
    }
    before = base(rows)
    for (table, uid), data in before.items():
        if (table, uid) not in wanted and uid in local.id_of.get(table, {}):
            wanted[(table, uid)] = data
    if wanted == before:
        return
    rows.execute("DELETE FROM sync_base")
    rows.insert_many(
        "sync_base",
        [{"tbl": table, "uid": uid, "data": json.dumps(data)} for (table, uid), data in wanted.items()],
    )


def _remove_families(rows: Rows, family_ids: list[int]) -> None:
    """Remove cases from the replica with everything hanging off them. The append-only triggers,
    which forbid this everywhere else, are set aside for it and put back as they were, in the same
    unit of work: the records are not lost, the agency database holds them. The replica's audit
    trail is chained anew without the rows that left (the agency database's chain is untouched)."""
    params = {f"f{i}": family_id for i, family_id in enumerate(family_ids)}
    families = f"SELECT id FROM family WHERE id IN ({', '.join(':' + name for name in params)})"
    triggers = rows.all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    for trigger in triggers:
        rows.execute(f"DROP TRIGGER {trigger['name']}")
    for spec in reversed(SPECS):
        rows.execute(f"DELETE FROM {spec.name} WHERE {spec.scope.format(families=families)}", params)
    access.rechain(rows)
    for trigger in triggers:
        rows.execute(trigger["sql"])


def conflicts(rows: Rows) -> list[dict]:
    """The conflicts not yet resolved, with the record's local id and case."""
    found = []
    for conflict in rows.all(
        "SELECT at, tbl, uid, field, laptop_value, server_value FROM sync_conflict "
        "WHERE resolved_at IS NULL ORDER BY id"
    ):
        table = conflict["tbl"]
        record = rows.one(
            "SELECT t.id, t.case_number FROM family t WHERE t.uid = :uid"
            if table == "family"
            else f"SELECT t.id, f.case_number FROM {table} t JOIN family f ON f.id = t.family_id WHERE t.uid = :uid",
            {"uid": conflict["uid"]},
        )
        found.append(
            {
                "record": table,
                "id": record["id"] if record else None,
                "case_number": record["case_number"] if record else None,
                "field": conflict["field"],
                "laptop": json.loads(conflict["laptop_value"]),
                "server": json.loads(conflict["server_value"]),
                "at": conflict["at"],  # read as a timestamp by the column naming rule
            }
        )
    return found


def pause_for_tests(table: str) -> None:
    """$CASELOAD_SYNC_PAUSE=STEP:PATH: at STEP (after pushing that table, inside the server
    transaction; or `committed`, after the server's commit and before the replica's), write PATH and
    wait while it is there (two minutes at most), so a test can kill the process there, or act
    meanwhile and let it go on by removing PATH. Unset in normal use (a no-op)."""
    wanted = os.environ.get("CASELOAD_SYNC_PAUSE")
    if not wanted:
        return
    name, _, path = wanted.partition(":")
    if name == table:
        with open(path, "w") as marker:
            marker.write(str(os.getpid()))
        deadline = time.monotonic() + 120
        while os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.05)


def new_here(
    local: Snapshot, server: Snapshot, since_marks: dict[str, int], held_back: dict[str, list[str]]
) -> dict[str, list[dict]]:
    """The replica's rows not yet pushed that the server does not hold: those recorded since the last
    sync, and those it held back. A row with no uid is new with its parent (the visit a `seen` row
    hangs off)."""
    found = {}
    for spec in SPECS:
        there = server.by_identity(spec)
        table = spec.parents[spec.link_key[0]] if spec.link_key else spec.name
        column = spec.link_key[0] if spec.link_key else "id"
        mark = since_marks.get(table, 0)
        waiting_ids = {local.id_of[table].get(uid) for uid in held_back.get(table, ())}
        rows = [
            row
            for key, row in local.by_identity(spec).items()
            if (row[column] > mark or row[column] in waiting_ids) and key not in there
        ]
        if rows:
            found[spec.name] = rows
    return found


@dataclass
class Outgoing:
    """What a sync pushes, and what it holds back: what waits of cases the agency database no longer
    shows this login (reassigned away, a cover ended), which it would refuse. Those cases stay in
    the replica, their records waiting, until she may write them again (a cover)."""

    rows: dict[str, list[dict]]
    changes: list[FieldChange]
    voids: list[dict]
    held: dict[str, list[str]] = field(default_factory=dict)  # table -> uids of new rows held back
    cases: dict[str, int] = field(default_factory=dict)  # case number -> records and changes held back


def outgoing(
    local: Snapshot,
    server: Snapshot,
    rows: dict[str, list[dict]],
    changes: list[FieldChange],
    voids: list[dict],
) -> Outgoing:
    """Split what waits into what to push and what to hold back (see `Outgoing`)."""
    on_server = {row["uid"] for row in server.rows["family"]}
    new_families = {row["id"] for row in rows.get("family", ())}
    gone = {
        row["id"]: row["case_number"]
        for row in local.rows["family"]
        if row["uid"] not in on_server and row["id"] not in new_families
    }
    if not gone:
        return Outgoing(rows, changes, voids)
    result = Outgoing({}, [], [])

    def keep(table: str, row: dict, new: bool = True) -> bool:
        """Whether to push `row` (`new`: a row recorded here, else a changed field or a void)."""
        family = local.family_of(table, row)
        if family not in gone:
            return True
        case = gone[family]
        result.cases.setdefault(case, 0)  # the case stays while anything of it waits
        if new and "uid" in row:
            result.held.setdefault(table, []).append(row["uid"])
        if not new or table in NOUN_TABLES:
            result.cases[case] += 1
        return False

    for table, found in rows.items():
        if kept := [row for row in found if keep(table, row)]:
            result.rows[table] = kept
    result.changes = [
        change
        for change in changes
        if keep(change.table, local.by_identity(SPEC[change.table])[change.uid], new=False)
    ]
    result.voids = [visit for visit in voids if keep("visit", visit, new=False)]
    return result


def waiting_voids(local: Snapshot, synced: set[str]) -> list[dict]:
    """Visits voided in the replica since the last sync (a void is never undone)."""
    return [row for row in local.rows["visit"] if row["voided_at"] is not None and row["uid"] not in synced]


# Fields that make one fact together: merged as one (never a name from one side and its search key
# from the other, an end date without its reason).
COUPLED = {
    "member": (("name", "name_key"),),
    "family": (("closed_on", "close_reason"),),
    "placement": (("end_on", "end_reason"),),
    "hearing": (("hearing_on", "report_due_on"),),
}


def to_push(changes: list[FieldChange], server: Snapshot) -> list[FieldChange]:
    """The local changes to fields the server has not changed since the last sync (it holds their
    base): pushed. The others are the server's to keep (conflicts), as is a case's worker (only the
    agency database reassigns), and so are the fields coupled with one the server keeps."""
    pushable, kept = [], set()
    for change in changes:
        row = server.by_identity(SPEC[change.table]).get(change.uid)
        if (
            change.column in SPEC[change.table].mutable
            and row is not None
            and plain(row[change.column]) == change.was
        ):
            pushable.append(
                FieldChange(change.table, change.uid, change.column, change.value, row[change.column])
            )
        else:
            kept.add((change.table, change.uid, change.column))
    for table, uid, column in list(kept):
        for group in COUPLED.get(table, ()):
            if column in group:
                kept.update((table, uid, other) for other in group)
    return [change for change in pushable if (change.table, change.uid, change.column) not in kept]


def overruled(changes: list[FieldChange], pushes: list[FieldChange]) -> dict[tuple[str, str], list[str]]:
    """(table, uid) -> the fields changed here that the server keeps its own value of."""
    pushed = {(change.table, change.uid, change.column) for change in pushes}
    found: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        if (change.table, change.uid, change.column) not in pushed:
            found.setdefault((change.table, change.uid), []).append(change.column)
    return found
