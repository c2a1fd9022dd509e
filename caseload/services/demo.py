"""A believable, fictional agency for trying caseload: workers, families, placements, visits,
goals, services, hearings and plan reviews, dated relative to today so `overdue` has real work.

Deterministic for a seed and a date. Every name is invented. Rows are built as plain dicts and
bulk-loaded in one transaction, so an agency-sized database (thousands of families) builds fast.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from caseload import clock
from caseload.errors import RuleViolation
from caseload.parsing import name_key
from caseload.store import access, bulk
from caseload.store.db import Database

SURNAMES = (
    "Rivera Okafor Nguyen Hallström Begay Kowalski Mensah Delgado Whitfield Abernathy Castillo Yazzie "
    "Lindqvist Osei Marchetti Duarte Fairbanks Haddad Iwasaki Brennan Sandoval Tran Calloway Novak "
    "Adeyemi Petrov Villanueva Quintero Ellery Marsh Rasmussen Oyelaran Kincaid Mwangi Takahashi Pruitt"
).split()
CHILD_NAMES = (
    "Maya Leo Aaliyah Mateo Zoe Elijah Nia Santiago Ivy Kai Amara Jonah Lucia Malik Rosa Theo Imani "
    "Diego Hazel Omar Luna Isaiah Freya Tariq Willow Ezra Selah Rafael June Kofi Paloma Dante Iris"
).split()
ADULT_NAMES = (
    "Ana Marcus Denise Luis Grace Tomas Keisha Robert Mei Carlos Shanice Daniel Yolanda Pavel Irene "
    "Hector Lorraine Samuel Beatriz Curtis Fatima Wendell Rosalind Victor"
).split()
PROVIDERS = (
    "Harbor Counseling",
    "Lakeside Family Services",
    "New Roots Recovery",
    "County Behavioral Health",
    "Bright Start Head Start",
    "Community Parenting Circle",
    "Valley Pediatrics",
)
GOALS = (
    ("safety", "Parent will complete a substance-use assessment and follow its recommendations"),
    ("safety", "Home will have working smoke detectors and safe sleep for the infant"),
    ("permanency", "Children will return home safely with a stable caregiver"),
    ("permanency", "Parent will attend every scheduled family-time visit"),
    ("well_being", "Child will attend school at least 90% of days"),
    ("well_being", "Child will complete a developmental screening and recommended therapy"),
    ("well_being", "Parent will keep mental-health appointments monthly"),
)
SERVICES = (
    "Parenting class",
    "Individual therapy",
    "Substance-use treatment",
    "Family therapy",
    "Tutoring",
    "Housing assistance",
    "Early intervention",
)
NARRATIVES = (
    "{child} was at home with the caregiver. The home was clean and there was food in the kitchen. "
    "{child} showed the worker a drawing from school and said the week had gone well.",
    "Met with {parent} and the children. {parent} talked about the parenting class and asked for bus "
    "passes. The children appeared healthy and interacted warmly with {parent}.",
    "{child} was quiet at first, then talked about soccer practice. The caregiver reported two "
    "nights of poor sleep; discussed a bedtime routine.",
    "Walked through the home with {parent}. The smoke detector in the hallway now works. Reviewed "
    "the safety plan; {parent} named two people she can call.",
)
PROGRAM_MIX = (("foster_care", 0.5), ("in_home", 0.3), ("family_preservation", 0.2))
RISK_MIX = (("low", 0.15), ("moderate", 0.45), ("high", 0.3), ("very_high", 0.1))


@dataclass
class _Ids:
    """Next id per table: the demo only fills an empty database, so ids are assigned here."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


@dataclass
class _Agency:
    today: dt.date
    rng: random.Random
    ids: _Ids
    now: dt.datetime
    other_contacts: float = 0.25  # phone, video, collateral and attempted contacts per visit, on average
    tables: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in bulk.TABLE_ORDER})

    def add(self, table: str, **values) -> int | None:
        if table in bulk.NATURAL_KEY_TABLES:
            self.tables[table].append(values)
            return None
        values = {"id": self.ids.take(table), **values}
        self.tables[table].append(values)
        return values["id"]


Progress = Callable[
    [str, int], AbstractContextManager[Callable[[int], None]]
]  # (description, total) -> advance
LOAD_CHUNK = 5_000  # rows per insert: small enough for the bar to move while a big demo is written


