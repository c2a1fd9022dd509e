"""`caseload worker …`: the caseworkers and supervisors of the unit."""

import typer

from caseload import parsing
from caseload.commands import JsonFlag, as_name, database

ACCESS_ROLES = ("worker", "supervisor", "admin")


def as_access_role(value: str) -> str:
    return parsing.choice(value, ACCESS_ROLES, "role")


app = typer.Typer(help="Caseworkers and supervisors.", no_args_is_help=True)


@app.command("add")
def add(
    worker_id: str = typer.Argument(..., metavar="ID", help="Login-like id, e.g. jdoe."),
    name: str = typer.Option(..., "--name", parser=as_name, metavar="TEXT", help="Full name."),
    supervisor: str = typer.Option(None, "--supervisor", help="The supervisor's worker id."),
    login: str = typer.Option(
        None, "--login", help="Her PostgreSQL login role (the DBA creates it): identity on a shared database."
    ),
    role: str = typer.Option(
        "worker",
        "--role",
        parser=as_access_role,
        metavar="ROLE",
        help="worker, supervisor or admin (with --login).",
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Add a worker.  Example: caseload worker add jdoe --name "Jamie Doe" --supervisor msmith"""
    from caseload.parsing import clean_name
    from caseload.render.output import print_json, say
    from caseload.services import cases

    login = clean_name(login, "login") if login is not None else None
    worker = cases.add_worker(database(), clean_name(worker_id, "worker id"), name, supervisor, login, role)
    if as_json:
        print_json(worker)
    else:
        say(f"Added worker {worker['id']} ({worker['name']}).")
        typer.echo(worker["id"])


@app.command("list")
def list_(as_json: bool = JsonFlag) -> None:
    """List workers with their open cases."""
    from caseload.render.output import print_json, print_table
    from caseload.services import cases

    workers = cases.list_workers(database())
    if as_json:
        print_json(workers)
    else:
        print_table(
            workers,
            [
                ("id", "Worker"),
                ("name", "Name"),
                ("supervisor_id", "Supervisor"),
                ("open_cases", "Open cases"),
            ],
        )
