"""`caseload member …`: the people of a case."""

import datetime as dt

import typer

from caseload.commands import JsonFlag, as_date, as_name, as_role, database
from caseload.commands.complete import case_numbers

app = typer.Typer(help="Members of a family: children, parents, caregivers …", no_args_is_help=True)


@app.command("add")
def add(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    name: str = typer.Argument(..., parser=as_name, help="Full name, unique within the case."),
    role: str = typer.Option(
        ...,
        "--role",
        parser=as_role,
        metavar="ROLE",
        help="child, parent, caregiver, sibling, relative, other.",
    ),
    dob: dt.date = typer.Option(None, "--dob", parser=as_date, help="Date of birth (YYYY-MM-DD)."),
    as_json: bool = JsonFlag,
) -> None:
    """Add a member to a case.  Example: caseload member add 2026-0142 "Maya Rivera" --role child --dob 2016-05-02"""
    from caseload.render.output import print_json, say
    from caseload.services import cases

    member = cases.add_member(database(), case, name, role, dob)
    if as_json:
        print_json(member)
    else:
        say(f"Added {member['name']} ({member['role']}) to case {member['case_number']}.")
        typer.echo(member["id"])


@app.command("list")
def list_(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    as_json: bool = JsonFlag,
) -> None:
    """List the members of a case."""
    from caseload.render.output import print_json, print_table
    from caseload.services import cases

    members = cases.list_members(database(), case)
    if as_json:
        print_json(members)
    else:
        print_table(members, [("id", "Id"), ("name", "Name"), ("role", "Role"), ("born_on", "Born")])
