"""docs/shared-database.md walks a DBA through setting up the shared database in five commands: they
run here, as written, on a fresh throwaway cluster (only `dbhost` becomes the cluster's address)."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BACKEND, Cli
from tests.pgcluster import Cluster, find_bindir

DOC = Path(__file__).parent.parent / "docs" / "shared-database.md"

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="the shared database is PostgreSQL")


def doc_commands() -> list[str]:
    block = re.search(r"## Setting it up: five commands.*?```sh\n(.*?)```", DOC.read_text(), re.S)
    assert block, "the five commands' block is missing"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_the_doc_has_five_commands():
    assert [shlex.split(line)[0] for line in doc_commands()] == [
        "psql",
        "caseload",
        "psql",
        "caseload",
        "caseload",
    ]


@pytest.fixture
def cluster():
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


def test_the_five_commands_set_up_a_working_shared_database(cluster, monkeypatch):
    host = f"127.0.0.1:{cluster.port}"
    cli = Cli("unused.db", monkeypatch)
    monkeypatch.delenv("CASELOAD_DB")
    monkeypatch.delenv("CASELOAD_WORKER")
    for line in doc_commands():
        words = shlex.split(line.replace("@dbhost/", f"@{host}/"))
        if words[0] == "psql":
            words = [str(cluster.bindir / "psql"), "-v", "ON_ERROR_STOP=1", "-p", str(cluster.port)] + [
                "127.0.0.1" if word == "dbhost" else word for word in words[1:]
            ]
            subprocess.run(words, check=True, capture_output=True)
        else:
            outcome = cli.run(*words[1:])
            assert outcome.exit_code == 0, (line, outcome.stderr)
    # the worker works on her own cases, as herself, and sees no one else's
    jdoe = f"postgresql://jdoe@{host}/caseload"
    owner = f"postgresql://caseload_owner@{host}/caseload"
    monkeypatch.setenv("CASELOAD_WORKER", "someone-else")
    cli.ok("--db", jdoe, "family", "add", "2026-0001", "--name", "Doe", "--program", "in_home")
    cli.ok("--db", owner, "worker", "add", "ldoe", "--name", "Lee Doe")
    cli.ok(
        "--db",
        owner,
        "family",
        "add",
        "2026-0002",
        "--name",
        "Lee",
        "--program",
        "in_home",
        "--worker",
        "ldoe",
    )
    assert [f["case_number"] for f in cli.json("--db", jdoe, "family", "list", "--all")] == ["2026-0001"]
    # her audit trail: the rows of her cases (the owner's additions of workers are not hers to read)
    assert [(e["actor"], e["case_number"]) for e in cli.json("--db", jdoe, "audit")] == [
        ("jdoe", "2026-0001")
    ]
    cli.fails("--db", jdoe, "family", "show", "2026-0002", says="case 2026-0002 is not on your caseload")
