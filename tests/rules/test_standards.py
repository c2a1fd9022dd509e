import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseload.errors import CaseloadError
from caseload.standards import default_standards_path, load_standards
from tests.rules.builders import SPEC_STANDARDS

REPO = Path(__file__).resolve().parents[2]
SHIPPED = (REPO / "data" / "visit_standards.toml").read_text()


@pytest.fixture(autouse=True)
def no_agency_standards(monkeypatch):
    monkeypatch.delenv("CASELOAD_STANDARDS", raising=False)


def write(tmp_path, text, name="standards.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_shipped_default_holds_the_documented_values():
    assert default_standards_path() == REPO / "data" / "visit_standards.toml"
    assert dataclasses.asdict(load_standards()) == SPEC_STANDARDS


def test_program_sections_and_intervals_by_risk():
    standards = load_standards()
    assert standards.program("foster_care") is standards.foster_care
    assert standards.program("in_home").interval_days("high") == 14
    assert standards.program("family_preservation").interval_days("very_high") == 2


def test_the_environment_variable_points_at_an_agency_copy(tmp_path, monkeypatch):
    agency = write(tmp_path, SHIPPED.replace("due_soon_days = 7", "due_soon_days = 5"))
    monkeypatch.setenv("CASELOAD_STANDARDS", str(agency))
    assert load_standards().due_soon_days == 5


def test_an_explicit_path_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_STANDARDS", str(tmp_path / "missing.toml"))
    explicit = write(tmp_path, SHIPPED.replace("due_soon_days = 7", "due_soon_days = 2"))
    assert load_standards(explicit).due_soon_days == 2


def test_extra_court_holidays_accept_toml_dates_and_iso_strings(tmp_path):
    path = write(
        tmp_path,
        SHIPPED.replace("extra_court_holidays = []", 'extra_court_holidays = [2026-12-24, "2026-12-31"]'),
    )
    assert load_standards(path).extra_court_holidays == (dt.date(2026, 12, 24), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("high = 14", "high = 14.5", "in_home.visit_interval_days.high: expected a whole number, got 14.5"),
        ("high = 14", 'high = "14"', 'in_home.visit_interval_days.high: expected a whole number, got "14"'),
        ("high = 14", "high = 0", "in_home.visit_interval_days.high: expected 1 or more, got 0"),
        (
            "late_entry_after_days = 3",
            "late_entry_after_days = true",
            "late_entry_after_days: expected a whole number, got true",
        ),
        ("due_soon_days = 7", "due_soon_days = -1", "due_soon_days: expected 0 or more, got -1"),
        (
            "sdm_risk_every_days = 90",
            "sdm_risk_every_days = 99999999999",
            "assessments.sdm_risk_every_days: expected at most 3660, got 99999999999",
        ),
        (
            "plan_review_every_months = 3",
            "plan_review_every_months = 3661",
            "in_home.plan_review_every_months: expected at most 3660, got 3661",
        ),
        ("first_visit_within_days = 7\n", "", "in_home.first_visit_within_days: missing"),
        ("low = 30 }", "low = 30, lo = 3 }", "in_home.visit_interval_days.lo: unknown key"),
        (
            "visit_interval_days = { very_high = 7, high = 14, moderate = 30, low = 30 }",
            "visit_interval_days = 14",
            "in_home.visit_interval_days: expected a table, got 14",
        ),
        (
            'holidays = "US"',
            'holidays = "United States"',
            'holidays: expected a country code with an optional subdivision, like US or US/CA, got "United States"',
        ),
        (
            'holidays = "US"',
            "holidays = 1",
            "holidays: expected a country code with an optional subdivision, like US or US/CA, got 1",
        ),
        (
            "extra_court_holidays = []",
            'extra_court_holidays = ["2026-12-24", "Christmas Eve"]',
            'extra_court_holidays[1]: expected a date like 2026-12-24, got "Christmas Eve"',
        ),
        (
            "extra_court_holidays = []",
            'extra_court_holidays = ["2026-02-30"]',
            'extra_court_holidays[0]: expected a date like 2026-12-24, got "2026-02-30"',
        ),
        (
            "extra_court_holidays = []",
            "extra_court_holidays = [2026-12-24T09:00:00]",
            "extra_court_holidays[0]: expected a date like 2026-12-24, got 2026-12-24 09:00:00",
        ),
        (
            "extra_court_holidays = []",
            'extra_court_holidays = "2026-12-24"',
            'extra_court_holidays: expected an array, got "2026-12-24"',
        ),
    ],
)
def test_a_broken_value_is_one_line_naming_file_and_key(tmp_path, old, new, problem):
    assert old in SHIPPED
    path = write(tmp_path, SHIPPED.replace(old, new, 1))
    with pytest.raises(CaseloadError) as caught:
        load_standards(path)
    message = caught.value.message
    assert "\n" not in message
    assert message == f"standards file {path}: {problem}"


def test_several_problems_report_the_first_and_count_the_rest(tmp_path):
    path = write(tmp_path, SHIPPED.replace("high = 14", "high = 'x'").replace("low = 30 }", "low = 'y' }"))
    with pytest.raises(CaseloadError) as caught:
        load_standards(path)
    problem = 'in_home.visit_interval_days.high: expected a whole number, got "x" (and 1 more)'
    assert caught.value.message == f"standards file {path}: {problem}"


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "due_soon_days = = 7\n")
    with pytest.raises(CaseloadError, match=rf"^standards file {path} is not valid TOML: .*line 1"):
        load_standards(path)


@pytest.mark.parametrize(
    "broken",
    ["due_soon_days = " + "9" * 5000 + "\n", "extra_court_holidays = " + "[" * 5000 + "]" * 5000 + "\n"],
    ids=["integer beyond tomllib's digit limit", "arrays nested 5,000 deep"],
)
def test_a_file_beyond_the_parsers_limits_is_reported_as_invalid(tmp_path, broken):
    path = write(tmp_path, broken)
    with pytest.raises(CaseloadError, match=rf"^standards file {path} is not valid TOML: "):
        load_standards(path)


def test_a_file_that_is_not_utf8_is_reported_as_invalid(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes("# caf\xe9\ndue_soon_days = 7\n".encode("latin-1"))
    with pytest.raises(CaseloadError, match="is not valid TOML"):
        load_standards(path)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CaseloadError, match=r"^standards file not found: .*nothing\.toml$"):
        load_standards(tmp_path / "nothing.toml")


def test_a_missing_file_from_the_environment_says_where_it_came_from(tmp_path, monkeypatch):
    monkeypatch.setenv("CASELOAD_STANDARDS", str(tmp_path / "nothing.toml"))
    with pytest.raises(CaseloadError, match=r"nothing\.toml \(from \$CASELOAD_STANDARDS\)$"):
        load_standards()


def test_a_directory_is_not_a_standards_file(tmp_path):
    with pytest.raises(CaseloadError, match="cannot read standards file"):
        load_standards(tmp_path)


def test_loading_the_standards_does_not_import_pydantic():
    code = "import sys, caseload.standards as s; s.load_standards(); print('pydantic' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"
