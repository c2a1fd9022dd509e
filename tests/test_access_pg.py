"""The shared agency database enforces who sees and changes what (issue 15), on a throwaway cluster.

The agency: an owner (the DBA's role, runs the migrations), an admin, two supervisors and four
workers, each with her own login. smith supervises jdoe and ldoe; jones supervises kmoe, and kmoe
(a worker) is pnoe's supervisor, so jones sees pnoe's case only transitively. One case each:

    2026-0001 jdoe   2026-0002 ldoe   2026-0003 kmoe   2026-0004 pnoe

Every command family runs as every role and sees or changes exactly the cases below; then raw SQL as
a worker tries what the issue found possible and is refused.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re

import pytest

from tests.conftest import BACKEND, Cli

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="row-level security is PostgreSQL's")

CASES = {"2026-0001": "jdoe", "2026-0002": "ldoe", "2026-0003": "kmoe", "2026-0004": "pnoe"}
SEES = {
    "owner": set(CASES),
    "admin": set(CASES),
    "smith": {"2026-0001", "2026-0002"},
    "jones": {"2026-0003", "2026-0004"},
    "jdoe": {"2026-0001"},
    "ldoe": {"2026-0002"},
    "kmoe": {"2026-0003"},
    "pnoe": {"2026-0004"},
}
ROLES = {"admin": "admin", "smith": "supervisor", "jones": "supervisor"}
SUPERVISORS = {"jdoe": "smith", "ldoe": "smith", "kmoe": "jones", "pnoe": "kmoe"}
PEOPLE = ["admin", "smith", "jones", "jdoe", "ldoe", "kmoe", "pnoe"]
_numbers = itertools.count(1)


def login(person: str) -> str:
    return "acc_owner" if person == "owner" else f"acc_{person}"


class Agency:
    def __init__(self, cluster, database: str):
        self.cluster = cluster
        self.database = database

    def url(self, person: str) -> str:
        return f"postgresql+psycopg://{login(person)}@127.0.0.1:{self.cluster.port}/{self.database}"

    @contextlib.contextmanager
    def cli(self, person: str, worker_env: str | None = None):
        with pytest.MonkeyPatch.context() as patch:
            cli = Cli(self.url(person), patch)
            patch.setenv("CASELOAD_WORKER", worker_env or person)
            yield cli

    def connect(self, person: str):
        import psycopg

        return psycopg.connect(
            f"host=127.0.0.1 port={self.cluster.port} user={login(person)} dbname={self.database}",
            autocommit=True,
        )

    def copy(self) -> Agency:
        name = f"acc_copy{next(_numbers)}"
        self.cluster.execute(f"CREATE DATABASE {name} TEMPLATE {self.database} OWNER acc_owner")
        return Agency(self.cluster, name)


@pytest.fixture(scope="module")
def agency(pg_cluster) -> Agency:
    for person in ["owner", *PEOPLE, "stranger"]:
        extra = " CREATEROLE" if person == "owner" else ""
        pg_cluster.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login(person)}') "
            f"THEN CREATE ROLE {login(person)} LOGIN{extra}; END IF; END $$"
        )
    pg_cluster.execute("CREATE DATABASE acc_agency OWNER acc_owner")
    agency = Agency(pg_cluster, "acc_agency")
    with agency.cli("owner") as owner:
        owner.ok("init")
        for person in PEOPLE:
            args = ["--login", login(person), "--role", ROLES.get(person, "worker")]
            owner.ok("worker", "add", person, "--name", person.title(), *args)
        for person, supervisor in SUPERVISORS.items():
            with agency.connect("owner") as connection:  # no command changes a supervisor yet
                connection.execute("UPDATE worker SET supervisor_id = %s WHERE id = %s", (supervisor, person))
    for case, person in CASES.items():
        with agency.cli(person) as worker:
            worker.ok("family", "add", case, "--name", f"F{case[-1]}", "--program", "foster_care",
                      "--opened", "2026-01-05")  # fmt: skip
            worker.ok("member", "add", case, "Kid", "--role", "child", "--dob", "2016-05-02")
            worker.ok("placement", "add", case, "Kid", "--start", "2026-01-10", "--setting", "kinship")
            worker.ok(
                "visit", "add", case, "--date", "2026-02-02", "--note", f"Part 2 note {case}", "--no-input"
            )
            worker.ok("hearing", "add", case, "--date", "2026-06-01", "--type", "review")
    return agency


def visible_cases(rows, key="case_number") -> set[str]:
    return {row[key] for row in rows if row.get(key)}


# -- the matrix: every command family, every role ---------------------------------------------


@pytest.mark.parametrize("person", ["owner", *PEOPLE])
def test_read_and_list_show_exactly_the_callers_cases(agency, person):
    with agency.cli(person) as cli:
        assert visible_cases(cli.json("family", "list", "--all")) == SEES[person]
        for case in CASES:
            if case in SEES[person]:
                assert cli.json("family", "show", case)["case_number"] == case
                notes = [v["narrative"] for v in cli.json("visit", "list", case)]
                assert notes == [f"Part 2 note {case}"]
            else:
                cli.fails("family", "show", case, says=f"case {case} is not on your caseload")
                cli.fails("visit", "list", case, says=f"case {case} is not on your caseload")
        every_visit = cli.json("visit", "list")
        assert visible_cases(every_visit) == SEES[person]


@pytest.mark.parametrize("person", ["owner", *PEOPLE])
def test_reports_exports_and_audit_cover_only_what_the_caller_may_see(agency, person, tmp_path):
    with agency.cli(person) as cli:
        cli.ok("calendar", "--all", "--as-of", "2026-04-01", "-o", tmp_path / "due.ics")
        summaries = re.findall(r"^SUMMARY:.*?(\d{4}-\d{4})", (tmp_path / "due.ics").read_text(), re.M)
        assert set(summaries) == SEES[person]
        due = cli.json("overdue", "--all", "--as-of", "2026-04-01")["items"]
        assert visible_cases(due) == SEES[person]
        exported = json.loads(cli.ok("export").stdout)
        assert visible_cases(exported["tables"]["family"]) == SEES[person]
        assert {v["narrative"] for v in exported["tables"]["visit"]} == {
            f"Part 2 note {c}" for c in SEES[person]
        }
        audited = cli.json("audit")
        assert visible_cases(audited) - {None} <= SEES[person]
        assert {
            row["case_number"] for row in audited if row["action"] == "add" and row["entity"] == "visit"
        } == SEES[person]
        measured = cli.json("compliance", "--all", "--as-of", "2026-04-01")["children"]
        assert visible_cases(measured) == SEES[person]
        report = cli.ok("report", "caseload", "--all", "--as-of", "2026-04-01").stdout
        assert {w for w in CASES.values() if f"## {w.title()} ({w})" in report} == {
            CASES[c] for c in SEES[person]
        }


@pytest.mark.parametrize("person", ["owner", *PEOPLE])
def test_write_and_void_only_on_the_callers_cases(agency, person):
    copy = agency.copy()
    with copy.cli("owner") as owner:
        visit_ids = {v["case_number"]: v["id"] for v in owner.json("visit", "list")}
    with copy.cli(person) as cli:
        for case in CASES:
            if case in SEES[person]:
                cli.ok("visit", "add", case, "--date", "2026-03-03", "--note", "seen", "--no-input")
                cli.ok("visit", "void", visit_ids[case], "--reason", "entered twice")
            else:
                cli.fails("visit", "add", case, "--date", "2026-03-03", "--note", "x", "--no-input",
                          says=f"case {case} is not on your caseload")  # fmt: skip
                cli.fails("visit", "void", visit_ids[case], "--reason", "x")
    with copy.cli("owner") as owner:
        visits = owner.json("visit", "list")
        added = {v["case_number"] for v in visits if v["visit_on"] == "2026-03-03"}
        voided = {v["case_number"]: v["voided_by"] for v in visits if v["voided_at"]}
    assert added == SEES[person]
    assert voided == {case: person for case in SEES[person]}


@pytest.mark.parametrize(
    ("person", "case", "to", "allowed"),
    [
        ("jdoe", "2026-0002", "jdoe", False),  # the finding: a worker took another's case
        ("jdoe", "2026-0001", "ldoe", False),  # workers never reassign, not even their own case
        ("smith", "2026-0001", "ldoe", True),  # within her team
        ("smith", "2026-0001", "kmoe", False),  # out of her team
        ("smith", "2026-0003", "jdoe", False),  # a case she cannot see
        ("jones", "2026-0004", "kmoe", True),  # transitively hers
        ("admin", "2026-0003", "jdoe", True),  # anywhere
        ("owner", "2026-0003", "jdoe", True),
    ],
)
def test_only_a_supervisor_within_her_team_or_an_admin_reassigns(agency, person, case, to, allowed):
    copy = agency.copy()
    with copy.cli(person) as cli:
        if allowed:
            cli.ok("family", "update", case, "--worker", to)
        else:
            cli.fails("family", "update", case, "--worker", to)
    with copy.cli("owner") as owner:
        assert owner.json("family", "show", case)["worker_id"] == (to if allowed else CASES[case])


def test_a_cover_lets_a_colleague_in_until_it_ends(agency):
    copy = agency.copy()
    with copy.cli("ldoe") as ldoe:
        ldoe.fails("family", "show", "2026-0001", says="is not on your caseload")
    with copy.cli("jdoe") as jdoe:
        jdoe.ok("family", "cover", "2026-0001", "--worker", "ldoe", "--until", "2099-12-31")
        assert jdoe.json("audit", "--case", "2026-0001")[-1]["action"] == "cover"
    with copy.cli("ldoe") as ldoe:
        assert ldoe.json("family", "show", "2026-0001")["worker_id"] == "jdoe"
        ldoe.ok("visit", "add", "2026-0001", "--date", "2026-03-03", "--note", "covering", "--no-input")
        # a cover is given by the case's worker (or her supervisors), never extended by the colleague
        ldoe.fails("family", "cover", "2026-0001", "--worker", "kmoe", "--until", "2099-12-31")
    with copy.cli("smith") as smith:
        smith.ok("family", "cover", "2026-0001", "--worker", "kmoe", "--until", "2099-12-31")
    with copy.connect("owner") as connection:  # the cover ends: dated before the database's today
        connection.execute("UPDATE family_cover SET until_on = current_date - 1")
    with copy.cli("ldoe") as ldoe:
        ldoe.fails("family", "show", "2026-0001", says="is not on your caseload")


# -- identity ----------------------------------------------------------------------------------


def test_identity_is_the_login_never_caseload_worker(agency):
    copy = agency.copy()
    with copy.cli("jdoe", worker_env="ldoe") as cli:
        visit = cli.json("visit", "add", "2026-0001", "--date", "2026-03-03", "--note", "x", "--no-input")
    with copy.cli("owner") as owner:
        shown = owner.json("visit", "show", visit["id"])
        entry = owner.json("audit", "--case", "2026-0001")[-1]
    assert shown["recorded_by"] == "jdoe"
    assert (entry["actor"], entry["action"]) == ("jdoe", "add")


@pytest.mark.parametrize("worker_env", ["", "jones", "jdoe"], ids=["unset", "her-own", "someone-else"])
def test_a_supervisors_default_is_her_team_whatever_caseload_worker_says(agency, worker_env):
    # As on SQLite, the default filter is the acting worker's team; on PostgreSQL that worker is the
    # login's (jones: kmoe's case, and pnoe's through kmoe). Before, $CASELOAD_WORKER=jdoe showed
    # jones nothing, and with it unset the morning list had no Worker column.
    with agency.cli("jones", worker_env or None) as cli:
        if not worker_env:
            cli.monkeypatch.delenv("CASELOAD_WORKER")
        assert visible_cases(cli.json("family", "list")) == {"2026-0003", "2026-0004"}
        assert visible_cases(cli.json("hearing", "list")) == {"2026-0003", "2026-0004"}
        due = cli.json("overdue", "--as-of", "2026-06-20")["items"]
        assert visible_cases(due) == {"2026-0003", "2026-0004"}
        header = cli.ok("overdue", "--as-of", "2026-06-20").stdout.splitlines()[1].split()
        assert header[:5] == ["Status", "Due", "Days", "Case", "Worker"]
        # --worker still names one worker's own cases; --team without --worker is the login's team
        assert visible_cases(cli.json("family", "list", "--worker", "kmoe")) == {"2026-0003"}
        assert visible_cases(cli.json("family", "list", "--team")) == {"2026-0003", "2026-0004"}


def test_a_login_linked_to_no_worker_filters_by_caseload_worker(agency):
    with agency.cli("owner", worker_env="ldoe") as owner:
        assert visible_cases(owner.json("family", "list")) == {"2026-0002"}
        assert visible_cases(owner.json("hearing", "list")) == {"2026-0002"}
        assert visible_cases(owner.json("family", "list", "--all")) == set(CASES)


def test_a_login_that_is_no_worker_is_refused(agency):
    with agency.cli("stranger") as cli:
        cli.fails("family", "list", says="login 'acc_stranger' is not a caseload worker")
        cli.fails("audit", says="login 'acc_stranger' is not a caseload worker")


# -- raw SQL as a worker -------------------------------------------------------------------------


def refused(connection, sql: str, params=None) -> str:
    import psycopg

    with pytest.raises(psycopg.Error) as caught:
        connection.execute(sql, params)
    return str(caught.value)


def test_raw_sql_as_a_worker_is_refused(agency):
    copy = agency.copy()
    with copy.connect("jdoe") as jdoe:
        # another's rows: not there at all
        assert [r[0] for r in jdoe.execute("SELECT case_number FROM family ORDER BY 1")] == ["2026-0001"]
        assert jdoe.execute("SELECT count(*) FROM visit WHERE narrative LIKE '%2026-0002'").fetchone()[0] == 0
        assert (
            jdoe.execute("SELECT count(*) FROM audit_log WHERE case_number = '2026-0002'").fetchone()[0] == 0
        )
        updated = jdoe.execute("UPDATE hearing SET report_filed_on = '2026-03-01' WHERE family_id <> "
                               "(SELECT id FROM family WHERE case_number = '2026-0001')")  # fmt: skip
        assert updated.rowcount == 0
        # protected columns, even on her own case
        for sql in (
            "UPDATE plan_review SET review_on = '2026-03-01'",
            "UPDATE member SET family_id = family_id",
            "UPDATE worker SET supervisor_id = NULL WHERE id = 'jdoe'",
            "UPDATE family SET worker_id = 'jdoe'",
            "UPDATE visit SET narrative = 'rewritten'",
            "UPDATE visit SET recorded_at = '2026-01-01'",
        ):
            assert "permission denied" in refused(jdoe, sql), sql
        # the audit trail: only the triggers and caseload_audit() write it
        assert "permission denied" in refused(
            jdoe,
            "INSERT INTO audit_log (at, actor, action, entity) VALUES ('2026-11-01', 'ldoe', 'add', 'visit')",
        )
        assert "not on your caseload" in refused(
            jdoe, "SELECT caseload_audit(now(), 'ldoe', 'void', 'visit', '1', '2026-0002', 'x', NULL)"
        )
        for sql in ("UPDATE alembic_version SET version_num = '9999'", "SELECT * FROM alembic_version"):
            assert "permission denied" in refused(jdoe, sql)
        assert "must be owner" in refused(jdoe, "ALTER TABLE visit DISABLE TRIGGER ALL")
        assert "must be owner" in refused(jdoe, "ALTER TABLE family DISABLE ROW LEVEL SECURITY")
        assert "permission denied" in refused(jdoe, "TRUNCATE audit_log")
        for role in ("acc_ldoe", "caseload_admin", "acc_owner", "acc_admin"):
            assert "permission denied" in refused(jdoe, f"SET ROLE {role}")
        # a back-dated visit under another's name is stamped with who and when it really was
        family_id = jdoe.execute("SELECT id FROM family WHERE case_number = '2026-0001'").fetchone()[0]
        jdoe.execute(
            "INSERT INTO visit (family_id, visit_on, kind, safety_concern, late_entry, recorded_at, recorded_by) "
            "VALUES (%s, '2026-02-03', 'face_to_face', false, false, '2026-02-03', 'ldoe')",
            (family_id,),
        )
        stamped = jdoe.execute(
            "SELECT recorded_by, recorded_at > now() - interval '1 hour' FROM visit ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert stamped == ("jdoe", True)
        # a visit on another's case cannot even be written
        other = (
            copy.connect("owner")
            .execute("SELECT id FROM family WHERE case_number = '2026-0002'")
            .fetchone()[0]
        )
        assert "row-level security" in refused(
            jdoe,
            "INSERT INTO visit (family_id, visit_on, kind, safety_concern, late_entry, recorded_at, recorded_by) "
            "VALUES (%s, '2026-02-03', 'face_to_face', false, false, now(), 'x')",
            (other,),
        )
    with copy.cli("owner") as owner:
        assert owner.json("check")["ok"] is True


def test_the_corrections_work_under_a_workers_login_and_are_audited_under_it(agency):
    copy = agency.copy()
    with copy.cli("jdoe") as cli:
        placement_id = cli.json("placement", "list", "2026-0001")[0]["id"]
        hearing_id = cli.json("hearing", "list", "2026-0001")[0]["id"]
        service_id = cli.json("service", "add", "2026-0001", "Parenting class", "--referred", "2026-02-01")[
            "id"
        ]
        cli.ok("member", "update", "2026-0001", "Kid", "--dob", "2016-05-03")
        cli.ok("family", "update", "2026-0001", "--opened", "2026-01-04")
        cli.ok("hearing", "continue", hearing_id, "--to", "2026-06-08", "--reason", "judge ill")
        cli.ok("service", "update", service_id, "--referred", "2026-02-02")
        cli.ok("placement", "update", placement_id, "--start", "2026-01-11")
        entries = [(e["actor"], e["action"], e["entity"]) for e in cli.json("audit", "--case", "2026-0001")]
        assert cli.json("family", "show", "2026-0001")["opened_on"] == "2026-01-04"
    assert entries[-5:] == [
        ("jdoe", "update", "member"),
        ("jdoe", "update", "family"),
        ("jdoe", "continue", "hearing"),
        ("jdoe", "update", "service"),
        ("jdoe", "update", "placement"),
    ]
    with copy.cli("ldoe") as cli:
        cli.fails("member", "update", "2026-0001", "Kid", "--dob", "2016-05-04", says="not on your caseload")


def test_a_row_pushed_from_a_replica_keeps_its_time_and_shows_its_arrival(agency):
    """What `caseload sync` relies on (caseload.store.sync): a row that arrives with `synced_at`
    keeps the laptop's `recorded_at`, never later than now, and the server stamps `synced_at` and the
    actor itself; a replica's audit row is refused for a case not hers."""
    copy = agency.copy()
    with copy.connect("jdoe") as jdoe:
        family_id = jdoe.execute("SELECT id FROM family WHERE case_number = '2026-0001'").fetchone()[0]
        for recorded_at in ("2026-02-03 10:00+00", "2999-01-01 00:00+00"):
            jdoe.execute(
                "INSERT INTO visit (family_id, visit_on, kind, safety_concern, late_entry, recorded_at, "
                "recorded_by, synced_at) VALUES (%s, '2026-02-03', 'face_to_face', false, false, %s, 'ldoe', "
                "'2000-01-01')",
                (family_id, recorded_at),
            )
        kept, clamped = jdoe.execute(
            "SELECT recorded_by, recorded_at, synced_at > now() - interval '1 hour', recorded_at <= now() "
            "FROM visit WHERE synced_at IS NOT NULL ORDER BY id"
        ).fetchall()
        assert kept[0] == "jdoe" and kept[1].isoformat() == "2026-02-03T10:00:00+00:00" and kept[2]
        assert clamped[0] == "jdoe" and clamped[2] and clamped[3]  # a clock ahead is taken as now
        pushed = jdoe.execute(
            "SELECT caseload_audit_pushed('u-1', '2026-02-03 10:00+00', 'add', 'visit', '1', '2026-0001', "
            "NULL, NULL)"
        ).fetchone()[0]
        again = jdoe.execute(
            "SELECT caseload_audit_pushed('u-1', '2026-02-03 10:00+00', 'add', 'visit', '1', '2026-0001', "
            "NULL, NULL)"
        ).fetchone()[0]
        assert (pushed, again) == (True, False)  # once
        assert jdoe.execute("SELECT actor, at < synced_at FROM audit_log WHERE uid = 'u-1'").fetchone() == (
            "jdoe",
            True,
        )
        assert "not on your caseload" in refused(
            jdoe, "SELECT caseload_audit_pushed('u-2', now(), 'void', 'visit', '1', '2026-0002', 'x', NULL)"
        )
    with copy.connect("stranger") as stranger:
        assert "permission denied" in refused(
            stranger, "SELECT caseload_audit_pushed('u-3', now(), 'add', 'visit', '1', NULL, NULL, NULL)"
        )
    with copy.cli("owner") as owner:
        assert owner.json("check")["ok"] is True


