"""Human views of records that are more than one table: a case, a visit."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from caseload.render.output import print_fields, print_table

PART2_LABEL = "42 CFR Part 2: substance-use disorder treatment record; redisclosure restricted"
VISIT_COLUMNS = [
    ("id", "Id"),
    ("visit_on", "Date"),
    ("case_number", "Case"),
    ("kind", "Kind"),
    ("location", "Location"),
    ("seen", "Seen"),
    ("flags", "Flags"),
    ("summary", "Summary"),
]


def _visit_flags(visit: Mapping[str, Any]) -> str:
    flags = []
    if visit["void"]:
        flags.append("VOID")
    if visit["late_entry"]:
        flags.append("late")
    if visit["safety_concern"]:
        flags.append("SAFETY")
    if visit["part2"]:
        flags.append("PART2")
    if visit["amendments"]:
        flags.append(f"amended×{len(visit['amendments'])}")
    return " ".join(flags)


def _summary(text: str | None, width: int = 48) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def print_visit_table(visits: list[dict], title: str | None = None) -> None:
    rows = [{**v, "flags": _visit_flags(v), "summary": _summary(v["narrative"])} for v in visits]
    print_table(rows, VISIT_COLUMNS, title=title, row_style=lambda r: "dim" if r["void"] else None)


def print_visit(visit: Mapping[str, Any]) -> None:
    pairs = [
        ("Visit", visit["id"]),
        ("Case", f"{visit['case_number']} ({visit['family']})"),
        ("Date", f"{visit['visit_on']} {visit['visit_time'] or ''}".strip()),
        ("Kind", visit["kind"]),
        ("Location", visit["location"]),
        ("Duration", f"{visit['duration_min']} min" if visit["duration_min"] else None),
        ("Seen", visit["seen"]),
        ("Goals", visit["goals"]),
        ("Flags", _visit_flags(visit)),
    ]
    if visit["part2"]:
        pairs.append(("Protected", PART2_LABEL))
    pairs += [
        ("Recorded", f"{visit['recorded_at']:%Y-%m-%d %H:%M} UTC by {visit['recorded_by']}"),
        ("Data", visit["narrative"]),
        ("Assessment", visit["assessment"]),
        ("Plan", visit["plan"]),
    ]
    if visit["void"]:
        pairs.append(
            ("Voided", f"{visit['voided_at']:%Y-%m-%d} by {visit['voided_by']}: {visit['void_reason']}")
        )
    print_fields(pairs)
    for number, amendment in enumerate(visit["amendments"], start=1):
        sys.stdout.write("\n")
        print_fields(
            [
                ("Amended", f"{amendment['amended_at']:%Y-%m-%d %H:%M} UTC by {amendment['amended_by']}"),
                ("Reason", amendment["reason"]),
                ("Text", amendment["narrative"]),
            ],
            title=f"Amendment {number}",
        )


def print_family(family: Mapping[str, Any]) -> None:
    status = f"closed {family['closed_on']} ({family['close_reason']})" if family["closed_on"] else "open"
    print_fields(
        [
            ("Case", f"{family['case_number']} ({family['name']})"),
            ("Program", family["program"]),
            ("Risk", family["risk"]),
            ("Worker", family["worker_id"]),
            ("Opened", family["opened_on"]),
            ("Status", status),
            ("County", family["county"]),
            ("Docket", family["docket"]),
        ]
    )
    sections = [
        ("Members", family["members"], [("name", "Name"), ("role", "Role"), ("born_on", "Born")]),
        (
            "Current placements",
            family["current_placements"],
            [("child", "Child"), ("setting", "Setting"), ("provider", "Provider"), ("start_on", "Since")],
        ),
        (
            "Open goals",
            family["open_goals"],
            [
                ("id", "Id"),
                ("text", "Goal"),
                ("member", "For"),
                ("status", "Status"),
                ("target_on", "Target"),
            ],
        ),
    ]
    for title, rows, columns in sections:
        sys.stdout.write("\n")
        if rows:
            print_table(rows, columns, title=title)
        else:
            sys.stdout.write(f"{title}: none\n")
    sys.stdout.write("\n")
    if family["latest_visits"]:
        print_visit_table(family["latest_visits"], title="Latest visits")
    else:
        sys.stdout.write("Latest visits: none\n")
