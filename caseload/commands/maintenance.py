"""`caseload check` and `caseload backup`: is the database sound and private; a verified copy of it."""

from pathlib import Path

import typer

from caseload.commands import Force, Json, database

CHECK_COLUMNS = [("status", "Status"), ("check", "Check"), ("detail", "Detail")]


def check(as_json: Json = False) -> None:
    """Check the database: pages, references, schema version, and who may read its files.

    Exits 1 naming what is wrong. Never creates, upgrades or changes the database.

    \b
    Example:
      caseload check
    """
    from caseload.errors import IntegrityProblem
    from caseload.render.output import Output, print_table
    from caseload.services import maintenance

    report = maintenance.check(database())

    def show() -> None:
        print_table(report["checks"], CHECK_COLUMNS)

    Output(as_json).emit(report, show)
    failed = [f"{c['check']}: {c['detail']}" for c in report["checks"] if c["status"] == "fail"]
    if failed:
        raise IntegrityProblem(f"{len(failed)} check(s) failed: {'; '.join(failed)}")


def backup(
    dest: Path = typer.Argument(..., metavar="DEST", help="The backup file to write (mode 0600)."),
    force: Force = False,
    as_json: Json = False,
) -> None:
    """Copy the database to DEST while others keep working, and verify the copy.

    Uses SQLite's online backup; the copy is checked (integrity, row counts) before it gets its name.
    To restore: stop caseload, delete caseload.db-wal and caseload.db-shm, copy DEST over the
    database with mode 0600 (install -m 600 DEST caseload.db), then run caseload check.
    PostgreSQL databases are backed up with pg_dump instead.

    \b
    Example:
      caseload backup caseload-2026-04-01.db
    """
    from caseload.render.output import Output, say
    from caseload.render.progress import progress
    from caseload.services import maintenance

    copy = maintenance.backup(database(), dest, force, progress)

    def show() -> None:
        say(
            f"Backed up {sum(copy['rows'].values())} rows to {copy['path']} (verified: integrity ok, row counts equal)."
        )
        typer.echo(copy["path"])

    Output(as_json).emit(copy, show)
