"""Converting a Markdown draft to Word (pandoc) or PDF (pandoc, then LibreOffice), when installed.

Nothing is converted by hand: without the tools the user is told what to install, and nothing is
written. The intermediate files live in a private temporary directory that is always removed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from caseload.errors import CaseloadError

FORMATS = ("md", "docx", "pdf")
TIMEOUT_SECONDS = 120
# Table cells keep line breaks as `<br>`; pandoc drops raw HTML from Word output, so make it a break.
_BREAKS_FILTER = """
function RawInline(el)
  if el.format == "html" and el.text:match("^<br%s*/?>$") then return pandoc.LineBreak() end
end
"""


def converters(fmt: str) -> list[str]:
    """The programs a format needs, found on PATH; a CaseloadError naming what is missing."""
    if fmt == "md":
        return []
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise CaseloadError(
            f"--format {fmt} needs pandoc, which is not installed (https://pandoc.org/installing.html); "
            "use --format md"
        )
    if fmt == "docx":
        return [pandoc]
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise CaseloadError(
            "--format pdf needs LibreOffice (soffice), which is not installed; use --format docx or md"
        )
    return [pandoc, office]


def convert(markdown_text: str, fmt: str, programs: list[str]) -> bytes:
    """The document in `fmt` ("docx" or "pdf"), from the programs `converters(fmt)` found."""
    with tempfile.TemporaryDirectory(prefix="caseload-report-") as scratch:
        work = Path(scratch)
        (work / "report.md").write_text(markdown_text, encoding="utf-8")
        (work / "breaks.lua").write_text(_BREAKS_FILTER, encoding="utf-8")
        pandoc = [
            programs[0],
            "--from=gfm",
            "--to=docx",
            "--lua-filter=breaks.lua",
            "-o",
            "report.docx",
            "report.md",
        ]
        _run(pandoc, work, "pandoc")
        if fmt == "pdf":
            profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"  # never the user's own
            office = [
                programs[1],
                profile,
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                ".",
                "report.docx",
            ]
            _run(office, work, "LibreOffice")
        result = work / f"report.{fmt}"
        if not result.is_file():
            raise CaseloadError(f"converting the report to {fmt} produced no file")
        return result.read_bytes()


def _run(command: list[str], cwd: Path, name: str) -> None:
    try:
        subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=True)
    except subprocess.CalledProcessError as error:
        message = (error.stderr or error.stdout or "").strip().splitlines()
        raise CaseloadError(
            f"{name} failed: {message[0] if message else f'exit {error.returncode}'}"
        ) from None
    except subprocess.TimeoutExpired:
        raise CaseloadError(
            f"{name} took longer than {TIMEOUT_SECONDS} seconds; nothing was written"
        ) from None
    except OSError as error:
        raise CaseloadError(f"cannot run {name}: {error.strerror}") from None
