"""Who may see and change what, and a record that shows when it was tampered with.

On PostgreSQL (a shared agency database) the database enforces it, whatever the client sends:

- identity is the login: `worker.login` links a worker to a login role, and triggers set every
  actor, `recorded_by`, `voided_by` and audit `at` from `session_user` and `now()`;
- three NOLOGIN group roles: `caseload_worker` (her families and those she covers),
  `caseload_supervisor` (her team's families, transitively) and `caseload_admin` (everything);
  row-level security (FORCE) on every table of case data, the policies comparing indexed columns
  with arrays worked out once per statement by SECURITY DEFINER functions;
- per-column grants: narratives and audit rows insert-only (audit rows only through
  `caseload_audit()`), UPDATE only on the columns commands change, nothing on `alembic_version`.

On both backends each audit row carries `hash`, a sha256 over its content and the previous row's
hash (PostgreSQL: computed by a trigger; SQLite: by `insert_audit` in the same transaction), and the
audit row of a new visit carries `record_hash`, a digest of the visit's facts and notes, so an edit
made with the triggers dropped still shows. `verify_chain` and `trigger_problems` are what
`caseload check` runs. The SQL below is what migration 0005 installs, and what `check` compares the
database's triggers and functions with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from caseload.store.db import UID_TABLES, Rows

GROUPS = ("caseload_worker", "caseload_supervisor", "caseload_admin")
ROLE_GROUPS = {"worker": "caseload_worker", "supervisor": "caseload_supervisor", "admin": "caseload_admin"}
AUDIT_LOCK = 7_220_431_005
NOT_A_WORKER = "is not a caseload worker"

# Tables holding case data: tied to a family directly, or through a parent row (column, parent table).
FAMILY_TABLES = (
    "member",
    "placement",
    "visit",
    "goal",
    "service",
    "hearing",
    "plan_review",
    "assessment",
    "safety_plan",
    "family_cover",
)
CHILD_TABLES = {
    "visit_seen": ("visit_id", "visit"),
    "visit_goal": ("visit_id", "visit"),
    "visit_amendment": ("visit_id", "visit"),
    "goal_progress": ("goal_id", "goal"),
    "service_update": ("service_id", "service"),
    "assessment_rating": ("assessment_id", "assessment"),
    "safety_plan_review": ("safety_plan_id", "safety_plan"),
}
CASE_TABLES = ("family", *FAMILY_TABLES, *CHILD_TABLES, "audit_log")
# Tables of PostgreSQL's own bookkeeping, not in the models (0006: the audit chain's head).
PG_ONLY_TABLES = ("audit_chain_head",)
# What an audit row's entity may name that belongs to one case (its entity_id is the record's id).
RECORD_ENTITIES = ("family", *FAMILY_TABLES)
# Who wrote a row and when, set by the database: (table, timestamp column, actor column).
STAMPED = (
    ("visit", "recorded_at", "recorded_by"),
    ("visit_amendment", "amended_at", "amended_by"),
    ("goal_progress", "recorded_at", "recorded_by"),
    ("service_update", "recorded_at", "recorded_by"),
    ("plan_review", "recorded_at", "recorded_by"),
    ("assessment", "recorded_at", "recorded_by"),
    ("safety_plan", "recorded_at", "recorded_by"),
    ("safety_plan_review", "recorded_at", "recorded_by"),
    ("family_cover", "recorded_at", "recorded_by"),
)
# The only columns an app role may UPDATE, each one a command changes; the rest is insert-only.
# As migration 0005 granted them:
UPDATABLE_0005 = {
    "family": "name, program, risk, county, docket, closed_on, close_reason",
    "placement": "end_on, end_reason",
    "visit": "voided_at, voided_by, void_reason",
    "goal": "status, target_on",
    "service": "status",
    "hearing": "report_filed_on",
}
# and what migration 0006 added: the columns the audited corrections change (member update, family
# update --opened, hearing continue/cancel, service update --referred, placement update).
UPDATABLE_0006 = {
    "family": "opened_on",
    "member": "name, name_key, role, born_on",
    "placement": "start_on, removed_on, adjudicated_on",
    "service": "referred_on",
    "hearing": "hearing_on, report_due_on, outcome",
}
UPDATABLE = {
    table: ", ".join(filter(None, (UPDATABLE_0005.get(table), UPDATABLE_0006.get(table))))
    for table in {**UPDATABLE_0005, **UPDATABLE_0006}
}

_DEFINER = "LANGUAGE {lang} STABLE SECURITY DEFINER SET search_path = public, pg_temp"
_field = "coalesce(length({0}) || ':' || {0}, '-')"

# name -> CREATE FUNCTION statement, as migration 0005 installed them
PG_FUNCTIONS_0005: dict[str, str] = {
    "caseload_is_owner": (
        "CREATE OR REPLACE FUNCTION caseload_is_owner() RETURNS boolean "
        + _DEFINER.format(lang="sql")
        + " AS $$ "
        "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c "
        "WHERE c.oid = 'public.family'::regclass $$"
    ),
    "caseload_me": (
        "CREATE OR REPLACE FUNCTION caseload_me() RETURNS text " + _DEFINER.format(lang="sql") + " AS $$ "
        "SELECT id FROM worker WHERE login = session_user::text $$"
    ),
    "caseload_actor": (
        "CREATE OR REPLACE FUNCTION caseload_actor() RETURNS text "
        + _DEFINER.format(lang="plpgsql")
        + " AS $$ "
        "DECLARE me text := caseload_me(); BEGIN "
        "IF me IS NULL AND NOT caseload_is_owner() THEN "
        "RAISE EXCEPTION 'login ''%'' is not a caseload worker', session_user USING ERRCODE = '42501'; "
        "END IF; RETURN me; END $$"
    ),
    "caseload_schema_version": (
        "CREATE OR REPLACE FUNCTION caseload_schema_version() RETURNS text "
        + _DEFINER.format(lang="plpgsql")
        + " AS $$ "
        "BEGIN PERFORM caseload_actor(); RETURN (SELECT version_num FROM alembic_version); END $$"
    ),
    "caseload_team": (
        "CREATE OR REPLACE FUNCTION caseload_team() RETURNS text[] " + _DEFINER.format(lang="sql") + " AS $$ "
        "WITH RECURSIVE team(id) AS (SELECT id FROM worker WHERE login = session_user::text "
        "UNION SELECT w.id FROM worker w JOIN team t ON w.supervisor_id = t.id "
        "WHERE pg_has_role(session_user, 'caseload_supervisor', 'MEMBER')) "
        "SELECT coalesce(array_agg(id), '{}') FROM team $$"
    ),
    "caseload_covered": (
        "CREATE OR REPLACE FUNCTION caseload_covered() RETURNS integer[] "
        + _DEFINER.format(lang="sql")
        + " AS $$ "
        "SELECT coalesce(array_agg(DISTINCT family_id), '{}') FROM family_cover "
        "WHERE worker_id = ANY (caseload_team()) AND until_on >= current_date $$"
    ),
    "caseload_family_ids": (
        "CREATE OR REPLACE FUNCTION caseload_family_ids() RETURNS integer[] "
        + _DEFINER.format(lang="sql")
        + " AS $$ "
        "SELECT coalesce(array_agg(id), '{}') FROM family "
        "WHERE worker_id = ANY (caseload_team()) OR id = ANY (caseload_covered()) $$"
    ),
    "caseload_case_numbers": (
        "CREATE OR REPLACE FUNCTION caseload_case_numbers() RETURNS text[] "
        + _DEFINER.format(lang="sql")
        + " AS $$ "
        "SELECT coalesce(array_agg(case_number), '{}') FROM family WHERE id = ANY (caseload_family_ids()) $$"
    ),
    "caseload_case_exists": (
        "CREATE OR REPLACE FUNCTION caseload_case_exists(wanted text) RETURNS boolean "
        + _DEFINER.format(lang="sql")
        + " AS $$ SELECT EXISTS (SELECT 1 FROM family WHERE case_number = wanted) $$"
    ),
    "caseload_audit_digest": (
        "CREATE OR REPLACE FUNCTION caseload_audit_digest(prev text, r audit_log) RETURNS text "
        "LANGUAGE sql STABLE AS $$ SELECT encode(sha256(convert_to(concat_ws('|', coalesce(prev, ''), "
        "r.id::text, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "
        + ", ".join(
            _field.format(f"r.{c}")
            for c in ("actor", "action", "entity", "entity_id", "case_number", "detail", "record_hash")
        )
        + ", CASE WHEN r.imported THEN '1' ELSE '0' END), 'UTF8')), 'hex') $$"
    ),
    "caseload_audit": (
        "CREATE OR REPLACE FUNCTION caseload_audit(p_at timestamptz, p_actor text, p_action text, p_entity text, "
        "p_entity_id text, p_case_number text, p_detail text, p_record_hash text) RETURNS void "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ BEGIN "
        "IF p_case_number IS NOT NULL AND NOT caseload_is_owner() "
        "AND NOT pg_has_role(session_user, 'caseload_admin', 'MEMBER') "
        "AND NOT p_case_number = ANY (caseload_case_numbers()) THEN "
        "RAISE EXCEPTION 'case % is not on your caseload', p_case_number USING ERRCODE = '42501'; END IF; "
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, case_number, detail, record_hash) "
        "VALUES (p_at, p_actor, p_action, p_entity, p_entity_id, p_case_number, p_detail, p_record_hash); "
        "END $$"
    ),
    "caseload_audit_chain": (
        "CREATE OR REPLACE FUNCTION caseload_audit_chain() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); prev text; BEGIN "
        "IF me IS NOT NULL THEN NEW.actor := me; NEW.at := now(); NEW.imported := false; END IF; "
        f"PERFORM pg_advisory_xact_lock({AUDIT_LOCK}); "
        "NEW.id := nextval(pg_get_serial_sequence('public.audit_log', 'id')); "
        "SELECT hash INTO prev FROM audit_log ORDER BY id DESC LIMIT 1; "
        "NEW.hash := caseload_audit_digest(prev, NEW); RETURN NEW; END $$"
    ),
    "caseload_stamp": (
        "CREATE OR REPLACE FUNCTION caseload_stamp() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); BEGIN "
        "IF me IS NOT NULL THEN "
        "NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now(), TG_ARGV[1], me)); "
        "END IF; RETURN NEW; END $$"
    ),
    "caseload_void_stamp": (
        "CREATE OR REPLACE FUNCTION caseload_void_stamp() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); BEGIN "
        "IF me IS NOT NULL AND NEW.voided_at IS NOT NULL AND OLD.voided_at IS NULL THEN "
        "NEW.voided_at := now(); NEW.voided_by := me; END IF; RETURN NEW; END $$"
    ),
    # At commit: a change of an updatable column that no audit row of this transaction (by this
    # worker, for this record) accounts for, as with plain SQL, gets one, with what changed.
    "caseload_audit_change": (
        "CREATE OR REPLACE FUNCTION caseload_audit_change() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_me(); changed text; fam integer; BEGIN "
        "IF me IS NULL OR EXISTS (SELECT 1 FROM audit_log WHERE entity = TG_ARGV[0] "
        "AND entity_id = NEW.id::text AND actor = me AND at = now()) THEN RETURN NULL; END IF; "
        "SELECT string_agg(n.key || ': ' || coalesce(o.value #>> '{}', '-') || ' -> ' "
        "|| coalesce(n.value #>> '{}', '-'), '; ' ORDER BY n.key) INTO changed "
        "FROM jsonb_each(to_jsonb(NEW)) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key) "
        "WHERE n.value IS DISTINCT FROM o.value; "
        "IF changed IS NULL THEN RETURN NULL; END IF; "
        "fam := coalesce((to_jsonb(NEW) ->> 'family_id')::integer, NEW.id); "
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, case_number, detail) "
        "VALUES (now(), me, 'update', TG_ARGV[0], NEW.id::text, "
        "(SELECT case_number FROM family WHERE id = fam), 'changed outside caseload: ' || changed); "
        "RETURN NULL; END $$"
    ),
    "caseload_reassign_check": (
        "CREATE OR REPLACE FUNCTION caseload_reassign_check() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ BEGIN "
        "IF NEW.worker_id IS DISTINCT FROM OLD.worker_id AND NOT caseload_is_owner() "
        "AND NOT pg_has_role(session_user, 'caseload_admin', 'MEMBER') "
        "AND NOT (pg_has_role(session_user, 'caseload_supervisor', 'MEMBER') "
        "AND coalesce(OLD.worker_id = ANY (caseload_team()), false) "
        "AND coalesce(NEW.worker_id = ANY (caseload_team()), false)) THEN "
        "RAISE EXCEPTION 'only a supervisor (within her team) or an admin may reassign case %', "
        "OLD.case_number USING ERRCODE = '42501'; END IF; RETURN NEW; END $$"
    ),
}

_MOMENT = "'YYYY-MM-DD\"T\"HH24:MI:SS.US'"
# What migration 0006 replaced and added, for laptop replicas (store/sync.py): a row pushed from a
# replica arrives with `synced_at` set; the database then stamps `synced_at` with its own now() and
# keeps the laptop's `recorded_at` (never later than now: late entry is judged on it). The actor is
# still the login's worker. Audit rows join the chain on arrival with both times, `synced_at` in the
# digest (absent from rows that never travelled, whose digests are unchanged).
PG_FUNCTIONS_0006: dict[str, str] = {
    # as 0005's, with the arrival last (concat_ws leaves out the NULL of a row that never travelled)
    "caseload_audit_digest": PG_FUNCTIONS_0005["caseload_audit_digest"].replace(
        "CASE WHEN r.imported THEN '1' ELSE '0' END)",
        f"CASE WHEN r.imported THEN '1' ELSE '0' END, to_char(r.synced_at AT TIME ZONE 'UTC', {_MOMENT}))",
    ),
    # The chain's head is a row locked FOR UPDATE, not the newest audit row read: a transaction
    # whose snapshot is older than the head (REPEATABLE READ) fails with a serialization error
    # instead of forking the chain.
    "caseload_audit_chain": (
        "CREATE OR REPLACE FUNCTION caseload_audit_chain() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); prev text; BEGIN "
        "IF me IS NOT NULL THEN NEW.actor := me; NEW.imported := false; "
        "IF NEW.synced_at IS NULL THEN NEW.at := now(); "
        "ELSE NEW.at := least(NEW.at, now()); NEW.synced_at := now(); END IF; END IF; "
        "SELECT hash INTO prev FROM audit_chain_head FOR UPDATE; "
        "NEW.id := nextval(pg_get_serial_sequence('public.audit_log', 'id')); "
        "NEW.hash := caseload_audit_digest(prev, NEW); "
        "UPDATE audit_chain_head SET hash = NEW.hash; RETURN NEW; END $$"
    ),
    "caseload_stamp": (
        "CREATE OR REPLACE FUNCTION caseload_stamp() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); stamped timestamptz := now(); BEGIN "
        "IF me IS NOT NULL THEN "
        "IF NEW.synced_at IS NOT NULL THEN "
        "stamped := least((to_jsonb(NEW) ->> TG_ARGV[0])::timestamptz, now()); END IF; "
        "NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], stamped, TG_ARGV[1], me)); "
        "END IF; RETURN NEW; END $$"
    ),
    # a pushed row's arrival; a visit that arrives void (recorded and voided offline) is voided by
    # the login's worker, never later than now
    "caseload_arrival": (
        "CREATE OR REPLACE FUNCTION caseload_arrival() RETURNS trigger "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_actor(); BEGIN "
        "IF me IS NULL THEN RETURN NEW; END IF; "
        "IF NEW.synced_at IS NOT NULL THEN NEW.synced_at := now(); END IF; "
        "IF TG_TABLE_NAME = 'visit' THEN IF NEW.voided_at IS NOT NULL THEN "
        "NEW.voided_at := least(NEW.voided_at, now()); NEW.voided_by := me; END IF; END IF; "
        "RETURN NEW; END $$"
    ),
    "caseload_audit_pushed": (
        "CREATE OR REPLACE FUNCTION caseload_audit_pushed(p_uid text, p_at timestamptz, p_action text, "
        "p_entity text, p_entity_id text, p_case_number text, p_detail text, p_record_hash text) "
        "RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
        "DECLARE me text := caseload_me(); BEGIN "
        "IF me IS NULL THEN RAISE EXCEPTION 'login ''%'' is not a caseload worker', session_user "
        "USING ERRCODE = '42501'; END IF; "
        "PERFORM caseload_audit_allowed(p_entity, p_entity_id, p_case_number); "
        "PERFORM 1 FROM audit_chain_head FOR UPDATE; "
        "IF EXISTS (SELECT 1 FROM audit_log WHERE uid = p_uid) THEN RETURN false; END IF; "
        "INSERT INTO audit_log (uid, at, actor, action, entity, entity_id, case_number, detail, record_hash, "
        "synced_at) VALUES (p_uid, p_at, me, p_action, p_entity, p_entity_id, p_case_number, p_detail, "
        "p_record_hash, now()); RETURN true; END $$"
    ),
    # who may write which audit row (caseload_audit, caseload_audit_pushed): the owner and admins
    # any; others only rows of their own cases, naming a record of that case, and none of workers
    "caseload_audit_allowed": (
        "CREATE OR REPLACE FUNCTION caseload_audit_allowed(p_entity text, p_entity_id text, "
        "p_case_number text) RETURNS void " + _DEFINER.format(lang="plpgsql") + " AS $$ BEGIN "
        "IF caseload_is_owner() OR pg_has_role(session_user, 'caseload_admin', 'MEMBER') THEN RETURN; END IF; "
        "IF p_entity = 'worker' THEN "
        "RAISE EXCEPTION 'only an admin records changes to workers' USING ERRCODE = '42501'; END IF; "
        "IF p_case_number IS NULL THEN "
        f"IF p_entity = ANY ('{{{','.join(RECORD_ENTITIES)}}}'::text[]) THEN "
        "RAISE EXCEPTION 'an audit row of a % names its case', p_entity USING ERRCODE = '42501'; END IF; "
        "RETURN; END IF; "
        "IF NOT p_case_number = ANY (caseload_case_numbers()) THEN "
        "RAISE EXCEPTION 'case % is not on your caseload', p_case_number USING ERRCODE = '42501'; END IF; "
        f"IF p_entity = ANY ('{{{','.join(RECORD_ENTITIES)}}}'::text[]) "
        "AND caseload_entity_case(p_entity, p_entity_id) IS DISTINCT FROM p_case_number THEN "
        "RAISE EXCEPTION '% % is not of case %', p_entity, p_entity_id, p_case_number "
        "USING ERRCODE = '42501'; END IF; END $$"
    ),
    "caseload_entity_case": (
        "CREATE OR REPLACE FUNCTION caseload_entity_case(p_entity text, p_entity_id text) RETURNS text "
        + _DEFINER.format(lang="plpgsql")
        + " AS $$ DECLARE eid integer; found text; BEGIN "
        "IF p_entity_id IS NULL OR p_entity_id !~ '^[0-9]{1,9}$' THEN RETURN NULL; END IF; "
        "eid := p_entity_id::integer; "
        "IF p_entity = 'family' THEN SELECT case_number INTO found FROM family WHERE id = eid; "
        + " ".join(
            f"ELSIF p_entity = '{table}' THEN SELECT f.case_number INTO found FROM {table} x "
            "JOIN family f ON f.id = x.family_id WHERE x.id = eid;"
            for table in FAMILY_TABLES
        )
        + " END IF; RETURN found; END $$"
    ),
    "caseload_audit": PG_FUNCTIONS_0005["caseload_audit"].replace(
        "IF p_case_number IS NOT NULL AND NOT caseload_is_owner() "
        "AND NOT pg_has_role(session_user, 'caseload_admin', 'MEMBER') "
        "AND NOT p_case_number = ANY (caseload_case_numbers()) THEN "
        "RAISE EXCEPTION 'case % is not on your caseload', p_case_number USING ERRCODE = '42501'; END IF; ",
        "PERFORM caseload_audit_allowed(p_entity, p_entity_id, p_case_number); ",
    ),
    # as 0005's, a pushed audit row (arrived now, written earlier) also accounting for the change
    "caseload_audit_change": PG_FUNCTIONS_0005["caseload_audit_change"].replace(
        "AND actor = me AND at = now())", "AND actor = me AND (at = now() OR synced_at = now()))"
    ),
}
# As the head has them: what `check` compares the database's functions with.
PG_FUNCTIONS = {**PG_FUNCTIONS_0005, **PG_FUNCTIONS_0006}


def pg_triggers(revision: str = "0006") -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, CREATE TRIGGER statement) on PostgreSQL as of `revision` (0005 or the
    head, 0006); the migrations name their revision, `check` the head."""
    found = {
        "audit_log_chain": (
            "audit_log",
            "CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION caseload_audit_chain()",
        ),
        "visit_void_stamp": (
            "visit",
            "CREATE TRIGGER visit_void_stamp BEFORE UPDATE ON visit "
            "FOR EACH ROW EXECUTE FUNCTION caseload_void_stamp()",
        ),
        "family_reassign": (
            "family",
            "CREATE TRIGGER family_reassign BEFORE UPDATE ON family "
            "FOR EACH ROW EXECUTE FUNCTION caseload_reassign_check()",
        ),
    }
    for table in UPDATABLE_0005 if revision == "0005" else UPDATABLE:
        found[f"{table}_audit_change"] = (
            table,
            f"CREATE CONSTRAINT TRIGGER {table}_audit_change AFTER UPDATE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION caseload_audit_change('{table}')",
        )
    for table, at, by in STAMPED:
        found[f"{table}_stamp"] = (
            table,
            f"CREATE TRIGGER {table}_stamp BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION caseload_stamp('{at}', '{by}')",
        )
    if revision != "0005":
        for table in UID_TABLES:
            if table != "audit_log":  # the chain trigger stamps its arrival
                found[f"{table}_arrival"] = (
                    table,
                    f"CREATE TRIGGER {table}_arrival BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION caseload_arrival()",
                )
    return found