def test_check_as_a_worker_skips_the_chain_it_cannot_see_whole(agency):
    """Row-level security hides other cases' audit rows from a worker: the chain is the owner's and
    admins' to verify, and a worker's `check` says so instead of crying tampering."""
    for person in ("jdoe", "smith"):
        with agency.cli(person) as cli:
            checked = cli.json("check")
            chain = next(c for c in checked["checks"] if c["check"] == "audit chain")
            assert checked["ok"] is True and chain["status"] == "skip", checked
    with agency.cli("admin") as cli:
        chain = next(c for c in cli.json("check")["checks"] if c["check"] == "audit chain")
        assert chain["status"] == "ok"


def test_a_worker_writes_audit_rows_only_of_her_own_cases_records(agency):
    """Through caseload_audit() and caseload_audit_pushed() alike: no row without its case for a
    record, none naming another case's record under her case number, none about workers."""
    copy = agency.copy()
    with copy.cli("jdoe") as cli:
        cli.fails("worker", "update", "ldoe", "--inactive", says="only an admin records changes to workers")
    with copy.connect("owner") as owner:
        ldoe_visit = owner.execute(
            "SELECT v.id FROM visit v JOIN family f ON f.id = v.family_id WHERE f.case_number = '2026-0002'"
        ).fetchone()[0]
    with copy.connect("jdoe") as jdoe:
        for function, first in (("caseload_audit", "now()"), ("caseload_audit_pushed", "'u-9', now()")):
            call = f"SELECT {function}({first}, %s, %s, %s, %s, NULL, NULL)"
            if function == "caseload_audit":
                call = f"SELECT {function}(now(), 'jdoe', %s, %s, %s, %s, NULL, NULL)"
            assert "names its case" in refused(jdoe, call, ("add", "visit", str(ldoe_visit), None))
            assert "is not of case 2026-0001" in refused(
                jdoe, call, ("add", "visit", str(ldoe_visit), "2026-0001")
            )
            assert "only an admin" in refused(jdoe, call, ("update", "worker", "ldoe", None))
        assert "permission denied" in refused(jdoe, "SELECT caseload_entity_case('visit', '1')")
    with copy.cli("owner") as owner:
        assert owner.json("check")["ok"] is True
        assert [w["active"] for w in owner.json("worker", "list") if w["id"] == "ldoe"] == [True]


