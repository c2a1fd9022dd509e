"""Shell completion (`caseload --install-completion`): case numbers, and the member names of the case
given earlier on the line, read from the database named by --db / $CASELOAD_DB.

A completion runs on every Tab press: it never raises, never prints, and never creates a database;
on any problem it offers nothing. Typer and the standard library only at top level.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import typer

Completions = list[tuple[str, str]]  # (value, help shown by zsh and fish)


def _database(ctx: typer.Context):
    """The database of the line being completed: its --db (the root callback does not run while
    completing), else $CASELOAD_DB, else the default; None when that SQLite file does not exist."""
    from caseload.settings import database_target
    from caseload.store.db import Database

    db = Database(database_target(ctx.find_root().params.get("db")))
    if db.is_sqlite and not Path(db.target).expanduser().is_file():
        return None
    return db


def _quiet(complete: Callable[[typer.Context, str], Completions]):
    """Whatever goes wrong while completing (no database, an unknown case, a bug), offer nothing."""

    @functools.wraps(complete)
    def safely(ctx: typer.Context, incomplete: str) -> Completions:
        try:
            return complete(ctx, incomplete)
        except Exception:
            return []

    return safely


@_quiet
def case_numbers(ctx: typer.Context, incomplete: str) -> Completions:
    """Case numbers starting with what was typed, each with its family name."""
    from caseload.services.cases import case_numbers as known

    db = _database(ctx)
    found = known(db) if db else []
    return [(row["case_number"], row["name"]) for row in found if row["case_number"].startswith(incomplete)]


@_quiet
def member_names(ctx: typer.Context, incomplete: str) -> Completions:
    """Members of the case given earlier on the line (--seen, --member)."""
    return _names(ctx, incomplete, children_only=False)


@_quiet
def child_names(ctx: typer.Context, incomplete: str) -> Completions:
    """Children of the case given earlier on the line (placement CHILD)."""
    return _names(ctx, incomplete, children_only=True)


def _names(ctx: typer.Context, incomplete: str, children_only: bool) -> Completions:
    """While an option's value is completed click leaves the arguments unparsed in `ctx.args`; CASE
    is the first argument of every command that takes a member name."""
    from caseload.services.cases import list_members

    case = ctx.params.get("case") or next(iter(ctx.args), None)
    db = _database(ctx) if case else None
    members = list_members(db, case) if db else []
    wanted = incomplete.casefold()
    found = []
    for member in members:
        if children_only and member["role"] != "child":
            continue
        name = _shortest_name(member["name"], members, full=" " in incomplete)
        if name.casefold().startswith(wanted):
            found.append((name, member["role"]))
    return found


def _shortest_name(name: str, members: list[dict], full: bool) -> str:
    """The first name when it names one member only (the CLI accepts it, and a shell needs no
    quotes for it), else the full name."""
    first = name.split()[0]
    same_first = [m for m in members if m["name"].split()[0].casefold() == first.casefold()]
    return name if full or len(same_first) > 1 else first