def team_policy(table: str) -> str:
    """The USING expression of workers' and supervisors' policy on `table`: indexed columns against
    arrays computed once per statement (an InitPlan), so look-ups stay index scans."""
    if table == "family":
        return "worker_id = ANY ((SELECT caseload_team())::text[]) OR id = ANY ((SELECT caseload_covered())::integer[])"
    if table == "audit_log":
        return (
            "case_number = ANY ((SELECT caseload_case_numbers())::text[]) OR actor = (SELECT caseload_me())"
        )
    if table in CHILD_TABLES:
        column, parent = CHILD_TABLES[table]
        return f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{column})"
    return "family_id = ANY ((SELECT caseload_family_ids())::integer[])"


def pg_statements_0005(owner: str) -> list[str]:
    """Everything 0005 does on PostgreSQL after the columns and tables exist, run as the owner."""
    quoted_owner = '"' + owner.replace('"', '""') + '"'
    groups = ", ".join(GROUPS)
    statements = [
        "DO $$ BEGIN "
        + " ".join(
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{g}') THEN CREATE ROLE {g} NOLOGIN; END IF;"
            for g in GROUPS
        )
        + " END $$",
        *PG_FUNCTIONS_0005.values(),
        *(statement for _table, statement in pg_triggers("0005").values()),
        # the chain trigger numbers audit rows itself, under its lock: ids follow the chain, no gaps
        "ALTER TABLE audit_log ALTER COLUMN id DROP DEFAULT",
    ]
    for table in CASE_TABLES:
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY caseload_owner ON {table} TO {quoted_owner} USING (true) WITH CHECK (true)",
            f"CREATE POLICY caseload_admin ON {table} TO caseload_admin USING (true) WITH CHECK (true)",
            f"CREATE POLICY caseload_team ON {table} TO caseload_worker, caseload_supervisor "
            f"USING ({team_policy(table)})",
        ]
    # Covers are given by the case's own worker or her supervisors, not taken: a colleague covering
    # a case cannot extend her own cover.
    statements.append(
        "CREATE POLICY caseload_cover_given ON family_cover AS RESTRICTIVE FOR INSERT "
        "TO caseload_worker, caseload_supervisor WITH CHECK (EXISTS (SELECT 1 FROM family f "
        "WHERE f.id = family_cover.family_id AND f.worker_id = ANY ((SELECT caseload_team())::text[])))"
    )
    statements += [
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC",
        "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC",
        f"GRANT SELECT ON worker TO {groups}",
        f"GRANT SELECT ON {', '.join(CASE_TABLES)} TO {groups}",
        f"GRANT INSERT ON {', '.join(t for t in CASE_TABLES if t != 'audit_log')} TO {groups}",
        *(f"GRANT UPDATE ({columns}) ON {table} TO {groups}" for table, columns in UPDATABLE_0005.items()),
        "GRANT UPDATE (worker_id) ON family TO caseload_supervisor, caseload_admin",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {groups}",
        f"REVOKE ALL ON SEQUENCE {_sequence('audit_log')} FROM {groups}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {groups}",
        "GRANT EXECUTE ON FUNCTION caseload_schema_version() TO PUBLIC",
        "GRANT EXECUTE ON FUNCTION caseload_actor(), caseload_me(), caseload_is_owner() TO PUBLIC",
    ]
    return statements