def test_a_change_made_with_plain_sql_is_audited_all_the_same(agency):
    copy = agency.copy()
    with copy.cli("jdoe") as cli:
        hearing_id = cli.json("hearing", "list", "2026-0001")[0]["id"]
        goal_id = cli.json("goal", "add", "2026-0001", "Stay in school")["id"]
        cli.ok("goal", "update", goal_id, "--status", "in_progress")  # through caseload: one row
    with copy.connect("jdoe") as jdoe:
        jdoe.execute("UPDATE hearing SET report_filed_on = '2026-05-01' WHERE id = %s", (hearing_id,))
        jdoe.execute("UPDATE goal SET status = 'achieved' WHERE id = %s", (goal_id,))
    with copy.cli("owner") as owner:
        entries = [
            (e["actor"], e["action"], e["entity"], e["detail"])
            for e in owner.json("audit", "--case", "2026-0001")
        ]
    assert entries[-3:] == [
        ("jdoe", "update", "goal", "status: not_started -> in_progress"),
        ("jdoe", "update", "hearing", "changed outside caseload: report_filed_on: - -> 2026-05-01"),
        ("jdoe", "update", "goal", "changed outside caseload: status: in_progress -> achieved"),
    ]


def test_set_role_to_her_own_group_gains_nothing(agency):
    with agency.connect("jdoe") as jdoe:
        jdoe.execute("SET ROLE caseload_worker")
        assert [r[0] for r in jdoe.execute("SELECT case_number FROM family")] == ["2026-0001"]


