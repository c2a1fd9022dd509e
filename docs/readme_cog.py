"""The README's sample output, generated: cog (the `cogapp` package) runs the blocks in README.md,
which call this module to build the demo agency and paste what each command really prints.

    make readme          # cog -r -I docs README.md: rewrite the output in place
    make lint            # cog --check -I docs README.md: fail when the README is out of date

Every command runs as its own process (`python -m caseload`, this checkout's code) in one scratch
directory, in README order, on a demo database built with a pinned date and worker, so the output
is the same on every machine. stderr and stdout are interleaved as a terminal shows them. A command
that fails unexpectedly stops cog: a walkthrough step that no longer works is an error, not output.
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cog  # provided by cogapp while it runs the README's blocks

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
WORKER = "dmarchetti"
DEMO = "caseload demo --families 12 --seed 1"
BAD_CSV = (
    "case_number,family_name,program,risk,opened_on,worker,county,docket,member_name,role,dob\n"
    "2026-0201,Adams,fostercare,,,,,,Ann Adams,parent,\n"
    "2026-0202,Baker,foster_care,,2026-13-01,,,,Bea Baker,parent,\n"
    "2026-0203,Clark,in_home,,,nobody,,,Cal Clark,parent,\n"
)

_scratch: Path | None = None


def setup() -> None:
    """A fresh scratch directory holding the demo agency (and bad.csv for the import example)."""
    global _scratch
    _scratch = Path(tempfile.mkdtemp(prefix="caseload-readme-"))
    atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
    (_scratch / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    _run(DEMO)


def _environment() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CASELOAD_") and key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")
    }
    env.update(
        CASELOAD_TODAY=TODAY,
        CASELOAD_WORKER=WORKER,
        CASELOAD_DB=str(_scratch / "caseload.db"),
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        PYTHONUNBUFFERED="1",  # stderr and stdout in the order they were written
        NO_COLOR="1",
        TERM="dumb",
    )
    return env


def _run(command: str, fails: bool = False) -> list[str]:
    """The lines `command` prints (stdout and stderr together); `fails`: it is meant to exit non-zero."""
    if _scratch is None:
        raise RuntimeError("readme_cog.setup() must run first")
    args = shlex.split(command, comments=True)
    if args[0] == "caseload":
        args = [sys.executable, "-m", "caseload", *args[1:]]
    done = subprocess.run(
        args,
        cwd=_scratch,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    if (done.returncode != 0) != fails:
        raise RuntimeError(f"README command {command!r} exited {done.returncode}:\n{done.stdout}")
    return done.stdout.rstrip("\n").splitlines()


def shell(
    command: str,
    *,
    shown: str | None = None,
    head: int | None = None,
    pick: str | None = None,
    keep: int = 0,
    fails: bool = False,
) -> list[str]:
    """`$ command` and its output. `shown`: how the command is written in the README (continued
    lines, say); `head`: only the first lines, then `…`; `pick`: the first `keep` lines, `…`, then
    only the lines matching this regular expression."""
    output = _run(command, fails)
    if head is not None and len(output) > head:
        output = [*output[:head], "…"]
    if pick is not None:
        output = [*output[:keep], "…", *[line for line in output[keep:] if re.search(pick, line)]]
    return [f"$ {shown or command}", *output]


def quiet(command: str) -> list[str]:
    """Run `command` for its effect and show only the command (no `$`, no output)."""
    _run(command)
    return [command]


def excerpt(command: str, start: str, count: int) -> list[str]:
    """`count` lines of `command`'s output from the first line starting with `start`; no prompt."""
    output = _run(command)
    first = next(i for i, line in enumerate(output) if line.startswith(start))
    return output[first : first + count]


def block(*steps: list[str]) -> None:
    """Write a fenced block of the steps' lines into the README."""
    cog.outl("```")
    for lines in steps:
        for line in lines:
            cog.outl(line.rstrip())
    cog.outl("```")
