"""Shared pieces of the command modules: the database of this run and typed option parsers.

Command modules import only typer, the standard library and these light helpers at top level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand

from caseload import parsing, vocab
from caseload.commands.complete import case_numbers

if TYPE_CHECKING:
    from caseload.render.output import Output
    from caseload.store.db import Database


# Set by the root command from --db for the command that runs next.
DATABASE_OPTION: str | None = None
_opened: Database | None = None


def database(*, creates: bool = False) -> Database:
    """The one database of this command, chosen by --db / $CASELOAD_DB / the default location:
    opened on first use and passed down to the services.

    A missing SQLite file is created by a write only where the person named it (--db, $CASELOAD_DB)
    or where the command's job is to create one (`creates`: init, demo, import, sync init). Any other command on
    a default database that is not there is refused like a read, with nothing created: a write that
    then failed would leave an empty database behind, and later reads would find nothing wrong."""
    global _opened
    if _opened is None:
        from caseload.settings import database_target, default_db_path
        from caseload.store import open_database

        target = database_target(DATABASE_OPTION)
        _opened = open_database(target, creates=creates or target != str(default_db_path()))
        if _opened.is_sqlite:
            from caseload.render.files import protect

            protect(_opened.path)  # no -o of this command may write over it
    return _opened


def close_database() -> None:
    """Called by the root command when the command ends, whatever the outcome."""
    global _opened
    if _opened is not None:
        _opened.close()
        _opened = None


def as_date(value: str) -> dt.date:
    return parsing.parse_date(value)


def as_month(value: str):
    return parsing.parse_month(value)


def as_time(value: str) -> str:
    return parsing.parse_time(value)


def as_name(value: str) -> str:
    return parsing.clean_name(value)


def as_text(value: str) -> str | None:
    return parsing.clean_text(value)


def required_text(option: str):
    """A parser of free text that must say something: `as_text`, and text that is empty or only
    white space is refused as `OPTION must not be empty` (`option` names the option, or the options)."""

    def parse(value: str) -> str:
        text = as_text(value)
        if text is None:
            from caseload.errors import UsageProblem

            raise UsageProblem(f"{option} must not be empty")
        return text

    return parse


as_reason = required_text("--reason")


def _choice_parser(allowed: tuple[str, ...], what: str):
    def parse(value: str) -> str:
        return parsing.choice(value, allowed, what)

    return parse


as_program = _choice_parser(vocab.PROGRAMS, "program")
as_risk = _choice_parser(vocab.RISKS, "risk")
as_role = _choice_parser(vocab.ROLES, "role")
as_setting = _choice_parser(vocab.SETTINGS, "setting")
as_kind = _choice_parser(vocab.VISIT_KINDS, "kind")
as_location = _choice_parser(vocab.LOCATIONS, "location")
as_instrument = _choice_parser(vocab.INSTRUMENTS, "instrument")
as_supervision = _choice_parser(vocab.SUPERVISION, "supervision")
as_domain = _choice_parser(vocab.GOAL_DOMAINS, "domain")
as_goal_status = _choice_parser(vocab.GOAL_STATUSES, "status")
as_service_status = _choice_parser(vocab.SERVICE_STATUSES, "status")
as_hearing_type = _choice_parser(vocab.HEARING_TYPES, "type")


class Command(TyperCommand):
    """A command whose usage line names its arguments plainly (`CASE`, `[CASE]`), without the braces
    Typer puts around required ones (`{CASE}`)."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [
            piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
            for piece in super().collect_usage_pieces(ctx)
        ]


def one_of(choices: tuple[str, ...]) -> str:
    """A vocabulary as help text ("a, b or c"), built from caseload/vocab.py, never copied by hand."""
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


# --- The shared output options: one declaration each, rendered by caseload.render.output.Output. ---
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table or message.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV, one row per item, instead of a table.")]
OutputPath = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="PATH", help="Write to PATH (mode 0600) instead of stdout."),
]
Force = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]
Wide = Annotated[
    bool,
    typer.Option("--wide", help="On a terminal, show every cell whole instead of cutting long text to fit."),
]


