"""The audit trail is tamper-evident on both backends, and only registered workers write on SQLite.

Each audit row carries a sha256 over its content and the previous row's hash, and the row that
recorded a visit carries a digest of the visit; `caseload check` walks the chain, compares the
visits, and compares the append-only triggers with what the migrations made.
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from caseload.store.access import sqlite_triggers


@pytest.fixture
def private(tmp_path):
    os.chmod(tmp_path, 0o700)  # so `check` judges the record, not the directory


def _visit(cli, note="Maya seen at home.") -> int:
    return cli.json("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", note, "--no-input")["id"]


def _checks(cli, *args) -> dict[str, dict]:
    return {c["check"]: c for c in json.loads(cli.run(*args, "check", "--json").stdout)["checks"]}


def test_a_sound_trail_checks_ok(rivera, private):
    _visit(rivera)
    rivera.ok("visit", "void", _visit(rivera, "twice"), "--reason", "entered twice")
    checks = _checks(rivera)
    assert checks["audit chain"] == {
        "check": "audit chain",
        "status": "ok",
        "detail": "8 rows chained, 2 visits match",
    }
    assert checks["triggers"]["status"] == "ok"


def test_dropping_a_trigger_editing_a_narrative_and_recreating_it_is_caught(rivera, private, sqlite_only):
    visit_id = _visit(rivera)
    trigger = sqlite_triggers()["visit_no_edit"]
    with sqlite3.connect(rivera.db) as connection:
        connection.execute("DROP TRIGGER visit_no_edit")
        connection.execute("UPDATE visit SET narrative = 'Nothing of concern.' WHERE id = ?", (visit_id,))
        connection.execute(trigger)  # exactly as it was: the trigger check alone would pass
    outcome = rivera.fails("check", says="audit chain: visit", reports=True)
    assert f"visit {visit_id} no longer matches audit row 6" in outcome.stderr
    assert "triggers" not in outcome.stderr


def test_an_altered_or_missing_trigger_is_named(rivera, private, sqlite_only):
    with sqlite3.connect(rivera.db) as connection:
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute("DROP TRIGGER visit_no_delete")
        connection.execute("CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit WHEN 0 BEGIN SELECT 1; END")
    rivera.fails(
        "check",
        says="triggers: trigger audit_log_no_update is missing; trigger visit_no_delete was altered",
        reports=True,
    )


def test_an_edited_audit_row_breaks_the_chain_at_that_row(rivera, private, sqlite_only):
    with sqlite3.connect(rivera.db) as connection:
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute(
            "UPDATE audit_log SET actor = 'ldoe', at = '2026-11-01 09:00:00+00:00' WHERE id = 3"
        )
        connection.execute(sqlite_triggers()["audit_log_no_update"])
    rivera.fails("check", says="audit chain: audit row 3 (add member) does not match the chain", reports=True)


def test_a_hand_inserted_audit_row_breaks_the_chain(rivera, private, sqlite_only):
    with sqlite3.connect(rivera.db) as connection:
        connection.execute(
            "INSERT INTO audit_log (id, at, actor, action, entity, case_number, imported, hash) "
            "VALUES (6, '2026-11-01 09:00:00+00:00', 'ldoe', 'void', 'visit', '2026-0142', 0, 'f00')"
        )
    rivera.fails("check", says="audit chain: audit row 6 (void visit)", reports=True)


def test_imported_rows_keep_their_history_marked_imported(rivera, fresh_db, tmp_path, private):
    exported = json.loads(rivera.ok("export").stdout)
    forged = dict(exported["tables"]["audit_log"][0], actor="ldoe", action="void", id=99, uid=None)
    exported["tables"]["audit_log"].append(forged)
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(exported))
    target = fresh_db("target")
    rivera.ok("--db", target, "import", path)
    entries = rivera.json("--db", target, "audit")
    # rivera's 5 rows and the forged one come in marked; the import itself is one row of this database
    assert sorted((e["actor"], e["action"], e["imported"]) for e in entries) == sorted(
        [("jdoe", "add", True)] * 5 + [("ldoe", "void", True), ("jdoe", "import", False)]
    )
    assert (entries[-1]["action"], entries[-1]["entity"]) == ("import", "database")
    table = rivera.ok("--db", target, "audit").stdout
    assert "ldoe (imported)  void" in table
    assert _checks(rivera, "--db", target)["audit chain"]["status"] == "ok"


def test_an_unregistered_worker_cannot_write(rivera, sqlite_only):
    rivera.monkeypatch.setenv("CASELOAD_WORKER", "ldoe")
    before = rivera.json("audit")
    rivera.fails(
        "visit",
        "add",
        "2026-0142",
        "--date",
        "2026-03-02",
        "--no-input",
        says="'ldoe' is not a registered worker",
    )
    rivera.fails("family", "update", "2026-0142", "--risk", "low", says="'ldoe' is not a registered worker")
    assert rivera.json("audit") == before
    rivera.ok("worker", "add", "ldoe", "--name", "Lee Doe")  # adding oneself is how one starts
    _visit(rivera)


def test_the_demo_agency_is_chained_too(cli, private):
    cli.ok("demo", "--families", "3", "--seed", "7")
    assert _checks(cli)["audit chain"]["status"] == "ok"


def test_each_function_0006_replaces_is_changed():
    """0006's bodies built from 0005's by replacing a phrase: a phrase not found would leave the
    0005 body in place, silently."""
    from caseload.store.access import PG_FUNCTIONS_0005, PG_FUNCTIONS_0006

    replaced = [name for name in PG_FUNCTIONS_0006 if name in PG_FUNCTIONS_0005]
    assert replaced and all(PG_FUNCTIONS_0006[name] != PG_FUNCTIONS_0005[name] for name in replaced)
