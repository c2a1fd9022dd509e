"""Import of the families CSV agencies already keep: one row per member, the family's columns repeated.

Each row goes through the CLI's own parsers and the same use cases as `family add` and `member add`,
all in one transaction: if any row fails, every problem is reported with its line and nothing is kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from caseload import parsing, vocab
from caseload.errors import CaseloadError, RowProblems, UsageProblem
from caseload.services.cases import join_family, open_family
from caseload.services.common import audit
from caseload.store.db import Database

FAMILY_COLUMNS = ("case_number", "family_name", "program", "risk", "opened_on", "worker", "county", "docket")
MEMBER_COLUMNS = ("member_name", "role", "dob")
COLUMNS = FAMILY_COLUMNS + MEMBER_COLUMNS


@dataclass(frozen=True)
class Row:
    line: int
    family: tuple  # case_number and the family's other columns, parsed: equal on every row of a case
    member: tuple | None  # (name, role, born_on); None on a row for a family without members


def is_families_csv(text: str) -> bool:
    """Whether the text's first row is this format's header (columns in any order, any case)."""
    header = next(csv.reader(io.StringIO(text)), [])
    return sorted(name.strip().lower() for name in header) == sorted(COLUMNS)


def _records(text: str) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line, header, values) of each non-blank record after the header; the line is where the
    record starts (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text))
    header = [name.strip().lower() for name in next(reader)]
    start = reader.line_num + 1
    for values in reader:
        if any(value.strip() for value in values):
            yield start, header, values
        start = reader.line_num + 1


def _optional(value: str, parse: Callable[[str], object]):
    return parse(value) if value.strip() else None


def _parse(line: int, header: list[str], fields: list[str]) -> Row:
    """One record through the CLI's parsers (caseload.parsing); UsageProblem on a malformed value."""
    if len(fields) != len(header):
        raise UsageProblem(f"{len(fields)} fields where the header has {len(header)}")
    values = dict(zip(header, fields, strict=True))
    family = (
        parsing.clean_name(values["case_number"], "case_number"),
        parsing.clean_name(values["family_name"], "family_name"),
        parsing.choice(values["program"], vocab.PROGRAMS, "program"),
        _optional(values["risk"], lambda v: parsing.choice(v, vocab.RISKS, "risk")) or "moderate",
        _optional(values["opened_on"], lambda v: parsing.parse_date(v, "opened_on")),
        values["worker"].strip() or None,
        _optional(values["county"], lambda v: parsing.clean_name(v, "county")),
        _optional(values["docket"], lambda v: parsing.clean_name(v, "docket")),
    )
    if not values["member_name"].strip():
        if values["role"].strip() or values["dob"].strip():
            raise UsageProblem("role and dob need a member_name")
        return Row(line, family, None)
    member = (
        parsing.clean_name(values["member_name"], "member_name"),
        parsing.choice(values["role"], vocab.ROLES, "role"),
        _optional(values["dob"], lambda v: parsing.parse_date(v, "dob")),
    )
    return Row(line, family, member)


class _Batch:
    """The cases opened so far in this import, and the first line of each."""

    def __init__(self, rows):
        self.rows = rows
        self.first: dict[str, Row] = {}
        self.families: dict[str, dict] = {}
        self.members = 0

    def take(self, row: Row) -> None:
        case_number, name, program, risk, opened_on, worker_id, county, docket = row.family
        if case_number not in self.first:
            self.first[case_number] = row
            self.families[case_number] = open_family(
                self.rows,
                case_number,
                name=name,
                program=program,
                risk=risk,
                opened_on=opened_on,
                worker_id=worker_id,
                county=county,
                docket=docket,
            )
        elif row.family != self.first[case_number].family:
            first_line = self.first[case_number].line
            raise UsageProblem(f"case {case_number}: the family's columns differ from line {first_line}")
        if row.member and case_number in self.families:  # not when opening the case failed
            join_family(self.rows, self.families[case_number], *row.member)
            self.members += 1


def import_families(db: Database, text: str, source: str, advance: Callable[[int], None]) -> dict[str, int]:
    """Open each case once and add its members, in one transaction; nothing at all on any problem."""
    problems: list[tuple[int, str]] = []
    with db.write() as rows:
        batch = _Batch(rows)
        for line, header, fields in _records(text):
            try:
                row = _parse(line, header, fields)
                with rows.savepoint():
                    batch.take(row)
            except CaseloadError as exc:
                problems.append((line, exc.message))
            advance(1)
        if problems:
            raise RowProblems([f"line {line}: {message}" for line, message in problems])
        detail = f"families CSV: {len(batch.families)} cases, {batch.members} members, from {source}"
        audit(rows, "import", "families_csv", None, None, detail)
    return {"family": len(batch.families), "member": batch.members}
