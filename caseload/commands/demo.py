"""`caseload demo`: fill an empty database with a fictional agency to try caseload on."""

import typer

from caseload.commands import database


def demo(
    families: int = typer.Option(
        12, "--families", metavar="N", min=1, max=100_000, help="How many families."
    ),
    seed: int = typer.Option(
        1, "--seed", metavar="N", help="Random seed: the same seed and date give the same data."
    ),
    months: int = typer.Option(
        6, "--months", metavar="N", min=1, max=120, help="Months of history before today."
    ),
    workers: int = typer.Option(
        None, "--workers", metavar="N", min=1, help="Caseworkers [default: 3, or one per 25 families]."
    ),
    contacts: float = typer.Option(
        0.25,
        "--contacts",
        metavar="N",
        min=0,
        max=20,
        help="Phone, video, collateral and attempted contacts per visit, on average.",
    ),
) -> None:
    """Fill an EMPTY database with a believable, fictional agency (refuses one holding cases).

    \b
    Example:
      caseload --db demo.db demo --families 12 --seed 1
    """
    from caseload.render.output import say
    from caseload.render.progress import progress
    from caseload.services import demo as demo_service

    workers = workers or max(3, families // 25)
    counts = demo_service.build(
        database(creates=True),
        families=families,
        seed=seed,
        history_months=months,
        workers=workers,
        other_contacts=contacts,
        progress=progress,
    )
    say(
        f"Demo agency ready: {counts['worker']} workers, {counts['family']} families, {counts['member']} members, "
        f"{counts['visit']} contacts, {counts['goal']} goals, {counts['hearing']} hearings."
    )
