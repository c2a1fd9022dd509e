"""A write command is one unit of work, including what it prints afterwards (issue 14)."""

from caseload.store.db import Database


def _count_units(monkeypatch) -> list[str]:
    opened: list[str] = []
    for kind in ("read", "write"):
        original = getattr(Database, kind)

        def counted(self, _original=original, _kind=kind):
            opened.append(_kind)
            return _original(self)

        monkeypatch.setattr(Database, kind, counted)
    return opened


def test_visit_add_reads_next_due_in_its_own_transaction(rivera, monkeypatch):
    opened = _count_units(monkeypatch)
    added = rivera.json("visit", "add", "2026-0142", "--date", "2026-03-30", "--note", "Seen at home.")
    # foster care: Maya seen in March 2026 is next due at the end of April
    assert [(d["subject"], d["due_on"]) for d in added["next_due"]] == [("Maya Rivera", "2026-04-30")]
    assert opened == ["write"]


def test_hearing_add_and_filed_are_one_unit_each(rivera, monkeypatch):
    opened = _count_units(monkeypatch)
    hearing_id = rivera.ok("hearing", "add", "2026-0142", "--date", "2026-05-04", "--type", "review").stdout
    rivera.ok("hearing", "filed", hearing_id.strip(), "--date", "2026-03-31")
    assert opened == ["write", "write"]


def test_goals_from_a_cans_are_read_and_added_in_one_unit(rivera, monkeypatch):
    from tests.test_assessments_cli import add_cans

    cans = add_cans(rivera, "2026-03-20", "sleep=1,anxiety=3")["id"]
    opened = _count_units(monkeypatch)
    added = rivera.json("goal", "add", "2026-0142", "--from-assessment", str(cans), "--yes")
    assert [(g["domain"], g["text"]) for g in added] == [
        ("well_being", "Maya: address anxiety (CANS 3 on 2026-03-20)")
    ]
    assert opened == ["write"]
