"""Shell completion: case numbers and the case's member names, from the database, never an error.

Driven both directly and through Typer's completion protocol (the `_CASELOAD_COMPLETE` variable the
scripts of `caseload --install-completion` set), on both backends.
"""

from types import SimpleNamespace

import pytest

from caseload.commands import complete


def _ctx(case=None, db=None, args=()):
    """What a completion callback reads of click's context: this command's params (and the arguments
    left unparsed), and the root's params."""
    return SimpleNamespace(
        params={"case": case}, args=list(args), find_root=lambda: SimpleNamespace(params={"db": db})
    )


def _bash(cli, line: str, **env) -> tuple[list[str], str]:
    """Complete the last word of `line` as bash would; returns the offered words and stderr."""
    from caseload.cli import app

    words = line.split(" ")
    result = cli.runner.invoke(
        app,
        [],
        prog_name="caseload",
        env={
            "_CASELOAD_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
            **env,
        },
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout.split(), result.stderr


@pytest.fixture
def two_cases(rivera):
    rivera.ok(
        "family", "add", "2026-0200", "--name", "Okafor", "--program", "in_home", "--opened", "2026-02-01"
    )
    rivera.ok("family", "add", "2025-0999", "--name", "Lee", "--program", "in_home", "--opened", "2025-12-01")
    return rivera


def test_case_numbers_complete_with_family_names(two_cases):
    assert complete.case_numbers(_ctx(), "2026") == [("2026-0142", "Rivera"), ("2026-0200", "Okafor")]
    assert complete.case_numbers(_ctx(), "") == [
        ("2025-0999", "Lee"),
        ("2026-0142", "Rivera"),
        ("2026-0200", "Okafor"),
    ]
    assert complete.case_numbers(_ctx(), "2027") == []


def test_member_names_of_the_case_first_names_when_unique(rivera):
    assert complete.member_names(_ctx("2026-0142"), "") == [("Maya", "child"), ("Ana", "parent")]
    assert complete.member_names(_ctx("2026-0142"), "m") == [("Maya", "child")]
    assert complete.child_names(_ctx("2026-0142"), "") == [("Maya", "child")]
    assert complete.child_names(_ctx(args=["2026-0142"]), "") == [("Maya", "child")]
    rivera.ok("member", "add", "2026-0142", "Maya Lopez", "--role", "sibling")
    assert complete.member_names(_ctx("2026-0142"), "May") == [
        ("Maya Rivera", "child"),
        ("Maya Lopez", "sibling"),
    ]
    assert complete.member_names(_ctx("2026-0142"), "Ana R") == [("Ana Rivera", "parent")]


def test_completion_offers_nothing_rather_than_failing(rivera, tmp_path):
    assert complete.member_names(_ctx(None), "") == []  # no case on the line yet
    assert complete.member_names(_ctx("2026-9999"), "") == []  # an unknown case
    missing = tmp_path / "nowhere.db"
    assert complete.case_numbers(_ctx(db=str(missing)), "") == []
    assert not missing.exists()  # completing never creates a database
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    assert complete.case_numbers(_ctx(db=str(junk)), "") == []
    assert complete.case_numbers(_ctx(db="postgresql+psycopg://nobody@127.0.0.1:1/none"), "") == []


def test_bash_completes_case_numbers_from_the_database(two_cases):
    assert _bash(two_cases, "caseload family show 2026") == (["2026-0142", "2026-0200"], "")
    assert _bash(two_cases, "caseload visit list 2025")[0] == ["2025-0999"]
    assert _bash(two_cases, "caseload overdue --case 2026-01")[0] == ["2026-0142"]
    assert _bash(two_cases, "caseload export --case 2026-02")[0] == ["2026-0200"]
    assert _bash(two_cases, "caseload hearing list 2026-01")[0] == ["2026-0142"]


def test_bash_completes_member_names_of_the_case_on_the_line(rivera):
    assert _bash(rivera, "caseload visit add 2026-0142 --seen ")[0] == ["Maya", "Ana"]
    assert _bash(rivera, "caseload visit add 2026-0142 --seen Maya --seen A")[0] == ["Ana"]
    assert _bash(rivera, "caseload placement add 2026-0142 ")[0] == ["Maya"]  # children only
    assert _bash(rivera, "caseload placement end 2026-0142 M")[0] == ["Maya"]
    assert _bash(rivera, "caseload goal add 2026-0142 School --member A")[0] == ["Ana"]


def test_completion_uses_the_db_option_on_the_line(rivera, tmp_path):
    other = tmp_path / "other.db"
    assert _bash(rivera, f"caseload --db {other} family show 20") == ([], "")
    assert not other.exists()


def test_completion_is_silent_on_a_broken_database(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    assert _bash(cli, "caseload family show 20", CASELOAD_DB=str(junk)) == ([], "")


def test_zsh_shows_family_names_beside_case_numbers(rivera):
    from caseload.cli import app

    result = rivera.runner.invoke(
        app,
        [],
        prog_name="caseload",
        env={"_CASELOAD_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "caseload member list 2026"},
    )
    assert result.exit_code == 0
    assert '"2026-0142":"Rivera"' in result.stdout


def test_install_completion_is_offered(cli):
    assert "--install-completion" in cli.ok("--help").stdout
