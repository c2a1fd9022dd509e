"""Fixtures: a fresh database per test (SQLite, or PostgreSQL with CASELOAD_TEST_BACKEND=postgres),
the CLI driven through typer's CliRunner, and "today" pinned so every date is hand-checkable.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from tests.pgcluster import Cluster, find_bindir

BACKEND = os.environ.get("CASELOAD_TEST_BACKEND", "sqlite")
DEFAULT_TODAY = "2026-04-01"
_database_numbers = itertools.count(1)


def pytest_report_header(config):
    return f"caseload backend: {BACKEND}"


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql); PostgreSQL tests skipped")
    cluster = Cluster(bindir)
    cluster.start()
    # Migrate once into a template; each test copies it, which is much faster than migrating again.
    from caseload.store import open_database

    cluster.execute("CREATE DATABASE caseload_template")
    with open_database(cluster.url("caseload_template")) as template:
        template.ensure_ready()
    yield cluster
    cluster.stop()


@pytest.fixture
def fresh_db(tmp_path, request):
    """Makes fresh, empty caseload databases on the test's backend: `fresh_db("name")` is a target."""

    def make(name: str) -> str:
        if BACKEND == "postgres":
            cluster = request.getfixturevalue("pg_cluster")
            database = f"t{next(_database_numbers)}"
            cluster.execute(f"CREATE DATABASE {database} TEMPLATE caseload_template")
            return cluster.url(database)
        return str(tmp_path / f"{name}.db")

    return make


@pytest.fixture
def db_target(fresh_db):
    """A fresh, empty caseload database for one test."""
    return fresh_db("caseload")


@pytest.fixture
def sqlite_only():
    if BACKEND != "sqlite":
        pytest.skip("SQLite-specific behaviour")


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        import json

        return json.loads(self.stdout)


class Cli:
    """Runs `caseload …` in-process as a user would, with this test's database and date."""

    def __init__(self, db: str, monkeypatch):
        self.db = db
        self.runner = CliRunner()
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("CASELOAD_DB", db)
        monkeypatch.setenv("CASELOAD_TODAY", DEFAULT_TODAY)
        monkeypatch.setenv("CASELOAD_WORKER", "jdoe")
        monkeypatch.delenv("CASELOAD_STANDARDS", raising=False)
        monkeypatch.delenv("CASELOAD_TEMPLATES", raising=False)
        monkeypatch.delenv("CASELOAD_REFERENCE_DOCX", raising=False)

    def today(self, iso: str) -> None:
        self.monkeypatch.setenv("CASELOAD_TODAY", iso)

    def run(self, *args: str, input: str | None = None) -> Outcome:
        from caseload.cli import app

        result = self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, input: str | None = None) -> Outcome:
        outcome = self.run(*args, input=input)
        assert outcome.exit_code == 0, f"caseload {' '.join(map(str, args))} failed: {outcome.stderr}"
        return outcome

    def fails(self, *args: str, code: int = 1, says: str | None = None, reports: bool = False) -> Outcome:
        """The command fails with one `Error: …` line on stderr and the given exit code, printing no
        data (`reports`: a diagnostic like `check` prints what it found before failing)."""
        outcome = self.run(*args)
        assert outcome.exit_code == code, (outcome.exit_code, outcome.stdout, outcome.stderr)
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), outcome.stderr
        assert "Traceback" not in outcome.stderr
        assert reports or outcome.stdout == "", outcome.stdout
        if says is not None:
            assert says in lines[0], lines[0]
        return outcome

    def json(self, *args: str):
        return self.ok(*args, "--json").json()


@pytest.fixture
def cli(db_target, monkeypatch) -> Cli:
    return Cli(db_target, monkeypatch)


@pytest.fixture
def rivera(cli) -> Cli:
    """A foster-care case, 2026-0142 Rivera, worker jdoe: Maya (child, placed) and Ana (parent)."""
    cli.ok("worker", "add", "jdoe", "--name", "Jamie Doe")
    cli.ok(
        "family",
        "add",
        "2026-0142",
        "--name",
        "Rivera",
        "--program",
        "foster_care",
        "--risk",
        "high",
        "--opened",
        "2026-01-05",
    )
    cli.ok("member", "add", "2026-0142", "Maya Rivera", "--role", "child", "--dob", "2016-05-02")
    cli.ok("member", "add", "2026-0142", "Ana Rivera", "--role", "parent")
    cli.ok(
        "placement",
        "add",
        "2026-0142",
        "Maya",
        "--start",
        "2026-01-10",
        "--setting",
        "kinship",
        "--removed",
        "2026-01-10",
    )
    return cli


@pytest.fixture
def part2_visit(rivera) -> int:
    """Rivera with one visit on 2026-03-31 recorded as a 42 CFR Part 2 (substance-use treatment)
    record, which every report holding it must carry the redisclosure notice for; its id."""
    outcome = rivera.ok(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-31",
        "--part2",
        "--note",
        "Mother attends the methadone clinic daily.",
    )
    return int(outcome.stdout)
