"""The schema, as SQLModel tables: the source Alembic migrations are generated from.

Naming: a column ending in `_on` holds a date, one ending in `_at` a timestamp (UTC). Visits,
amendments, progress entries and the audit log are append-only (enforced by triggers in the
migrations); a visit can only gain its void mark. `part2` marks a visit whose notes are
42 CFR Part 2 substance-use disorder treatment information (see caseload.disclosure).
"""

import datetime as dt

from sqlalchemy import Column, Index, MetaData, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Worker(SQLModel, table=True):
    __table_args__ = (Index("uq_worker_login", "login", unique=True),)
    id: str = Field(primary_key=True, max_length=64)
    name: str
    supervisor_id: str | None = Field(default=None, foreign_key="worker.id", index=True)
    created_at: dt.datetime
    login: str | None = None  # the PostgreSQL login role (migration 0005)


class Family(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(unique=True, max_length=64)
    name: str
    program: str
    risk: str
    opened_on: dt.date
    closed_on: dt.date | None = None
    close_reason: str | None = None
    worker_id: str | None = Field(default=None, foreign_key="worker.id", index=True)
    county: str | None = None
    docket: str | None = None
    created_at: dt.datetime
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class FamilyCover(SQLModel, table=True):
    """A colleague covering a family until a date (leave): she reads and writes it meanwhile."""

    __tablename__ = "family_cover"
    __table_args__ = (Index("ix_family_cover_worker_until", "worker_id", "until_on", "family_id"),)
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    worker_id: str = Field(foreign_key="worker.id")
    until_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Member(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("family_id", "name_key"),)
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    name: str
    name_key: str
    role: str
    born_on: dt.date | None = None
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Placement(SQLModel, table=True):
    __table_args__ = (Index("ix_placement_member_start", "member_id", "start_on"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id")
    family_id: int = Field(foreign_key="family.id", index=True)
    setting: str
    provider: str | None = None
    start_on: dt.date
    end_on: dt.date | None = None
    end_reason: str | None = None
    removed_on: dt.date | None = None
    adjudicated_on: dt.date | None = None
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Visit(SQLModel, table=True):
    # Covers the counting visits' look-ups (the latest per family, per child, and those of a period)
    # without reading the visit rows themselves.
    __table_args__ = (
        Index("ix_visit_family_kind_void_date", "family_id", "kind", "voided_at", "visit_on", "location"),
    )
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id")
    visit_on: dt.date
    visit_time: str | None = None
    kind: str
    location: str | None = None
    duration_min: int | None = None
    narrative: str | None = Field(default=None, sa_column=Column(Text))
    assessment: str | None = Field(default=None, sa_column=Column(Text))
    plan: str | None = Field(default=None, sa_column=Column(Text))
    safety_concern: bool = False
    late_entry: bool = False
    supervision: str | None = None  # family time only: supervised | monitored | unsupervised
    part2: bool = Field(default=False, sa_column_kwargs={"server_default": false()})  # 42 CFR Part 2
    recorded_at: dt.datetime
    recorded_by: str
    voided_at: dt.datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class VisitSeen(SQLModel, table=True):
    __tablename__ = "visit_seen"
    __table_args__ = (Index("ix_visit_seen_member", "member_id", "visit_id"),)
    visit_id: int = Field(foreign_key="visit.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)


class VisitAmendment(SQLModel, table=True):
    __tablename__ = "visit_amendment"
    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    narrative: str = Field(sa_column=Column(Text, nullable=False))
    reason: str
    amended_at: dt.datetime
    amended_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Goal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    text: str
    domain: str | None = None
    target_on: dt.date | None = None
    status: str = "not_started"
    created_at: dt.datetime
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class GoalProgress(SQLModel, table=True):
    __tablename__ = "goal_progress"
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    entry_on: dt.date
    status: str | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class VisitGoal(SQLModel, table=True):
    __tablename__ = "visit_goal"
    visit_id: int = Field(foreign_key="visit.id", primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", primary_key=True)


class Service(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    goal_id: int | None = Field(default=None, foreign_key="goal.id")
    name: str
    provider: str | None = None
    referred_on: dt.date
    status: str = "referred"
    created_at: dt.datetime
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class ServiceUpdate(SQLModel, table=True):
    __tablename__ = "service_update"
    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    update_on: dt.date
    status: str
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Hearing(SQLModel, table=True):
    __table_args__ = (Index("ix_hearing_family_date", "family_id", "hearing_on"),)
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id")
    hearing_on: dt.date
    type: str
    court: str | None = None
    report_due_on: dt.date
    report_filed_on: dt.date | None = None
    outcome: str | None = None
    created_at: dt.datetime
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class PlanReview(SQLModel, table=True):
    __tablename__ = "plan_review"
    __table_args__ = (Index("ix_plan_review_family_date", "family_id", "review_on"),)
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id")
    review_on: dt.date
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class Assessment(SQLModel, table=True):
    """A structured assessment's result: SDM risk (level, score) or CANS (item ratings)."""

    __table_args__ = (
        Index("ix_assessment_family_instrument_date", "family_id", "instrument", "assessed_on"),
        # a child's latest CANS, for the reassessment clock
        Index(
            "ix_assessment_family_instrument_member_date",
            "family_id",
            "instrument",
            "member_id",
            "assessed_on",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id")
    member_id: int | None = Field(default=None, foreign_key="member.id")
    instrument: str
    assessed_on: dt.date
    level: str | None = None
    score: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class AssessmentRating(SQLModel, table=True):
    __tablename__ = "assessment_rating"
    assessment_id: int = Field(foreign_key="assessment.id", primary_key=True)
    item: str = Field(primary_key=True)
    rating: int


class SafetyPlan(SQLModel, table=True):
    __tablename__ = "safety_plan"
    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    plan_on: dt.date
    text: str = Field(sa_column=Column(Text, nullable=False))
    review_by_on: dt.date | None = None
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class SafetyPlanReview(SQLModel, table=True):
    __tablename__ = "safety_plan_review"
    id: int | None = Field(default=None, primary_key=True)
    safety_plan_id: int = Field(foreign_key="safety_plan.id", index=True)
    review_on: dt.date
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: dt.datetime
    recorded_by: str
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_case_at", "case_number", "at"),
        Index("ix_audit_log_actor_at", "actor", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None = None
    case_number: str | None = None
    detail: str | None = Field(default=None, sa_column=Column(Text))
    # migration 0005: the tamper-evident chain (caseload.store.access)
    record_hash: str | None = None  # digest of the record the row adds (a visit's facts and notes)
    imported: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    hash: str | None = None  # sha256 over this row's content and the previous row's hash
    uid: str | None = Field(default=None, unique=True, index=True)  # global id (migration 0006)
    synced_at: dt.datetime | None = None  # when the agency database received it from a replica