def test_migrations_run_as_the_owner_only(agency):
    with agency.connect("admin") as admin:
        assert "must be owner" in refused(admin, "DROP POLICY caseload_team ON family")
        assert "permission denied" in refused(admin, "CREATE TABLE public.x (id int)")
    with agency.cli("admin") as cli:
        assert cli.json("family", "list", "--all")  # an admin reads everything
    with agency.cli("jdoe") as jdoe:
        assert "migrations run as the owner only" in jdoe.ok("init").stderr
    with agency.cli("owner") as owner:
        assert "owner only" not in owner.ok("init").stderr
    copy = agency.copy()
    with copy.connect("owner") as owner:  # as after installing a newer caseload
        owner.execute("UPDATE alembic_version SET version_num = '0004'")
    with copy.cli("jdoe") as jdoe:
        jdoe.fails("init", says="schema changes run as the database's owner only")
        jdoe.fails("family", "list", says="the database schema is 0004, this caseload 0006")
    with copy.connect("owner") as owner:
        owner.execute("UPDATE alembic_version SET version_num = '0006'")
    with copy.cli("jdoe") as jdoe:
        jdoe.ok("family", "list")


def test_check_verifies_the_chain_and_the_triggers_on_postgresql(agency):
    copy = agency.copy()
    with copy.cli("owner") as owner:
        checks = {c["check"]: c for c in owner.json("check")["checks"]}
        assert checks["audit chain"]["status"] == "ok"
        assert checks["triggers"]["status"] == "ok"
    with copy.connect("owner") as connection:  # the owner could, and check shows it
        connection.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        connection.execute("UPDATE audit_log SET actor = 'ldoe' WHERE id = 3")
    with copy.cli("owner") as owner:
        outcome = owner.fails("check", reports=True)
        assert "audit row 3 (add worker)" in outcome.stderr
        assert "trigger audit_log_append_only is disabled" in outcome.stderr


