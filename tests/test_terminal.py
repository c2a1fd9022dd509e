"""What a caseworker sees on a laptop: tables that fit 80 columns through a real pseudo-terminal, and
the shared output options and worker scope that mean the same on every command.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from caseload.commands.family import FAMILY_COLUMNS
from caseload.commands.goal import GOAL_COLUMNS
from caseload.render.output import fit_widths
from tests.dbtools import read_until_closed

REPO = Path(__file__).resolve().parents[1]
DEMO_TODAY = "2026-04-01"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CASE_NUMBER = re.compile(r"\b\d{4}-\d{4}\b")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    target = tmp_path_factory.mktemp("terminal") / "demo.db"
    env = {**os.environ, "PYTHONPATH": str(REPO), "CASELOAD_TODAY": DEMO_TODAY}
    env.pop("CASELOAD_WORKER", None)
    subprocess.run(
        [sys.executable, "-m", "caseload", "--db", str(target), "demo", "--families", "12", "--seed", "1"],
        env=env,
        check=True,
        capture_output=True,
    )
    return target


def on_terminal(db: Path, *args: str, columns: int = 80) -> str:
    """stdout of `caseload ARGS` run on a pseudo-terminal `columns` wide, escape sequences removed."""
    primary, secondary = os.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "CASELOAD_TODAY": DEMO_TODAY,
        "COLUMNS": str(columns),
        "TERM": "xterm",
    }
    env.pop("CASELOAD_WORKER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "caseload", "--db", str(db), *args],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(secondary)
    chunks = read_until_closed(primary)
    assert process.wait(timeout=30) == 0, process.stderr.read()
    process.stderr.close()
    return ANSI.sub("", b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


def piped(db: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO), "CASELOAD_TODAY": DEMO_TODAY}
    env.pop("CASELOAD_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "caseload", "--db", str(db), *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "args",
    [("overdue", "--all"), ("family", "list", "--all"), ("goal", "list"), ("hearing", "list")],
    ids=" ".join,
)
def test_tables_fit_80_columns_with_every_case_number_whole(demo_db, sqlite_only, args):
    screen = on_terminal(demo_db, *args)
    lines = screen.splitlines()
    assert len(lines) > 3, screen
    assert [line for line in lines if len(line) > 80] == [], screen
    # Every case number of the data is on the screen whole (piped output has the same rows).
    expected = set(CASE_NUMBER.findall(piped(demo_db, *args)))
    assert expected and set(CASE_NUMBER.findall(screen)) == expected, screen
    # One line per row: nothing wrapped inside a cell.
    rows = [line for line in lines if CASE_NUMBER.search(line)]
    assert len(rows) == len([line for line in piped(demo_db, *args).splitlines() if CASE_NUMBER.search(line)])


def test_the_morning_list_keeps_dates_and_status_whole_and_cuts_long_text(demo_db, sqlite_only):
    # one worker's list (everyone's names the worker instead of the status: see below)
    screen = on_terminal(demo_db, "overdue", "--worker", "ltran")
    assert "2026-03-14" in screen and "OVERDUE" in screen and "due soon" in screen and "18 late" in screen
    assert "…" in screen  # goal texts are longer than the room left for them
    assert "(--wide: every column)" in screen  # Rule and Family left out at 80 columns


def subjects(screen: str) -> list[str]:
    """The Subject cell of each row of an `overdue` table (the column runs to the line's end)."""
    lines = screen.splitlines()
    [header] = [line for line in lines if "Subject" in line.split()]
    start = header.index("Subject")
    return [line[start:].rstrip() for line in lines if CASE_NUMBER.search(line)]


@pytest.mark.parametrize(
    "args", [("overdue", "--all"), ("overdue", "--worker", "arivera", "--team")], ids=" ".join
)
def test_the_morning_list_keeps_the_subject_readable_at_80_columns(demo_db, sqlite_only, args):
    screen = on_terminal(demo_db, *args)
    assert [line for line in screen.splitlines() if len(line) > 80] == [], screen
    cells = subjects(screen)
    assert len(cells) == 15, screen
    # a cut subject keeps at least 20 characters before its ellipsis (before: "Parent wi…")
    assert [text for text in cells if text.endswith("…") and len(text) < 21] == [], screen
    assert "Parent will complete a " in screen, screen
    assert "hearing 2026-04-07 (rev" in screen, screen


def test_the_team_list_at_80_columns_keeps_the_worker_and_gives_way_first(demo_db, sqlite_only):
    screen = on_terminal(demo_db, "overdue", "--worker", "arivera", "--team")
    header = [line for line in screen.splitlines() if "Subject" in line][0].split()
    # rule, family, last contact and status gave way; kinds are short; every worker is named
    assert header == ["Due", "Days", "Case", "Worker", "Kind", "Subject"], screen
    assert "report  hearing 2026-04-07 (review)" in screen and "court_report" not in screen
    assert {"dmarchetti", "ltran", "mdelgado"} <= set(screen.split()), screen
    # a wide terminal shows it all, long kind names included
    wide = on_terminal(demo_db, "overdue", "--worker", "arivera", "--team", columns=250)
    assert "court_report" in wide and "Last contact" in wide and "Status" in wide


def test_everyone_s_morning_list_names_the_worker_of_each_item(demo_db, sqlite_only):
    # before: overdue --all had no Worker column on the terminal (JSON and CSV have `worker`)
    screen = on_terminal(demo_db, "overdue", "--all")
    lines = [line.rstrip() for line in screen.splitlines()]
    assert lines[1:4] == [
        "Due         Days     Case       Worker      Kind    Subject",
        "2026-03-14  18 late  2025-0003  ltran       goal    Parent will complete a subs…",
        "2026-03-22  10 late  2025-0011  dmarchetti  goal    Parent will attend every sc…",
    ]
    assert "worker" in piped(demo_db, "overdue", "--all").splitlines()[1].lower()
    # one worker's own list has no Worker column
    mine = on_terminal(demo_db, "overdue", "--worker", "ltran")
    assert "Worker" not in mine and "2025-0003" in mine


def header_of(screen: str, first: str) -> list[str]:
    """The column headers of a table whose first column is `first`."""
    [header] = [line for line in screen.splitlines() if line.startswith(first + " ")]
    return re.split(r"\s{2,}", header.strip())


def test_family_list_at_80_columns_keeps_family_program_and_worker_whole(demo_db, sqlite_only):
    # before: Family, Program and Worker were cut to 6 characters ("Halls…", "family…", "dmarch…")
    screen = on_terminal(demo_db, "family", "list", "--all")
    assert header_of(screen, "Case") == ["Case", "Family", "Program", "Risk", "Worker", "Last visit"]
    assert "2025-0002  Okafor     family_preservation  moderate  dmarchetti  2026-03-19\n" in screen
    assert "2025-0004  Hallström  foster_care          low       mdelgado    2026-02-24\n" in screen
    assert screen.startswith("(--wide: every column)") and "…" not in screen, screen
    wide = on_terminal(demo_db, "family", "list", "--all", "--wide")
    assert header_of(wide, "Case") == [h for _, h in FAMILY_COLUMNS]


def test_goal_list_at_80_columns_keeps_the_goal_readable(demo_db, sqlite_only):
    # before: the goal was cut to 17 characters ("Parent will keep…") beside the domain and day count
    screen = on_terminal(demo_db, "goal", "list")
    assert header_of(screen, "Id") == ["Id", "Case", "Goal", "For", "Status", "Target"]
    assert "4   2025-0002  Parent will keep mental-health …  Nia     in_progress  2026-07-30" in screen
    assert "21  2025-0011  Parent will attend every schedu…          in_progress  2026-03-22" in screen
    assert [line for line in screen.splitlines() if len(line) > 80] == [], screen
    wide = on_terminal(demo_db, "goal", "list", "--wide")
    assert header_of(wide, "Id") == [h for _, h in GOAL_COLUMNS]
    assert "Nia Okafor" in wide and "Parent will keep mental-health appointments" in wide


def rows_of(screen: str) -> list[str]:
    return [line.rstrip() for line in screen.splitlines()]


def test_a_case_s_visits_at_80_columns_keep_the_summary_readable(demo_db, sqlite_only):
    # before: "90  2026-01-17  2025-0011  face_to_face  home      Maya Cast…         Walked th…"
    screen = on_terminal(demo_db, "visit", "list", "2025-0011")
    # the Case column (the command names it), the empty Flags and the Location gave way; Seen is first names
    assert rows_of(screen) == [
        "(--wide: every column)",
        "Id  Date        Kind          Seen                      Summary",
        "90  2026-01-17  face_to_face  Maya, Elijah, Amara, Th…  Walked through the home…",
        "91  2026-01-23  family_time   Keisha, Maya, Elijah, A…  Supervised family time …",
        "92  2026-03-17  face_to_face  Maya, Elijah, Amara, Th…  Maya was at home with t…",
        "93  2026-03-20  family_time   Keisha, Maya, Elijah, A…  Supervised family time …",
    ]
    # flags are kept when a visit has one
    screen = on_terminal(demo_db, "visit", "list", "2025-0008")
    assert rows_of(screen)[:3] == [
        "(--wide: every column)",
        "Id  Date        Kind          Seen                  Flags  Summary",
        "66  2025-11-06  face_to_face  Willow, Kofi          late   Willow was quiet at …",
    ]
    wide = on_terminal(demo_db, "visit", "list", "2025-0011", "--wide")
    assert header_of(wide, "Id") == ["Id", "Date", "Case", "Kind", "Location", "Seen", "Flags", "Summary"]
    assert "home      Maya Castillo, Elijah Castillo, Amara Castillo, Theo Castillo  " in wide
    # piped, every column and every name as before
    plain = piped(demo_db, "visit", "list", "2025-0011")
    assert re.split(r"\s{2,}", plain.splitlines()[0]) == header_of(wide, "Id")
    assert "2025-0011  face_to_face  home      Maya Castillo, Elijah Castillo, Amara Castillo, Theo" in plain


def test_a_case_s_page_at_80_columns_keeps_its_visit_summaries_readable(demo_db, sqlite_only):
    # before: "93  2026-03-20  family_time   Keisha Castillo…         Supervised fam…"
    lines = rows_of(on_terminal(demo_db, "family", "show", "2025-0011"))
    start = lines.index("Latest visits (--wide: every column)")
    assert lines[start:] == [
        "Latest visits (--wide: every column)",
        "Id  Date        Kind          Seen                      Summary",
        "93  2026-03-20  family_time   Keisha, Maya, Elijah, A…  Supervised family time …",
        "92  2026-03-17  face_to_face  Maya, Elijah, Amara, Th…  Maya was at home with t…",
        "91  2026-01-23  family_time   Keisha, Maya, Elijah, A…  Supervised family time …",
        "90  2026-01-17  face_to_face  Maya, Elijah, Amara, Th…  Walked through the home…",
    ]
    wide = rows_of(on_terminal(demo_db, "family", "show", "2025-0011", "--wide"))
    assert "Latest visits" in wide and "Theo Castillo" in wide[-1] and "Goal" in " ".join(wide)
    assert "Id  Date        Kind          Location  Seen" in " ".join(wide)


def test_wide_shows_every_cell_whole(demo_db, sqlite_only):
    screen = on_terminal(demo_db, "overdue", "--all", "--wide")
    assert "…" not in screen
    assert "Parent will complete a substance-use assessment and follow its recommendations" in screen
    assert "face-to-face visit every 7 days (family preservation, moderate risk)" in screen


def test_a_wide_terminal_shows_everything_without_wide(demo_db, sqlite_only):
    screen = on_terminal(demo_db, "goal", "list", columns=250)
    assert "…" not in screen
    assert "Child will complete a developmental screening and recommended therapy" in screen


@pytest.mark.parametrize(
    "natural, free, width, expected",
    [
        ([10, 30, 5], [False, True, False], 80, [10, 30, 5]),  # it fits: nothing cut
        ([10, 60, 5], [False, True, False], 40, [10, 21, 5]),  # 40 - 2 gaps of 2 - 15 fixed
        ([10, 6, 60, 50], [False, True, True, True], 40, [10, 6, 9, 9]),  # short text whole first
        ([70, 30], [False, True], 40, [70, 4]),  # never below MIN_FREE
    ],
)
def test_fit_widths(natural, free, width, expected):
    assert fit_widths(natural, free, width) == expected


# --- One meaning of --worker / --all / --case -------------------------------------------------------


@pytest.fixture
def two_workers(rivera):
    rivera.ok("worker", "add", "asmith", "--name", "Alex Smith")
    rivera.ok(
        "family", "add", "2026-0600", "--name", "Marsh", "--program", "in_home", "--worker", "asmith",
        "--opened", "2026-03-01",
    )  # fmt: skip
    return rivera  # $CASELOAD_WORKER is jdoe, who has 2026-0142


@pytest.mark.parametrize(
    "command", [("overdue",), ("compliance", "--from", "2026-03", "--to", "2026-03")], ids=lambda c: c[0]
)
def test_case_is_that_case_whoever_has_it(two_workers, command):
    # 2026-0600 is asmith's; $CASELOAD_WORKER (jdoe) does not hide it.
    document = two_workers.json(*command, "--case", "2026-0600")
    if command[0] == "overdue":
        assert {item["case_number"] for item in document["items"]} == {"2026-0600"}
    else:
        assert document["child_months"] == 0  # no children yet: the case, not jdoe's caseload


@pytest.mark.parametrize(
    "args, says",
    [
        (("overdue", "--worker", "jdoe", "--case", "2026-0142"), "give --worker or --case, not both"),
        (("compliance", "--worker", "jdoe", "--case", "2026-0142"), "give --worker or --case, not both"),
        (("family", "list", "--worker", "jdoe", "--all"), "give --worker or --all, not both"),
        (("calendar", "--worker", "jdoe", "--all"), "give --worker or --all, not both"),
        (("report", "caseload", "--worker", "jdoe", "--all"), "give --worker or --all, not both"),
        (("goal", "list", "--json", "--csv"), "give --json or --csv, not both"),
    ],
)
def test_conflicting_options_fail_the_same_way_everywhere(two_workers, args, says):
    two_workers.fails(*args, code=2, says=says)


def test_default_is_my_caseload_and_all_is_everyones(two_workers):
    assert [f["case_number"] for f in two_workers.json("family", "list")] == ["2026-0142"]
    assert [f["case_number"] for f in two_workers.json("family", "list", "--all")] == [
        "2026-0142",
        "2026-0600",
    ]


@pytest.fixture
def plans_of_two(two_workers):
    for case in ("2026-0142", "2026-0600"):
        two_workers.ok("goal", "add", case, f"Goal of {case}", "--target", "2026-06-30")
        two_workers.ok("hearing", "add", case, "--date", "2026-05-04", "--type", "review")
    return two_workers


@pytest.mark.parametrize("noun", ["goal", "hearing"])
def test_goal_and_hearing_lists_take_the_same_scope_as_family_list(plans_of_two, noun):
    def cases(*args):
        return [row["case_number"] for row in plans_of_two.json(noun, "list", *args)]

    # the default was every case; now $CASELOAD_WORKER's (jdoe's), as family list and overdue
    assert cases() == ["2026-0142"]
    assert cases("--all") == ["2026-0142", "2026-0600"]
    assert cases("--worker", "asmith") == ["2026-0600"]
    assert cases("--case", "2026-0600") == cases("2026-0600") == ["2026-0600"]
    plans_of_two.fails(
        noun, "list", "--worker", "jdoe", "--all", code=2, says="give --worker or --all, not both"
    )
    plans_of_two.fails(noun, "list", "2026-0142", "--case", "2026-0600", code=2,
                       says="give the case as CASE or as --case, not both")  # fmt: skip
    plans_of_two.fails(noun, "list", "--worker", "jdoo", says="no worker 'jdoo'. Did you mean jdoe?")
    # a supervisor's default is her team
    plans_of_two.ok("worker", "update", "asmith", "--supervisor", "jdoe")
    assert cases() == ["2026-0142", "2026-0600"]
    assert cases("--worker", "jdoe") == ["2026-0142"]


# --- The shared output options ------------------------------------------------------------------------


def test_output_writes_the_same_data_to_a_private_file(two_workers, tmp_path):
    target = tmp_path / "families.json"
    outcome = two_workers.ok("family", "list", "--all", "--json", "-o", target)
    assert outcome.stdout == ""
    import json

    assert json.loads(target.read_text()) == two_workers.json("family", "list", "--all")
    assert target.stat().st_mode & 0o777 == 0o600


def test_csv_of_a_list_has_the_table_columns(two_workers):
    lines = two_workers.ok("goal", "list", "--csv").stdout.splitlines()
    assert lines == ["id,case_number,text,member,domain,status,target_on,days_to_target,latest"]
    lines = two_workers.ok("family", "list", "--all", "--csv").stdout.splitlines()
    assert lines[0] == "case_number,name,program,risk,worker_id,opened_on,children,last_visit_on"
    assert lines[1].startswith("2026-0142,Rivera,foster_care,high,jdoe,2026-01-05,1,")
