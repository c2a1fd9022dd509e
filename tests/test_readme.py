"""The README's sample output is what caseload prints: `cog --check` reruns every command the README
shows (docs/readme_cog.py) on the pinned demo agency and fails on any difference. After a deliberate
change in output, `make readme` rewrites the README; commit both together."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_readme_output_is_what_caseload_prints(sqlite_only):
    checked = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", "-I", "docs", "README.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, (
        "README.md is out of date with the tool's output (run: make readme)\n"
        + checked.stdout
        + checked.stderr
    )


def test_readme_links_the_contract_in_the_repository():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/SPEC.md)" in readme and "../shared/" not in readme
    assert (REPO / "docs" / "SPEC.md").is_file()
