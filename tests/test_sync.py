"""Laptop replicas that sync with the agency database (issue 18): global ids on every record a replica
can add, `sync init`, `sync` and `sync status`, and two laptops working offline against one throwaway
PostgreSQL cluster (the two-laptop tests skip when PostgreSQL is not installed)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseload.store.db import UID_TABLES
from tests.conftest import BACKEND, Cli
from tests.dbtools import caseload_command, process_env, raw_execute, scalar
from tests.test_reliability import add_visit, downgrade


def uid_counts(target: str) -> dict[str, tuple[int, int, int]]:
    """Each uid table's (rows, rows with a uid, distinct uids)."""
    return {
        table: (
            scalar(target, f"SELECT COUNT(*) FROM {table}"),
            scalar(target, f"SELECT COUNT(uid) FROM {table}"),
            scalar(target, f"SELECT COUNT(DISTINCT uid) FROM {table}"),
        )
        for table in sorted(UID_TABLES)
    }


def test_every_new_record_gets_its_own_global_id(rivera):
    add_visit(rivera)
    rivera.ok("goal", "add", "2026-0142", "Maya attends school", "--domain", "well_being")
    rivera.ok("goal", "update", "1", "--status", "in_progress", "--note", "Enrolled.")
    counts = uid_counts(rivera.db)
    for table in ("family", "member", "placement", "visit", "goal", "goal_progress", "audit_log"):
        rows, with_uid, distinct = counts[table]
        assert rows > 0 and rows == with_uid == distinct, (table, counts[table])
    uid = scalar(rivera.db, "SELECT uid FROM visit WHERE id = 1")
    assert len(uid) == 36 and uid.count("-") == 4


def test_the_migration_gives_existing_records_a_global_id(rivera):
    add_visit(rivera)
    downgrade(rivera.db, "0005")
    assert "uid" in raw_execute(rivera.db, "SELECT uid FROM visit")  # no such column
    rivera.ok("overdue", "--all")  # any command upgrades
    counts = uid_counts(rivera.db)
    assert all(rows == with_uid == distinct for rows, with_uid, distinct in counts.values()), counts
    assert counts["visit"][0] == 1 and counts["audit_log"][0] > 0
    assert rivera.json("check")["ok"] is True  # the audit chain of rows that never travelled is unchanged
    # the append-only triggers the backfill set aside are back
    assert "append-only" in raw_execute(rivera.db, "UPDATE audit_log SET detail = 'changed'")
    assert "never edited" in raw_execute(rivera.db, "UPDATE visit SET narrative = 'changed'")


# -- two laptops and the agency database ---------------------------------------------------------


_agencies = iter(range(1, 1000))
LOGINS = ("jdoe", "ldoe")


@pytest.fixture
def agency(pg_cluster, monkeypatch):
    """An agency database on the throwaway cluster, under row-level security, with two workers who
    each have their own login, jdoe and ldoe (the cluster trusts local logins: no password is
    checked). Seeded by the owner: jdoe has Rivera (Kid Rivera, goal 1) and Okafor, ldoe has Chen,
    one visit each. Returns (owner's Cli, URL for a login). Run in the PostgreSQL pass only (the
    replicas are SQLite files either way)."""
    if BACKEND != "postgres":
        pytest.skip("run in the PostgreSQL pass (the replicas are SQLite files either way)")
    name = f"agency{next(_agencies)}"
    pg_cluster.execute(f"CREATE DATABASE {name} TEMPLATE caseload_template")
    for login in LOGINS:
        pg_cluster.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') "
            f"THEN CREATE ROLE {login} LOGIN; END IF; END $$"
        )
    owner = Cli(pg_cluster.url(name), monkeypatch)
    for login in LOGINS:
        owner.ok("worker", "add", login, "--name", login.title(), "--login", login, "--role", "worker")
    for case, family, worker in (
        ("2026-0142", "Rivera", "jdoe"),
        ("2026-0150", "Okafor", "jdoe"),
        ("2026-0160", "Chen", "ldoe"),
    ):
        owner.ok(
            "family",
            "add",
            case,
            "--name",
            family,
            "--program",
            "in_home",
            "--risk",
            "moderate",
            "--opened",
            "2026-01-05",
            "--worker",
            worker,
        )
        owner.ok("member", "add", case, f"Kid {family}", "--role", "child", "--dob", "2016-05-02")
        owner.ok("visit", "add", case, "--date", "2026-02-10", "--note", "Home visit.")
    owner.ok("goal", "add", "2026-0142", "Kid attends school", "--domain", "well_being")

    def url(login: str, password: str | None = None) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{login}{secret}@127.0.0.1:{pg_cluster.port}/{name}"

    return owner, url


