"""Getting a narrative from the user without ever losing it: a file, the editor, a recovery copy."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from caseload.errors import CaseloadError, UsageProblem
from caseload.parsing import MAX_TEXT_BYTES, clean_text

DAP_TEMPLATE = """\
# Write the visit narrative below. Lines starting with '#' are left out.
# An empty or unchanged note cancels: nothing is saved.
# Data: what you saw and heard.

"""


def from_stdin(path: Path | None) -> bool:
    """Whether a --note-file is `-`: the note is read from standard input (`echo … | caseload …`)."""
    return path is not None and str(path) == "-"


def read_note_file(path: Path) -> str | None:
    """A UTF-8 note (a leading byte-order mark is dropped) from a file, or from standard input when
    `path` is `-`; reads no more than a note may hold, so `--note-file /dev/zero` or a mistaken
    multi-gigabyte file fails at once."""
    if from_stdin(path):
        name = "note on standard input"
        raw = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
    else:
        name = f"note file {path}"
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_TEXT_BYTES + 1)
        except FileNotFoundError:
            raise UsageProblem(f"note file {path} does not exist") from None
        except OSError as exc:
            raise UsageProblem(f"cannot read note file {path}: {exc.strerror}") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise UsageProblem(f"{name} is larger than {MAX_TEXT_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageProblem(f"{name} is not UTF-8 text") from None
    return clean_text(text, "note" if from_stdin(path) else "note file")


def gather_narrative(note: str | None, note_file: Path | None, interactive: bool) -> str | None:
    """The narrative from --note, --note-file, or (on a terminal) the user's editor."""
    if note is not None and note_file is not None:
        raise UsageProblem("give --note or --note-file, not both")
    if note_file is not None:
        return read_note_file(note_file)
    if note is not None:
        return clean_text(note, "note")
    if interactive and on_terminal():
        return _from_editor()
    return None


def on_terminal() -> bool:
    """Whether a person is at the keyboard: prompts and editors only then (SPEC section 2)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _from_editor() -> str:
    """Open $VISUAL/$EDITOR on a private file with the DAP prompt; empty or unchanged cancels."""
    import shlex

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, path = tempfile.mkstemp(prefix="caseload-note-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(DAP_TEMPLATE)
    returncode, interrupted = _run_editor([*shlex.split(editor), path])
    if interrupted:
        typed = Path(path).read_text(encoding="utf-8") != DAP_TEMPLATE
        if not typed:
            os.unlink(path)
        kept = f" (your note is kept in {path})" if typed else ""
        raise CaseloadError(f"interrupted; nothing was saved{kept}", exit_code=130)
    if returncode != 0:
        if Path(path).read_text(encoding="utf-8") != DAP_TEMPLATE:  # something was typed: keep it
            sys.stderr.write(f"Your note was kept in {path} (use --note-file to record it).\n")
        else:
            os.unlink(path)
        raise CaseloadError(f"the editor ({editor}) failed: visit not recorded")
    try:
        edited = Path(path).read_text(encoding="utf-8")
    finally:
        os.unlink(path)
    text = "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip()
    if not text:
        raise CaseloadError("the note is empty or unchanged: visit not recorded")
    return clean_text(text, "note")


def _run_editor(command: list[str]) -> tuple[int, bool]:
    """Run the editor to its end; Ctrl-C (SIGINT to caseload, or the editor killed by it) is noted,
    not raised mid-way, so the file the user typed into is never lost unmentioned."""
    import signal
    import subprocess

    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        returncode = subprocess.call(command)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return returncode, bool(caught) or returncode == -signal.SIGINT


def keep_for_recovery(narrative: str | None) -> None:
    """When saving fails, keep a narrative written in the editor in a private file and say where.

    A --note is still on the user's command line and a --note-file on disk: nothing to rescue (a note
    read from standard input is gone, so keep it too).
    """
    if not narrative:
        return
    fd, path = tempfile.mkstemp(prefix="caseload-note-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(narrative + "\n")
    sys.stderr.write(f"Your note was kept in {path} (use --note-file to record it again).\n")
