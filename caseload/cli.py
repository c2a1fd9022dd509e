"""The root command: global options, the noun sub-commands, and the one place errors become exit codes.

Imports typer and the standard library only, so `caseload --help` starts fast.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

import typer
from typer.core import TyperGroup

from caseload import __version__
from caseload.errors import CaseloadError

# Each example its own paragraph, kept as written (\b), long ones continued on the next line: help is
# wrapped at 80 columns, and a wrapped example would no longer be a command one can copy.
EXAMPLES = """\b
Examples:

\b
  caseload family add 2026-0142 --name Rivera --program foster_care \\
    --risk high

\b
  caseload visit add 2026-0142 --kind face_to_face --location home \\
    --seen Maya --note "..."

  caseload overdue

  caseload report court 2026-0142 -o rivera-court.md
"""


class CaseloadGroup(TyperGroup):
    """Runs the command and turns every failure into one `Error: …` line and an exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            code = 0
        except typer.Exit as exc:
            code = exc.exit_code
        except typer.TyperException as exc:  # usage errors: unknown option, missing argument …
            if type(exc).__name__ == "NoArgsIsHelpError":
                sys.stdout.write(exc.format_message() + "\n")
                code = 0
            else:
                _error(exc.format_message())
                code = exc.exit_code
        except typer.Abort:
            _error("cancelled; nothing was saved")
            code = 1
        except CaseloadError as exc:
            for detail in getattr(exc, "details", ()):
                sys.stderr.write(f"  {detail}\n")
            _error(exc.message)
            code = exc.exit_code
        except KeyboardInterrupt:
            _error("interrupted; nothing was saved")
            code = 130
        except Exception as exc:  # a bug: say so in one line, details only when asked
            if os.environ.get("CASELOAD_DEBUG"):
                raise
            _error(f"unexpected {type(exc).__name__}: {exc} (set CASELOAD_DEBUG=1 for details)")
            code = 1
        finally:
            from caseload.commands import close_database

            close_database()
        if standalone_mode:
            sys.exit(code)
        return code


def _error(message: str) -> None:
    """One line on stderr; what the user typed is echoed with control and bidi characters escaped,
    so a message can never rewrite the terminal."""
    import unicodedata

    text = " ".join(str(message).split()) or "failed"
    text = "".join(
        char if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp") else ascii(char)[1:-1]
        for char in text
    )
    sys.stderr.write(f"Error: {text}\n")
    sys.stderr.flush()


app = typer.Typer(
    cls=CaseloadGroup,
    help="Caseload toolkit for child-welfare caseworkers: visits, deadlines, compliance and court reports.",
    epilog=EXAMPLES,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"caseload {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(
        None,
        "--db",
        metavar="PATH_OR_URL",
        help="Database file or PostgreSQL URL (postgresql://user@host/db). Default: $CASELOAD_DB, "
        "else caseload.db in your user data directory.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Caseload toolkit for child-welfare caseworkers: visits, deadlines, compliance and court reports."""
    from caseload import commands

    commands.DATABASE_OPTION = db


def _register() -> None:
    from caseload.commands import (
        Command,
        assess,
        audit,
        calendar,
        compliance,
        demo,
        exchange,
        family,
        goal,
        hearing,
        init,
        maintenance,
        member,
        overdue,
        placement,
        plan,
        report,
        safety_plan,
        service,
        sync,
        visit,
        worker,
    )

    app.command("init")(init.init)
    app.command("demo")(demo.demo)
    app.add_typer(worker.app, name="worker")
    app.add_typer(family.app, name="family")
    app.add_typer(member.app, name="member")
    app.add_typer(placement.app, name="placement")
    app.add_typer(visit.app, name="visit")
    app.add_typer(goal.app, name="goal")
    app.add_typer(service.app, name="service")
    app.add_typer(hearing.app, name="hearing")
    app.add_typer(plan.app, name="plan")
    app.add_typer(assess.app, name="assess")
    app.add_typer(safety_plan.app, name="safety-plan")
    app.command("overdue")(overdue.overdue)
    app.command("compliance")(compliance.compliance)
    app.command("calendar")(calendar.calendar)
    app.add_typer(report.app, name="report")
    app.command("export")(exchange.export)
    app.command("import", cls=Command)(exchange.import_)
    app.command("audit")(audit.audit)
    app.command("check")(maintenance.check)
    app.command("backup", cls=Command)(maintenance.backup)
    app.add_typer(sync.app, name="sync")


_register()


def main() -> None:
    # Like cat or git: a reader that stops early (`caseload visit list | head`) ends us quietly.
    # Output is written only after a command's unit of work has committed.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A run is short and keeps what it reads until it exits, so the cyclic garbage collector has
    # nothing to free: it would only walk those objects again and again (a fifth of `overdue --all`
    # on an agency's database), and once more as the interpreter shuts down (~30 ms: frozen objects
    # are left to the OS). Reference counting still frees everything as usual.
    gc.disable()
    try:
        app()
    finally:
        gc.freeze()
