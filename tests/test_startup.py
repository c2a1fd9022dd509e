"""Start-up stays light: `--help`, `overdue` and `compliance` never import the ORM, rich, Jinja or pydantic,
on either backend (PostgreSQL is reached through psycopg alone; SQLAlchemy serves migrations only).

SQLAlchemy and SQLModel (~165-273 ms here), rich and jinja2 serve migrations, writes through the ORM,
terminals and reports, pydantic (~45 ms) the typed report contexts; the morning list piped to a
script or a file must not pay for them. Each command runs as its own process, as a user runs it,
and then lists the packages it imported.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# and the document converters (pandoc's wheel, typst) with their readers, which only a report needs
HEAVY = {
    "sqlmodel",
    "sqlalchemy",
    "rich",
    "jinja2",
    "pydantic",
    "pypandoc",
    "typst",
    "docx",
    "pypdf",
    "matplotlib",
    "numpy",
    "PIL",
}
RUN_THEN_LIST_PACKAGES = """
import sys
from caseload.cli import app
try:
    app(args=sys.argv[1:], prog_name="caseload")
except SystemExit as exit:
    sys.stderr.write(f"\\nEXIT {exit.code}\\nPACKAGES " + " ".join({name.split(".")[0] for name in sys.modules}))
"""


def run(*args: str) -> tuple[str, int, set[str]]:
    """stdout, exit code and the heavy packages imported by `caseload ARGS` in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", RUN_THEN_LIST_PACKAGES, *args], capture_output=True, text=True, env=env
    )
    lines = result.stderr.splitlines()
    code = int(lines[-2].removeprefix("EXIT "))
    return result.stdout, code, set(lines[-1].removeprefix("PACKAGES ").split()) & HEAVY


def test_help_imports_nothing_heavy():
    stdout, code, heavy = run("--help")
    assert (code, heavy) == (0, set())
    assert "overdue" in stdout


@pytest.mark.parametrize(
    "args",
    [
        ("overdue",),
        ("overdue", "--all"),
        ("overdue", "--all", "--json"),
        ("overdue", "--csv"),
        ("overdue", "--team"),
    ],
    ids=["default worker", "all, plain table", "json", "csv", "team"],
)
def test_overdue_imports_nothing_heavy(rivera, args):
    # Maya, placed 2026-01-10 and never visited: her January visit is long overdue on 2026-04-01.
    stdout, code, heavy = run(*args)
    assert (code, heavy) == (0, set())
    assert "Maya Rivera" in stdout


def test_compliance_imports_nothing_heavy(rivera):
    # Maya, placed 2026-01-10 and never visited: February and March are missed child-months.
    stdout, code, heavy = run("compliance")
    assert (code, heavy) == (0, set())
    assert "0 of 2 child-months" in stdout


def test_compliance_by_month_imports_nothing_heavy(rivera):
    # the month-by-month charts are plain text; no plotting library either
    stdout, code, heavy = run("compliance", "--by-month")
    assert (code, heavy) == (0, set())
    assert "2026-02  1             0        0.00%" in stdout


def test_recording_a_visit_does_not_import_the_orm(rivera):
    _, code, heavy = run("visit", "add", "2026-0142", "--note", "Maya was at home.")
    assert code == 0
    assert heavy & {"sqlalchemy", "sqlmodel"} == set()
