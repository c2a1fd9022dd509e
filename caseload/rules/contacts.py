"""What a contact records: who was there, and whether its narrative is still owed.

Source: SPEC 4 (`visit add`) and 5 (`note`); the reading is that of a case record as a legal document,
which may say only what happened (issue 16).
"""

from __future__ import annotations

import datetime as dt

# Kinds at which the children are, unless told otherwise, all present: a caseworker's visit to the
# home, and family time (the parents' visit with their children).
EVERY_CHILD_BY_DEFAULT = frozenset({"face_to_face", "family_time"})
NOBODY_SEEN = "attempted"


def seen_by_default(kind: str) -> bool:
    """Whether a contact recorded without names saw every child of the case.

    Reading: only a face-to-face visit or family time brings the children before the worker; a
    phone call, video call or collateral contact records exactly the people named, and an attempted
    contact (nobody home) saw no one.
    """
    return kind in EVERY_CHILD_BY_DEFAULT


def seen_problem(kind: str, names: list[str]) -> str | None:
    """Why the names given cannot be recorded for this kind of contact, or None."""
    if kind == NOBODY_SEEN and names:
        return "an attempted contact saw no one: leave out --seen (or record the contact's real kind)"
    return None


def blank(narrative: str | None) -> bool:
    """A narrative that says nothing: missing, empty, or only whitespace."""
    return narrative is None or not narrative.strip()


def note_due_on(visit_on: dt.date, late_entry_after_days: int) -> dt.date:
    """When the narrative of a counting visit recorded without one is due (SPEC 5 `note`): the last
    day on which it is not yet a late entry, `late_entry_after_days` after the visit."""
    return visit_on + dt.timedelta(days=late_entry_after_days)
