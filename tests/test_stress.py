"""Real `caseload` processes at once: nothing lost, nothing locked out, nothing half-written.

The small versions run in the normal suite; the full ones are marked `stress`
(`python -m pytest -m stress`).
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from caseload.store.migrate import HEAD_REVISION
from tests.conftest import BACKEND
from tests.dbtools import caseload_command, process_env, run_caseload, scalar

_fresh_numbers = itertools.count(1)


@pytest.fixture
def fresh_target(tmp_path, request):
    """A factory of databases that do not exist yet: a new file path, or an empty PostgreSQL database."""

    def make() -> str:
        number = next(_fresh_numbers)
        if BACKEND == "postgres":
            cluster = request.getfixturevalue("pg_cluster")
            cluster.execute(f"CREATE DATABASE fresh{number}")
            return cluster.url(f"fresh{number}")
        return str(tmp_path / f"first-use-{number}.db")

    return make


@pytest.mark.parametrize(
    ("processes", "writes"),
    [pytest.param(4, 10, id="4x10"), pytest.param(8, 50, id="8x50", marks=pytest.mark.stress)],
)
def test_concurrent_visit_adds_lose_nothing(rivera, tmp_path, processes, writes):
    """N processes each record M visits, one `caseload visit add` process per visit, all at once."""
    rivera.monkeypatch.setenv("TMPDIR", str(tmp_path))  # notes of failed writes are kept there
    printed: list[int] = []
    failures: list[str] = []

    def worker(number: int) -> None:
        for write in range(writes):
            done = run_caseload(
                rivera.db, "visit", "add", "2026-0142", "--note", f"writer {number}, visit {write}"
            )
            if done.returncode == 0:
                printed.append(int(done.stdout))
            else:
                failures.append(done.stderr)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(printed)) == processes * writes
    assert scalar(rivera.db, "SELECT COUNT(*) FROM visit") == processes * writes
    assert scalar(rivera.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'visit'") == processes * writes
    assert scalar(rivera.db, "SELECT COUNT(*) FROM visit_seen") == processes * writes  # Maya, each time


@pytest.mark.parametrize(
    "rounds", [pytest.param(1, id="once"), pytest.param(10, id="10 rounds", marks=pytest.mark.stress)]
)
def test_first_use_by_eight_processes_at_once_migrates_once(fresh_target, rounds):
    for _round in range(rounds):
        target = fresh_target()
        started = [
            subprocess.Popen(
                caseload_command(target, "worker", "add", f"w{number}", "--name", f"Worker {number}"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=process_env(),
                umask=0,
            )
            for number in range(8)
        ]
        errors = [process.communicate(timeout=180)[1] for process in started]
        assert [process.returncode for process in started] == [0] * 8, errors
        assert scalar(target, "SELECT COUNT(*) FROM worker") == 8
        assert scalar(target, "SELECT COUNT(*) FROM alembic_version") == 1
        assert scalar(target, "SELECT version_num FROM alembic_version") == HEAD_REVISION
        if BACKEND == "sqlite":
            assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
            assert sqlite3.connect(target).execute("PRAGMA journal_mode").fetchone() == ("wal",)


# A writer that records visits as fast as it can, printing each id (its acknowledgement) as soon as
# `visit add` returns, through the same code path as the command line. It keeps one extra connection
# open so the WAL files stay on disk when it is killed.
WRITER = """
import sqlite3, sys
from caseload.cli import app
keep_open = sqlite3.connect(sys.argv[1])
keep_open.execute("SELECT COUNT(*) FROM visit").fetchone()
note = "A narrative long enough to span pages. " * 600
while True:
    app(["--db", sys.argv[1], "visit", "add", "2026-0142", "--note", note], standalone_mode=False)
    sys.stdout.flush()
"""


@pytest.mark.parametrize(
    ("rounds", "writers"),
    [
        pytest.param(1, 1, id="once"),
        pytest.param(10, 3, id="10 rounds x 3 writers", marks=pytest.mark.stress),
    ],
)
def test_sigkill_mid_write_keeps_every_acknowledged_visit(rivera, sqlite_only, rounds, writers):
    acknowledged: set[int] = set()
    for round_ in range(1, rounds + 1):
        running = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, rivera.db],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=process_env(),
                umask=0,
            )
            for _ in range(writers)
        ]
        for process in running:  # let each acknowledge a few, then kill it at a random moment
            for _ in range(3):
                acknowledged.add(int(process.stdout.readline()))
        time.sleep(random.uniform(0, 0.05))
        for process in running:
            process.send_signal(signal.SIGKILL)
        for process in running:
            acknowledged.update(int(line) for line in process.stdout.read().split())
            process.wait()
        _assert_survived(Path(rivera.db), acknowledged, unprinted=writers * round_)
    assert run_caseload(rivera.db, "check").returncode == 0


def _assert_survived(db: Path, acknowledged: set[int], unprinted: int) -> None:
    """Valid, private, and every printed id is there, each visit whole with its seen row and audit row."""
    for file in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):  # left behind by the killed writers
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {row[0] for row in connection.execute("SELECT id FROM visit")}
        assert acknowledged <= stored
        assert len(stored - acknowledged) <= unprinted  # one a kill: committed, killed before printing
        seen = connection.execute("SELECT COUNT(*) FROM visit_seen").fetchone()[0]
        audited = connection.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'visit'").fetchone()[0]
        assert seen == audited == len(stored)
    finally:
        connection.close()
