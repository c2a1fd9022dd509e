"""`caseload visit …`: contacts with a family. Recorded once, amended or voided, never edited."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from caseload.commands import (
    CaseArgument,
    Command,
    Json,
    OptionalCaseArgument,
    as_date,
    as_kind,
    as_location,
    as_reason,
    as_supervision,
    as_text,
    as_time,
    database,
    one_of,
    output_options,
    required_text,
    vocab,
)
from caseload.commands.complete import member_names

if TYPE_CHECKING:
    from caseload.render.output import Output

app = typer.Typer(help="Visits and other contacts: add, list, show, amend, void.", no_args_is_help=True)


@app.command("add", cls=Command)
def add(
    case: CaseArgument,
    date: dt.date = typer.Option(
        None, "--date", parser=as_date, metavar="DATE", help="Date of the visit [default: today]."
    ),
    time: str = typer.Option(None, "--time", parser=as_time, metavar="HH:MM", help="Start time, HH:MM."),
    kind: str = typer.Option(
        "face_to_face",
        "--kind",
        parser=as_kind,
        metavar="KIND",
        help=f"{one_of(vocab.VISIT_KINDS)}.",
    ),
    location: str = typer.Option(
        None,
        "--location",
        parser=as_location,
        metavar="LOCATION",
        help=f"{one_of(vocab.LOCATIONS)} [default: home for face_to_face and attempted].",
    ),
    seen: list[str] = typer.Option(
        [],
        "--seen",
        metavar="MEMBER",
        help="A member seen (repeat) [default: every child for face_to_face and family_time, else no one].",
        autocompletion=member_names,
    ),
    duration: int = typer.Option(
        None, "--duration", metavar="MINUTES", help="How long the visit took, in minutes."
    ),
    note: str = typer.Option(None, "--note", metavar="TEXT", help="Narrative (the Data of a DAP note)."),
    note_file: Path = typer.Option(
        None,
        "--note-file",
        metavar="PATH",
        help="Read the narrative from a UTF-8 file (- for standard input).",
    ),
    assessment: str = typer.Option(
        None, "--assessment", parser=as_text, metavar="TEXT", help="Assessment (the A of DAP)."
    ),
    plan: str = typer.Option(None, "--plan", parser=as_text, metavar="TEXT", help="Plan (the P of DAP)."),
    goal: list[int] = typer.Option([], "--goal", metavar="ID", help="Id of a goal addressed (repeat)."),
    safety_concern: bool = typer.Option(False, "--safety-concern", help="Flag a safety concern."),
    supervision: str = typer.Option(
        None,
        "--supervision",
        parser=as_supervision,
        metavar="LEVEL",
        help=f"Family time only: {one_of(vocab.SUPERVISION)}.",
    ),
    part2: bool = typer.Option(
        False,
        "--part2",
        help="The notes hold substance-use disorder treatment information protected by 42 CFR Part 2.",
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never open an editor or prompt."),
    as_json: Json = False,
) -> None:
    """Record a visit or other contact; prints its id and what is next due.

    Without --note or --note-file, on a terminal, $VISUAL or $EDITOR opens on a DAP template.

    \b
    Example:
      caseload visit add 2026-0001 --kind face_to_face --location home \\
        --seen Mateo --note "Mateo was well."
    """
    from caseload import clock, vocab
    from caseload.render.output import Output, say
    from caseload.services import notes, visits
    from caseload.standards import load_standards

    assumed = location is None and kind in ("face_to_face", "attempted")
    if assumed:
        location = "home"  # said in the confirmation: it counts toward the in-residence standard
    typed = note is None and (note_file is None or notes.from_stdin(note_file))  # editor or stdin: no copy
    if typed:
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
        if typed:
            notes.keep_for_recovery(narrative)
        raise
    for warning in visit.pop("warnings"):
        say(f"Warning: {warning}")

    def show() -> None:
        flags = (" (late entry)" if visit["late_entry"] else "") + (" (42 CFR Part 2)" if part2 else "")
        say(
            f"Recorded visit {visit['id']}: {visit['kind']} on {visit['visit_on']} for {visit['case_number']}{flags}."
        )
        if assumed:
            say("Location: home (assumed; give --location when it was elsewhere).")
        if visit["kind"] != vocab.COUNTING_KIND and visit["next_due"]:
            say(
                f"A {visit['kind'].replace('_', ' ')} contact is not a face-to-face visit: the next one is still due."
            )
        for next_due in visit["next_due"]:
            if next_due["due_on"] < clock.today():
                overdue_since = next_due["due_on"] + dt.timedelta(days=1)
                say(
                    f"Next visit due: {next_due['subject']} OVERDUE since {overdue_since} "
                    f"(due by {next_due['due_on']}; {next_due['rule']})."
                )
            else:
                say(f"Next visit due: {next_due['subject']} by {next_due['due_on']} ({next_due['rule']}).")
        typer.echo(visit["id"])

    Output(as_json).emit(visit, show)


@app.command("list", cls=Command)
@output_options
def list_(
    case: OptionalCaseArgument = None,
    since: dt.date = typer.Option(None, "--since", parser=as_date, metavar="DATE", help="From this date on."),
    until: dt.date = typer.Option(None, "--until", parser=as_date, metavar="DATE", help="Up to this date."),
    *,
    out: "Output",
) -> None:
    """List visits, oldest first.

    \b
    Example:
      caseload visit list 2026-0001 --since 2026-03-01
    """
    from caseload.render import views
    from caseload.services import visits

    found = visits.list_visits(database(), case, since, until)
    rows = views.visit_rows(found)
    out.table(
        rows,
        views.VISIT_COLUMNS,
        data=found,
        row_style=views.dim_void,
        **views.visit_narrowing(rows, one_case=case is not None),
    )


@app.command("show", cls=Command)
def show(visit_id: int = typer.Argument(..., metavar="ID"), as_json: Json = False) -> None:
    """Show one visit with its amendments.

    \b
    Example:
      caseload visit show 1
    """
    from caseload.render import views
    from caseload.render.output import Output
    from caseload.services import visits

    visit = visits.show_visit(database(), visit_id)

    def show() -> None:
        views.print_visit(visit)

    Output(as_json).emit(visit, show)


NOTE_AND_REASON = required_text("--note and --reason")  # an amendment says what and why


@app.command("amend", cls=Command)
def amend(
    visit_id: int = typer.Argument(..., metavar="ID"),
    note: str = typer.Option(
        ..., "--note", parser=NOTE_AND_REASON, metavar="TEXT", help="The amending text."
    ),
    reason: str = typer.Option(
        ..., "--reason", parser=NOTE_AND_REASON, metavar="TEXT", help="Why the record is amended."
    ),
    as_json: Json = False,
) -> None:
    """Append an amendment; the original narrative is kept.

    \b
    Example:
      caseload visit amend 1 --note "Also present: grandmother." \\
        --reason "omitted"
    """
    from caseload.render.output import Output, say
    from caseload.services import visits

    visit = visits.amend_visit(database(), visit_id, note, reason)

    def show() -> None:
        say(f"Amended visit {visit['id']} ({len(visit['amendments'])} amendment(s)).")

    Output(as_json).emit(visit, show)


@app.command("void", cls=Command)
def void(
    visit_id: int = typer.Argument(..., metavar="ID"),
    reason: str = typer.Option(
        ..., "--reason", parser=as_reason, metavar="TEXT", help="Why the entry was made in error."
    ),
    as_json: Json = False,
) -> None:
    """Mark a visit entered in error; it stays on record and no longer counts.

    \b
    Example:
      caseload visit void 2 --reason "entered on the wrong case"
    """
    from caseload.render.output import Output, say
    from caseload.services import visits

    visit = visits.void_visit(database(), visit_id, reason)

    def show() -> None:
        say(f"Voided visit {visit['id']}.")

    Output(as_json).emit(visit, show)
