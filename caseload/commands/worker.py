"""`caseload worker …`: the caseworkers and supervisors of the unit."""

from typing import TYPE_CHECKING

import typer

from caseload import parsing
from caseload.commands import Command, Json, as_name, database, output_options

if TYPE_CHECKING:
    from caseload.render.output import Output

ACCESS_ROLES = ("worker", "supervisor", "admin")


def as_access_role(value: str) -> str:
    return parsing.choice(value, ACCESS_ROLES, "role")


app = typer.Typer(help="Caseworkers and supervisors.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    worker_id: str = typer.Argument(..., metavar="ID", help="Login-like id, e.g. jdoe."),
    name: str = typer.Option(..., "--name", parser=as_name, metavar="TEXT", help="Full name."),
    supervisor: str = typer.Option(
        None, "--supervisor", metavar="WORKER", help="The supervisor's worker id."
    ),
    login: str = typer.Option(
        None,
        "--login",
        metavar="LOGIN",
        help="Her PostgreSQL login role (the DBA creates it): identity on a shared database.",
    ),
    role: str = typer.Option(
        "worker",
        "--role",
        parser=as_access_role,
        metavar="ROLE",
        help="worker, supervisor or admin (with --login).",
    ),
    as_json: Json = False,
) -> None:
    """Add a worker.

    \b
    Example:
      caseload worker add jdoe --name "Jamie Doe" --supervisor arivera
    """
    from caseload.parsing import clean_name
    from caseload.render.output import Output, say
    from caseload.services import cases

    login = clean_name(login, "login") if login is not None else None
    worker = cases.add_worker(database(), clean_name(worker_id, "worker id"), name, supervisor, login, role)

    def show() -> None:
        say(f"Added worker {worker['id']} ({worker['name']}).")
        typer.echo(worker["id"])

    Output(as_json).emit(worker, show)


@app.command("update", cls=Command)
def update(
    worker_id: str = typer.Argument(..., metavar="ID", help="The worker's id."),
    name: str = typer.Option(None, "--name", parser=as_name, metavar="TEXT", help="Correct the full name."),
    supervisor: str = typer.Option(
        None, "--supervisor", metavar="WORKER", help="The new supervisor's worker id."
    ),
    inactive: bool = typer.Option(
        None,
        "--inactive/--active",
        help="Mark the worker inactive (left the unit; their open cases must be reassigned first), or active again.",
        show_default=False,
    ),
    as_json: Json = False,
) -> None:
    """Correct a worker's name or supervisor, or mark them inactive (audited; printed before → after).

    \b
    Example:
      caseload worker update jdoe --supervisor dmarchetti
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import corrections

    active = None if inactive is None else not inactive
    worker = corrections.update_worker(
        database(), worker_id, name=name, supervisor_id=supervisor, active=active
    )
    say(f"Updated worker {worker['id']}:")
    say_changes(worker.pop("changes"))
    Output(as_json).emit(worker)


@app.command("list", cls=Command)
@output_options
def list_(*, out: "Output") -> None:
    """List workers with their open cases and whether they are active.

    \b
    Example:
      caseload worker list
    """
    from caseload.render.changes import worker_rows
    from caseload.services import cases

    workers = cases.list_workers(database())
    out.table(
        worker_rows(workers),
        [
            ("id", "Worker"),
            ("name", "Name"),
            ("supervisor_id", "Supervisor"),
            ("open_cases", "Open cases"),
            ("active", "Active"),
        ],
        data=workers,
    )
