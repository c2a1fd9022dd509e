"""`caseload init`: create or upgrade the database."""

import typer

from caseload.commands import database


def init() -> None:
    """Create the database (or bring it up to date) and say where it is.

    \b
    Example:
      caseload --db unit3.db init
    """
    from caseload.render.output import say
    from caseload.services.maintenance import owns_schema

    db = database(creates=True)
    db.ensure_ready()
    say(f"Database ready: {db.display_name()}")
    if not owns_schema(db):
        say("This login does not own the schema: migrations run as the owner only (the owner runs init).")
    typer.echo(db.display_name())
