"""Converting a Markdown draft to Word or PDF with what `pip install caseload` brings along.

Word: pandoc, from the `pypandoc-binary` wheel (a pandoc on PATH is used only where the wheel is
missing), with the agency's `reference.docx` (letterhead, fonts, heading styles) when there is one:
`$CASELOAD_REFERENCE_DOCX`, else `reference.docx` in the agency folder (`$CASELOAD_TEMPLATES`).
PDF: pandoc's Typst writer, then the `typst` wheel compiles the Typst source to PDF in-process, so
no LibreOffice or TeX is needed. The intermediate files live in a private temporary directory that
is always removed. Neither package is imported before a report is converted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from importlib.util import find_spec
from pathlib import Path

from caseload.errors import CaseloadError

FORMATS = ("md", "docx", "pdf")
TIMEOUT_SECONDS = 120
REFERENCE_ENV = "CASELOAD_REFERENCE_DOCX"
REFERENCE_NAME = "reference.docx"
# GitHub Markdown as the templates write it, without the extensions that would read typed text as
# something else: `$1 + 2$` as math, `:smile:` as an emoji.
FROM = "--from=gfm-tex_math_dollars-tex_math_gfm-emoji"
TYPST = "typst"  # the in-process compiler of the `typst` wheel, named in the list of programs
# Table cells keep line breaks as `<br>`; pandoc drops raw HTML from Word and Typst output, so make
# it a break.
_BREAKS_FILTER = """
function RawInline(el)
  if el.format == "html" and el.text:match("^<br%s*/?>$") then return pandoc.LineBreak() end
end
"""
_REINSTALL = "reinstall caseload (pip install caseload) or use --format md"


def bundled_pandoc() -> str | None:
    """The pandoc executable inside the `pypandoc-binary` wheel, found without importing pypandoc."""
    spec = find_spec("pypandoc")
    if spec is None or spec.origin is None:
        return None
    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    program = Path(spec.origin).parent / "files" / name
    return str(program) if program.is_file() and os.access(program, os.X_OK) else None


def converters(fmt: str) -> list[str]:
    """What a format needs: pandoc (bundled, else on PATH), and for PDF the Typst compiler; a
    CaseloadError naming what is missing."""
    if fmt == "md":
        return []
    pandoc = bundled_pandoc() or shutil.which("pandoc")
    if pandoc is None:
        raise CaseloadError(f"--format {fmt} needs pandoc (the pypandoc-binary package): {_REINSTALL}")
    if fmt == "docx":
        reference_docx()  # a missing agency reference document fails before anything is read
        return [pandoc]
    if find_spec(TYPST) is None:
        raise CaseloadError(f"--format pdf needs the typst package: {_REINSTALL}")
    return [pandoc, TYPST]


def reference_docx() -> Path | None:
    """The agency's Word reference document: `$CASELOAD_REFERENCE_DOCX` (which must be a file when
    set), else `reference.docx` in the agency folder, else none (pandoc's plain styles)."""
    from caseload.render.templating import agency_dir

    value = os.environ.get(REFERENCE_ENV, "").strip()
    if value:
        path = Path(value).expanduser()
        if not path.is_file():
            raise CaseloadError(f"${REFERENCE_ENV} is not a file: {path}")
        return path.absolute()
    agency = agency_dir()
    if agency is not None and (agency / REFERENCE_NAME).is_file():
        return (agency / REFERENCE_NAME).absolute()
    return None


def convert(markdown_text: str, fmt: str, programs: list[str]) -> bytes:
    """The document in `fmt` ("docx" or "pdf"), from the programs `converters(fmt)` found."""
    with tempfile.TemporaryDirectory(prefix="caseload-report-") as scratch:
        work = Path(scratch)
        (work / "report.md").write_text(markdown_text, encoding="utf-8")
        (work / "breaks.lua").write_text(_BREAKS_FILTER, encoding="utf-8")
        target = "report.docx" if fmt == "docx" else "report.typ"
        pandoc = [
            programs[0],
            FROM,
            f"--to={'docx' if fmt == 'docx' else 'typst'}",
            "--lua-filter=breaks.lua",
            "-o",
            target,
            "report.md",
        ]
        if fmt == "docx":
            reference = reference_docx()
            if reference is not None:
                pandoc.append(f"--reference-doc={reference}")
        else:
            pandoc += ["--standalone", "--variable=papersize:us-letter"]
        _run(pandoc, work, "pandoc")
        if fmt == "pdf":
            return _typst_pdf(work / "report.typ")
        result = work / target
        if not result.is_file():
            raise CaseloadError(f"converting the report to {fmt} produced no file")
        return result.read_bytes()


def _typst_pdf(source: Path) -> bytes:
    """The PDF of a Typst file, compiled in this process by the `typst` wheel."""
    import typst

    try:
        return typst.compile(str(source), root=str(source.parent))
    except Exception as error:  # the wheel raises its own TypstError (and RuntimeError on older ones)
        message = str(error).strip().splitlines()
        raise CaseloadError(f"typst failed: {message[0] if message else type(error).__name__}") from None


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
