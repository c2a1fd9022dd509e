"""Help that stays true: real metavars, choices listed from caseload/vocab.py, and one example on every
command that runs as printed against the demo agency (`caseload demo --families 12 --seed 1` on
2026-04-01: case 2026-0001 is the Rivera family, children Mateo and Ivy; visit 1, goal 1, service 1,
hearing 2 and CANS 1 belong to it).
"""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
import typer.main
from typer.testing import CliRunner

from caseload import vocab
from caseload.cli import app

DEMO_TODAY = "2026-04-01"
PLACEHOLDER = re.compile(r"<[a-z_ ]+>|\{[A-Za-z_]+\}")
EXAMPLE_HEADING = re.compile(r"^  Examples?:$")


def commands() -> list[tuple[str, ...]]:
    """Every leaf command, groups in the order they are registered (add before review …)."""

    def walk(command, path):
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield path
            return
        for name, sub in subcommands.items():
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


def help_text(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(text: str) -> list[str]:
    """The `caseload …` lines of the help's Example(s) block; a line ending in ` \\` goes on on the next,
    as in a shell (long examples are continued so that help fits 80 columns)."""
    lines = text.splitlines()
    found = []
    for start, line in enumerate(lines):
        if EXAMPLE_HEADING.match(line):
            continued = False
            for example in lines[start + 1 :]:
                if continued:
                    found[-1] = found[-1][:-1] + example.strip()
                elif example.startswith("    caseload "):
                    found.append(example.strip())
                else:
                    break
                continued = example.endswith(" \\")
    return found


COMMANDS = commands()


def test_every_command_is_collected():
    assert len(COMMANDS) > 40
    assert ("visit", "add") in COMMANDS and ("overdue",) in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_real_metavars_and_one_example(path):
    text = help_text(path)
    assert PLACEHOLDER.findall(text) == [], text
    found = examples(text)
    assert found, f"caseload {' '.join(path)} --help has no Example"
    assert all(" ".join(path) in e for e in found), found


@pytest.mark.parametrize(
    "path, option, words",
    [
        (("visit", "add"), "--kind", vocab.VISIT_KINDS),
        (("visit", "add"), "--location", vocab.LOCATIONS),
        (("visit", "add"), "--supervision", vocab.SUPERVISION),
        (("family", "add"), "--program", vocab.PROGRAMS),
        (("family", "add"), "--risk", vocab.RISKS),
        (("family", "update"), "--risk", vocab.RISKS),
        (("family", "list"), "--program", vocab.PROGRAMS),
        (("member", "add"), "--role", vocab.ROLES),
        (("placement", "add"), "--setting", vocab.SETTINGS),
        (("goal", "add"), "--domain", vocab.GOAL_DOMAINS),
        (("goal", "update"), "--status", vocab.GOAL_STATUSES),
        (("service", "update"), "--status", vocab.SERVICE_STATUSES),
        (("hearing", "add"), "--type", vocab.HEARING_TYPES),
        (("assess", "add"), "--instrument", vocab.INSTRUMENTS),
        (("assess", "add"), "--level", vocab.RISKS),
    ],
)
def test_choices_are_listed_from_the_vocabularies(path, option, words):
    text = " ".join(help_text(path).partition("\nOptions:")[2].split())  # undo the wrapping
    entry = text[text.index(f"{option} ") :]
    entry = entry[: entry.index(" --", 3)]
    assert [word for word in words if word not in entry] == [], entry


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo agency of 2026-04-01, built once; each group of examples runs on its own copy."""
    folder = tmp_path_factory.mktemp("demo")
    target = folder / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASELOAD_TODAY", DEMO_TODAY)
        patch.delenv("CASELOAD_WORKER", raising=False)
        result = CliRunner().invoke(app, ["--db", str(target), "demo", "--families", "12", "--seed", "1"])
    assert result.exit_code == 0, result.output
    return target


def _groups() -> dict[str, list[tuple[str, ...]]]:
    groups: dict[str, list[tuple[str, ...]]] = {}
    for path in COMMANDS:
        groups.setdefault(path[0], []).append(path)
    return groups


@pytest.mark.parametrize("group", list(_groups()))
def test_every_example_runs_on_the_demo(group, demo_file, tmp_path, monkeypatch, sqlite_only):
    """A group's examples run in the order its commands are listed (safety-plan add, then review),
    on a fresh copy of the demo, in a folder of their own (examples write files such as due.ics)."""
    if group == "sync":
        pytest.skip("sync needs the agency's PostgreSQL: tests/test_sync.py runs it on a throwaway cluster")
    database = tmp_path / "caseload.db"
    shutil.copy(demo_file, database)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASELOAD_TODAY", DEMO_TODAY)
    monkeypatch.setenv("CASELOAD_DB", str(database))
    monkeypatch.setenv("CASELOAD_WORKER", "arivera")  # the demo's supervisor: writes need a worker
    monkeypatch.delenv("CASELOAD_STANDARDS", raising=False)
    monkeypatch.delenv("CASELOAD_TEMPLATES", raising=False)
    runner = CliRunner()
    if group == "import":  # the example imports the export a user would have made first
        assert runner.invoke(app, ["export", "-o", "caseload-export.json"]).exit_code == 0
    ran = []
    for path in _groups()[group]:
        for example in examples(help_text(path)):
            result = runner.invoke(app, shlex.split(example)[1:])
            assert result.exit_code == 0, f"{example}\n{result.stdout}\n{result.stderr}"
            ran.append(example)
    assert ran


def _leaf(path: tuple[str, ...]):
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


OUTPUT_OPTIONS = ["--json", "--csv", "--output", "--force", "--wide"]
LISTS = [path for path in COMMANDS if "--csv" in {o for p in _leaf(path).params for o in p.opts}]


def test_the_list_commands_share_their_output_options():
    """One declaration (commands.output_options): every command with --csv offers the same five
    output options, last and in one order, with one help text each."""
    assert len(LISTS) >= 12, LISTS  # the list commands, overdue, audit, report templates
    helps = {}
    for path in LISTS:
        params = _leaf(path).params
        tail = [p.opts[-1] for p in params[-len(OUTPUT_OPTIONS) :]]
        assert tail == OUTPUT_OPTIONS, (path, tail)
        for param in params[-len(OUTPUT_OPTIONS) :]:
            helps.setdefault(param.opts[-1], set()).add(param.help)
    assert all(len(texts) == 1 for texts in helps.values()), helps


@pytest.mark.parametrize("path", LISTS, ids=" ".join)
def test_json_with_csv_is_refused_before_anything_is_read(cli, path):
    # the database does not exist yet: the options are checked before it is looked for
    required = [p for p in _leaf(path).params if p.required]
    cli.fails(
        *path,
        *["2026-0142"] * len(required),
        "--json",
        "--csv",
        code=2,
        says="give --json or --csv, not both",
    )