# -- query plans under row-level security ------------------------------------------------------

BULK_FAMILIES = 3000  # an agency's worth of other workers' cases: the planner must not scan them
# The tables filled with them (the others hold a handful of rows: reading them whole is the right plan).
FILLED = {"family", "member", "placement", "visit", "visit_seen", "plan_review"}


def _fill(connection) -> None:
    """Thousands of families of another worker, each with a child in care and monthly visits."""
    connection.execute("INSERT INTO worker (id, name, created_at) VALUES ('bulk', 'Bulk', now())")
    connection.execute(
        "INSERT INTO family (case_number, name, program, risk, opened_on, worker_id, created_at) "
        "SELECT 'B-' || n, 'Bulk', CASE WHEN n %% 2 = 0 THEN 'foster_care' ELSE 'in_home' END, 'high', "
        "'2025-01-01', 'bulk', now() FROM generate_series(1, %s) n",
        (BULK_FAMILIES,),
    )
    connection.execute(
        "INSERT INTO member (family_id, name, name_key, role) "
        "SELECT id, 'Kid', 'kid', 'child' FROM family WHERE worker_id = 'bulk'"
    )
    connection.execute(
        "INSERT INTO placement (member_id, family_id, setting, start_on) "
        "SELECT m.id, m.family_id, 'kinship', '2025-01-02' FROM member m JOIN family f ON f.id = m.family_id "
        "WHERE f.worker_id = 'bulk' AND f.program = 'foster_care'"
    )
    connection.execute(
        "INSERT INTO visit (family_id, visit_on, kind, location, safety_concern, late_entry, recorded_at, "
        "recorded_by) SELECT f.id, date '2025-01-15' + (k * 30), 'face_to_face', 'home', false, false, now(), "
        "'bulk' FROM family f, generate_series(0, 14) k WHERE f.worker_id = 'bulk'"
    )
    connection.execute(
        "INSERT INTO visit_seen (visit_id, member_id) SELECT v.id, m.id FROM visit v "
        "JOIN member m ON m.family_id = v.family_id WHERE v.recorded_by = 'bulk'"
    )
    connection.execute(
        "INSERT INTO plan_review (family_id, review_on, recorded_at, recorded_by) "
        "SELECT id, date '2025-02-01' + (k * 60), now(), 'bulk' FROM family, generate_series(0, 6) k "
        "WHERE worker_id = 'bulk'"
    )
    connection.execute("ANALYZE")


def _plan_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _plan_nodes(child)


def test_one_workers_overdue_queries_stay_index_based_under_row_level_security(agency):
    import datetime as dt

    from caseload.store.facts import CaseFilter, fact_queries

    copy = agency.copy()
    with copy.connect("owner") as owner:
        _fill(owner)
    queries, params = fact_queries(CaseFilter(as_of=dt.date(2026, 4, 1), worker_id="jdoe", covers=True))
    with copy.connect("jdoe") as jdoe:
        for name, sql in queries.items():
            text = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql)
            plan = jdoe.execute("EXPLAIN (FORMAT JSON) " + text, params).fetchone()[0][0]["Plan"]
            scans = [
                node["Relation Name"]
                for node in _plan_nodes(plan)
                if node["Node Type"] == "Seq Scan" and node["Relation Name"] in FILLED
            ]
            assert scans == [], (
                f"{name} scans {scans} under row-level security:\n{json.dumps(plan, indent=1)}"
            )
        # and the worker still gets her own facts through the policies
        assert jdoe.execute(re.sub(r"(?<!:):(\w+)", r"%(\1)s", queries["families"]), params).fetchall()