def pg_statements_0006() -> list[str]:
    """What 0006 does on PostgreSQL after adding the columns, run as the owner: the chain's head
    row, the functions it replaced and added, the arrival triggers, and the corrections' grants (with
    the audit of a change made outside caseload for the one table new to them, member)."""
    groups = ", ".join(GROUPS)
    before = pg_triggers("0005")
    return [
        "CREATE TABLE audit_chain_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), hash text)",
        "INSERT INTO audit_chain_head (hash) SELECT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)",
        "REVOKE ALL ON audit_chain_head FROM PUBLIC",
        *PG_FUNCTIONS_0006.values(),
        *(statement for name, (_table, statement) in pg_triggers("0006").items() if name not in before),
        *(f"GRANT UPDATE ({columns}) ON {table} TO {groups}" for table, columns in UPDATABLE_0006.items()),
        f"REVOKE ALL ON FUNCTION {', '.join(_NEW_FUNCTIONS_0006)} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION caseload_arrival(), {_NEW_FUNCTIONS_0006[-1]} TO {groups}",
    ]


# What 0006 added (the two that check a row are called only by caseload's own functions).
_NEW_FUNCTIONS_0006 = (
    "caseload_arrival()",
    "caseload_audit_allowed(text, text, text)",
    "caseload_entity_case(text, text)",
    "caseload_audit_pushed(text, timestamptz, text, text, text, text, text, text)",
)


