"""The measure month by month (rules/trend.py) and its plain-character charts (render/charts.py)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseload.render.charts import bar, spark, sparkline
from caseload.rules.measure import ChildMonth, ChildMonths, Measure
from caseload.rules.months import Month
from caseload.rules.trend import monthly, whole_percent

JAN, FEB, MAR = (Month(2026, m) for m in (1, 2, 3))


def test_monthly_splits_the_period_and_keeps_empty_months():
    measure = Measure(
        JAN,
        MAR,
        (
            ChildMonths("2026-0001", "Maya", (ChildMonth(JAN, True, True), ChildMonth(MAR, False, False))),
            ChildMonths("2026-0002", "Leo", (ChildMonth(MAR, True, False),)),
        ),
    )
    months = monthly(measure)
    assert [(str(m.from_month), m.child_months, m.visited_months, m.residence_months) for m in months] == [
        ("2026-01", 1, 1, 1),
        ("2026-02", 0, 0, 0),  # no child-months: there, with no percentage
        ("2026-03", 2, 1, 0),
    ]
    assert [m.visited_pct for m in months] == [100, None, 50]


@pytest.mark.parametrize(
    "percent, shown",
    [
        (Fraction(227 * 100, 240), 94),
        (Fraction(95), 95),
        (Fraction(200, 3), 66),
        (None, None),
        (Fraction(0), 0),
    ],
)
def test_whole_percent_rounds_down(percent, shown):
    # 227 of 240 is 94.58%: shown 94, never 95, since the standard is not met
    assert whole_percent(percent) == shown


@pytest.mark.parametrize(
    "percent, drawn",
    [
        (100, "###################|#"),
        (95, "###################|."),
        (Fraction(9499, 100), "##################.|."),  # 18.998 cells: rounded down
        (50, "##########.........|."),
        (0, "...................|."),
        (None, ""),
    ],
)
def test_bar(percent, drawn):
    assert bar(percent) == drawn


def test_spark_full_block_only_when_the_standard_is_met():
    assert [spark(p) for p in (None, 0, 50, Fraction(9499, 100), 95, 100)] == ["·", "▁", "▄", "▇", "█", "█"]


@given(st.lists(st.one_of(st.none(), st.fractions(min_value=0, max_value=100)), max_size=24))
def test_a_sparkline_has_one_character_per_month(percents):
    line = sparkline(percents)
    assert len(line) == len(percents)
    assert all((c == "█") == (p is not None and p >= 95) for c, p in zip(line, percents, strict=True))
