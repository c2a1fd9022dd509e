"""`make bench`: time caseload's everyday commands on an agency-sized database, on both backends.

Builds bench/cache/agency.db once (5,000 families, ~1,000,000 contacts over three years, pinned to
BENCH_TODAY so every run measures the same data), and the same agency (same seed, same date) in a
PostgreSQL cluster kept in bench/cache/pg (started for the run, stopped after; skipped where
PostgreSQL is not installed). Each command runs REPEAT times as a real process; the table gives the
median wall time on each backend and peak memory, beside two floors: `python -c pass` (interpreter
start-up) and, for the commands that judge cases, the very queries caseload runs for their facts
(`caseload.store.facts.fact_queries`, parameters written in) run by the bare `sqlite3` CLI.
Results are printed and saved to bench/results.json.

`python bench/run.py scale` (make bench-scale) builds a 50,000-family agency on PostgreSQL and times
one worker's `overdue` there: it should cost what her caseload costs, not what the agency costs.

`python bench/run.py sync` (make bench-sync) times the busiest worker's laptop replica of the same
5,000-family agency on PostgreSQL, under her own login: the first `sync init`, a `sync` with nothing
to do, and a `sync` after a week offline (30 visits and 10 goal updates on the laptop, 10 visits at
the office meanwhile).
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

PG_CACHE = CACHE / "pg"
AGENCY = ["--families", "5000", "--months", "36", "--seed", "1", "--contacts", "4.5"]
SCALE_AGENCY = ["--families", "50000", "--months", "12", "--seed", "1", "--contacts", "1"]

# Targets (median seconds) of issues 8 and 14, for the table: (SQLite, PostgreSQL).
TARGETS = {
    "--help": (0.100, None),
    "overdue (one worker)": (0.100, 0.200),
    "overdue --all --json": (0.400, 0.800),
    "visit add": (0.100, 0.200),
    "compliance --all (fiscal year)": (1.0, None),
    "report court": (0.400, None),
}
SCALE_TARGET = 0.250
# Targets (median seconds) of issue 18.
SYNC_TARGETS = {
    "sync init (first)": 5.0,
    "sync (nothing to do)": 0.5,
    "sync (a week offline)": 2.0,
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
    CACHE.mkdir(mode=0o700, parents=True, exist_ok=True)
    _build(str(DB), AGENCY, f"{DB} (5,000 families, ~1,000,000 contacts; once, then cached)")


def _build(target: str, agency: list[str], what: str) -> None:
    print(f"Building {what}…", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run([*CASELOAD, "--db", target, "init"], check=True, env=_env(), stdout=subprocess.DEVNULL)
    subprocess.run([*CASELOAD, "--db", target, "demo", *agency], check=True, env=_env())
    print(f"Built in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def postgres_cluster():
    """The benchmark's PostgreSQL cluster (kept in bench/cache/pg), started; None without PostgreSQL."""
    from tests.pgcluster import Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL is not installed: the PostgreSQL column is skipped", file=sys.stderr)
        return None
    cluster = Cluster(bindir, keep_in=PG_CACHE)
    cluster.start()
    return cluster