def _no_progress(_description: str, _total: int) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda _count: None)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w for w, _ in weighted], [p for _, p in weighted])[0]


def _stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.choice((0, 15, 30, 45))), tzinfo=dt.UTC)


def build(
    db: Database,
    families: int = 12,
    seed: int = 1,
    history_months: int = 6,
    workers: int = 3,
    other_contacts: float = 0.25,
    progress: Progress | None = None,
) -> dict:
    """Fill an empty database; returns the row count per table. Refuses a database holding cases.
    `progress(description, total)`: bars over the families made, then the rows written."""
    progress = progress or _no_progress
    today = clock.today()
    with db.write() as rows:
        if bulk.count_cases(rows):
            raise RuleViolation("the database already holds cases: the demo only fills an empty database")
        agency = _Agency(today, random.Random(seed), _Ids(bulk.next_ids(rows)), clock.now(), other_contacts)
        worker_ids = _workers(agency, workers)
        with progress("Building the demo agency", families) as advance:
            for number in range(1, families + 1):
                _family(agency, number, worker_ids[(number - 1) % len(worker_ids)], history_months)
                advance(1)
        total = sum(len(table) for table in agency.tables.values())
        with progress("Writing the demo agency", total) as advance:
            counts = bulk.load(rows, agency.tables, chunk=LOAD_CHUNK, advance=advance)
        access.insert_audit(  # chained like every audit row
            rows,
            {
                "at": agency.now,
                "actor": "demo",
                "action": "demo",
                "entity": "database",
                "entity_id": None,
                "case_number": None,
                "detail": f"{families} demo families, seed {seed}",
            },
        )
        return {**counts, "audit_log": counts["audit_log"] + 1}