def _sequence(table: str) -> str:
    return f"{table}_id_seq"


# -- the chain, in Python (SQLite writes it; `check` verifies it on both backends) -----------


def _text(value: Any) -> str:
    return "-" if value is None else f"{len(str(value))}:{value}"


def _moment(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def audit_digest(prev: str | None, row: Mapping[str, Any]) -> str:
    """sha256 over the previous row's hash and this row's content, as `caseload_audit_digest()`."""
    content = "|".join(
        [
            prev or "",
            str(row["id"]),
            _moment(row["at"]),
            *(_text(row[c]) for c in ("actor", "action", "entity", "entity_id", "case_number", "detail")),
            _text(row["record_hash"]),
            "1" if row["imported"] else "0",
            *([_moment(row["synced_at"])] if row.get("synced_at") is not None else []),
        ]
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


VISIT_RECORD = (
    "family_id, visit_on, visit_time, kind, location, duration_min, narrative, assessment, plan, "
    "safety_concern, late_entry, supervision, part2, recorded_at, recorded_by"
)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return _moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(value)


def visit_digest(rows: Rows, visit_id: Any) -> str | None:
    """A digest of a visit's facts and notes (never edited: only its void mark changes)."""
    found = rows.one(f"SELECT {VISIT_RECORD} FROM visit WHERE id = :id", {"id": int(visit_id)})
    if found is None:
        return None
    return hashlib.sha256("|".join(_plain(v) for v in found.values()).encode("utf-8")).hexdigest()


def insert_audit(rows: Rows, values: Mapping[str, Any]) -> None:
    """Write one audit row: on PostgreSQL through `caseload_audit()` (the database stamps and chains
    it); on SQLite chained here, in the caller's transaction (`BEGIN IMMEDIATE`: one writer)."""
    values = _with_record_hash(rows, values)
    if rows.dialect == "postgresql":
        rows.execute(
            "SELECT caseload_audit(:at, :actor, :action, :entity, :entity_id, :case_number, :detail, "
            ":record_hash)",
            values,
        )
        return
    last = rows.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    values["id"] = (last["id"] if last else 0) + 1
    values["imported"] = bool(values.get("imported"))
    values["hash"] = audit_digest(last["hash"] if last else None, values)
    rows.insert("audit_log", values, returning=None)


def _with_record_hash(rows: Rows, values: Mapping[str, Any]) -> dict[str, Any]:
    """The audit row with `record_hash`: where it records a visit as added and carries none, the
    digest of that visit as this database holds it (its own ids), which `check` compares."""
    values = dict(values)
    if values.get("record_hash") is None and (values["entity"], values["action"]) == ("visit", "add"):
        values["record_hash"] = visit_digest(rows, values["entity_id"])
    values.setdefault("record_hash", None)
    return values


def push_audit(rows: Rows, values: Mapping[str, Any]) -> bool:
    """A replica's audit row onto the agency database, by `caseload_audit_pushed()`: the database
    sets the actor from the login and chains it on arrival, keeping the laptop's `at` and stamping
    `synced_at`; `record_hash` is worked out here as for any audit row. False when the row (its uid)
    arrived before."""
    return bool(
        rows.scalar(
            "SELECT caseload_audit_pushed(:uid, :at, :action, :entity, :entity_id, :case_number, :detail, "
            ":record_hash)",
            _with_record_hash(rows, values),
        )
    )


def rechain(rows: Rows) -> None:
    """Chain a SQLite replica's audit rows anew, in id order, after cases left it with their rows
    (the agency database keeps them, and its chain); the caller has set the triggers aside."""
    prev = None
    for row in rows.all(
        "SELECT id, at, actor, action, entity, entity_id, case_number, detail, record_hash, imported, "
        "synced_at, hash FROM audit_log ORDER BY id"
    ):
        digest = audit_digest(prev, row)
        if digest != row["hash"]:
            rows.execute(
                "UPDATE audit_log SET hash = :hash WHERE id = :id", {"hash": digest, "id": row["id"]}
            )
        prev = digest


def chain_imported(rows: Rows, audit_rows: list[dict]) -> list[dict]:
    """Imported audit rows keep their history (who, when, what) but are marked imported and chained
    anew after the rows already held; on PostgreSQL the trigger chains them."""
    marked = [{**row, "imported": True, "hash": None} for row in audit_rows]
    if rows.dialect == "postgresql" or not marked:
        return marked
    last = rows.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    prev, next_id = (last["hash"], last["id"] + 1) if last else (None, 1)
    for row in marked:
        row["id"] = next_id
        row["hash"] = prev = audit_digest(prev, row)
        next_id += 1
    return marked


def verify_chain(rows: Rows) -> dict:
    """Walk the audit trail in id order; the first row whose hash does not follow is named. On
    PostgreSQL only the owner and admins see the whole trail: for others it is skipped, not failed
    (row-level security hides the rows of other cases between hers)."""
    if rows.dialect == "postgresql" and not rows.scalar(
        "SELECT caseload_is_owner() OR pg_has_role(session_user, 'caseload_admin', 'MEMBER')"
    ):
        return {
            "status": "skip",
            "detail": "only the owner or an admin sees the whole trail to verify (run check as one)",
        }
    found = rows.values(
        "SELECT id, at, actor, action, entity, entity_id, case_number, detail, record_hash, imported, "
        "synced_at, hash FROM audit_log ORDER BY id"
    )
    names = ("id", "at", "actor", "action", "entity", "entity_id", "case_number", "detail", "record_hash")
    prev = None
    for values in found:
        row = dict(zip((*names, "imported", "synced_at", "hash"), values, strict=True))
        if row["hash"] != audit_digest(prev, row):
            return {
                "status": "fail",
                "detail": f"audit row {row['id']} ({row['action']} {row['entity']}) "
                "does not match the chain: edited, inserted or deleted by hand",
            }
        prev = row["hash"]
    visits = rows.values(
        "SELECT a.id, a.entity_id, a.record_hash FROM audit_log a "
        "WHERE a.entity = 'visit' AND a.action = 'add' AND a.record_hash IS NOT NULL ORDER BY a.id"
    )
    for audit_id, visit_id, expected in visits:
        if visit_digest(rows, visit_id) != expected:
            return {
                "status": "fail",
                "detail": f"visit {visit_id} no longer matches audit row {audit_id}: "
                "its record was edited by hand",
            }
    return {"status": "ok", "detail": f"{len(found)} rows chained, {len(visits)} visits match"}


# -- identity --------------------------------------------------------------------------------


def session_worker(rows: Rows) -> str | None:
    """On PostgreSQL the worker linked to the login (None for the owner, who is no worker)."""
    if rows.dialect != "postgresql":
        return None
    return rows.scalar("SELECT caseload_me()")


def worker_of_login(rows: Rows, login: str) -> str | None:
    return rows.scalar("SELECT id FROM worker WHERE login = :login", {"login": login})


def hidden_case(rows: Rows, case_number: str) -> bool:
    """Whether a case the caller cannot see exists all the same (PostgreSQL's row-level security)."""
    if rows.dialect != "postgresql":
        return False
    return bool(rows.scalar("SELECT caseload_case_exists(:c)", {"c": case_number}))


def grant_login(rows: Rows, login: str, role: str) -> None:
    """Give an existing login role its caseload group role (PostgreSQL; run by the owner)."""
    from caseload.errors import NotFound

    if rows.dialect != "postgresql":
        return
    if not rows.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = :login", {"login": login}):
        raise NotFound(
            f"no database login {login!r}: the DBA creates it first "
            f"(CREATE ROLE \"{login}\" LOGIN PASSWORD '…')"
        )
    quoted = '"' + login.replace('"', '""') + '"'
    rows.execute(f"GRANT {ROLE_GROUPS[role]} TO {quoted}")


def add_cover(rows: Rows, family_id: int, worker_id: str, until_on: dt.date, at: dt.datetime, by: str) -> int:
    return rows.insert(
        "family_cover",
        {
            "family_id": family_id,
            "worker_id": worker_id,
            "until_on": until_on,
            "recorded_at": at,
            "recorded_by": by,
        },
    )


# -- the triggers `check` expects, as the migrations create them ------------------------------

_SQLITE_APPEND_ONLY = (
    "assessment",
    "assessment_rating",
    "audit_log",
    "goal_progress",
    "safety_plan",
    "safety_plan_review",
    "service_update",
    "visit_amendment",
    "visit_goal",
    "visit_seen",
)
_VISIT_FACTS = (
    "id, family_id, visit_on, visit_time, kind, location, duration_min, narrative, assessment, plan, "
    "safety_concern, late_entry, supervision, recorded_at, recorded_by, part2"
)


def sqlite_triggers() -> dict[str, str]:
    """Trigger name -> its SQL as SQLite keeps it (migrations 0001-0003 and 0005)."""
    expected = {}
    for table in _SQLITE_APPEND_ONLY:
        for event in ("UPDATE", "DELETE"):
            name = f"{table}_no_{event.lower()}"
            expected[name] = (
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    expected["visit_no_delete"] = (
        "CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit "
        "BEGIN SELECT RAISE(ABORT, 'visits are never deleted: void them instead'); END"
    )
    expected["visit_no_edit"] = (
        f"CREATE TRIGGER visit_no_edit BEFORE UPDATE OF {_VISIT_FACTS} ON visit "
        "BEGIN SELECT RAISE(ABORT, 'visits are never edited: amend them instead'); END"
    )
    expected["visit_void_once"] = (
        "CREATE TRIGGER visit_void_once BEFORE UPDATE OF voided_at, voided_by, void_reason ON visit "
        "WHEN OLD.voided_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'the visit is already void'); END"
    )
    return expected


_PG_RECORD_TABLES = (*_SQLITE_APPEND_ONLY, "visit")
# 0001's two functions, as PostgreSQL keeps their bodies.
_PG_0001_FUNCTIONS = {
    "caseload_append_only": " BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END ",
    "caseload_visit_void_only": (
        " BEGIN IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'visits are never deleted: void them instead'; END IF; "
        "IF OLD.voided_at IS NOT NULL THEN RAISE EXCEPTION 'the visit is already void'; END IF; "
        "IF (to_jsonb(NEW) - 'voided_at' - 'voided_by' - 'void_reason') "
        "<> (to_jsonb(OLD) - 'voided_at' - 'voided_by' - 'void_reason') "
        "THEN RAISE EXCEPTION 'visits are never edited: amend them instead'; END IF; "
        "RETURN NEW; END "
    ),
}


def pg_expected_triggers() -> dict[str, str]:
    """Trigger name -> its definition as pg_get_triggerdef() shows it (schema prefix left out)."""
    expected = {}
    for table in _SQLITE_APPEND_ONLY:
        expected[f"{table}_append_only"] = (
            f"CREATE TRIGGER {table}_append_only BEFORE DELETE OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION caseload_append_only()"
        )
    for table in _PG_RECORD_TABLES:
        expected[f"{table}_no_truncate"] = (
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION caseload_append_only()"
        )
    expected["visit_void_only"] = (
        "CREATE TRIGGER visit_void_only BEFORE DELETE OR UPDATE ON visit "
        "FOR EACH ROW EXECUTE FUNCTION caseload_visit_void_only()"
    )
    expected.update({name: statement for name, (_table, statement) in pg_triggers().items()})
    return expected


def pg_expected_functions() -> dict[str, str]:
    """Function name -> its body (prosrc)."""
    bodies = dict(_PG_0001_FUNCTIONS)
    for name, statement in PG_FUNCTIONS.items():
        bodies[name] = statement.split("$$", 2)[1]
    return bodies


def trigger_problems(rows: Rows) -> list[str]:
    """What differs between the database's record-keeping triggers and what the migrations made:
    missing, altered, disabled or unexpected."""
    if rows.dialect == "postgresql":
        found = {
            row["tgname"]: row
            for row in rows.all(
                "SELECT t.tgname, t.tgenabled, replace(pg_get_triggerdef(t.oid), ' ON public.', ' ON ') AS sql "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = 'public'"
            )
        }
        expected = pg_expected_triggers()
        problems = _compare("trigger", {k: v["sql"] for k, v in found.items()}, expected)
        problems += [f"trigger {name} is disabled" for name, row in found.items() if row["tgenabled"] != "O"]
        functions = {
            row["proname"]: row["prosrc"]
            for row in rows.all(
                "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.proname LIKE 'caseload%'"
            )
        }
        return problems + _compare("function", functions, pg_expected_functions())
    found = {
        row["name"]: row["sql"]
        for row in rows.all("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    return _compare("trigger", found, sqlite_triggers())


def _compare(kind: str, found: dict[str, str], expected: dict[str, str]) -> list[str]:
    problems = [f"{kind} {name} is missing" for name in sorted(set(expected) - set(found))]
    problems += [
        f"{kind} {name} was altered"
        for name in sorted(set(expected) & set(found))
        if found[name] != expected[name]
    ]
    problems += [f"unexpected {kind} {name}" for name in sorted(set(found) - set(expected))]
    return problems