def postgres_database(cluster, name: str, agency: list[str], what: str) -> str:
    """The agency `name` in the cluster, built (same seed, same date as the SQLite file) if missing."""
    if not cluster.execute(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        cluster.execute(f"CREATE DATABASE {name}")
        try:
            _build(cluster.url(name), agency, what)
            cluster.execute("VACUUM ANALYZE", database=name)  # the statistics a live server would have
        except BaseException:
            cluster.execute(f"DROP DATABASE {name}")
            raise
    return cluster.url(name)


def postgres_logins(cluster, worker: str) -> tuple[str, str]:
    """URLs for the busiest worker's own login and an admin's (records, QA) on the scratch copy, so
    the PostgreSQL figures include row-level security as an agency deploys it."""
    for login, group in ((worker, "caseload_worker"), ("bench_admin", "caseload_admin")):
        cluster.execute(
            f'DO $$BEGIN CREATE ROLE "{login}" LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END$$'
        )
        cluster.execute(f'GRANT {group} TO "{login}"')
    cluster.execute(f"UPDATE worker SET login = '{worker}' WHERE id = '{worker}'", database="scratch")
    cluster.execute(
        "INSERT INTO worker (id, name, login, created_at) "
        "VALUES ('bench_admin', 'Records QA', 'bench_admin', now()) ON CONFLICT DO NOTHING",
        database="scratch",
    )
    base = cluster.url("scratch")
    return base.replace("postgres@", f"{worker}@"), base.replace("postgres@", "bench_admin@")


def postgres_scratch(cluster, source: str) -> str:
    """A copy of a cached agency for the commands that write, so the cache never drifts."""
    cluster.execute("DROP DATABASE IF EXISTS scratch")
    cluster.execute(f"CREATE DATABASE scratch TEMPLATE {source}")
    return cluster.url("scratch")


def _env(worker: str | None = None) -> dict[str, str]:
    """The commands' environment; `worker`: who records (a write needs a registered worker)."""
    env = dict(os.environ, CASELOAD_TODAY=BENCH_TODAY, NO_COLOR="1")
    env.pop("CASELOAD_WORKER", None)
    if worker:
        env["CASELOAD_WORKER"] = worker
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


def a_foster_case(worker: str) -> str:
    """The worker's first foster-care case: what she records a visit on and reports on."""
    import sqlite3

    with sqlite3.connect(DB) as connection:
        return connection.execute(
            "SELECT case_number FROM family WHERE program = 'foster_care' AND worker_id = ? "
            "AND closed_on IS NULL ORDER BY case_number LIMIT 1",
            (worker,),
        ).fetchone()[0]


def command_cases(
    target: str, worker: str, case: str, floors: bool, whole_agency: str | None = None
) -> list[tuple[str, list[str], str | None]]:
    """The timed commands on `target`, each with its sqlite3 floor script where `floors`; the
    whole-agency commands on `whole_agency` when given (PostgreSQL: an admin's login)."""
    db = ["--db", target]
    agency = ["--db", whole_agency or target]

    def floor(**kwargs) -> str | None:
        return fact_queries_script(BENCH_TODAY, **kwargs) if floors else None

    return [
        ("--help", [*CASELOAD, "--help"], None),
        ("overdue (one worker)", [*CASELOAD, *db, "overdue", "--worker", worker], floor(worker=worker)),
        ("overdue --all --json", [*CASELOAD, *agency, "overdue", "--all", "--json"], floor()),
        (
            "compliance --all (fiscal year)",
            [*CASELOAD, *agency, "compliance", "--all"],
            floor(fiscal_year=True),
        ),
        (
            "visit add",
            [*CASELOAD, *db, "visit", "add", case, "--note", "Benchmark visit.", "--no-input"],
            None,
        ),
        ("report court", [*CASELOAD, *db, "report", "court", case], None),
        ("report caseload --all", [*CASELOAD, *agency, "report", "caseload", "--all"], None),
    ]


def time_cases(cases, scratch: str | None, worker: str) -> dict[str, dict]:
    sqlite3_cli = shutil.which("sqlite3")
    measured_cases = {}
    for name, argv, floor_sql in cases:
        try:
            measured = measure(argv, env=_env(worker))
        except SystemExit as failure:
            print(f"  {name}: skipped: {str(failure).splitlines()[0][:80]}", file=sys.stderr)
            continue
        if floor_sql and sqlite3_cli and scratch:
            measured["sqlite3_floor"] = measure([sqlite3_cli, scratch, floor_sql], env=dict(os.environ))
        measured_cases[name] = measured
    return measured_cases


def main() -> None:
    build_database()
    scratch = CACHE / "scratch.db"  # writes go to a copy, so the cached database never drifts
    shutil.copyfile(DB, scratch)
    os.chmod(scratch, 0o600)
    # A database cached by an older caseload is migrated here, untimed, not in the first timed run.
    subprocess.run(
        [*CASELOAD, "--db", str(scratch), "init"], check=True, env=_env(), stdout=subprocess.DEVNULL
    )
    worker = busiest_worker()
    case = a_foster_case(worker)
    python_floor = measure([sys.executable, "-c", "pass"])
    print("Timing on SQLite…", file=sys.stderr)
    on_sqlite = time_cases(command_cases(str(scratch), worker, case, floors=True), str(scratch), worker)
    on_postgres = {}
    cluster = postgres_cluster()
    if cluster is not None:
        try:
            postgres_database(cluster, "agency", AGENCY, "the same agency on PostgreSQL (once, then cached)")
            target = postgres_scratch(cluster, "agency")
            subprocess.run(
                [*CASELOAD, "--db", target, "init"], check=True, env=_env(), stdout=subprocess.DEVNULL
            )
            as_worker, as_admin = postgres_logins(cluster, worker)
            print("Timing on PostgreSQL (the worker's and an admin's logins)…", file=sys.stderr)
            on_postgres = time_cases(
                command_cases(as_worker, worker, case, floors=False, whole_agency=as_admin), None, worker
            )
        finally:
            cluster.stop()
    report(python_floor, on_sqlite, on_postgres)


def report(python_floor: dict, on_sqlite: dict, on_postgres: dict) -> None:
    """The side-by-side table, and bench/results.json."""

    def cell(value: float | None) -> str:
        return f"{value:.3f}" if value is not None else "-"

    header = f"{'command':31} {'SQLite':>7} {'target':>7} {'PG':>7} {'target':>7} {'peak MB':>8} {'sqlite3 floor':>14}"
    print(header)
    print("-" * len(header))
    print(f"{'python -c pass':31} {python_floor['median_s']:7.3f}")
    for name in on_sqlite:
        lite, pg = on_sqlite[name], on_postgres.get(name, {})
        lite_target, pg_target = TARGETS.get(name, (None, None))
        lite["target_s"] = lite_target
        if pg:
            pg["target_s"] = pg_target
        floor = lite.get("sqlite3_floor", {}).get("median_s")
        print(
            f"{name:31} {cell(lite['median_s']):>7} {cell(lite_target):>7} {cell(pg.get('median_s')):>7} "
            f"{cell(pg_target):>7} {lite['peak_mb']:8.1f} {cell(floor):>14}"
        )
    results = {
        "database": str(DB),
        "today": BENCH_TODAY,
        "repeat": REPEAT,
        "python -c pass": python_floor,
        "sqlite": on_sqlite,
        "postgresql": on_postgres,
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nSaved {HERE / 'results.json'}")


def scale() -> None:
    """One worker's `overdue` on a 50,000-family agency on PostgreSQL (make bench-scale)."""
    cluster = postgres_cluster()
    if cluster is None:
        raise SystemExit("bench-scale needs PostgreSQL")
    try:
        target = postgres_database(cluster, "agency50k", SCALE_AGENCY, "a 50,000-family agency on PostgreSQL")
        import psycopg

        with psycopg.connect(target) as connection:
            worker, families = connection.execute(
                "SELECT worker_id, COUNT(*) FROM family WHERE closed_on IS NULL "
                "GROUP BY worker_id ORDER BY COUNT(*) DESC LIMIT 1"
            ).fetchone()
            total = connection.execute("SELECT COUNT(*) FROM family").fetchone()[0]
        measured = measure([*CASELOAD, "--db", target, "overdue", "--worker", worker])
    finally:
        cluster.stop()
    print(
        f"overdue --worker {worker} ({families} open families of {total:,}): median "
        f"{measured['median_s']:.3f} s (target {SCALE_TARGET:.3f}), peak {measured['peak_mb']} MB"
    )
    (HERE / "results-scale.json").write_text(
        json.dumps({"worker": worker, "families": families, "agency": total, **measured}, indent=2) + "\n"
    )


def sync() -> None:
    """The busiest worker's laptop replica of the 5,000-family agency (make bench-sync)."""
    import tempfile

    cluster = postgres_cluster()
    if cluster is None:
        raise SystemExit("bench-sync needs PostgreSQL")
    folder = Path(tempfile.mkdtemp(prefix="caseload-bench-sync-"))
    laptop = folder / "laptop.db"
    results = {}
    try:
        postgres_database(cluster, "agency", AGENCY, "the agency on PostgreSQL (once, then cached)")
        target = postgres_scratch(cluster, "agency")
        subprocess.run([*CASELOAD, "--db", target, "init"], check=True, env=_env(), stdout=subprocess.DEVNULL)
        worker, families = cluster.execute(
            "SELECT worker_id, COUNT(*) FROM family WHERE closed_on IS NULL "
            "GROUP BY worker_id ORDER BY COUNT(*) DESC, worker_id LIMIT 1",
            database="scratch",
        )
        as_worker, _as_admin = postgres_logins(cluster, worker)
        print(f"Timing {worker}'s replica ({families} open families of 5,000)…", file=sys.stderr)
        times = []
        for _ in range(3):
            laptop.unlink(missing_ok=True)
            started = time.perf_counter()
            subprocess.run([*CASELOAD, "--db", str(laptop), "sync", "init", as_worker], check=True,
                           env=_env(worker), capture_output=True)  # fmt: skip
            times.append(time.perf_counter() - started)
        results["sync init (first)"] = {
            "min_s": round(min(times), 4),
            "median_s": round(statistics.median(times), 4),
        }
        results["sync (nothing to do)"] = measure([*CASELOAD, "--db", str(laptop), "sync"], env=_env(worker))
        results["sync (a week offline)"] = _a_week_offline(laptop, as_worker, worker)
        results["replica"] = {"bytes": laptop.stat().st_size}
    finally:
        cluster.stop()
        shutil.rmtree(folder)
    for name, target_s in SYNC_TARGETS.items():
        print(f"{name:24} median {results[name]['median_s']:.3f} s (target {target_s:.1f})")
    print(f"replica file: {results['replica']['bytes'] / 1e6:.1f} MB; last sync printed: "
          f"{results['sync (a week offline)']['printed']}")  # fmt: skip
    (HERE / "results-sync.json").write_text(
        json.dumps({"worker": worker, "open_families": families, "agency": 5000, **results}, indent=2) + "\n"
    )


def _a_week_offline(laptop: Path, server: str, worker: str) -> dict:
    """30 visits and 10 goal updates on the laptop, 10 visits at the office meanwhile; then one sync."""

    def run(*args: str) -> str:
        done = subprocess.run(
            [*CASELOAD, *args], check=True, env=_env(worker), capture_output=True, text=True
        )
        return done.stdout

    cases = [row["case_number"] for row in json.loads(run("--db", str(laptop), "family", "list", "--json"))]
    goals = [row["id"] for row in json.loads(run("--db", str(laptop), "goal", "list", "--json"))]
    for day in range(30):
        run("--db", str(laptop), "visit", "add", cases[day % len(cases)], "--date", f"2026-06-{day % 14 + 1:02d}",
            "--note", "Offline visit.", "--no-input")  # fmt: skip
    for goal in goals[:10]:
        run("--db", str(laptop), "goal", "update", str(goal), "--note", "Progress noted offline.")
    for day in range(10):
        run("--db", server, "visit", "add", cases[-1 - day % len(cases)], "--date", f"2026-06-{day + 1:02d}",
            "--note", "Office visit.", "--no-input")  # fmt: skip
    started = time.perf_counter()
    printed = run("--db", str(laptop), "sync").strip()
    elapsed = round(time.perf_counter() - started, 4)
    return {"min_s": elapsed, "median_s": elapsed, "printed": printed}


if __name__ == "__main__":
    {"scale": scale, "sync": sync}.get(sys.argv[1] if sys.argv[1:] else "", main)()
