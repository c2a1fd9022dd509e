"""`-o PATH` and stdout: nothing is replaced unasked, never the database or a device, a file appears
only after its disclosure is logged, and no transaction is held while a reader takes its time."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
from contextlib import contextmanager

import pytest

from tests.dbtools import caseload_command, process_env

# One command of each kind that writes a file with -o: a report, an export, a calendar.
WRITERS = {
    "report": ("report", "court", "2026-0142"),
    "export": ("export",),
    "calendar": ("calendar",),
}
SUFFIX = {"report": ".md", "export": ".json", "calendar": ".ics"}


def _disclosures(cli) -> list[dict]:
    return [e for e in cli.json("audit") if e["action"] in ("report", "export")]


@pytest.mark.parametrize("writer", WRITERS)
def test_an_existing_file_is_replaced_only_with_force(rivera, tmp_path, writer):
    target = tmp_path / f"kept{SUFFIX[writer]}"
    target.write_text("the worker's own file\n")
    before = len(_disclosures(rivera))
    rivera.fails(*WRITERS[writer], "-o", target, code=2, says="already exists; give --force to replace it")
    assert target.read_text() == "the worker's own file\n"
    assert len(_disclosures(rivera)) == before  # nothing disclosed, nothing logged
    rivera.ok(*WRITERS[writer], "-o", target, "--force")
    assert target.read_text() != "the worker's own file\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert len(_disclosures(rivera)) == before + 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("companion", ["", "-wal", "-shm"])
@pytest.mark.parametrize("writer", WRITERS)
def test_the_database_and_its_files_are_never_an_output_even_with_force(
    rivera, sqlite_only, tmp_path, writer, companion
):
    target = rivera.db + companion
    if not os.path.exists(target):
        open(target, "wb").close()  # -wal and -shm exist while another process has the database open
    size = os.path.getsize(target)
    rivera.fails(*WRITERS[writer], "-o", target, "--force", code=2, says="is the caseload database")
    assert os.path.getsize(target) == size
    link = tmp_path / "innocent"
    link.symlink_to(target)
    rivera.fails(*WRITERS[writer], "-o", link, "--force", code=2, says="is the caseload database")
    assert rivera.json("family", "list")[0]["case_number"] == "2026-0142"


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
@pytest.mark.parametrize("writer", WRITERS)
def test_only_a_regular_file_is_written(rivera, tmp_path, writer, kind):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to("/dev/null")  # a character device, reached through a link in tmp_path
    rivera.fails(*WRITERS[writer], "-o", target, "--force", code=2, says="not a regular file")
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
    elif kind == "directory":
        assert target.is_dir() and list(target.iterdir()) == []
    else:
        assert target.is_symlink() and os.readlink(target) == "/dev/null"


def test_a_device_path_says_to_leave_out_o(rivera):
    rivera.fails("report", "court", "2026-0142", "-o", "/dev/stdout", code=2, says="leave out -o")


@contextmanager
def _failing_commit(monkeypatch):
    """Every unit of work fails at its commit, as on a full disk: nothing it wrote is kept."""
    from caseload.errors import IntegrityProblem
    from caseload.store.db import Database

    original = Database.write

    @contextmanager
    def write(self):
        with original(self) as rows:
            yield rows
            raise IntegrityProblem("database refused the change: database or disk is full")

    monkeypatch.setattr(Database, "write", write)
    yield
    monkeypatch.setattr(Database, "write", original)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_failed_audit_leaves_no_file(rivera, tmp_path, monkeypatch, writer):
    target = tmp_path / f"out{SUFFIX[writer]}"
    before = len(_disclosures(rivera))
    with _failing_commit(monkeypatch):
        rivera.fails(*WRITERS[writer], "-o", target, says="disk is full")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("caseload.db")] == []
    assert len(_disclosures(rivera)) == before


@pytest.mark.parametrize("writer", WRITERS)
def test_a_failed_write_leaves_no_file_and_no_audit(rivera, tmp_path, monkeypatch, writer):
    def disk_full(fd, payload):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("caseload.render.files._fill", disk_full, raising=False)
    target = tmp_path / f"out{SUFFIX[writer]}"
    before = len(_disclosures(rivera))
    rivera.fails(*WRITERS[writer], "-o", target, says="No space left on device; nothing was saved")
    assert not target.exists()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert len(_disclosures(rivera)) == before


def test_a_write_goes_through_while_an_export_waits_on_its_reader(rivera):
    """`caseload export | (sleep 36; cat)`: the export is logged, then written with no transaction
    open, so the reader's pace never blocks another worker's change."""
    note = "Long narrative. " * 6_000  # ~96 KB: more than a pipe holds, so the export must wait
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-02", "--note", note)
    exporter = subprocess.Popen(
        caseload_command(rivera.db, "export"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**process_env(), "CASELOAD_DB": rivera.db},
    )
    try:
        first = os.read(exporter.stdout.fileno(), 1)  # the export has begun writing, and waits on us
        assert first == b"{"
        assert exporter.poll() is None
        rivera.ok("visit", "add", "2026-0142", "--date", "2026-03-03", "--note", "Seen while exporting.")
        rest = exporter.stdout.read()
        exporter.wait(timeout=120)
    finally:
        if exporter.poll() is None:
            exporter.kill()
            exporter.wait()
        exporter.stdout.close()
        exporter.stderr.close()
    assert exporter.returncode == 0
    document = json.loads(first + rest)
    assert len(document["tables"]["visit"]) == 1  # the snapshot it was taken from
    assert [e["detail"].endswith("to stdout") for e in _disclosures(rivera)] == [True]


@pytest.mark.parametrize(
    "args, says",
    [
        (("export", "--format", "csv", "-o", "all.csv"), "--format csv writes a .zip file, not .csv"),
        (("export", "-o", "all.csv"), "--format json writes a .json file, not .csv"),
        (("export", "--format", "xlsx", "-o", "all.zip"), "--format xlsx writes a .xlsx file, not .zip"),
        (("export", "--format", "json", "-o", "all.xlsx"), "--format json writes a .json file, not .xlsx"),
        (
            ("report", "court", "2026-0142", "--format", "md", "-o", "court.docx"),
            "--format md writes a .md file, not .docx",
        ),
        (("report", "court", "2026-0142", "--json", "-o", "court.md"), "writes a .json file, not .md"),
    ],
)
def test_format_and_file_extension_must_agree(rivera, tmp_path, monkeypatch, args, says):
    monkeypatch.chdir(tmp_path)
    before = len(_disclosures(rivera))
    rivera.fails(*args, code=2, says=says)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("caseload.db")) == []
    assert len(_disclosures(rivera)) == before


def test_matching_or_unknown_extensions_are_written(rivera, tmp_path):
    rivera.ok("export", "--format", "csv", "-o", tmp_path / "all.zip")
    rivera.ok("export", "-o", tmp_path / "all.json")
    rivera.ok("export", "-o", tmp_path / "all-2026-04-01")  # no known extension: JSON, as before
    rivera.ok("report", "court", "2026-0142", "-o", tmp_path / "court.markdown")
    rivera.ok("report", "court", "2026-0142", "-o", tmp_path / "court.docx")  # the extension says docx
    assert (tmp_path / "court.docx").read_bytes()[:2] == b"PK"  # a Word file (a zip), not Markdown
    assert json.loads((tmp_path / "all-2026-04-01").read_text())["case_number"] is None
