"""What is due on a case (SPEC 5): one function per kind, each naming its source and the reading chosen.

Every kind yields `Deadline`s; `due_items` judges them against `as_of` and the due-soon window.
Facts dated after `as_of` (visits, plan reviews, report filings) are left out, so that an `as_of` in
the past shows what was due then. Counting visits are the only contacts in the facts: video, phone,
collateral, attempted and void visits never reach the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from caseload import vocab
from caseload.rules.assessments import (
    cans_reassessment,
    interval_met_on,
    safety_plan_review,
    sdm_reassessment,
)
from caseload.rules.contacts import note_due_on
from caseload.rules.courtdays import court_report_due
from caseload.rules.episodes import Episode, entered_care, episode_on, reaches_15_of_22, removal_episodes
from caseload.rules.facts import CaseFact, ChildFact
from caseload.rules.months import Month, add_months

if TYPE_CHECKING:
    from caseload.rules.standards_model import FamilyVisitStandards, Standards

VISIT = "visit"
COURT_REPORT = "court_report"
GOAL = "goal"
PLAN_REVIEW = "plan_review"
PERMANENCY_HEARING = "permanency_hearing"
ASFA_15_OF_22 = "asfa_15_of_22"
ASSESSMENT = "assessment"
SAFETY_PLAN = "safety_plan"
NOTE = "note"

OVERDUE = "overdue"
DUE_SOON = "due_soon"
# A hearing's court report, besides OVERDUE and DUE_SOON (see `court_report_status`):
REPORT_FILED = "filed"
REPORT_DUE = "due"  # outstanding, due after the due-soon window
REPORT_NOT_FILED = "not filed"  # the hearing was held without it

CLOSED_GOAL_STATUSES = frozenset(vocab.CLOSED_GOAL_STATUSES)
PROGRAM_LABELS = {
    "foster_care": "foster care",
    "in_home": "in-home",
    "family_preservation": "family preservation",
}
PERMANENCY_HEARING_EVERY_MONTHS = 12


class ChildInCare(NamedTuple):
    """A child placed on the date judged: all their removal episodes and the current one."""

    child: ChildFact
    episodes: list[Episode]
    current: Episode


class Deadline(NamedTuple):
    """Something due on a case, whatever the date it is judged on. (Deadlines and items are named
    tuples: an agency's morning list makes tens of thousands, three times faster than dataclasses.)"""

    kind: str
    subject: str
    due_on: dt.date
    rule: str
    last_contact_on: dt.date | None = None


class DueItem(NamedTuple):
    """One row of `overdue`: exactly the fields of its JSON (SPEC 5)."""

    kind: str
    status: str
    case_number: str
    family: str
    worker: str | None
    subject: str
    due_on: dt.date
    days_overdue: int
    last_contact_on: dt.date | None
    rule: str

    def to_json(self) -> dict[str, object]:
        """The SPEC 5 JSON object, dates as ISO strings."""
        item = self._asdict()
        item["due_on"] = self.due_on.isoformat()
        if self.last_contact_on is not None:
            item["last_contact_on"] = self.last_contact_on.isoformat()
        return item


def due_items(
    case: CaseFact,
    standards: Standards,
    as_of: dt.date,
    within: int | None = None,
    *,
    court_closed: Container[dt.date],
) -> list[DueItem]:
    """The overdue and due-soon items of a case as of a date, unsorted (see `sort_items`).

    `within` defaults to the standards' due_soon_days; `court_closed` holds the court's holidays
    (`courtdays.court_holidays`), weekends aside.
    """
    window = standards.due_soon_days if within is None else within
    due_soon_until = as_of + dt.timedelta(days=window)
    items = []
    for deadline in deadlines(case, standards, as_of, court_closed=court_closed):
        status = status_on(deadline.due_on, as_of, due_soon_until)
        if status is not None:
            items.append(
                DueItem(
                    kind=deadline.kind,
                    status=status,
                    case_number=case.case_number,
                    family=case.family,
                    worker=case.worker,
                    subject=deadline.subject,
                    due_on=deadline.due_on,
                    days_overdue=(as_of - deadline.due_on).days,
                    last_contact_on=deadline.last_contact_on,
                    rule=deadline.rule,
                )
            )
    return items


def deadlines(
    case: CaseFact, standards: Standards, as_of: dt.date, *, court_closed: Container[dt.date]
) -> list[Deadline]:
    """Every deadline of a case as of a date, however far off: also the "next due" after a visit.

    A case closed on or before `as_of` has nothing due.
    """
    if case.closed_on is not None and case.closed_on <= as_of:
        return []
    program = standards.program(case.program)
    in_care = _children_in_care(case, as_of)
    if case.program == "foster_care":
        visits = foster_visit_deadlines(in_care, as_of)
    else:
        visits = family_visit_deadlines(case, program, as_of)
    return [
        *visits,
        *court_report_deadlines(case, standards.court_report_lead_days, court_closed, as_of),
        *goal_deadlines(case),
        *plan_review_deadlines(case, program.plan_review_every_months, as_of),
        *permanency_hearing_deadlines(case, in_care, as_of),
        *asfa_deadlines(case, in_care),
        *reassessment_deadlines(case, in_care, standards, as_of),
        *note_deadlines(case, standards.late_entry_after_days),
    ]


def status_on(due_on: dt.date, as_of: dt.date, due_soon_until: dt.date) -> str | None:
    """Overdue before `as_of`; due soon from `as_of` to `due_soon_until` (the end of the window,
    worked out once per case rather than for each of its deadlines); else not listed."""
    if due_on < as_of:
        return OVERDUE
    if due_on <= due_soon_until:
        return DUE_SOON
    return None


def sort_items(items: Iterable[DueItem]) -> list[DueItem]:
    """Overdue first, most days first; then due soon, fewest days left (earliest due_on) first; then
    case number and subject (and kind, so that the order never depends on the input's)."""
    return sorted(
        items,
        key=lambda item: (
            item.status != OVERDUE,
            -item.days_overdue,
            item.case_number,
            item.subject,
            item.kind,
        ),
    )


def foster_visit_deadlines(in_care: Iterable[ChildInCare], as_of: dt.date) -> Iterator[Deadline]:
    """A face-to-face visit each calendar month to each child in foster care: 42 U.S.C. 624(f), 622(b)(17).

    Reading (SPEC 5): due on the last day of the first month after the month of the child's latest
    counting visit, but not before the month the current episode began (a visit from an earlier
    episode does not carry over). A child seen in the month of `as_of` is next due at the end of the
    following month. `last_contact_on` is the child's own latest counting visit.
    """
    for child, _, episode in in_care:
        latest = _latest((contact.visit_on for contact in child.contacts), as_of)
        first_unvisited = Month.of(episode.removed_on)
        if latest is not None:
            first_unvisited = max(first_unvisited, Month.of(latest) + 1)
        yield Deadline(
            VISIT, child.name, first_unvisited.last_day, "monthly face-to-face visit (foster care)", latest
        )


def family_visit_deadlines(
    case: CaseFact, standards: FamilyVisitStandards, as_of: dt.date
) -> Iterator[Deadline]:
    """Face-to-face visits to an in-home or family preservation family: the agency's standards file.

    Reading (SPEC 5): any counting visit counts, whoever of the family was seen; the next is due
    `visit_interval_days[risk]` days after the latest, at the risk in force on each date (an SDM
    reassessment changes it from its date on: `assessments.interval_met_on`). With none yet,
    `first_visit_within_days` after the case opened.
    """
    label = PROGRAM_LABELS[case.program]
    latest = _latest(case.family_visits, as_of)
    if latest is None:
        days = standards.first_visit_within_days
        rule = f"first face-to-face visit within {vocab.counted(days, 'day')} of opening ({label})"
        yield Deadline(VISIT, _family_subject(case), case.opened_on + dt.timedelta(days=days), rule, latest)
        return
    due_on, risk = interval_met_on(case, latest, standards.interval_days)
    days = standards.interval_days(risk)
    rule = f"face-to-face visit every {vocab.counted(days, 'day')} ({label}, {risk.replace('_', ' ')} risk)"
    yield Deadline(VISIT, _family_subject(case), due_on, rule, latest)


def court_report_deadlines(
    case: CaseFact, lead_days: int, court_closed: Container[dt.date], as_of: dt.date
) -> Iterator[Deadline]:
    """The agency's written report ahead of each hearing: state court rules, lead time from the standards.

    Reading (SPEC 5): for each hearing on or after `as_of` whose report was not filed by `as_of`,
    `lead_days` calendar days before the hearing, moved back to the previous court day. The date
    fixed when the hearing was scheduled stands when the facts carry it, so a later change of the
    standards file does not move a deadline the court already has.
    """
    for hearing in case.hearings:
        if court_report_outstanding(hearing.hearing_on, hearing.report_filed_on, as_of):
            yield Deadline(
                COURT_REPORT,
                f"hearing {hearing.hearing_on.isoformat()} ({hearing.type})",
                hearing.report_due_on or court_report_due(hearing.hearing_on, lead_days, court_closed),
                f"court report {vocab.counted(lead_days, 'day')} before the hearing",
            )


def note_deadlines(case: CaseFact, late_entry_after_days: int) -> Iterator[Deadline]:
    """The narrative of a counting visit saved without one (SPEC 5 `note`): a visit is documented
    by its note, and a note written later than `late_entry_after_days` after the visit is a late
    entry. Due on that day, until `visit amend ID --note …` adds the narrative.
    """
    for visit_id, visit_on in case.unwritten_notes:
        yield Deadline(
            NOTE,
            f"visit {visit_id} of {visit_on.isoformat()}",
            note_due_on(visit_on, late_entry_after_days),
            f"narrative of a face-to-face visit within {vocab.counted(late_entry_after_days, 'day')}",
        )


def court_report_outstanding(hearing_on: dt.date, filed_on: dt.date | None, as_of: dt.date) -> bool:
    """Whether a hearing's court report is still to be written as of a date (SPEC 5 `court_report`):
    the hearing is on or after `as_of` and the report was not filed by `as_of`."""
    return hearing_on >= as_of and (filed_on is None or filed_on > as_of)


def court_report_status(
    hearing_on: dt.date, due_on: dt.date, filed_on: dt.date | None, as_of: dt.date, due_soon_days: int
) -> str:
    """The one status of a hearing's court report, shown by `hearing list`, `family show`, `report
    caseload` and (as the item's status) `overdue`.

    Reading (SPEC 5 and 7): "filed" once filed by `as_of`; "not filed" when the hearing was held
    (before `as_of`) without it, which `overdue` no longer lists; otherwise the report is outstanding
    and takes the status of any SPEC 5 item: "overdue" when `due_on < as_of`, "due_soon" when
    `as_of <= due_on <= as_of + due_soon_days`, and "due" (not listed by `overdue` yet) after that.
    """
    if filed_on is not None and filed_on <= as_of:
        return REPORT_FILED
    if not court_report_outstanding(hearing_on, filed_on, as_of):
        return REPORT_NOT_FILED
    return status_on(due_on, as_of, as_of + dt.timedelta(days=due_soon_days)) or REPORT_DUE


def goal_deadlines(case: CaseFact) -> Iterator[Deadline]:
    """Target dates of the service-plan goals: the case plan of 42 U.S.C. 675(1).

    Reading (SPEC 5): a goal is open unless achieved, not_achieved or discontinued (partially_achieved
    stays open); an open goal without a target date has nothing due.
    """
    for goal in case.goals:
        if goal.status not in CLOSED_GOAL_STATUSES and goal.target_on is not None:
            yield Deadline(GOAL, goal.text, goal.target_on, "service-plan goal target date")


def plan_review_deadlines(case: CaseFact, every_months: int, as_of: dt.date) -> Iterator[Deadline]:
    """Periodic review of the case plan: 42 U.S.C. 675(5)(B) (at least every six months in foster care);
    the interval per program comes from the standards file.

    Reading (SPEC 5): `every_months` after the latest review on or before `as_of`, else after opening.
    """
    latest = _latest(case.plan_reviews, as_of)
    since = case.opened_on if latest is None else latest
    yield Deadline(
        PLAN_REVIEW,
        _family_subject(case),
        add_months(since, every_months),
        f"case plan review every {vocab.counted(every_months, 'month')}",
    )


def permanency_hearing_deadlines(
    case: CaseFact, in_care: Iterable[ChildInCare], as_of: dt.date
) -> Iterator[Deadline]:
    """A permanency hearing within 12 months of entering foster care and every 12 months after:
    42 U.S.C. 675(5)(C), entering care as in 675(5)(F).

    Reading (SPEC 5): per child in care, 12 months after the latest permanency hearing held in the
    current episode (dated from its removal to before `as_of`), or with none, after entering care.
    Nothing is listed while a permanency hearing is scheduled (on or after `as_of`) by that date; one
    scheduled later leaves the item listed.
    """
    permanency_dates = [hearing.hearing_on for hearing in case.hearings if hearing.type == "permanency"]
    for child, _, episode in in_care:
        held = [day for day in permanency_dates if episode.removed_on <= day < as_of]
        if held:
            since, rule = max(held), "permanency hearing within 12 months of the last one"
        else:
            since, rule = entered_care(episode), "permanency hearing within 12 months of entering care"
        due_on = add_months(since, PERMANENCY_HEARING_EVERY_MONTHS)
        if not any(as_of <= day <= due_on for day in permanency_dates):
            yield Deadline(PERMANENCY_HEARING, child.name, due_on, rule)


def asfa_deadlines(case: CaseFact, in_care: Iterable[ChildInCare]) -> Iterator[Deadline]:
    """The date a child reaches 15 of the most recent 22 months in foster care, when the agency must
    petition to terminate parental rights or document an exception: 42 U.S.C. 675(5)(E).

    Reading (SPEC 5): per child in care, `episodes.reaches_15_of_22` over all the child's episodes
    (15 months as 456 days when there are several); listed until any `tpr` hearing is recorded on the
    case, held or scheduled.
    """
    if any(hearing.type == "tpr" for hearing in case.hearings):
        return
    for child, episodes, _ in in_care:
        reached = reaches_15_of_22(episodes)
        if reached is not None:
            yield Deadline(
                ASFA_15_OF_22, child.name, reached, "ASFA: 15 of the most recent 22 months in care"
            )


def reassessment_deadlines(
    case: CaseFact, in_care: list[ChildInCare], standards: Standards, as_of: dt.date
) -> Iterator[Deadline]:
    """SDM risk and CANS reassessment clocks and safety-plan review dates (see rules.assessments)."""
    clocks = standards.assessments
    children = [(child.child, child.current) for child in in_care]
    for deadline in (
        *sdm_reassessment(case, clocks.sdm_risk_every_days, as_of),
        *cans_reassessment(
            children, clocks.cans_every_months, clocks.cans_within_days_of_entering_care, as_of
        ),
    ):
        yield Deadline(ASSESSMENT, deadline.subject, deadline.due_on, deadline.rule)
    for deadline in safety_plan_review(case, as_of):
        yield Deadline(SAFETY_PLAN, deadline.subject, deadline.due_on, deadline.rule)


def _children_in_care(case: CaseFact, as_of: dt.date) -> list[ChildInCare]:
    """Children of a foster-care case placed on `as_of`, with all their episodes and the current one:
    worked out once per case for the three kinds that concern children in care."""
    if case.program != "foster_care":
        return []
    in_care = []
    for child in case.children:
        episodes = removal_episodes(child.placements)
        current = episode_on(episodes, as_of)
        if current is not None:
            in_care.append(ChildInCare(child, episodes, current))
    return in_care


def _latest(days: Iterable[dt.date], as_of: dt.date) -> dt.date | None:
    return max((day for day in days if day <= as_of), default=None)


def _family_subject(case: CaseFact) -> str:
    return f"{case.family} family"
