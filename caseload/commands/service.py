"""`caseload service …`: referrals to services and their dated status changes."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    CaseArgument,
    Command,
    Json,
    OptionalCaseArgument,
    as_date,
    as_name,
    as_service_status,
    as_text,
    database,
    one_of,
    output_options,
    vocab,
)
from caseload.commands.complete import member_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Services the family is referred to: add, update, list.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    name: str = typer.Argument(
        ..., metavar="NAME", parser=as_name, help="The service, e.g. 'Parenting class'."
    ),
    provider: str = typer.Option(None, "--provider", parser=as_name, metavar="TEXT"),
    referred: dt.date = typer.Option(
        None, "--referred", parser=as_date, metavar="DATE", help="Referral date [default: today]."
    ),
    goal: int = typer.Option(None, "--goal", metavar="ID", help="The goal the service works toward."),
    member: str = typer.Option(
        None, "--member", metavar="MEMBER", help="The member referred.", autocompletion=member_names
    ),
    as_json: Json = False,
) -> None:
    """Refer the family to a service; prints its id.

    \b
    Example:
      caseload service add 2026-0001 "Family therapy" \\
        --provider "Harbor Counseling" --goal 2
    """
    from caseload.render.output import Output, say
    from caseload.services import plans

    service = plans.add_service(
        database(), case, name, provider=provider, referred_on=referred, goal_id=goal, member=member
    )

    def show() -> None:
        say(f"Referred case {service['case_number']} to {service['name']} (service {service['id']}).")
        typer.echo(service["id"])

    Output(as_json).emit(service, show)


@app.command("update", cls=Command)
def update(
    service_id: int = typer.Argument(..., metavar="ID"),
    status: str = typer.Option(
        None,
        "--status",
        parser=as_service_status,
        metavar="STATUS",
        help=f"{one_of(vocab.SERVICE_STATUSES)}.",
    ),
    note: str = typer.Option(None, "--note", parser=as_text, metavar="TEXT"),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date of the change [default: today]."
    ),
    referred: dt.date = typer.Option(
        None,
        "--referred",
        parser=as_date,
        metavar="DATE",
        help="Instead of a new status: correct the referral date (audited; printed before → after).",
    ),
    as_json: Json = False,
) -> None:
    """Record a service's new status (appended to its history), or correct its referral date.

    \b
    Example:
      caseload service update 1 --status active
    """
    from caseload.errors import UsageProblem
    from caseload.render.output import Output, say
    from caseload.services import plans

    if (status is None) == (referred is None):
        raise UsageProblem("give --status (a new status) or --referred (a corrected referral date)")
    if referred is not None:
        if note is not None or date is not None:
            raise UsageProblem("--note and --date go with --status, not --referred")
        from caseload.render.changes import say_changes
        from caseload.services import corrections

        corrected = corrections.correct_referral(database(), service_id, referred)
        say(f"Corrected service {corrected['id']} ({corrected['name']}):")
        say_changes(corrected.pop("changes"))
        Output(as_json).emit(corrected)
        return
    service = plans.update_service(database(), service_id, status, note, date)

    def show() -> None:
        say(f"Service {service['id']} ({service['name']}) is {service['status']}.")

    Output(as_json).emit(service, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: OptionalCaseArgument = None,
    *,
    out: "Output",
) -> None:
    """Services with provider, status and latest update.

    \b
    Example:
      caseload service list 2026-0001
    """
    from caseload.services import plans

    services = plans.list_services(database(), case)
    out.table(
        services,
        [
            ("id", "Id"),
            ("case_number", "Case"),
            ("name", "Service"),
            ("provider", "Provider"),
            ("member", "For"),
            ("goal_id", "Goal"),
            ("referred_on", "Referred"),
            ("status", "Status"),
            ("updated_on", "Updated"),
        ],
    )
