"""`caseload worker …`: the caseworkers and supervisors of the unit."""

import typer

from caseload.commands import Command, Csv, Force, Json, OutputPath, Wide, as_name, database

app = typer.Typer(help="Caseworkers and supervisors.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    worker_id: str = typer.Argument(..., metavar="ID", help="Login-like id, e.g. jdoe."),
    name: str = typer.Option(..., "--name", parser=as_name, metavar="TEXT", help="Full name."),
    supervisor: str = typer.Option(
        None, "--supervisor", metavar="WORKER", help="The supervisor's worker id."
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

    worker = cases.add_worker(database(), clean_name(worker_id, "worker id"), name, supervisor)

    def show() -> None:
        say(f"Added worker {worker['id']} ({worker['name']}).")
        typer.echo(worker["id"])

    Output(as_json).emit(worker, show)


@app.command("list", cls=Command)
def list_(
    as_json: Json = False,
    as_csv: Csv = False,
    output: OutputPath = None,
    force: Force = False,
    wide: Wide = False,
) -> None:
    """List workers with their open cases.

    \b
    Example:
      caseload worker list
    """
    from caseload.render.output import Output
    from caseload.services import cases

    out = Output(as_json, as_csv, output, force, wide)
    workers = cases.list_workers(database())
    out.table(
        workers,
        [
            ("id", "Worker"),
            ("name", "Name"),
            ("supervisor_id", "Supervisor"),
            ("open_cases", "Open cases"),
        ],
    )