def options_as(name: str, options: Sequence[tuple[str, Any, Any]], build: Callable[..., Any]):
    """A decorator that gives a command `options` after its own, each (parameter, annotation, default)
    as a command would declare it, and hands the command their values as one parameter `name`:
    `build(**values)`, called before the command runs, so a bad combination fails before anything is
    read. Typer reads the rewritten signature, so `--help` shows the options as if declared in place."""

    def decorate(command: Callable) -> Callable:
        import functools
        import inspect

        own = [  # the command's own options, annotations evaluated (`from __future__ import annotations`)
            p.replace(annotation=eval(p.annotation, command.__globals__))
            if isinstance(p.annotation, str)
            else p
            for p in inspect.signature(command).parameters.values()
            if p.name != name  # typed for readers only, with a class imported where it runs
        ]
        added = [
            inspect.Parameter(option, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
            for option, annotation, default in options
        ]

        @functools.wraps(command)
        def with_options(*args, **kwargs):
            values = {option: kwargs.pop(option) for option, _, _ in options}
            return command(*args, **{name: build(**values)}, **kwargs)

        parameters = own + added
        with_options.__signature__ = inspect.Signature(parameters, return_annotation=None)
        with_options.__annotations__ = {p.name: p.annotation for p in parameters}
        return with_options

    return decorate


def output_options(command: Callable | None = None, *, csv: bool = True):
    """Gives a command the shared output options, after its own: --json, --csv (unless `csv=False`),
    -o/--output, --force and --wide, handed to it as one `out: Output`. Like sqlite-utils'
    `output_options`: declared once, listed the same by every command's `--help`.

        @app.command("list", cls=Command)
        @output_options
        def list_(case: ..., *, out: "Output") -> None: ...
    """

    def build(**chosen) -> Output:
        from caseload.render.output import Output

        return Output(**chosen)

    decorate = options_as("out", [o for o in _OUTPUT_OPTIONS if csv or o[0] != "as_csv"], build)
    return decorate if command is None else decorate(command)


# (parameter, its option, default): the names are Output's fields.
_OUTPUT_OPTIONS = (
    ("as_json", Json, False),
    ("as_csv", Csv, False),
    ("output", OutputPath, None),
    ("force", Force, False),
    ("wide", Wide, False),
)

# --- Whose cases: --worker / --team / --all / --case, with one meaning everywhere (see scope()). ---
SCOPE_HELP = "[default: $CASELOAD_WORKER's team (a supervisor's workers too), else every worker's cases]"
Worker = Annotated[
    str | None,
    typer.Option("--worker", metavar="WORKER", help=f"Only this worker's own cases {SCOPE_HELP}."),
]
Team = Annotated[
    bool,
    typer.Option(
        "--team",
        help="A supervisor's team: her cases and those of every worker under her, transitively "
        "(the supervisor is --worker, else $CASELOAD_WORKER).",
    ),
]
All = Annotated[bool, typer.Option("--all", help="Every worker's cases (ignores $CASELOAD_WORKER).")]
Case = Annotated[
    str | None,
    typer.Option(
        "--case",
        metavar="CASE",
        help="Only this case, whoever's it is ($CASELOAD_WORKER does not narrow it).",
        autocompletion=case_numbers,
    ),
]

# --- The case a command is about, as its first argument: one declaration each. ---
CaseArgument = Annotated[
    str, typer.Argument(metavar="CASE", help="Case number.", autocompletion=case_numbers)
]
OptionalCaseArgument = Annotated[
    str | None,
    typer.Argument(metavar="[CASE]", help="Case number [default: every case].", autocompletion=case_numbers),
]


class Scope(NamedTuple):
    """Whose cases a command shows: `worker`'s (None: every worker's), and with `team` also those of
    every worker she supervises, directly or through other supervisors."""

    worker: str | None
    team: bool = False


def scope(worker: str | None, all_: bool, case: str | None = None, team: bool = False) -> Scope:
    """Whose cases a command shows; one meaning on every command.

    --worker W: W's own cases. --team: the team of the supervisor named by --worker, else of
    $CASELOAD_WORKER: her own cases and those of every worker under her (worker.supervisor_id,
    followed down any number of levels). --all: every worker's. --case C: that one case, whoever's it
    is. With none of them: the acting worker's team — for a worker who supervises nobody that is her own
    cases, for a supervisor her whole team — else every worker's. The acting worker is
    $CASELOAD_WORKER; on PostgreSQL the worker linked to the login, whatever $CASELOAD_WORKER says
    (a login linked to no worker, such as the owner's, falls back to $CASELOAD_WORKER). --worker and
    --team go with neither --all nor --case (a worker filter beside a named case would only ever hide it).
    """
    from caseload.errors import UsageProblem

    if all_ and (worker or team):
        raise UsageProblem(f"give {'--worker' if worker else '--team'} or --all, not both")
    if case and (worker or team):
        raise UsageProblem(f"give {'--worker' if worker else '--team'} or --case, not both")
    if all_ or case:
        return Scope(None)
    if worker:
        return Scope(worker, team)
    acting = default_worker()
    if team and acting is None:
        raise UsageProblem("--team needs a supervisor: give --worker ID or set $CASELOAD_WORKER")
    return Scope(acting, acting is not None)


def default_worker() -> str | None:
    """The worker whose team a command shows when no scope option is given (see scope())."""
    from caseload.settings import default_worker_filter

    db = database()
    if not db.is_sqlite:
        from caseload.services.access import login_worker

        return login_worker(db) or default_worker_filter()
    return default_worker_filter()


def one_case(argument: str | None, option: str | None) -> str | None:
    """The case of a list command that takes it as [CASE] or as --case (the same meaning)."""
    if argument and option and argument.strip() != option.strip():
        from caseload.errors import UsageProblem

        raise UsageProblem("give the case as CASE or as --case, not both")
    return argument or option
