"""Shared pieces of the command modules: the database of this run and typed option parsers.

Command modules import only typer, the standard library and these light helpers at top level.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload import parsing, vocab

if TYPE_CHECKING:
    from caseload.store.db import Database


# Set by the root command from --db for the command that runs next.
DATABASE_OPTION: str | None = None
_opened: Database | None = None


def database() -> Database:
    """The one database of this command, chosen by --db / $CASELOAD_DB / the default location:
    opened on first use and passed down to the services."""
    global _opened
    if _opened is None:
        from caseload.settings import database_target
        from caseload.store import open_database

        _opened = open_database(database_target(DATABASE_OPTION))
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

JSON_HELP = "Print JSON for scripts instead of a table."
JsonFlag = typer.Option(False, "--json", help=JSON_HELP)