def _workers(agency: _Agency, count: int) -> list[str]:
    """Supervisors first (one per ten workers), then caseworkers; ids like `gokafor`, ASCII only."""
    supervisors = max(1, count // 10)
    ids: list[str] = []
    for index in range(supervisors + count):
        first = ADULT_NAMES[index % len(ADULT_NAMES)]
        last = SURNAMES[(index * 7 + index // len(ADULT_NAMES)) % len(SURNAMES)]
        base = unicodedata.normalize("NFKD", (first[0] + last).lower()).encode("ascii", "ignore").decode()
        worker_id = base if base not in ids else f"{base}{index}"
        supervisor = None if index < supervisors else ids[index % supervisors]
        agency.add(
            "worker", id=worker_id, name=f"{first} {last}", supervisor_id=supervisor, created_at=agency.now
        )
        ids.append(worker_id)
    return ids[supervisors:]


def _family(agency: _Agency, number: int, worker_id: str, history_months: int) -> None:
    rng, today = agency.rng, agency.today
    program = _pick(rng, PROGRAM_MIX)
    risk = _pick(rng, RISK_MIX)
    opened = today - dt.timedelta(days=rng.randint(20, max(21, history_months * 30)))
    surname = SURNAMES[(number - 1) % len(SURNAMES)]
    case_number = f"{opened.year}-{number:04d}"
    family_id = agency.add(
        "family",
        case_number=case_number,
        name=surname,
        program=program,
        risk=risk,
        opened_on=opened,
        closed_on=None,
        close_reason=None,
        worker_id=worker_id,
        county=rng.choice(("Marion", "Lane", "Polk")),
        docket=f"JV-{opened.year % 100}-{rng.randint(1000, 9999)}" if program == "foster_care" else None,
        created_at=agency.now,
    )
    parent = rng.choice(ADULT_NAMES)
    members = [_member(agency, family_id, f"{parent} {surname}", "parent", None)]
    children = []
    for index in range(rng.choice((1, 1, 2, 2, 3, 4))):
        first = CHILD_NAMES[(number * 3 + index * 5) % len(CHILD_NAMES)]
        born = today - dt.timedelta(days=rng.randint(200, 17 * 365))
        children.append(_member(agency, family_id, f"{first} {surname}", "child", born))
    members += children
    if program == "foster_care":
        for child_id, _name in children:
            _placements(agency, family_id, child_id, opened)
    goal_ids = _goals(agency, family_id, opened, children)
    _visits(agency, family_id, program, risk, opened, members, children, goal_ids, parent)
    if program == "foster_care":
        _hearings(agency, family_id, opened)
    _plan_reviews(agency, family_id, program, opened)
    _assessments(agency, family_id, program, risk, opened, children)


def _member(agency: _Agency, family_id: int, name: str, role: str, born: dt.date | None) -> tuple[int, str]:
    member_id = agency.add(
        "member", family_id=family_id, name=name, name_key=name_key(name), role=role, born_on=born
    )
    return member_id, name


def _placements(agency: _Agency, family_id: int, child_id: int, opened: dt.date) -> None:
    rng = agency.rng
    removed = opened + dt.timedelta(days=rng.randint(0, 5))
    adjudicated = removed + dt.timedelta(days=rng.randint(25, 80))
    start = removed
    moves = rng.choice((0, 0, 1))
    for move in range(moves + 1):
        last = move == moves
        end = None
        if not last:
            end = start + dt.timedelta(days=rng.randint(30, max(31, (agency.today - start).days // 2)))
            if end >= agency.today - dt.timedelta(days=2):
                end, last = None, True
        agency.add(
            "placement",
            member_id=child_id,
            family_id=family_id,
            setting=rng.choice(("foster_home", "kinship", "foster_home", "group_home")),
            provider=f"{rng.choice(SURNAMES)} home",
            start_on=start,
            end_on=end,
            end_reason=None if end is None else "moved to a kinship home",
            removed_on=removed,
            adjudicated_on=adjudicated if adjudicated <= agency.today else None,
        )
        if last:
            break
        start = end + dt.timedelta(days=1)


def _goals(agency: _Agency, family_id: int, opened: dt.date, children) -> list[int]:
    rng, ids = agency.rng, []
    for domain, text in rng.sample(GOALS, 2):
        target = agency.today + dt.timedelta(days=rng.randint(-20, 120))
        status = rng.choice(("in_progress", "in_progress", "not_started", "achieved"))
        member_id = children[0][0] if domain == "well_being" and children else None
        goal_id = agency.add(
            "goal",
            family_id=family_id,
            member_id=member_id,
            text=text,
            domain=domain,
            target_on=target,
            status=status,
            created_at=agency.now,
        )
        ids.append(goal_id)
        progress_on = min(agency.today, opened + dt.timedelta(days=rng.randint(10, 60)))
        agency.add(
            "goal_progress",
            goal_id=goal_id,
            entry_on=progress_on,
            status=status,
            note="Reviewed with the family.",
            recorded_at=_stamp(progress_on, rng),
            recorded_by="demo",
        )
        service_on = min(agency.today, opened + dt.timedelta(days=rng.randint(3, 20)))
        service_status = rng.choice(("referred", "active", "active", "completed"))
        service_id = agency.add(
            "service",
            family_id=family_id,
            member_id=member_id,
            goal_id=goal_id,
            name=rng.choice(SERVICES),
            provider=rng.choice(PROVIDERS),
            referred_on=service_on,
            status=service_status,
            created_at=agency.now,
        )
        agency.add(
            "service_update",
            service_id=service_id,
            update_on=service_on,
            status=service_status,
            note=None,
            recorded_at=_stamp(service_on, rng),
            recorded_by="demo",
        )
    return ids


def _visit_days(agency: _Agency, program: str, risk: str, opened: dt.date) -> Iterator[dt.date]:
    """Dates of face-to-face visits: monthly for foster care (a month missed now and then), by risk
    interval with some slippage for in-home and family preservation. One family in four has fallen
    behind lately (no visit since last month, or for a little over the interval), as happens."""
    rng, today = agency.rng, agency.today
    behind = rng.random() < 0.25
    if program == "foster_care":
        month = opened.replace(day=1)
        last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        while month <= (last_month - dt.timedelta(days=1) if behind else today):
            if rng.random() > 0.07:
                last_day = (month + relativedelta(months=1) - dt.timedelta(days=1)).day
                day = month.replace(day=rng.randint(1, last_day))
                if opened <= day <= today - dt.timedelta(days=rng.choice((0, 2, 12))):
                    yield day
            month += relativedelta(months=1)
        return
    interval = {"in_home": {"very_high": 7, "high": 14}, "family_preservation": {"very_high": 2, "high": 3}}
    step = interval[program].get(risk, 30 if program == "in_home" else 7)
    day = opened + dt.timedelta(days=rng.randint(0, 3))
    stop = today - dt.timedelta(days=step + rng.randint(2, 10)) if behind else today
    while day <= stop:
        yield day
        day += dt.timedelta(days=max(1, step + rng.randint(-2, 4)))


def _visits(agency, family_id, program, risk, opened, members, children, goal_ids, parent) -> None:
    rng = agency.rng
    seen_all = [m[0] for m in (children or members)]
    child_name = children[0][1].split()[0] if children else parent
    for day in _visit_days(agency, program, risk, opened):
        delay = rng.choice((0, 0, 0, 1, 1, 2, 5))
        recorded = min(agency.today, day + dt.timedelta(days=delay))
        visit_id = _add_visit(
            agency,
            family_id,
            day,
            "face_to_face",
            seen_all,
            visit_time=f"{rng.randint(9, 17):02d}:{rng.choice((0, 30)):02d}",
            location="home" if rng.random() < 0.85 else rng.choice(("school", "office", "community")),
            duration_min=rng.choice((30, 45, 60, 75)),
            narrative=rng.choice(NARRATIVES).format(child=child_name, parent=parent),
            assessment="No new safety concerns observed."
            if rng.random() < 0.9
            else "Caregiver stress is rising.",
            plan="Next visit scheduled; follow up on service referrals.",
            safety_concern=rng.random() < 0.04,
            late_entry=(recorded - day).days > 3,
            recorded_at=_stamp(recorded, rng),
        )
        if program == "foster_care" and rng.random() < 0.5:
            _family_time(agency, family_id, day, members)
        if goal_ids and rng.random() < 0.3:
            agency.add("visit_goal", visit_id=visit_id, goal_id=rng.choice(goal_ids))
        whole, fraction = divmod(agency.other_contacts, 1)
        for _ in range(int(whole) + (rng.random() < fraction)):
            _other_contact(agency, family_id, day, members)


def _other_contact(agency: _Agency, family_id: int, near: dt.date, members) -> None:
    rng = agency.rng
    kind = rng.choice(("phone", "video", "collateral", "attempted"))
    day = min(agency.today, near + dt.timedelta(days=rng.randint(1, 10)))
    notes = {
        "phone": "Phone call with the caregiver about school pick-up.",
        "video": "Video check-in; the child joined briefly.",
        "collateral": "Spoke with the school counselor about attendance.",
        "attempted": "No one answered the door; left a card.",
    }
    seen = [members[0][0]] if kind in ("phone", "video") else []
    _add_visit(
        agency,
        family_id,
        day,
        kind,
        seen,
        location="home" if kind == "attempted" else None,
        narrative=notes[kind],
        recorded_at=_stamp(day, rng),
    )


def _hearings(agency: _Agency, family_id: int, opened: dt.date) -> None:
    """Adjudication, disposition, reviews every few months, a permanency hearing within a year of
    removal; the next hearing is scheduled within six weeks, its report not yet filed."""
    from caseload.rules.courtdays import court_holidays, court_report_due, is_court_day

    rng, today = agency.rng, agency.today
    closed = court_holidays("US")
    schedule = [("adjudication", opened + dt.timedelta(days=rng.randint(20, 40)))]
    schedule.append(("disposition", schedule[0][1] + dt.timedelta(days=rng.randint(20, 40))))
    permanency_on = opened + dt.timedelta(days=rng.randint(300, 360))
    while schedule[-1][1] < today:
        day = schedule[-1][1] + dt.timedelta(days=rng.randint(60, 120))
        if day > today + dt.timedelta(days=45):
            day = today + dt.timedelta(days=rng.randint(5, 45))
        kind = "review"
        if schedule[-1][1] < permanency_on <= day:
            kind, permanency_on = "permanency", permanency_on + dt.timedelta(days=365)
        schedule.append((kind, day))
    for kind, day in schedule:
        while not is_court_day(day, closed):  # courts sit on business days
            day += dt.timedelta(days=1)
        due = court_report_due(day, 10, closed)
        filed = due - dt.timedelta(days=rng.randint(0, 4)) if day < today else None
        agency.add(
            "hearing",
            family_id=family_id,
            hearing_on=day,
            type=kind,
            court="Juvenile Court, Dept. 3",
            report_due_on=due,
            report_filed_on=filed,
            outcome="continued" if day < today else None,
            created_at=agency.now,
        )


def _plan_reviews(agency: _Agency, family_id: int, program: str, opened: dt.date) -> None:
    rng = agency.rng
    every = {"foster_care": 6, "in_home": 3, "family_preservation": 1}[program]
    day = opened + relativedelta(months=every) - dt.timedelta(days=rng.randint(0, 6))
    while day <= agency.today - dt.timedelta(days=rng.randint(0, 20)):
        agency.add(
            "plan_review",
            family_id=family_id,
            review_on=day,
            note="Plan reviewed with the family.",
            recorded_at=_stamp(day, rng),
            recorded_by="demo",
        )
        day += relativedelta(months=every)


CANS_ITEMS = (
    "sleep",
    "school_attendance",
    "anxiety",
    "adjustment_to_trauma",
    "family_strengths",
    "resilience",
)


def _assessments(agency: _Agency, family_id: int, program: str, risk: str, opened: dt.date, children) -> None:
    """SDM risk every ~90 days for families served at home (with a safety plan now and then); a
    CANS within a month of coming into care, then about every six months, for children in care."""
    rng, today = agency.rng, agency.today
    if program != "foster_care":
        day = opened + dt.timedelta(days=rng.randint(0, 5))
        while day <= today:
            agency.add(
                "assessment",
                family_id=family_id,
                member_id=None,
                instrument="sdm_risk",
                assessed_on=day,
                level=risk,
                score=rng.randint(2, 12),
                note=None,
                recorded_at=_stamp(day, rng),
                recorded_by="demo",
            )
            day += dt.timedelta(days=rng.randint(80, 95))
        if rng.random() < 0.3:
            plan_on = opened + dt.timedelta(days=rng.randint(0, 10))
            plan_id = agency.add(
                "safety_plan",
                family_id=family_id,
                plan_on=plan_on,
                text="Grandmother supervises all contact; mother calls the worker if she feels unsafe.",
                review_by_on=plan_on + dt.timedelta(days=30),
                recorded_at=_stamp(plan_on, rng),
                recorded_by="demo",
            )
            review_on = plan_on + dt.timedelta(days=rng.randint(20, 40))
            if review_on <= today - dt.timedelta(days=3):
                agency.add(
                    "safety_plan_review",
                    safety_plan_id=plan_id,
                    review_on=review_on,
                    note="Plan holds.",
                    recorded_at=_stamp(review_on, rng),
                    recorded_by="demo",
                )
        return
    for child_id, _name in children:
        day = opened + dt.timedelta(days=rng.randint(8, 30))
        ratings = {item: rng.randint(0, 3) for item in CANS_ITEMS}
        while day <= today:
            assessment_id = agency.add(
                "assessment",
                family_id=family_id,
                member_id=child_id,
                instrument="cans",
                assessed_on=day,
                level=None,
                score=None,
                note=None,
                recorded_at=_stamp(day, rng),
                recorded_by="demo",
            )
            for item, rating in ratings.items():
                agency.add("assessment_rating", assessment_id=assessment_id, item=item, rating=rating)
            ratings = {
                item: min(3, max(0, rating + rng.choice((-1, 0, 0, 1)))) for item, rating in ratings.items()
            }
            day += dt.timedelta(days=rng.randint(165, 185))


def _family_time(agency: _Agency, family_id: int, near: dt.date, members) -> None:
    rng = agency.rng
    day = min(agency.today, near + dt.timedelta(days=rng.randint(3, 12)))
    _add_visit(
        agency,
        family_id,
        day,
        "family_time",
        [member_id for member_id, _name in members],
        visit_time="16:00",
        location="office",
        duration_min=90,
        narrative="Supervised family time at the office; the parent arrived on time and "
        "brought a snack. The children were glad to see her.",
        supervision=rng.choice(("supervised", "supervised", "monitored")),
        recorded_at=_stamp(day, rng),
    )


def _add_visit(agency: _Agency, family_id: int, day: dt.date, kind: str, seen: list[int], **columns) -> int:
    """A contact row with every column set (bulk-loaded rows share their keys), and who was seen."""
    row = {
        "visit_time": None,
        "location": None,
        "duration_min": None,
        "narrative": None,
        "assessment": None,
        "plan": None,
        "safety_concern": False,
        "supervision": None,
        "late_entry": False,
        "recorded_by": "demo",
        "voided_at": None,
        "voided_by": None,
        "void_reason": None,
    }
    visit_id = agency.add("visit", family_id=family_id, visit_on=day, kind=kind, **(row | columns))
    for member_id in seen:
        agency.add("visit_seen", visit_id=visit_id, member_id=member_id)
    return visit_id
