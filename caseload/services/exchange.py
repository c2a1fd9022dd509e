"""Use cases of moving data between systems: export the record (all of it, or one case), and restore
a JSON export into an empty database with its ids. Every export and import is audited."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from caseload import clock
from caseload.errors import IntegrityProblem, RuleViolation, UsageProblem
from caseload.parsing import refuse_controls
from caseload.services.common import audit, disclose, require_family
from caseload.store import access, bulk, exchange
from caseload.store.db import Database
from caseload.store.migrate import HEAD_REVISION, importable

Advance = Callable[[int], None]
Progress = Callable[[str, int], AbstractContextManager[Advance]]  # (description, total) -> advance
IMPORT_CHUNK = 5_000  # rows per insert batch, and per step of the progress bar


def export_record(db: Database, case_number: str | None) -> dict[str, Any]:
    """The export document: schema version, when, which case (None: all), the 42 CFR Part 2
    redisclosure notice when a Part 2 visit is in it, and every table's rows."""
    from caseload.disclosure import holds_part2, part2_notice

    with db.read() as rows:
        family = require_family(rows, case_number) if case_number else None
        tables = {table.name: exchange.read_table(rows, table, family) for table in exchange.tables()}
    return {
        "schema_version": HEAD_REVISION,
        "exported_at": clock.now(),
        "case_number": family["case_number"] if family else None,
        "part2_notice": part2_notice() if holds_part2(tables["visit"]) else None,
        "tables": tables,
    }


def columns() -> dict[str, list[str]]:
    """Each table's columns in order: the header of its CSV file or sheet."""
    return {table.name: list(table.columns) for table in exchange.tables()}


def row_count(document: dict[str, Any]) -> int:
    return sum(len(found) for found in document["tables"].values())


def record_export(db: Database, document: dict[str, Any], fmt: str, where: str, deliver) -> None:
    """Log the export (action "export": format, case or all, rows, destination) as it is handed over."""
    case_number = document["case_number"]
    detail = f"{fmt}, {case_number or 'all'}, {row_count(document)} rows, to {where}"
    if document["part2_notice"]:
        detail += "; holds 42 CFR Part 2 records"
    disclose(db, "export", "case" if case_number else "database", case_number, case_number, detail, deliver)


def import_file(db: Database, path: Path, progress: Progress) -> dict[str, Any]:
    """Import a JSON export or a families CSV, told apart by their content, not their name."""
    import json

    from caseload.services import families_csv

    source = str(path.expanduser().absolute())
    text = _read_text(path)
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageProblem(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        with progress("Importing", _declared_rows(document)) as advance:
            counts = import_export(db, document, source, advance)
        return {"format": "json", "path": source, "counts": counts}
    if families_csv.is_families_csv(text):
        with progress("Importing", text.count("\n")) as advance:
            counts = families_csv.import_families(db, text, source, advance)
        return {"format": "families_csv", "path": source, "counts": counts}
    raise UsageProblem(
        f"{path} is neither a caseload JSON export nor a families CSV "
        f"(its header must be: {','.join(families_csv.COLUMNS)})"
    )


def _read_text(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageProblem(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror}") from None


def _declared_rows(document: Any) -> int:
    tables = document.get("tables") if isinstance(document, dict) else None
    return (
        sum(len(found) for found in tables.values() if isinstance(found, list))
        if isinstance(tables, dict)
        else 0
    )


def import_export(db: Database, document: Any, source: str, advance: Advance) -> dict[str, int]:
    """Restore a JSON export, ids and all, into a database that holds nothing yet; one transaction."""
    data = _checked_tables(document)
    data["worker"] = _supervisors_first(data.get("worker", []))
    with db.write() as rows:
        held = exchange.counts(rows)
        if any(held.values()):
            raise RuleViolation(
                f"the database already holds {sum(held.values())} rows: "
                "a JSON export is imported only into a new, empty database"
            )
        # forged or not, imported audit rows show as imported, chained after what the database holds
        data["audit_log"] = access.chain_imported(rows, data.get("audit_log", []))
        for table in exchange.tables():
            found = data.get(table.name, [])
            for start in range(0, len(found), IMPORT_CHUNK):
                bulk.load(rows, {table.name: found[start : start + IMPORT_CHUNK]})
                advance(len(found[start : start + IMPORT_CHUNK]))
        loaded = {table.name: len(data.get(table.name, [])) for table in exchange.tables()}
        scope = document.get("case_number") or "all"
        detail = (
            f"json export of {document.get('exported_at')} ({scope}), {sum(loaded.values())} rows, "
            f"from {source}"
        )
        audit(rows, "import", "database", None, document.get("case_number"), detail)
    return loaded


def _checked_tables(document: Any) -> dict[str, list[dict[str, Any]]]:
    """The export's rows with values of their columns' types; a one-line error for what is not."""
    if not isinstance(document, dict) or not isinstance(document.get("tables"), dict):
        raise UsageProblem('not a caseload JSON export (no "tables" object)')
    version = document.get("schema_version")
    if not isinstance(version, str) or not importable(version):
        raise RuleViolation(
            f"the export has schema {version}, this caseload {HEAD_REVISION}: export it again with this version"
        )
    known = {table.name: table for table in exchange.tables()}
    unknown = sorted(set(document["tables"]) - set(known))
    if unknown:
        raise UsageProblem(f"the export has unknown tables: {', '.join(unknown)}")
    data = {}
    for name, found in document["tables"].items():
        if not isinstance(found, list):
            raise UsageProblem(f"table {name} is not a list of rows")
        data[name] = [_typed_row(known[name], row, number) for number, row in enumerate(found, start=1)]
    return data


def _typed_row(table: exchange.Table, row: Any, number: int) -> dict[str, Any]:
    where = f"table {table.name}, row {number}"
    if not isinstance(row, dict):
        raise UsageProblem(f"{where} is not an object")
    unknown = sorted(set(row) - set(table.columns))
    if unknown:
        raise UsageProblem(f"{where}: unknown columns {', '.join(unknown)}")
    try:
        typed = {name: exchange.from_plain(kind, row.get(name)) for name, kind in table.columns.items()}
    except ValueError as exc:
        raise UsageProblem(f"{where}: {exc}") from None
    for name, value in typed.items():
        if isinstance(value, str):  # the command line's check: no control or bidi characters
            refuse_controls(value, f"{where}: {name}", line_breaks=not _is_name(name))
    return typed


def _is_name(column: str) -> bool:
    return column in ("name", "name_key") or column.endswith("_name")


def _supervisors_first(workers: list[dict]) -> list[dict]:
    """Workers ordered so each supervisor is inserted before the workers they supervise."""
    ordered: list[dict] = []
    placed: set[str] = set()
    pending = list(workers)
    while pending:
        ready = [w for w in pending if w["supervisor_id"] is None or w["supervisor_id"] in placed]
        if not ready:
            raise IntegrityProblem(f"worker {pending[0]['id']!r} has a supervisor missing from the export")
        ordered.extend(ready)
        placed.update(w["id"] for w in ready)
        pending = [w for w in pending if w["id"] not in placed]
    return ordered
