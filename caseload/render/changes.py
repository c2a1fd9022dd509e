"""Corrections said plainly: each changed field, before -> after, on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from caseload.render.output import say

LABELS = {
    "born_on": "date of birth",
    "supervisor_id": "supervisor",
    "worker_id": "worker",
    "opened_on": "opened",
    "hearing_on": "hearing date",
    "report_due_on": "court report due",
    "start_on": "start",
    "end_on": "end",
    "removed_on": "removed",
    "adjudicated_on": "adjudicated",
    "referred_on": "referred",
}


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def say_changes(changes: Iterable[tuple[str, Any, Any]]) -> None:
    """One line per changed field: `  opened: 2026-12-04 → 2026-11-02`."""
    for field, before, after in changes:
        say(f"  {LABELS.get(field, field)}: {_shown(before)} → {_shown(after)}")


def hearing_rows(hearings: list[dict]) -> list[dict]:
    """Hearings for the table, each with `history`: the dates it was continued from, or cancelled."""
    rows = []
    for hearing in hearings:
        notes = [
            f"cancelled {event['on']}" if event["action"] == "cancelled" else f"was {event['from']}"
            for event in hearing["history"]
        ]
        rows.append({**hearing, "history": ", ".join(notes) or None})
    return rows


def worker_rows(workers: list[dict]) -> list[dict]:
    """Workers for the table: `active` as yes or no."""
    return [{**worker, "active": _shown(worker["active"])} for worker in workers]
