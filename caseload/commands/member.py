"""`caseload member …`: the people of a case."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    CaseArgument,
    Command,
    Json,
    as_date,
    as_name,
    as_role,
    database,
    one_of,
    output_options,
    vocab,
)
from caseload.commands.complete import member_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Members of a family: children, parents, caregivers …", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    name: str = typer.Argument(
        ..., metavar="NAME", parser=as_name, help="Full name, unique within the case."
    ),
    role: str = typer.Option(
        ...,
        "--role",
        parser=as_role,
        metavar="ROLE",
        help=f"{one_of(vocab.ROLES)}.",
    ),
    dob: dt.date = typer.Option(
        None, "--dob", parser=as_date, metavar="DATE", help="Date of birth (YYYY-MM-DD)."
    ),
    as_json: Json = False,
) -> None:
    """Add a member to a case.

    \b
    Example:
      caseload member add 2026-0001 "Lena Rivera" --role child --dob 2019-05-02
    """
    from caseload.render.output import Output, say
    from caseload.services import cases
    from caseload.standards import load_standards

    member = cases.add_member(database(), case, name, role, dob, load_standards().max_child_age_years)

    def show() -> None:
        say(f"Added {member['name']} ({member['role']}) to case {member['case_number']}.")
        typer.echo(member["id"])

    Output(as_json).emit(member, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: CaseArgument,
    *,
    out: "Output",
) -> None:
    """List the members of a case.

    \b
    Example:
      caseload member list 2026-0001
    """
    from caseload.services import cases

    members = cases.list_members(database(), case)
    out.table(members, [("id", "Id"), ("name", "Name"), ("role", "Role"), ("born_on", "Born")])


@app.command("update", cls=Command)
def update(
    case: CaseArgument,
    member: str = typer.Argument(
        ..., metavar="MEMBER", help="The member's name (first name if unique).", autocompletion=member_names
    ),
    name: str = typer.Option(None, "--name", parser=as_name, metavar="TEXT", help="Correct the full name."),
    dob: dt.date = typer.Option(
        None, "--dob", parser=as_date, metavar="DATE", help="Correct the date of birth (YYYY-MM-DD)."
    ),
    role: str = typer.Option(None, "--role", parser=as_role, metavar="ROLE", help=f"{one_of(vocab.ROLES)}."),
    as_json: Json = False,
) -> None:
    """Correct a member's name, date of birth or role (audited; printed before → after).

    \b
    Example:
      caseload member update 2026-0001 Mateo --dob 2015-02-11
    """
    from caseload.render.changes import say_changes
    from caseload.render.output import Output, say
    from caseload.services import corrections
    from caseload.standards import load_standards

    updated = corrections.update_member(
        database(),
        case,
        member,
        name=name,
        born_on=dob,
        role=role,
        max_child_age_years=load_standards().max_child_age_years,
    )
    say(f"Corrected {updated['name']} (case {updated['case_number']}):")
    say_changes(updated.pop("changes"))
    Output(as_json).emit(updated)
