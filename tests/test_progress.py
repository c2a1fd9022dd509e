"""Progress bars for long work (`demo`, `import`, `export`, `backup`): drawn on stderr when it is a
terminal, never in a pipe, so scripts and logs see only the one-line messages.

Each command runs as its own process, once with stderr on a pseudo-terminal and once piped, on a
demo agency of 60 families built the same way.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BAR = "━"  # rich's bar segment
STEPS = [
    (
        "Building the demo agency|Writing the demo agency",
        ["--db", "{dir}/a.db", "demo", "--families", "60", "--seed", "3"],
    ),
    ("Backing up", ["--db", "{dir}/a.db", "backup", "{dir}/copy.db"]),
    ("Exporting", ["--db", "{dir}/a.db", "export", "--format", "csv", "-o", "{dir}/a.zip"]),
    ("Importing", ["--db", "{dir}/b.db", "import", "{dir}/a.json"]),
]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASELOAD_") and k != "NO_COLOR"}
    env.update(
        CASELOAD_TODAY="2026-11-23",
        CASELOAD_WORKER="dmarchetti",
        PYTHONPATH=str(REPO),
        TERM="xterm-256color",
        COLUMNS="100",
    )
    return env


def _run(args: list[str], terminal: bool) -> str:
    """What `caseload ARGS` writes to stderr, a pseudo-terminal's or a pipe's; it must succeed."""
    command = [sys.executable, "-m", "caseload", *args]
    if not terminal:
        done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=follower) as process:
        os.close(follower)
        written = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            written += chunk
        assert process.wait(timeout=300) == 0, written
    os.close(leader)
    return written.decode("utf-8", "replace")


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "piped"])
def test_long_commands_draw_a_bar_on_a_terminal_only(sqlite_only, tmp_path, terminal):
    # the JSON to import comes from the same demo, exported without a bar in the way
    steps = [(name, [part.format(dir=tmp_path) for part in args]) for name, args in STEPS]
    for name, args in steps[:3]:
        _check(name, _run(args, terminal), terminal)
        if name.startswith("Building"):
            _run(["--db", str(tmp_path / "a.db"), "export", "-o", str(tmp_path / "a.json")], terminal=False)
    name, args = steps[3]
    _check(name, _run(args, terminal), terminal)


def _check(names: str, stderr: str, terminal: bool) -> None:
    """`names`: the bars' descriptions, separated by `|`."""
    for name in names.split("|"):
        if terminal:
            assert name in stderr and BAR in stderr, stderr
        else:
            assert name not in stderr and BAR not in stderr and "\x1b" not in stderr, stderr
    if not terminal:
        assert "\r" not in stderr and len(stderr.splitlines()) == 1, stderr  # the one-line message only
