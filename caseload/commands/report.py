"""`caseload report …`: Markdown drafts for court, after a visit, for a month, and for the unit review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from caseload import parsing
from caseload.commands import (
    All,
    CaseArgument,
    Command,
    Force,
    Json,
    OutputPath,
    Team,
    Worker,
    as_date,
    as_month,
    database,
    options_as,
    output_options,
    scope,
)

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(
    help="Report drafts (Markdown, Word or PDF): court, note, progress, caseload; and their templates.",
    no_args_is_help=True,
)

FORMATS = ("md", "docx", "pdf")


def as_format(value: str) -> str:
    return parsing.choice(value, FORMATS, "format")


TemplateOption = typer.Option(
    None, "--template", metavar="PATH", help="A Jinja template file to use instead of the usual one."
)
FormatOption = typer.Option(
    None,
    "--format",
    parser=as_format,
    metavar="FORMAT",
    help="md, docx or pdf [default: what -o's extension says, else md].",
)
AsOfOption = typer.Option(
    None, "--as-of", parser=as_date, metavar="DATE", help="Prepare as of this date [default: today]."
)
RedactOption = typer.Option(False, "--redact", help="Children's names as initials; no dates of birth.")
SUFFIXES = {"md": (".md", ".markdown", ".txt"), "docx": (".docx",), "pdf": (".pdf",), "json": (".json",)}


def delivery_options(*, redact: bool = True):
    """The options of every report draft, after the command's own: -o/--output, --force, --template,
    --redact (unless `redact=False`), --format and --json; handed to the command as one `how:
    Delivery`, checked before anything is read."""
    options = [
        ("output", OutputPath, None),
        ("force", Force, False),
        ("template", Path, TemplateOption),
        ("redact", bool, RedactOption),
        ("fmt", str, FormatOption),
        ("as_json", Json, False),
    ]
    chosen = [o for o in options if redact or o[0] != "redact"]
    return options_as("how", chosen, lambda **values: _delivery(**values))  # defined below


@app.command("court", cls=Command)
@delivery_options()
def court(
    case: CaseArgument,
    hearing: int = typer.Option(None, "--hearing", metavar="ID", help="The hearing [default: the next one]."),
    since: dt.date = typer.Option(
        None,
        "--since",
        parser=as_date,
        metavar="DATE",
        help="Start of the period [default: the previous hearing].",
    ),
    as_of: dt.date = AsOfOption,
    *,
    how: Delivery,
) -> None:
    """Court report draft: hearing, period, children, contacts, visit measure, goals, services, safety.

    \b
    Example:
      caseload report court 2026-0001 -o rivera-court.md
    """
    from caseload import clock
    from caseload.services.reports import court_report

    context = court_report(database(), case, hearing_id=hearing, since=since, as_of=as_of or clock.today())
    held = context.hearing
    detail = f"{'hearing ' + str(held.hearing_on) if held else 'no hearing'}, {context.period_from}..{context.period_to}"
    _publish("court", context, held.id if held else None, detail, how)


@app.command("note", cls=Command)
@delivery_options()
def note(visit_id: int = typer.Argument(..., metavar="VISIT_ID"), *, how: Delivery) -> None:
    """DAP progress note for one visit: Data, Assessment, Plan, goals, amendments, signature line.

    \b
    Example:
      caseload report note 1 -o note-1.md
    """
    from caseload.services.reports import progress_note

    context = progress_note(database(), visit_id)
    _publish("note", context, visit_id, f"visit of {context.visit.visit_on}", how)


@app.command("progress", cls=Command)
@delivery_options()
def progress(
    case: CaseArgument,
    month: Any = typer.Option(..., "--month", parser=as_month, metavar="YYYY-MM", help="The month."),
    *,
    how: Delivery,
) -> None:
    """A month of one case: contacts, goal progress, services and upcoming deadlines.

    \b
    Example:
      caseload report progress 2026-0001 --month 2026-03
    """
    from caseload.rules.months import Month
    from caseload.services.reports import monthly_progress
    from caseload.standards import load_standards

    context = monthly_progress(database(), load_standards(), case, Month.of(month))
    _publish("progress", context, context.month, f"month {context.month}", how)


@app.command("caseload", cls=Command)
@delivery_options(redact=False)
def caseload(
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    as_of: dt.date = AsOfOption,
    *,
    how: Delivery,
) -> None:
    """Caseload review per worker: cases, children in care, what is due, visit measure, hearings.

    \b
    Example:
      caseload report caseload --all -o unit-review.md
    """
    from caseload import clock
    from caseload.services.reports import caseload_review
    from caseload.standards import load_standards

    who = scope(worker, all_, team=team)
    context = caseload_review(
        database(), load_standards(), worker_id=who.worker, as_of=as_of or clock.today(), team=who.team
    )
    charts = []
    if how.output is not None and how.fmt == "md" and not how.as_json and context.trend_months:
        # the visit measure's trend as an SVG image next to the draft, which shows it
        from urllib.parse import quote

        from caseload.render.charts import review_chart

        chart = how.output.with_name(f"{how.output.stem}-visits.svg")
        charts.append((chart, review_chart(context)))
        context = context.model_copy(update={"chart": quote(chart.name)})
    _publish("caseload", context, who.worker, context.scope, how, attachments=charts)


@app.command("templates", cls=Command)
@output_options
def templates(*, out: Output) -> None:
    """List the report templates in use and where each comes from (shipped or $CASELOAD_TEMPLATES).

    \b
    Example:
      caseload report templates
    """
    from caseload.render.templating import template_sources

    found = template_sources()
    out.table(found, [("report", "Report"), ("template", "Template"), ("source", "From"), ("path", "Path")])


@dataclass(frozen=True)
class Delivery:
    """How a report leaves: as a draft (md/docx/pdf) or its data (--json), to stdout or -o PATH."""

    output: Path | None
    force: bool
    template: Path | None
    redact: bool
    fmt: str
    as_json: bool
    programs: tuple[str, ...] = ()


def _delivery(
    output: Path | None,
    force: bool,
    template: Path | None,
    fmt: str | None,
    as_json: bool,
    redact: bool = False,
) -> Delivery:
    """Refuse what cannot work before reading anything: a binary format to a terminal or with --json,
    a format whose converter is not installed, an -o file that must not be written or whose
    extension says another format."""
    from caseload.errors import UsageProblem
    from caseload.render.convert import converters
    from caseload.render.files import check_suffix, check_target, database_file
    from caseload.render.output import stdout_is_terminal

    if fmt is None:  # -o court.docx says docx
        suffix = output.suffix.lower() if output is not None and not as_json else ""
        fmt = next((name for name in ("docx", "pdf") if suffix in SUFFIXES[name]), "md")
    if as_json and fmt != "md":
        raise UsageProblem(f"--json prints the report's data; it does not go with --format {fmt}")
    if fmt != "md" and output is None and stdout_is_terminal():
        raise UsageProblem(f"--format {fmt} is a binary file: give -o PATH")
    if output is not None:
        form = "json" if as_json else fmt
        check_suffix(output, form, SUFFIXES[form])
        check_target(output, force=force, database=database_file(database()))
    return Delivery(output, force, template, redact, fmt, as_json, tuple(converters(fmt)))


def _publish(
    report: str,
    context,
    entity_id: object,
    detail: str,
    how: Delivery,
    attachments: list[tuple[Path, str]] | None = None,
) -> None:
    """Render (or dump) the context, then hand it over and log the disclosure in one unit of work;
    `attachments` (path, text) are written beside the draft, first (a chart it shows)."""
    from caseload.render.files import database_file
    from caseload.render.output import say, to_json, write_out, write_recorded
    from caseload.render.templating import REPORT_TEMPLATES
    from caseload.services.reports import record_disclosure

    if how.redact:
        from caseload.reports.redact import redact

        context = redact(context)
    payload: str | bytes
    if how.as_json:
        payload = to_json(context.model_dump(mode="json")) + "\n"
    else:
        from caseload.render.convert import convert
        from caseload.render.templating import render

        text = render(report, context, how.template)
        payload = text if how.fmt == "md" else convert(text, how.fmt, list(how.programs))

    form = "json" if how.as_json else how.fmt
    where = how.output.expanduser().absolute() if how.output is not None else "stdout"
    db = database()

    def with_attachments(publish):
        def deliver() -> None:
            for path, text in attachments or ():
                write_out(text, path, force=how.force)
            publish()

        return deliver

    write_recorded(
        payload,
        how.output,
        lambda publish: record_disclosure(
            db,
            report=REPORT_TEMPLATES[report].removesuffix(".md.j2"),
            entity_id=entity_id,
            case_number=getattr(getattr(context, "case", None), "case_number", None),
            detail=f"{detail}; {form} to {where}"
            + ("; redacted" if how.redact else "")
            + "".join(f"; chart {path.expanduser().absolute()}" for path, _ in attachments or ()),
            deliver=with_attachments(publish),
        ),
        force=how.force,
        database=database_file(db),
    )
    if how.output is not None:
        say(f"Wrote the {context.title.lower()} draft to {how.output}.")
        for path, _ in attachments or ():
            say(f"Wrote its chart to {path}.")
