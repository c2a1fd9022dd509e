"""`caseload goal …`: service-plan goals and their dated progress."""

import datetime as dt
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    All,
    Case,
    Command,
    Json,
    Team,
    Worker,
    as_date,
    as_domain,
    as_goal_status,
    as_text,
    database,
    one_case,
    one_of,
    output_options,
    scope,
    vocab,
)
from caseload.commands.complete import case_numbers, member_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Service-plan goals: add, update (dated progress), list.", no_args_is_help=True)

GOAL_COLUMNS = [
    ("id", "Id"),
    ("case_number", "Case"),
    ("text", "Goal"),
    ("member", "For"),
    ("domain", "Domain"),
    ("status", "Status"),
    ("target_on", "Target"),
    ("days_to_target", "Days left"),
    ("latest", "Latest progress"),
]
# On a terminal too narrow for the list, these give way, in this order, before the goal's text is cut
# below GOAL_ROOM characters: the latest progress, the domain, the day count (Target says it), and
# last the member's full name, which becomes her first name (--wide shows them all).
GOAL_NARROW_ORDER = ("latest", "domain", "days_to_target", "member")
GOAL_ROOM = 24


@app.command("add", cls=Command)
def add(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers, metavar="CASE"),
    text: str = typer.Argument(None, parser=as_text, help="The goal, in the plan's words."),
    target: dt.date = typer.Option(None, "--target", parser=as_date, metavar="DATE", help="Target date."),
    member: str = typer.Option(
        None, "--member", metavar="MEMBER", help="The member the goal is for.", autocompletion=member_names
    ),
    domain: str = typer.Option(
        None, "--domain", parser=as_domain, metavar="DOMAIN", help=f"{one_of(vocab.GOAL_DOMAINS)}."
    ),
    from_assessment: int = typer.Option(
        None, "--from-assessment", metavar="ID", help="Propose a goal for each actionable item of this CANS."
    ),
    yes: bool = typer.Option(False, "--yes", help="With --from-assessment: add the proposed goals."),
    as_json: Json = False,
) -> None:
    """Add a goal to the service plan; prints its id.

    From a CANS (--from-assessment ID), it shows the proposed goals; --yes adds them.

    \b
    Examples:
      caseload goal add 2026-0001 "Mateo attends school 90% of days" \\
        --member Mateo --domain well_being --target 2026-06-30
      caseload goal add 2026-0001 --from-assessment 1
    """
    from caseload.errors import UsageProblem
    from caseload.render.output import Output, say
    from caseload.services import assessments, plans

    if from_assessment is not None:
        if text or member or domain:
            raise UsageProblem("--from-assessment proposes the text, member and domain itself")
        if not yes:
            proposals = assessments.proposed_goals(database(), case, from_assessment)
            Output(as_json).emit(proposals)
            for proposal in proposals:
                say(f"Proposed ({proposal['domain']}): {proposal['text']}")
            say("Add them with --yes." if proposals else "Nothing actionable (no item rated 2 or 3).")
            return
        goals = plans.add_goals_from_assessment(database(), case, from_assessment, target)
    elif not text:
        raise UsageProblem("give the goal's text, or --from-assessment ID")
    else:
        goals = plans.add_goals(
            database(), case, [{"text": text, "member": member, "domain": domain}], target
        )

    def show() -> None:
        for goal in goals:
            say(f"Added goal {goal['id']} to case {goal['case_number']}: {goal['text']}")
            typer.echo(goal["id"])

    Output(as_json).emit(goals if from_assessment is not None else goals[0], show)


@app.command("update", cls=Command)
def update(
    goal_id: int = typer.Argument(..., metavar="ID"),
    status: str = typer.Option(
        None,
        "--status",
        parser=as_goal_status,
        metavar="STATUS",
        help=f"{one_of(vocab.GOAL_STATUSES)}.",
    ),
    note: str = typer.Option(None, "--note", parser=as_text, metavar="TEXT", help="Progress note."),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date of the progress [default: today]."
    ),
    target: dt.date = typer.Option(
        None, "--target", parser=as_date, metavar="DATE", help="A new target date."
    ),
    as_json: Json = False,
) -> None:
    """Record progress on a goal: a dated entry, appended to its history.

    \b
    Example:
      caseload goal update 1 --status in_progress \\
        --note "Enrolled in the parenting class."
    """
    from caseload.render.output import Output, say
    from caseload.services import plans

    goal = plans.update_goal(database(), goal_id, status=status, note=note, entry_on=date, target_on=target)

    def show() -> None:
        entries = len(goal["history"])
        say(
            f"Goal {goal['id']}: {goal['status']} ({entries} progress {'entry' if entries == 1 else 'entries'})."
        )

    Output(as_json).emit(goal, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: str = typer.Argument(
        None, metavar="[CASE]", help="Case number (the same as --case).", autocompletion=case_numbers
    ),
    worker: Worker = None,
    team: Team = False,
    all_: All = False,
    case_option: Case = None,
    *,
    out: "Output",
) -> None:
    """Goals with status, target, days to target and latest progress.

    \b
    Example:
      caseload goal list 2026-0001
    """
    from caseload.services import plans

    case = one_case(case, case_option)
    who = scope(worker, all_, case, team)
    goals = plans.list_goals(database(), case, worker_id=who.worker, team=who.team)
    rows = []
    for goal in goals:
        parts = [goal["progress_status"], goal["progress_note"]]
        latest = ": ".join(p for p in parts if p)
        rows.append({**goal, "latest": f"{goal['progress_on']} {latest}" if goal["progress_on"] else ""})
    first_names = {goal["member"]: goal["member"].split()[0] for goal in goals if goal["member"]}
    out.table(
        rows,
        GOAL_COLUMNS,
        data=goals,
        hide_first=GOAL_NARROW_ORDER,
        short={"member": first_names},
        useful=GOAL_ROOM,
    )
