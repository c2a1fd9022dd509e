"""Charts of the visit measure's monthly trend: in text for a terminal (bars, sparklines) and as an
SVG image for the caseload review document.

The SVG is built here as text, with no plotting library: the chart is a few lines and labels, an
SVG file is deterministic (tests read it back as XML), a browser, Markdown viewer, pandoc (Word)
and Typst (PDF) all show it, and nothing is added to any command's start-up. Every label is
XML-escaped: worker names are user input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from xml.sax.saxutils import escape

Percent = Fraction | float | None

BAR_CELLS = 20  # a bar of 20 cells, 5% each
STANDARD = 95  # the federal visit standard, marked on bars and charts
SPARKS = "▁▂▃▄▅▆▇█"
NO_DATA = "·"
# Okabe-Ito: told apart by people with colour-blindness, and in greyscale print by the markers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def bar(percent: Percent) -> str:
    """A bar of '#' cells (each 5%, rounded down) on a '.' ground, with '|' at the 95% standard:
    91.67% -> '##################.|.', 100% -> '###################|#'. Empty without a value."""
    if percent is None:
        return ""
    filled = min(BAR_CELLS, math.floor(Fraction(percent) / (100 // BAR_CELLS)))
    cells = "#" * filled + "." * (BAR_CELLS - filled)
    mark = STANDARD * BAR_CELLS // 100
    return cells[:mark] + "|" + cells[mark:]


def spark(percent: Percent) -> str:
    """One sparkline character: '█' only when the standard is met, '▁' to '▇' spread over 0% to
    just under 95%, '·' for a month without child-months."""
    if percent is None:
        return NO_DATA
    value = Fraction(percent)
    if value >= STANDARD:
        return SPARKS[-1]
    return SPARKS[min(len(SPARKS) - 2, math.floor(value * (len(SPARKS) - 1) / STANDARD))]


def sparkline(percents: Sequence[Percent]) -> str:
    return "".join(spark(p) for p in percents)


def month_label(month: str, spans_years: bool) -> str:
    """'2025-10' as 'Oct' when the months shown are fewer than a year's worth, else as '25-10'."""
    year, number = month.split("-")
    return f"{year[2:]}-{number}" if spans_years else MONTH_NAMES[int(number) - 1]


def trend_svg(
    months: Sequence[str], series: Sequence[tuple[str, Sequence[Percent]]], *, title: str, total: str | None
) -> str:
    """A line chart of visited % by month: one line per series (`(label, percent per month)`, None
    where a month has no child-months), the series labelled `total` drawn thick and black, and a
    dashed line at the 95% standard."""
    width, height = 720, 340
    left, right, top, bottom = 48, 180, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    inset = 18  # the first and last month clear of the axis labels and the legend
    step = (plot_w - 2 * inset) / (len(months) - 1) if len(months) > 1 else 0

    def x(i: int) -> float:
        return left + (inset + i * step if len(months) > 1 else plot_w / 2)

    def y(percent: float) -> float:
        return top + plot_h * (1 - percent / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="#dddddd"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}%</text>')
    parts.append(
        f'<line x1="{left}" y1="{y(STANDARD):.1f}" x2="{left + plot_w}" y2="{y(STANDARD):.1f}" '
        'stroke="#C00000" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<text x="{left + plot_w + 12}" y="{y(STANDARD) + 4:.1f}" fill="#C00000">{STANDARD}% standard</text>'
    )
    spans_years = len(months) > 12
    for i, month in enumerate(months):
        label = month_label(month, spans_years)
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
        )
        if not spans_years and (i == 0 or month.endswith("-01")):
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 30}" text-anchor="middle">{month[:4]}</text>'
            )
    colours = iter(PALETTE * (len(series) // len(PALETTE) + 1))
    styled = [
        (label, percents, "#000000" if label == total else next(colours), 3 if label == total else 1.8)
        for label, percents in series
    ]
    legend_y = top + 54
    for label, _, colour, stroke in styled:
        parts.append(
            f'<line x1="{left + plot_w + 12}" y1="{legend_y - 4}" x2="{left + plot_w + 32}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="{stroke}"/>'
        )
        parts.append(f'<text x="{left + plot_w + 38}" y="{legend_y}">{escape(label)}</text>')
        legend_y += 16
    # the total drawn last, over the workers' lines
    for label, percents, colour, stroke in sorted(styled, key=lambda s: s[0] == total):
        is_total = label == total
        for run in _runs(percents):
            points = " ".join(f"{x(i):.1f},{y(float(percents[i])):.1f}" for i in run)
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{stroke}"/>'
                )
        for i, percent in enumerate(percents):
            if percent is not None:
                parts.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(float(percent)):.1f}" r="{3.5 if is_total else 2.5}" '
                    f'fill="{colour}"/>'
                )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def review_chart(context) -> str:
    """The caseload review's trend (a CaseloadReviewContext): visited % by month for the whole scope
    and for each worker."""
    total = "All" if len(context.workers) > 1 else None
    series = [(total, context.visited_by_month)] if total else []
    series += [(worker.worker_name, worker.visited_by_month) for worker in context.workers]
    months = context.trend_months
    return trend_svg(
        months,
        series,
        title=f"Visited child-months by month, {months[0]} to {months[-1]}",
        total=total,
    )


def _runs(percents: Sequence[Percent]) -> list[list[int]]:
    """Indexes of consecutive months that have a value: a line breaks over a month without one."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, percent in enumerate(percents):
        if percent is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    return runs
