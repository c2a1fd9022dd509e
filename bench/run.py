"""`make bench`: time caseload's everyday commands on an agency-sized database.

Builds bench/cache/agency.db once (5,000 families, ~1,000,000 contacts over three years, pinned to
BENCH_TODAY so every run measures the same data), then runs each command REPEAT times as a real
process and reports min/median wall time and peak memory, beside two floors: `python -c pass`
(interpreter start-up) and, for the commands that judge cases, the very queries caseload runs for
their facts (`caseload.store.facts.fact_queries`, parameters written in) run by the bare `sqlite3` CLI
on the same file.
Results are printed and saved to bench/results.json.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
CACHE = HERE / "cache"
DB = CACHE / "agency.db"
BENCH_TODAY = "2026-06-15"
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
CASELOAD = [sys.executable, "-m", "caseload"]

# Targets of issue 8 (median seconds), for the table.
TARGETS = {
    "--help": 0.150,
    "overdue (one worker)": 0.200,
    "overdue --all --json": 0.400,
    "visit add": 0.250,
    "compliance --all (fiscal year)": 1.0,
    "report court": 0.400,
}


def fact_queries_script(as_of: str, worker: str | None = None, fiscal_year: bool = False) -> str:
    """The fact queries of `overdue` (or, with `fiscal_year`, of `compliance` over its default
    period) as one sqlite3 script: what the command asks of the database, without Python around it."""
    import datetime as dt
    import re

    from caseload.rules.measure import fiscal_year_period
    from caseload.store.facts import CaseFilter, fact_queries

    day = dt.date.fromisoformat(as_of)
    since = fiscal_year_period(day)[0].first_day if fiscal_year else None
    cases = CaseFilter(as_of=day, worker_id=worker, open_after=since)
    queries, params = fact_queries(cases, since)

    def literal(match: re.Match) -> str:
        value = params[match[1]]
        return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"

    return "".join(re.sub(r":(\w+)", literal, sql) + ";\n" for sql in queries.values())


def build_database() -> None:
    if DB.exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"Building {DB} (5,000 families, ~1,000,000 contacts; once, then cached)…", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [
            *CASELOAD,
            "--db",
            str(DB),
            "demo",
            "--families",
            "5000",
            "--months",
            "36",
            "--seed",
            "1",
            "--contacts",
            "4.5",
        ],
        check=True,
        env=_env(),
    )
    print(f"Built in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _env() -> dict[str, str]:
    env = dict(os.environ, CASELOAD_TODAY=BENCH_TODAY, NO_COLOR="1")
    env.pop("CASELOAD_WORKER", None)
    # Timed as installed, with caseload's bytecode cached: not compiled again on every run (~10 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(argv: list[str], repeat: int = REPEAT, env: dict | None = None) -> dict:
    """Wall time (min, median) and peak RSS of a command run `repeat` times as its own process."""
    times, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or _env())
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()}")
    return {
        "min_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
        "peak_mb": round(max(peaks), 1),
    }


def busiest_worker() -> str:
    import sqlite3

    with sqlite3.connect(DB) as connection:
        return connection.execute(
            "SELECT worker_id FROM family WHERE closed_on IS NULL GROUP BY worker_id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]


def a_foster_case() -> str:
    import sqlite3

    with sqlite3.connect(DB) as connection:
        return connection.execute(
            "SELECT case_number FROM family WHERE program = 'foster_care' ORDER BY case_number LIMIT 1"
        ).fetchone()[0]


def main() -> None:
    build_database()
    scratch = CACHE / "scratch.db"  # writes go to a copy, so the cached database never drifts
    shutil.copyfile(DB, scratch)
    # A database cached by an older caseload is migrated here, untimed, not in the first timed run.
    subprocess.run(
        [*CASELOAD, "--db", str(scratch), "init"], check=True, env=_env(), stdout=subprocess.DEVNULL
    )
    worker, case = busiest_worker(), a_foster_case()
    db = ["--db", str(scratch)]
    sqlite3_cli = shutil.which("sqlite3")
    cases = [
        ("--help", [*CASELOAD, "--help"], None),
        (
            "overdue (one worker)",
            [*CASELOAD, *db, "overdue", "--worker", worker],
            fact_queries_script(BENCH_TODAY, worker),
        ),
        (
            "overdue --all --json",
            [*CASELOAD, *db, "overdue", "--all", "--json"],
            fact_queries_script(BENCH_TODAY),
        ),
        (
            "compliance --all (fiscal year)",
            [*CASELOAD, *db, "compliance", "--all"],
            fact_queries_script(BENCH_TODAY, fiscal_year=True),
        ),
        (
            "visit add",
            [*CASELOAD, *db, "visit", "add", case, "--note", "Benchmark visit.", "--no-input"],
            None,
        ),
        ("report court", [*CASELOAD, *db, "report", "court", case], None),
        ("report caseload --all", [*CASELOAD, *db, "report", "caseload", "--all"], None),
    ]
    python_floor = measure([sys.executable, "-c", "pass"])
    results = {
        "database": str(DB),
        "today": BENCH_TODAY,
        "repeat": REPEAT,
        "python -c pass": python_floor,
        "commands": {},
    }
    header = f"{'command':34} {'min':>8} {'median':>8} {'peak MB':>8} {'target':>8} {'sqlite3 floor':>14} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    print(
        f"{'python -c pass':34} {python_floor['min_s']:8.3f} {python_floor['median_s']:8.3f} "
        f"{python_floor['peak_mb']:8.1f}"
    )
    for name, argv, floor_sql in cases:
        try:
            measured = measure(argv)
        except SystemExit as failure:
            print(f"{name:34} skipped: {str(failure).splitlines()[0][:80]}")
            continue
        if floor_sql and sqlite3_cli:
            measured["sqlite3_floor"] = measure([sqlite3_cli, str(scratch), floor_sql], env=dict(os.environ))
        target = TARGETS.get(name)
        measured["target_s"] = target
        floor = measured.get("sqlite3_floor", {}).get("median_s")
        if floor:
            # the yardstick: (command - Python start-up) / the same queries in bare sqlite3
            measured["floor_ratio"] = round((measured["median_s"] - python_floor["median_s"]) / floor, 1)
        print(
            f"{name:34} {measured['min_s']:8.3f} {measured['median_s']:8.3f} {measured['peak_mb']:8.1f} "
            f"{(f'{target:.3f}' if target else '-'):>8} {(f'{floor:.3f}' if floor else '-'):>14} "
            f"{measured.get('floor_ratio', '-'):>6}"
        )
        results["commands"][name] = measured
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nSaved {HERE / 'results.json'}")


if __name__ == "__main__":
    main()