def on(cli: Cli, laptop: Path, worker: str, *args: str):
    """Run `caseload --db laptop …` as `worker`."""
    cli.monkeypatch.setenv("CASELOAD_WORKER", worker)
    return cli.ok("--db", str(laptop), *args)


def waits(cli: Cli, laptop: Path, worker: str, count: int) -> list[str]:
    """`sync` as `worker` that leaves `count` records waiting: exit 1, what moved on stdout, one
    `Error:` line saying how many wait. Its stdout lines."""
    cli.monkeypatch.setenv("CASELOAD_WORKER", worker)
    outcome = cli.run("--db", str(laptop), "sync")
    assert outcome.exit_code == 1, (outcome.stdout, outcome.stderr)
    noun = "record waits" if count == 1 else "records wait"
    assert outcome.stderr == f"Error: {count} {noun} on this laptop (see above and: caseload sync status)\n"
    return outcome.stdout.splitlines()


def scalar_row(target: str, sql: str):
    from caseload.store import open_database

    with open_database(target) as db, db.read() as rows:
        return rows.one(sql).values()


def killed_at(step: str, laptop: Path, worker: str, tmp_path: Path) -> None:
    """Start `caseload --db laptop sync` as a real process, SIGKILL it when it reaches `step`."""
    marker = tmp_path / f"paused-at-{step}"
    env = {**process_env(), "CASELOAD_SYNC_PAUSE": f"{step}:{marker}", "CASELOAD_WORKER": worker}
    process = subprocess.Popen(
        caseload_command(str(laptop), "sync"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the sync never reached the pause"
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL


def paused_at(step: str, laptop: Path, worker: str, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """Start `caseload --db laptop sync` as a real process and wait until it pauses at `step`; it
    goes on when the returned marker is removed."""
    marker = tmp_path / f"paused-at-{step}"
    env = {**process_env(), "CASELOAD_SYNC_PAUSE": f"{step}:{marker}", "CASELOAD_WORKER": worker}
    process = subprocess.Popen(
        caseload_command(str(laptop), "sync"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sync never reached the pause"
        time.sleep(0.05)
    return process, marker


def test_the_office_writes_while_a_sync_pushes_and_the_chain_holds(agency, tmp_path):
    """A write at the office while a laptop's push is open: both land, and the agency's audit chain
    is one chain (the push grows it from its head as it is, not from an old snapshot)."""
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(owner, laptop, "jdoe", "visit", "add", "2026-0142", "--date", "2026-03-02", "--note", "Laptop.")
    process, marker = paused_at("visit", laptop, "jdoe", tmp_path)
    owner.ok("--db", url("ldoe"), "visit", "add", "2026-0160", "--date", "2026-03-03", "--note", "Office.")
    marker.unlink()
    stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stdout) == (0, "pushed 1 visit; pulled nothing\n"), stderr
    assert owner.json("check")["ok"] is True
    assert scalar(owner.db, "SELECT COUNT(*) FROM audit_log WHERE synced_at IS NOT NULL") == 1
    # going back to 0005 would leave the pushed row's digest unverifiable: refused
    with pytest.raises(RuntimeError, match="chained with their arrival"):
        downgrade(owner.db, "0005")


def visit_uids(target: str, where: str = "1 = 1") -> list[str]:
    from caseload.store import open_database

    with open_database(target) as db, db.read() as rows:
        return sorted(
            row["uid"]
            for row in rows.all(
                f"SELECT v.uid FROM visit v JOIN family f ON f.id = v.family_id WHERE {where}"
            )
        )


def test_two_laptops_work_offline_and_sync(agency, tmp_path):
    """The issue's test: jdoe and ldoe, who covers jdoe's Rivera case, record visits on the same case
    offline; goal 1 is updated on both laptops; one sync is killed mid-push, one after the server's
    commit, and both are re-run."""
    owner, url = agency
    jdoe_at_office = url("jdoe")
    owner.ok(
        "--db", jdoe_at_office, "family", "cover", "2026-0142", "--worker", "ldoe", "--until", "2099-12-31"
    )
    jdoe, ldoe = tmp_path / "jdoe.db", tmp_path / "ldoe.db"
    made = on(owner, jdoe, "jdoe", "sync", "init", url("jdoe", "s3cret"))
    assert made.stdout == "pulled 2 visits, 2 cases, 2 members, 1 goal, 1 cover\n"
    assert made.stderr == f"Replica of {url('jdoe')} for jdoe: {jdoe}\n"
    made = on(owner, ldoe, "ldoe", "sync", "init", url("ldoe"))
    assert made.stdout == "pulled 2 visits, 2 cases, 2 members, 1 goal, 1 cover\n"  # Chen, and Rivera covered
    assert stat.S_IMODE(jdoe.stat().st_mode) == 0o600
    assert not [f for f in tmp_path.iterdir() if f.name.startswith("jdoe.db") and b"s3cret" in f.read_bytes()]
    assert scalar(str(jdoe), "SELECT value FROM sync_state WHERE key = 'url'") == url("jdoe")

    # offline: both at the Riveras, jdoe at the Okafors too, ldoe at the Chens; goal 1 on both laptops
    on(owner, jdoe, "jdoe", "visit", "add", "2026-0142", "--date", "2026-03-02", "--note", "jdoe, Rivera.")
    on(owner, jdoe, "jdoe", "visit", "add", "2026-0150", "--date", "2026-03-03", "--note", "jdoe, Okafor.")
    laptop_visit = tuple(scalar_row(str(jdoe), "SELECT uid, recorded_at FROM visit ORDER BY id DESC LIMIT 1"))
    on(owner, jdoe, "jdoe", "goal", "update", "1", "--status", "achieved", "--note", "Attends daily.")
    on(owner, ldoe, "ldoe", "visit", "add", "2026-0142", "--date", "2026-03-04", "--note", "ldoe, Rivera.")
    on(owner, ldoe, "ldoe", "visit", "add", "2026-0160", "--date", "2026-03-04", "--note", "ldoe, Chen.")
    on(owner, ldoe, "ldoe", "goal", "update", "1", "--status", "in_progress", "--note", "Some days missed.")
    # meanwhile jdoe, at the office, records a visit on the agency database itself
    owner.ok("--db", jdoe_at_office, "visit", "add", "2026-0142", "--date", "2026-03-05", "--note", "Office.")

    assert on(owner, jdoe, "jdoe", "sync", "status").stdout.splitlines()[2] == (
        "Waiting: 2 visits, 1 goal update, 1 change"
    )
    # killed mid-push: the server transaction never committed, nothing of it is there
    killed_at("visit", jdoe, "jdoe", tmp_path)
    assert scalar(owner.db, "SELECT COUNT(*) FROM visit") == 4
    assert on(owner, jdoe, "jdoe", "sync").stdout == (
        "pushed 2 visits, 1 goal update, 1 change; pulled 1 visit\n"
    )
    # killed after the server committed, before the replica took it in: the re-run pushes nothing twice
    killed_at("committed", ldoe, "ldoe", tmp_path)
    assert scalar(owner.db, "SELECT COUNT(*) FROM visit") == 8
    assert on(owner, ldoe, "ldoe", "sync").stdout == (
        "pushed nothing; pulled 2 visits, 1 goal update, 1 change\n1 conflict: the server's value kept (see: caseload sync status)\n"
    )
    assert on(owner, jdoe, "jdoe", "sync").stdout == "pushed nothing; pulled 1 visit, 1 goal update\n"
    assert on(owner, ldoe, "ldoe", "sync").stdout == "pushed nothing; pulled nothing\n"

    # every record once, on the server and on each replica that holds its case
    server_visits = visit_uids(owner.db)
    assert len(server_visits) == len(set(server_visits)) == 8
    assert visit_uids(str(jdoe)) == visit_uids(owner.db, "f.worker_id = 'jdoe'")
    assert visit_uids(str(ldoe)) == visit_uids(owner.db, "f.case_number IN ('2026-0142', '2026-0160')")
    assert len(visit_uids(str(jdoe))) == len(visit_uids(str(ldoe))) == 6
    for target in (owner.db, str(jdoe), str(ldoe)):
        assert scalar(target, "SELECT COUNT(*) FROM goal_progress") == 2
        assert scalar(target, "SELECT status FROM goal WHERE id = (SELECT MIN(id) FROM goal)") == "achieved"
    # recorded_at stays the laptop's; the server adds synced_at; the actor is the login's worker
    uid, recorded_at = laptop_visit
    assert scalar(owner.db, f"SELECT recorded_at FROM visit WHERE uid = '{uid}'") == recorded_at
    assert scalar(owner.db, f"SELECT synced_at FROM visit WHERE uid = '{uid}'") > recorded_at
    assert scalar(owner.db, "SELECT COUNT(*) FROM visit WHERE synced_at IS NOT NULL") == 4
    assert (
        scalar(owner.db, "SELECT COUNT(*) FROM visit WHERE synced_at IS NOT NULL AND recorded_by = 'ldoe'")
        == 2
    )
    # the laptops' audit rows arrived, chained, naming the visit by the server's number
    server_visit = scalar(owner.db, f"SELECT id FROM visit WHERE uid = '{uid}'")
    assert scalar(
        owner.db,
        "SELECT entity_id FROM audit_log WHERE entity = 'visit' AND action = 'add' "
        "AND case_number = '2026-0150' AND synced_at IS NOT NULL",
    ) == str(server_visit)
    for target in (owner.db, str(jdoe), str(ldoe)):
        assert owner.json("--db", target, "check")["ok"] is True, target

    status = on(owner, ldoe, "ldoe", "sync", "status").stdout.splitlines()
    assert status[2:] == [
        "Waiting: nothing",
        "Conflicts (the server's value was kept; correct it if the laptop's was right):",
        "  goal 1 (case 2026-0142): status: laptop in_progress, server kept achieved",
    ]

    # overdue gives the same answer on all three
    owner.today("2026-04-20")
    for worker, laptop in (("jdoe", jdoe), ("ldoe", ldoe)):
        at_office = owner.json("--db", url(worker), "overdue", "--all")
        assert at_office and owner.json("--db", str(laptop), "overdue", "--all") == at_office
        owner.monkeypatch.setenv("CASELOAD_WORKER", worker)
        assert owner.json("--db", str(laptop), "overdue") == owner.json("--db", url(worker), "overdue")


def test_the_default_database_can_be_the_replica(agency, tmp_path, monkeypatch):
    """On a laptop the replica can be the database every command opens by default (no --db)."""
    owner, url = agency
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("CASELOAD_DB")
    made = owner.ok("sync", "init", url("jdoe"))
    replica = home / ".local" / "share" / "caseload" / "caseload.db"
    assert made.stderr.startswith(f"Replica of {url('jdoe')} for jdoe: {replica}\n")
    assert stat.S_IMODE(replica.stat().st_mode) == 0o600
    assert [row["case_number"] for row in owner.json("family", "list")] == ["2026-0142", "2026-0150"]


def test_a_case_reassigned_away_leaves_after_its_records_are_pushed(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    owner.monkeypatch.delenv("CASELOAD_WORKER")
    made = owner.ok("--db", str(laptop), "sync", "init", url("jdoe"))
    assert made.stderr.splitlines()[1] == "Record on it as jdoe: export CASELOAD_WORKER=jdoe"
    on(owner, laptop, "jdoe", "visit", "add", "2026-0150", "--date", "2026-03-03", "--note", "Okafor.")
    on(owner, laptop, "jdoe", "family", "update", "2026-0150", "--risk", "high")
    seeded = scalar(str(laptop), "SELECT v.id FROM visit v JOIN family f ON f.id = v.family_id "
                    "WHERE f.case_number = '2026-0150' AND v.visit_on = '2026-02-10'")  # fmt: skip
    on(owner, laptop, "jdoe", "visit", "void", str(seeded), "--reason", "wrong family")
    owner.ok("family", "update", "2026-0150", "--worker", "ldoe")
    held = (
        "case 2026-0150 is no longer yours on the agency database: 3 records wait here until it is "
        "again (ask for a cover)"
    )
    assert waits(owner, laptop, "jdoe", 3) == ["pushed nothing; pulled nothing", held]
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[2:4] == [
        "Waiting: 1 visit, 2 changes",
        f"  {held}",
    ]
    assert scalar(str(laptop), "SELECT COUNT(*) FROM family WHERE case_number = '2026-0150'") == 1
    owner.ok("--db", url("ldoe"), "family", "cover", "2026-0150", "--worker", "jdoe", "--until", "2099-12-31")
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed 1 visit, 2 changes; pulled 1 cover, 1 change\n"
    assert scalar(owner.db, "SELECT risk FROM family WHERE case_number = '2026-0150'") == "high"
    assert scalar(owner.db, "SELECT void_reason FROM visit WHERE voided_by = 'jdoe'") == "wrong family"
    assert (
        scalar(owner.db, "SELECT COUNT(*) FROM visit WHERE recorded_by = 'jdoe' AND synced_at IS NOT NULL")
        == 1
    )
    raw_execute(owner.db, "UPDATE family_cover SET until_on = '2020-01-01'")  # the cover ends
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed nothing; pulled 1 reassignment\n"
    assert scalar(str(laptop), "SELECT COUNT(*) FROM family WHERE case_number = '2026-0150'") == 0
    assert scalar(str(laptop), "SELECT COUNT(*) FROM audit_log WHERE case_number = '2026-0150'") == 0
    assert owner.json("--db", str(laptop), "check")["ok"] is True


def test_fields_and_voids_move_both_ways_without_conflict(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    visit_id = scalar(str(laptop), "SELECT id FROM visit WHERE family_id = 1")
    on(owner, laptop, "jdoe", "family", "update", "2026-0142", "--risk", "high")
    on(owner, laptop, "jdoe", "visit", "void", str(visit_id), "--reason", "entered on the wrong case")
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[2] == "Waiting: 2 changes"
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed 2 changes; pulled nothing\n"
    assert scalar(owner.db, "SELECT risk FROM family WHERE case_number = '2026-0142'") == "high"
    assert (
        scalar(owner.db, "SELECT void_reason FROM visit WHERE voided_at IS NOT NULL")
        == "entered on the wrong case"
    )

    owner.ok("family", "update", "2026-0142", "--risk", "low")
    owner.ok(
        "visit",
        "void",
        str(scalar(owner.db, "SELECT MIN(id) FROM visit WHERE family_id = 2")),
        "--reason",
        "dup",
    )
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed nothing; pulled 2 changes\n"
    assert scalar(str(laptop), "SELECT risk FROM family WHERE case_number = '2026-0142'") == "low"
    assert scalar(str(laptop), "SELECT COUNT(*) FROM visit WHERE voided_at IS NOT NULL") == 2
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[2:] == [
        "Waiting: nothing",
        "Conflicts: none",
    ]
    assert owner.json("--db", str(laptop), "check")["ok"] is True


def test_a_conflict_is_resolved_with_the_usual_commands(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(owner, laptop, "jdoe", "family", "update", "2026-0142", "--risk", "high")
    owner.ok("family", "update", "2026-0142", "--risk", "low")
    assert on(owner, laptop, "jdoe", "sync").stdout == (
        "pushed nothing; pulled 1 change\n1 conflict: the server's value kept (see: caseload sync status)\n"
    )
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[-1] == (
        "  family 1 (case 2026-0142): risk: laptop high, server kept low"
    )
    # the agency's trail says the laptop's change was not taken, rather than that it happened
    assert (
        scalar(owner.db, "SELECT detail FROM audit_log WHERE synced_at IS NOT NULL AND action = 'update'")
        == "risk: moderate -> high (on a laptop; the agency database kept its own risk)"
    )
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed nothing; pulled nothing\n"  # listed once
    (conflict,) = owner.json("--db", str(laptop), "sync", "status")["conflicts"]
    assert {k: conflict[k] for k in ("record", "id", "case_number", "field", "laptop", "server")} == {
        "record": "family",
        "id": 1,
        "case_number": "2026-0142",
        "field": "risk",
        "laptop": "high",
        "server": "low",
    }
    on(owner, laptop, "jdoe", "family", "update", "2026-0142", "--risk", "high")
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed 1 change; pulled nothing\n"
    assert scalar(owner.db, "SELECT risk FROM family WHERE case_number = '2026-0142'") == "high"
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[-1] == "Conflicts: none"


def test_only_the_replicas_worker_syncs_it(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    owner.fails(
        "--db",
        str(tmp_path / "owner.db"),
        "sync",
        "init",
        url("postgres"),
        says="login 'postgres' is not a caseload worker",
    )
    owner.fails("--db", str(tmp_path / "away.db"), "sync", "init", "postgresql://jdoe@127.0.0.1:1/agency",
                says="cannot connect to the database")  # fmt: skip
    assert not (tmp_path / "owner.db").exists() and not (tmp_path / "away.db").exists()  # no file left
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    owner.fails("--db", str(laptop), "sync", "init", url("jdoe"), says="is a replica already")
    raw_execute(str(laptop), f"UPDATE sync_state SET value = '{url('ldoe')}' WHERE key = 'url'")
    owner.fails(
        "--db", str(laptop), "sync", says="this replica is jdoe's: the login 'ldoe' (ldoe) cannot sync it"
    )
    owner.fails("--db", owner.db, "sync", "status", code=2, says="a replica is a file")


def test_a_replica_is_made_of_a_new_or_empty_database_only(rivera, sqlite_only):
    rivera.fails("sync", "init", "postgresql://jdoe@localhost:1/agency", says="holds 1 case(s)")
    rivera.fails("sync", "status", says="is not a replica (make one with: caseload --db FILE sync init URL)")
    rivera.fails("sync", says="is not a replica")


def test_a_person_added_on_both_sides_keeps_the_laptops_details_as_conflicts(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(
        owner,
        laptop,
        "jdoe",
        "member",
        "add",
        "2026-0142",
        "Ana Rivera",
        "--role",
        "parent",
        "--dob",
        "1990-04-04",
    )
    owner.ok("member", "add", "2026-0142", "Ana Rivera", "--role", "other")
    assert on(owner, laptop, "jdoe", "sync").stdout == (
        "pushed nothing; pulled 2 changes\n2 conflicts: the server's value kept (see: caseload sync status)\n"
    )
    status = on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()
    assert sorted(status[-2:]) == [
        "  member 3 (case 2026-0142): born_on: laptop 1990-04-04, server kept None",
        "  member 3 (case 2026-0142): role: laptop parent, server kept other",
    ]


def test_coupled_fields_merge_as_one():
    """An end date the server kept takes its reason with it: never one side's date and the other's
    reason (store.sync.to_push, over plain data)."""
    from caseload.store import sync

    server = sync.Snapshot(rows={name: [] for name in sync.SPEC})
    server.rows["placement"] = [{"uid": "p1", "end_on": "2026-03-09", "end_reason": "reunified"}]
    changes = [
        sync.FieldChange("placement", "p1", "end_on", "2026-03-01", None),  # the server changed it too
        sync.FieldChange("placement", "p1", "end_reason", "adopted", "reunified"),  # the server did not
        sync.FieldChange("placement", "p1", "start_on", "2026-01-02", None),
    ]
    server.rows["placement"][0]["start_on"] = None
    assert sync.to_push(changes, server) == [
        sync.FieldChange("placement", "p1", "start_on", "2026-01-02", None)
    ]
    assert sync.overruled(changes, sync.to_push(changes, server)) == {
        ("placement", "p1"): ["end_on", "end_reason"]
    }


def test_a_person_added_on_both_sides_is_one_person(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(owner, laptop, "jdoe", "member", "add", "2026-0142", "Ana Rivera", "--role", "parent")
    on(owner, laptop, "jdoe", "visit", "add", "2026-0142", "--date", "2026-03-02", "--seen", "Ana Rivera")
    owner.ok("member", "add", "2026-0142", "Ana Rivera", "--role", "parent")
    killed_at("committed", laptop, "jdoe", tmp_path)  # pushed, then killed before the replica took it in
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed nothing; pulled nothing\n"
    for target in (owner.db, str(laptop)):
        assert scalar(target, "SELECT COUNT(*) FROM member WHERE name = 'Ana Rivera'") == 1
        assert scalar(
            target,
            "SELECT m.uid FROM visit_seen s JOIN member m ON m.id = s.member_id "
            "JOIN visit v ON v.id = s.visit_id WHERE v.visit_on = '2026-03-02'",
        ) == scalar(owner.db, "SELECT uid FROM member WHERE name = 'Ana Rivera'")
    assert on(owner, laptop, "jdoe", "sync").stdout == "pushed nothing; pulled nothing\n"


def test_a_record_the_server_refuses_waits_and_the_rest_goes_on(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(owner, laptop, "jdoe", "visit", "add", "2026-0142", "--date", "2026-03-02")
    on(
        owner,
        laptop,
        "jdoe",
        "family",
        "add",
        "2026-0170",
        "--name",
        "Park",
        "--program",
        "in_home",
        "--opened",
        "2026-02-01",
        "--worker",
        "jdoe",
    )
    owner.ok(
        "family",
        "add",
        "2026-0170",
        "--name",
        "Lopez",
        "--program",
        "in_home",
        "--opened",
        "2026-02-01",
        "--worker",
        "ldoe",
    )
    before = scalar(owner.db, "SELECT COUNT(*) FROM visit")
    refused = (
        "the agency database refused case 2026-0170 (the case number is another family's on the agency "
        "database): it waits here"
    )
    assert waits(owner, laptop, "jdoe", 1) == ["pushed 1 visit; pulled nothing", refused]
    assert scalar(owner.db, "SELECT COUNT(*) FROM visit") == before + 1
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[2:4] == [
        "Waiting: 1 case",
        f"  {refused}",
    ]
    assert waits(owner, laptop, "jdoe", 1)[1:] == [refused]
    assert owner.json("--db", str(laptop), "check")["ok"] is True

    # a colleague covering a case may not pass the cover on: refused, her visit goes through
    owner.ok("--db", url("jdoe"), "family", "cover", "2026-0142", "--worker", "ldoe", "--until", "2099-12-31")
    owner.ok("worker", "add", "kdoe", "--name", "Kay Doe")
    colleague = tmp_path / "ldoe.db"
    on(owner, colleague, "ldoe", "sync", "init", url("ldoe"))
    on(owner, colleague, "ldoe", "family", "cover", "2026-0142", "--worker", "kdoe", "--until", "2099-12-31")
    on(owner, colleague, "ldoe", "visit", "add", "2026-0160", "--date", "2026-03-04", "--note", "Chen.")
    moved = waits(owner, colleague, "ldoe", 1)
    assert moved[0] == "pushed 1 visit; pulled nothing"
    assert moved[1].startswith("the agency database refused a cover of case 2026-0142 (new row violates")
    assert on(owner, colleague, "ldoe", "sync", "status").stdout.splitlines()[2] == "Waiting: 1 cover"


def test_offline_sync_says_so_and_changes_nothing(agency, tmp_path):
    owner, url = agency
    laptop = tmp_path / "jdoe.db"
    on(owner, laptop, "jdoe", "sync", "init", url("jdoe"))
    on(owner, laptop, "jdoe", "visit", "add", "2026-0142", "--date", "2026-03-02")
    raw_execute(
        str(laptop), "UPDATE sync_state SET value = 'postgresql://jdoe@127.0.0.1:1/agency' WHERE key = 'url'"
    )
    owner.fails("--db", str(laptop), "sync", says="cannot connect to the database")
    assert on(owner, laptop, "jdoe", "sync", "status").stdout.splitlines()[2] == "Waiting: 1 visit"


def field_workflow() -> str:
    """The README's field workflow block (under "In the field")."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## In the field") :]
    return section.split("```\n", 2)[1]


def test_the_readmes_field_workflow_is_what_caseload_prints(agency, tmp_path):
    """Every `$` line of the README's block runs as a real process, in order; the output must be the
    README's (the cluster's address shown as db.agency.local, the last sync's clock time left out)."""
    owner, url = agency
    server = url("jdoe").split("@", 1)[1]
    env = {**process_env(), "CASELOAD_TODAY": "2026-04-01", "COLUMNS": "80"}
    env.pop("CASELOAD_WORKER", None)
    transcript = []
    for line in field_workflow().splitlines():
        if not line.startswith("$ "):
            continue
        transcript.append(line)
        words = shlex.split(line[2:], comments=True)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            env[name] = value
            continue
        argv = [word.replace("db.agency.local/caseload", server) for word in words[1:]]
        done = subprocess.run(
            [sys.executable, "-m", "caseload", *argv], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert done.returncode == 0, (line, done.stdout)
        transcript += done.stdout.replace(server, "db.agency.local/caseload").splitlines()

    def steady(text: str) -> str:
        return re.sub(r"Last sync: .* UTC", "Last sync: (the time)", text)

    actual = "\n".join(transcript) + "\n"
    assert steady(actual) == steady(field_workflow()), "README's field workflow, as printed now:\n" + actual
