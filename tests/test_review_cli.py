"""The caseload review (`report caseload`): hearings whose court report falls due in its window,
hearings held without a filed report, and the visit measure's monthly trend as a table and an SVG
chart beside the draft. Rivera (2026-0142, jdoe), as of Friday 2026-12-04; the window runs to
2027-01-03 (30 days); the fiscal year to date is 2026-10 to 2026-11.
"""

import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def review(rivera):
    rivera.today("2026-12-04")
    hearings = {}
    for day in ("2026-09-21", "2026-10-15", "2026-11-02", "2026-11-10", "2026-12-15", "2027-01-04"):
        hearings[day] = rivera.json("hearing", "add", "2026-0142", "--date", day, "--type", "review")["id"]
    rivera.ok("hearing", "filed", hearings["2026-11-02"], "--date", "2026-11-05")  # after the hearing
    rivera.ok("hearing", "filed", hearings["2026-11-10"], "--date", "2026-10-30")  # in time
    # Maya seen at home in October, not in November
    rivera.ok("visit", "add", "2026-0142", "--date", "2026-10-12", "--location", "home")
    return rivera


def test_hearings_whose_report_falls_due_in_the_window_are_listed(review):
    [jdoe] = review.json("report", "caseload")["workers"]
    assert [(h["hearing_on"], h["report_due_on"], h["report_status"]) for h in jdoe["hearings"]] == [
        # Tue 12-15 - 10 days = Sat 12-05 -> Fri 12-04: due today
        ("2026-12-15", "2026-12-04", "due_soon"),
        # Mon 2027-01-04 - 10 days = Fri 12-25 (Christmas) -> Thu 12-24: after the window's end
        # (01-03) is the hearing, inside it the report
        ("2027-01-04", "2026-12-24", "due"),  # one report status everywhere (rules.due)
    ]


def test_hearings_held_without_a_filed_report_are_listed(review):
    [jdoe] = review.json("report", "caseload")["workers"]
    # 09-21 was before the fiscal year (2026-10-01); 11-10's report was filed 10-30, in time
    assert jdoe["hearings_without_report"] == [
        {
            "case_number": "2026-0142",
            "family": "Rivera",
            "hearing_on": "2026-10-15",
            "type": "review",
            "report_due_on": "2026-10-05",  # Thu 10-15 - 10 days = Mon 10-05
            "report_filed_on": None,
        },
        {
            "case_number": "2026-0142",
            "family": "Rivera",
            "hearing_on": "2026-11-02",
            "type": "review",
            "report_due_on": "2026-10-23",
            "report_filed_on": "2026-11-05",
        },
    ]
    draft = review.ok("report", "caseload").stdout
    assert (
        "Hearings held without a filed court report:\n\n"
        "| Hearing | Case | Type | Report due | Report |\n"
        "|---|---|---|---|---|\n"
        "| 2026-10-15 | 2026-0142 (Rivera) | review | 2026-10-05 | **never filed** |\n"
        "| 2026-11-02 | 2026-0142 (Rivera) | review | 2026-10-23 | filed 2026-11-05, after the hearing |\n"
    ) in draft
    assert "| 2027-01-04 | 2026-0142 (Rivera) | review | 2026-12-24 | due |\n" in draft


def test_the_trend_table_and_no_image_on_stdout(review):
    document = review.json("report", "caseload")
    assert document["trend_months"] == ["2026-10", "2026-11"]
    assert document["visited_by_month"] == [100.0, 0.0]
    assert document["workers"][0]["visited_by_month"] == [100.0, 0.0]
    assert document["chart"] is None
    draft = review.ok("report", "caseload").stdout
    assert (
        "## Visit measure by month\n\n"
        "| Visited | 2026-10 | 2026-11 |\n"
        "|---|---|---|\n"
        "| **All** | 100.00% | 0.00% |\n"
        "| Jamie Doe | 100.00% | 0.00% |\n"
    ) in draft
    assert "![" not in draft


def test_the_chart_is_an_svg_beside_the_draft(review, tmp_path):
    review.ok("worker", "add", "asmith", "--name", "Alex <Smith> & Co")  # a name that is not XML
    # asmith's Leo, in care from 2026-10-01 and never visited: October and November missed
    review.ok(
        "family", "add", "2026-0600", "--name", "Marsh", "--program", "foster_care", "--worker", "asmith",
        "--opened", "2026-10-01",
    )  # fmt: skip
    review.ok("member", "add", "2026-0600", "Leo Marsh", "--role", "child")
    review.ok(
        "placement", "add", "2026-0600", "Leo", "--start", "2026-10-01", "--setting", "foster_home",
        "--removed", "2026-10-01",
    )  # fmt: skip
    target = tmp_path / "unit review.md"
    outcome = review.ok("report", "caseload", "--all", "-o", target)
    chart = tmp_path / "unit review-visits.svg"
    assert outcome.stderr.splitlines()[-1] == f"Wrote its chart to {chart}."
    assert chart.stat().st_mode & 0o777 == 0o600
    draft = target.read_text()
    assert (
        "![Visited child-months by month, fiscal year to date, per worker](unit%20review-visits.svg)\n"
        in draft
    )
    root = ET.fromstring(chart.read_text())
    assert root.find(f"{SVG}title").text == "Visited child-months by month, 2026-10 to 2026-11"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # the legend: the unit's total, then each worker
    assert texts[-3:] == ["All", "Alex <Smith> & Co", "Jamie Doe"]
    assert "95% standard" in texts and "Oct" in texts and "Nov" in texts
    # a marker per month and line: All 50% and 0% (1 of 2, 0 of 2), asmith 0% and 0%, jdoe 100% and 0%
    circles = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert len(circles) == 6
    [oct_x, nov_x] = sorted({float(x) for x, _ in circles})
    heights = {(float(x), float(y)) for x, y in circles}
    top, bottom = 40, 340 - 48  # the plot runs from 100% at y=40 to 0% at y=292
    assert heights == {(oct_x, bottom), (oct_x, (top + bottom) / 2), (oct_x, top), (nov_x, bottom)}
    audit = [e for e in review.json("audit") if e["entity"] == "caseload_review"]
    assert audit[-1]["detail"].endswith(f"; chart {chart}")


def test_a_hostile_worker_name_stays_text_in_the_chart(review, tmp_path):
    review.ok("worker", "add", "zz", "--name", 'Z </text><script>alert("x")</script> &amp;')
    review.ok("family", "update", "2026-0142", "--worker", "zz")
    target = tmp_path / "review.md"
    review.ok("report", "caseload", "--worker", "zz", "-o", target)
    root = ET.fromstring((tmp_path / "review-visits.svg").read_text())
    assert [t.text for t in root.iter(f"{SVG}text")][-1] == 'Z </text><script>alert("x")</script> &amp;'
    assert list(root.iter(f"{SVG}script")) == []


def test_json_writes_no_chart(review, tmp_path):
    (tmp_path / "out").mkdir()
    review.ok("report", "caseload", "--json", "-o", tmp_path / "out" / "review.json")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["review.json"]
