"""The report template environment: sandboxed Jinja, undefined variables as errors, Markdown filters.

A template is looked up in order: the file given with `--template PATH`, then a file of the same
name in `$CASELOAD_TEMPLATES` (an agency's directory), then the shipped `caseload/templates/`.
Report data reaches a template only as values, never as template source, so text users typed
(`{{ 7*7 }}`) is printed as it was typed. Templates escape each value for its place with the filters
`cell`, `para` and `inline`; a value printed without one is escaped inline.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from caseload.errors import CaseloadError, UsageProblem
from caseload.render import markdown
from caseload.render.safe_text import for_terminal

if TYPE_CHECKING:
    from jinja2 import BaseLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from pydantic import BaseModel

TEMPLATES_ENV = "CASELOAD_TEMPLATES"
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "templates"
REPORT_TEMPLATES = {
    "court": "court_report.md.j2",
    "note": "progress_note.md.j2",
    "progress": "monthly_progress.md.j2",
    "caseload": "caseload_review.md.j2",
}
FILTERS = {
    "cell": markdown.cell,
    "para": markdown.para,
    "inline": markdown.inline,
    "date": markdown.date,
    "label": markdown.label,
    "percent": markdown.percent,
}


def agency_dir() -> Path | None:
    """`$CASELOAD_TEMPLATES`, which must be a directory when set."""
    value = os.environ.get(TEMPLATES_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise CaseloadError(f"${TEMPLATES_ENV} is not a directory: {path}")
    return path


def template_sources() -> list[dict]:
    """Each report's template and where it comes from: the agency's directory or the shipped one."""
    agency = agency_dir()
    found = []
    for report, name in REPORT_TEMPLATES.items():
        from_agency = agency is not None and (agency / name).is_file()
        source, directory = (f"${TEMPLATES_ENV}", agency) if from_agency else ("shipped", SHIPPED_DIR)
        found.append({"report": report, "template": name, "source": source, "path": str(directory / name)})
    return found


def render(report: str, context: BaseModel, template_file: Path | None = None) -> str:
    """The report's Markdown: its template (or `template_file`) filled with the context's fields."""
    from jinja2 import TemplateError, TemplateNotFound

    name = str(template_file) if template_file is not None else REPORT_TEMPLATES[report]
    env = environment(template_file)
    try:
        template = env.get_template(name)
        values = {field: getattr(context, field) for field in type(context).model_fields}
        return with_part2_notice(
            for_terminal(template.render(values)), getattr(context, "part2_notice", None)
        )
    except TemplateNotFound as error:
        raise CaseloadError(
            f"template {error.name} not found (looked in {_search_path(template_file)})"
        ) from None
    except TemplateError as error:
        raise CaseloadError(
            f"template {_where(error, name)}: {error.message or type(error).__name__}"
        ) from None
    except UnicodeDecodeError:
        raise CaseloadError(f"template {name} is not UTF-8 text") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as error:  # a template's own mistake
        raise CaseloadError(f"template {_where(error, name)}: {type(error).__name__}: {error}") from None


PART2_HEADING = (
    "> **Confidential: 42 CFR Part 2.** This draft includes substance-use disorder treatment records."
)


def with_part2_notice(text: str, notice: str | None) -> str:
    """The document with the 42 CFR 2.32 redisclosure statement, whatever its template did: a Part 2
    record never leaves without it. Appended at the end when the template left it out."""
    if not notice or markdown.para(notice) in text:
        return text
    return f"{text.rstrip()}\n\n---\n\n{PART2_HEADING}\n\n{markdown.para(notice)}\n"


def environment(template_file: Path | None = None) -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=_loader(template_file),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=markdown.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _loader(template_file: Path | None) -> BaseLoader:
    from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader

    directories = [d for d in (agency_dir(), SHIPPED_DIR) if d is not None]
    loaders: list[BaseLoader] = [FileSystemLoader(directories)]
    if template_file is not None:
        loaders.insert(0, FunctionLoader(lambda name: _read_file(template_file, name)))
    return ChoiceLoader(loaders)


def _read_file(template_file: Path, name: str) -> tuple[str, str, object] | None:
    """The `--template` file, served under its own path so it may extend or include shipped ones."""
    if name != str(template_file):
        return None
    try:
        source = template_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageProblem(f"template file {template_file} does not exist") from None
    except IsADirectoryError:
        raise UsageProblem(f"template {template_file} is a directory, not a file") from None
    except OSError as error:
        raise UsageProblem(f"cannot read template {template_file}: {error.strerror}") from None
    return source, str(template_file), lambda: False


def _search_path(template_file: Path | None) -> str:
    places = [str(template_file)] if template_file else []
    agency = agency_dir()
    places += [f"${TEMPLATES_ENV}={agency}"] if agency else []
    return ", ".join([*places, str(SHIPPED_DIR)])


def _where(error: Exception, name: str) -> str:
    """`name, line N`: the template line the error came from, from Jinja's rewritten traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if line is None:
        frames = [
            f
            for f in traceback.extract_tb(error.__traceback__)
            if not f.filename.endswith(".py") and not f.filename.startswith("<")
        ]
        if frames:
            filename, line = frames[-1].filename, frames[-1].lineno
    shown = Path(filename).name if filename else name
    return f"{shown}, line {line}" if line else shown
