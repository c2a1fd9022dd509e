"""`caseload visit …`: contacts with a family. Recorded once, amended or voided, never edited."""

import datetime as dt
from pathlib import Path

import typer

from caseload.commands import (
    JsonFlag,
    as_date,
    as_kind,
    as_location,
    as_supervision,
    as_text,
    as_time,
    database,
)
from caseload.commands.complete import case_numbers, member_names

app = typer.Typer(help="Visits and other contacts: add, list, show, amend, void.", no_args_is_help=True)


@app.command("add")
def add(
    case: str = typer.Argument(..., help="Case number.", autocompletion=case_numbers),
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date of the visit [default: today]."
    ),
    time: str = typer.Option(None, "--time", parser=as_time, metavar="HH:MM", help="Start time, HH:MM."),
    kind: str = typer.Option(
        "face_to_face",
        "--kind",
        parser=as_kind,
        metavar="KIND",
        help="face_to_face, video, phone, collateral or attempted.",
    ),
    location: str = typer.Option(
        None,
        "--location",
        parser=as_location,
        metavar="LOCATION",
        help="home, office, school, court, community, other [default: home for face-to-face and attempted].",
    ),
    seen: list[str] = typer.Option(
        [],
        "--seen",
        help="A member seen (repeat); default: every child of the case.",
        autocompletion=member_names,
    ),
    duration: int = typer.Option(None, "--duration", help="Minutes."),
    note: str = typer.Option(None, "--note", help="Narrative (the Data of a DAP note)."),
    note_file: Path = typer.Option(None, "--note-file", help="Read the narrative from a UTF-8 file."),
    assessment: str = typer.Option(None, "--assessment", parser=as_text, help="Assessment (the A of DAP)."),
    plan: str = typer.Option(None, "--plan", parser=as_text, help="Plan (the P of DAP)."),
    goal: list[int] = typer.Option([], "--goal", help="Id of a goal addressed (repeat)."),
    safety_concern: bool = typer.Option(False, "--safety-concern", help="Flag a safety concern."),
    supervision: str = typer.Option(
        None,
        "--supervision",
        parser=as_supervision,
        metavar="LEVEL",
        help="Family time only: supervised, monitored or unsupervised.",
    ),
    part2: bool = typer.Option(
        False,
        "--part2",
        help="The notes hold substance-use disorder treatment information protected by 42 CFR Part 2.",
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never open an editor or prompt."),
    as_json: bool = JsonFlag,
) -> None:
    """Record a visit or other contact; prints its id and what is next due.

    Example: caseload visit add 2026-0142 --kind face_to_face --location home --seen Maya --note "Maya was well."

    Without --note or --note-file, on a terminal, $VISUAL or $EDITOR opens on a DAP template.
    """
    from caseload.render.output import print_json, say
    from caseload.services import notes, visits
    from caseload.standards import load_standards

    if location is None and kind in ("face_to_face", "attempted"):
        location = "home"
    if note is None and note_file is None:
        visits.check_case(database(), case)  # a mistyped case number, before any typing
    narrative = notes.gather_narrative(note, note_file, interactive=not no_input)
    standards = load_standards()
    try:
        visit = visits.add_visit(
            database(),
            case,
            visit_on=date,
            visit_time=time,
            kind=kind,
            location=location,
            seen=seen,
            duration_min=duration,
            narrative=narrative,
            assessment=assessment,
            plan=plan,
            goal_ids=goal,
            safety_concern=safety_concern,
            supervision=supervision,
            standards=standards,
            part2=part2,
        )
    except BaseException:
        if note is None and note_file is None:
            notes.keep_for_recovery(narrative)
        raise
    if as_json:
        print_json(visit)
        return
    flags = (" (late entry)" if visit["late_entry"] else "") + (" (42 CFR Part 2)" if part2 else "")
    say(
        f"Recorded visit {visit['id']}: {visit['kind']} on {visit['visit_on']} for {visit['case_number']}{flags}."
    )
    for next_due in visit["next_due"]:
        say(f"Next visit due: {next_due['subject']} by {next_due['due_on']} ({next_due['rule']}).")
    typer.echo(visit["id"])


@app.command("list")
def list_(
    case: str = typer.Argument(None, help="Case number [default: every case].", autocompletion=case_numbers),
    since: dt.date = typer.Option(None, "--since", parser=as_date, metavar="DATE"),
    until: dt.date = typer.Option(None, "--until", parser=as_date, metavar="DATE"),
    as_json: bool = JsonFlag,
) -> None:
    """List visits, oldest first.  Example: caseload visit list 2026-0142 --since 2026-03-01"""
    from caseload.render import views
    from caseload.render.output import print_json
    from caseload.services import visits

    found = visits.list_visits(database(), case, since, until)
    if as_json:
        print_json(found)
    else:
        views.print_visit_table(found)


@app.command("show")
def show(visit_id: int = typer.Argument(..., metavar="ID"), as_json: bool = JsonFlag) -> None:
    """Show one visit with its amendments."""
    from caseload.render import views
    from caseload.render.output import print_json
    from caseload.services import visits

    visit = visits.show_visit(database(), visit_id)
    if as_json:
        print_json(visit)
    else:
        views.print_visit(visit)


@app.command("amend")
def amend(
    visit_id: int = typer.Argument(..., metavar="ID"),
    note: str = typer.Option(..., "--note", parser=as_text, metavar="TEXT", help="The amending text."),
    reason: str = typer.Option(
        ..., "--reason", parser=as_text, metavar="TEXT", help="Why the record is amended."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Append an amendment; the original narrative is kept.

    Example: caseload visit amend 17 --note "Also present: grandmother." --reason "omitted"
    """
    from caseload.errors import UsageProblem
    from caseload.render.output import print_json, say
    from caseload.services import visits

    if not note or not reason:
        raise UsageProblem("--note and --reason must not be empty")
    visit = visits.amend_visit(database(), visit_id, note, reason)
    if as_json:
        print_json(visit)
    else:
        say(f"Amended visit {visit['id']} ({len(visit['amendments'])} amendment(s)).")


@app.command("void")
def void(
    visit_id: int = typer.Argument(..., metavar="ID"),
    reason: str = typer.Option(
        ..., "--reason", parser=as_text, metavar="TEXT", help="Why the entry was made in error."
    ),
    as_json: bool = JsonFlag,
) -> None:
    """Mark a visit entered in error; it stays on record and no longer counts.

    Example: caseload visit void 17 --reason "entered on the wrong case"
    """
    from caseload.errors import UsageProblem
    from caseload.render.output import print_json, say
    from caseload.services import visits

    if not reason:
        raise UsageProblem("--reason must not be empty")
    visit = visits.void_visit(database(), visit_id, reason)
    if as_json:
        print_json(visit)
    else:
        say(f"Voided visit {visit['id']}.")
