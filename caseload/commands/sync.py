"""`caseload sync …`: a laptop replica of the agency database, for work without a connection."""

import typer

from caseload.commands import Command, Json, database

app = typer.Typer(invoke_without_command=True)


@app.callback()
def sync(ctx: typer.Context, as_json: Json = False) -> None:
    """A laptop replica of the agency database: `sync init URL` once, then `sync` after working
    offline. `sync` alone: push what was recorded in this replica since the last sync, pull what changed on the agency
    database, and print what moved. A field both sides changed keeps the server's value; the
    laptop's is kept as a conflict (see: caseload sync status). Safe to run again after a crash or a
    dropped connection: nothing is stored twice, nothing is lost. Exits 1 when something the agency
    database refused or no longer lets her write still waits here.

    \b
    Example:
      caseload --db laptop.db sync
    """
    if ctx.invoked_subcommand is not None:
        return
    from caseload.render.output import Output
    from caseload.services import sync as service

    moved = service.sync(database())
    Output(as_json).emit(moved, lambda: typer.echo(moved["summary"]))
    if moved["still_waiting"]:  # what moved is printed; a script still learns that something did not
        from caseload.errors import RuleViolation

        raise RuleViolation(moved["still_waiting"])


@app.command("init", cls=Command)
def init(
    url: str = typer.Argument(
        ..., metavar="URL", help="The agency database, postgresql://LOGIN@HOST/DB (no password needed)."
    ),
    as_json: Json = False,
) -> None:
    """Make --db (a new or empty file) a replica of what URL's login may see: her cases with their
    records, and the workers. The URL is kept without its password: libpq's PGPASSFILE (~/.pgpass)
    or service file supplies it at each sync.

    \b
    Example:
      caseload --db laptop.db sync init postgresql://jdoe@agency-db/caseload
    """
    from caseload.render.output import Output, say
    from caseload.services import sync as service

    made = service.init(database(creates=True), url)

    def show() -> None:
        say(f"Replica of {made['server']} for {made['worker']}: {made['replica']}")
        if hint := service.recording_hint(made["worker"]):
            say(hint)
        typer.echo(f"pulled {service.phrase(made['pulled'])}")

    Output(as_json).emit(made, show)


@app.command("status", cls=Command)
def status(as_json: Json = False) -> None:
    """What waits to be pushed, the last sync, and the conflicts to resolve (works offline).

    \b
    Example:
      caseload --db laptop.db sync status
    """
    from caseload.render.output import Output
    from caseload.services import sync as service

    found = service.status(database())

    def show() -> None:
        last = found["last_sync"]
        typer.echo(f"Replica of {found['server']} for {found['worker']}")
        typer.echo(f"Last sync: {last.strftime('%Y-%m-%d %H:%M UTC') if last else 'never'}")
        typer.echo(f"Waiting: {service.phrase(found['waiting'], found['waiting_changes'])}")
        for line in found["held_back"]:  # as the last sync said
            typer.echo(f"  {line}")
        if not found["conflicts"]:
            typer.echo("Conflicts: none")
            return
        typer.echo("Conflicts (the server's value was kept; correct it if the laptop's was right):")
        for c in found["conflicts"]:
            case = f" (case {c['case_number']})" if c["case_number"] else ""
            typer.echo(
                f"  {c['record']} {c['id']}{case}: {c['field']}: laptop {c['laptop']}, server kept {c['server']}"
            )

    Output(as_json).emit(found, show)
