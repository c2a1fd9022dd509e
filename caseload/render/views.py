"""Human views of records that are more than one table: a case, a visit."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from caseload.render.output import cell, print_fields, print_table

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


def visit_rows(visits: list[dict]) -> list[dict]:
    return [{**v, "flags": _visit_flags(v), "summary": _summary(v["narrative"])} for v in visits]


# On a terminal too narrow for a visit table, these give way, in this order, before the summary is cut
# below SUMMARY_ROOM characters: the Case column when one case is asked for (the command names it),
# the Flags column when no row has a flag, the Seen names as first names, and the Location.
SUMMARY_ROOM = 24


def visit_narrowing(rows: list[dict], one_case: bool = False) -> dict[str, Any]:
    """What gives way in a table of `visit_rows` on a narrow terminal (print_table's `hide_first`,
    `short` and `useful`)."""
    hide_first = ["case_number"] if one_case else []
    if not any(row["flags"] for row in rows):
        hide_first.append("flags")
    hide_first += ["seen", "location"]
    first_names = {}
    for row in rows:
        names = row["seen"] or []
        first_names[cell(names)] = ", ".join((name.split() or [name])[0] for name in names)
    return {"hide_first": hide_first, "short": {"seen": first_names}, "useful": SUMMARY_ROOM}


def dim_void(row: Mapping[str, Any]) -> str | None:
    return "dim" if row["void"] else None


def print_visit_table(
    visits: list[dict], title: str | None = None, wide: bool = False, one_case: bool = False
) -> None:
    """Visits as a table; `one_case` (a case's own page) leaves out the Case column."""
    columns = [c for c in VISIT_COLUMNS if c[0] != "case_number"] if one_case else VISIT_COLUMNS
    rows = visit_rows(visits)
    print_table(rows, columns, title=title, row_style=dim_void, wide=wide, **visit_narrowing(rows))


def print_visit(visit: Mapping[str, Any]) -> None:
    pairs = [
        ("Visit", visit["id"]),
        ("Case", f"{visit['case_number']} ({visit['family']})"),
        ("Date", f"{visit['visit_on']} {visit['visit_time'] or ''}".strip()),
        ("Kind", visit["kind"] + (f" ({visit['supervision']})" if visit.get("supervision") else "")),
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


def print_family(family: Mapping[str, Any], wide: bool = False) -> None:
    """A case's page; `wide` shows every table's columns and cells whole on a terminal."""
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
    sections += [
        (
            "Services",
            family["services"],
            [
                ("id", "Id"),
                ("name", "Service"),
                ("provider", "Provider"),
                ("member", "For"),
                ("status", "Status"),
                ("updated_on", "Updated"),
            ],
        ),
        (
            "Upcoming hearings",
            family["upcoming_hearings"],
            [
                ("id", "Id"),
                ("hearing_on", "Hearing"),
                ("type", "Type"),
                ("report_due_on", "Report due"),
                ("report_status", "Report"),
            ],
        ),
    ]
    for title, rows, columns in sections:
        sys.stdout.write("\n")
        if rows:
            print_table(rows, columns, title=title, wide=wide)
        else:
            sys.stdout.write(f"{title}: none\n")
    sys.stdout.write("\n")
    if family["latest_assessments"]:
        print_assessments(family["latest_assessments"], title="Latest assessments", wide=wide)
    else:
        sys.stdout.write("Latest assessments: none\n")
    review = family["last_plan_review"]
    sys.stdout.write(f"\nLast plan review: {review['review_on'] if review else 'none'}\n")
    plan = family["safety_plan"]
    if plan:
        review = (
            f"reviewed {plan['reviewed_on']}"
            if plan["reviewed_on"]
            else f"review by {plan['review_by_on'] or '-'}"
        )
        sys.stdout.write(f"\nSafety plan of {plan['plan_on']} ({review}): {cell(plan['text'])}\n")
    sys.stdout.write("\n")
    if family["latest_visits"]:
        print_visit_table(family["latest_visits"], title="Latest visits", wide=wide, one_case=True)
    else:
        sys.stdout.write("Latest visits: none\n")


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _met(flag: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "—"}[flag]


def _print_totals(measure, title: str) -> None:
    document = measure.summary()
    sys.stdout.write(
        f"{title}\n"
        f"Visited: {measure.visited_months} of {measure.child_months} child-months "
        f"({_pct(document['visited_pct'])}; standard 95%: {_met(measure.meets_visit_standard)})\n"
        f"In the child's residence: {measure.residence_months} of {measure.visited_months} visited months "
        f"({_pct(document['residence_pct'])}; standard 50%: {_met(measure.meets_residence_standard)})\n\n"
    )


MEASURE_COLUMNS = [
    ("child_months", "Child-months"),
    ("visited", "Visited"),
    ("visited_pct", "Visited %"),
    ("residence_pct", "In residence %"),
    ("standard", "95% standard"),
]


def _measure_row(measure) -> dict:
    """The visit measure of one worker or one month, as the cells of a table row."""
    summary = measure.summary()
    return {
        "child_months": measure.child_months,
        "visited": measure.visited_months,
        "visited_pct": _pct(summary["visited_pct"]),
        "residence_pct": _pct(summary["residence_pct"]),
        "standard": _met(measure.meets_visit_standard),
    }


def _print_measures(rows: list[dict], first: tuple[str, str], title: str, wide: bool) -> None:
    """Rows of `_measure_row` after a `first` column (the worker, the month); red where the 95%
    standard is not met."""
    print_table(
        rows,
        [first, *MEASURE_COLUMNS],
        title=title,
        row_style=lambda r: "red" if r["standard"] == "NOT met" else None,
        wide=wide,
    )


def print_compliance(result, wide: bool = False) -> None:
    """Totals, one line per worker, then every missed child-month with the last visit before it."""
    measure = result.measure
    document = measure.summary()
    period = (
        document["from"] if document["from"] == document["to"] else f"{document['from']} to {document['to']}"
    )
    _print_totals(measure, f"Federal monthly caseworker visits, {period}")
    workers = [
        {"worker": worker or "(unassigned)", **_measure_row(by_worker)}
        for worker, by_worker in result.by_worker.items()
    ]
    _print_measures(workers, ("worker", "Worker"), "By worker", wide)
    sys.stdout.write("\n")
    if not result.missed:
        sys.stdout.write("No missed child-months.\n")
        return
    print_table(
        [
            {
                "case_number": m.case_number,
                "child": m.child,
                "month": str(m.month),
                "last": m.last_visit_before,
            }
            for m in result.missed
        ],
        [
            ("case_number", "Case"),
            ("child", "Child"),
            ("month", "Missed month"),
            ("last", "Last visit before"),
        ],
        title=f"Missed child-months ({len(result.missed)})",
        wide=wide,
    )


def _assessment_result(assessment: Mapping[str, Any]) -> str:
    if assessment["instrument"] == "sdm_risk":
        score = f" (score {assessment['score']})" if assessment["score"] is not None else ""
        return f"risk {assessment['level']}{score}"
    changes = [f"{item} {assessment['ratings'][item]} {trend}" for item, trend in assessment["trend"].items()]
    return "; ".join(changes)


ASSESSMENT_COLUMNS = [
    ("id", "Id"),
    ("assessed_on", "Date"),
    ("instrument", "Instrument"),
    ("member", "Child"),
    ("result", "Result (change since previous)"),
    ("actionable", "Actionable (2-3)"),
]


def assessment_rows(assessments: list[dict]) -> list[dict]:
    """SDM levels, and each CANS item's rating with its change since the child's previous CANS."""
    return [
        {
            **a,
            "instrument": "SDM risk" if a["instrument"] == "sdm_risk" else "CANS",
            "result": _assessment_result(a),
            "actionable": ", ".join(a.get("actionable", [])),
        }
        for a in assessments
    ]


def print_assessments(assessments: list[dict], title: str | None = None, wide: bool = False) -> None:
    print_table(assessment_rows(assessments), ASSESSMENT_COLUMNS, title=title, wide=wide)


def print_compliance_by_month(result, trend, wide: bool = False) -> None:
    """`compliance --by-month`: the totals, a table and a bar chart of the unit's months, then each
    worker's visited % per month (whole percent rounded down) with a sparkline. Plain characters
    only, so the same text reads on a terminal, in a pipe and in an e-mail."""
    from caseload.render.charts import bar, month_label, sparkline
    from caseload.rules.trend import whole_percent

    _print_totals(
        result.measure, f"Federal monthly caseworker visits by month, {trend.first} to {trend.last}"
    )
    months = [{"month": str(measure.from_month), **_measure_row(measure)} for measure in trend.total]
    _print_measures(months, ("month", "Month"), "By month", wide)
    sys.stdout.write("\nVisited child-months (each # is 5%; | marks the 95% standard)\n")
    for measure, row in zip(trend.total, months, strict=True):
        chart = bar(measure.visited_pct)
        line = (
            f"{row['month']}  {chart}  {row['visited_pct']}" if chart else f"{row['month']}  no child-months"
        )
        sys.stdout.write(line + "\n")
    # a year's months at most per table (their names are then unambiguous, and they fit 80 columns)
    for start in range(0, len(trend.total), 12):
        chunk = slice(start, start + 12)
        shown = trend.total[chunk]
        labels = [month_label(str(m.from_month), False) for m in shown]
        workers = []
        for worker, series in trend.by_worker.items():
            percents = [m.visited_pct for m in series[chunk]]
            row = {"worker": worker or "(unassigned)", "trend": sparkline(percents)}
            for label, percent in zip(labels, percents, strict=True):
                whole = whole_percent(percent)
                row[label] = "—" if whole is None else whole
            workers.append(row)
        sys.stdout.write("\n")
        print_table(
            workers,
            [("worker", "Worker"), ("trend", "Trend"), *((label, label) for label in labels)],
            title=f"Visited % by worker, {shown[0].from_month} to {shown[-1].from_month}",
            wide=wide,
            hide_first=("trend",),
        )
    sys.stdout.write("(whole percent, rounded down; trend: █ standard met, · no child-months)\n")
