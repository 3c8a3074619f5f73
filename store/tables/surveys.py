"""The survey read model: one row per follow-up survey, and the service-recovery tasks
that low scores and failures of service open for supervisors, with the view of each
failure's recovery workflow.

Like the case tables, they are projections of a workflow's view (`SurveyView`,
`ServiceRecoveryView`), kept for the console's recovery list and for CSAT/NPS reports.
Enumerations are stored as their string values (plain VARCHAR), so a new status never
needs a migration.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from domain.service_recovery import ServiceRecoveryView
from domain.surveys import SurveyView
from store.types import MONEY, UtcDateTime

# "survey-<case kind>-<case id>": a case id is at most 64 characters.
MAX_SURVEY_ID_CHARS = 100
# A recovery task's id: its survey's id, or "recovery-<complaint id>-<failure>".
MAX_TASK_ID_CHARS = 100


class SurveySummary(SQLModel):
    """Returns the columns of a survey that reports and lists show (the public shape)."""

    survey_id: str = Field(primary_key=True, max_length=MAX_SURVEY_ID_CHARS)
    case_kind: str = Field(max_length=16)
    case_id: str = Field(index=True, max_length=64)
    status: str = Field(index=True, max_length=16)
    # "answered" or "no_answer" once the survey has closed.
    outcome: str | None = Field(default=None, max_length=16)
    customer_id: str = Field(index=True, max_length=64)
    customer_tier: str = Field(max_length=16)
    locale: str = Field(max_length=16)
    # Who handled the case, for per-team and per-agent CSAT.
    team: str | None = Field(default=None, index=True, max_length=64)
    agent_id: str | None = Field(default=None, index=True, max_length=64)
    category: str | None = Field(default=None, max_length=32)
    csat: int | None = None
    resolved: bool | None = None
    nps: int | None = None
    comment: str | None = Field(default=None, sa_type=Text)
    low_score: bool = Field(default=False, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class SurveyRecord(SurveySummary, table=True):
    """One follow-up survey in the read model, with its full view as JSON."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        # CSAT trends read answered surveys by the time they were answered.
        Index("ix_survey_responses_answered_at_survey_id", "answered_at", "survey_id"),
    )

    view_json: str = Field(sa_type=Text)

    def as_view(self) -> SurveyView:
        """Returns the survey's view as it was last projected."""
        return SurveyView.model_validate_json(self.view_json)


class RecoveryTaskRecord(SQLModel, table=True):
    """One service-recovery task a low survey score or a failure of service opened for a
    supervisor (the table keeps the name it had when only surveys opened them).

    The console lists open ones (`status`, `assignee`); the workflow that opened it (the
    survey, or the failure's `ServiceRecoveryWorkflow`) owns the row and closes it when
    the supervisor reports back (`complete_recovery`) or time runs out.
    """

    __tablename__ = "survey_recovery_tasks"
    __table_args__ = (Index("ix_survey_recovery_tasks_status_created_at", "status", "created_at"),)

    # The id of the survey whose answer opened the task, or of the failure's workflow.
    task_id: str = Field(primary_key=True, max_length=MAX_TASK_ID_CHARS)
    case_kind: str = Field(max_length=16)
    case_id: str = Field(index=True, max_length=64)
    customer_id: str = Field(index=True, max_length=64)
    # The supervisor (or, without one, the team) asked to contact the customer.
    assignee: str = Field(index=True, max_length=64)
    team: str | None = Field(default=None, max_length=64)
    status: str = Field(max_length=16)
    reason: str = Field(sa_type=Text)
    # The failure of service that opened the task (`domain.service_failures`); None for
    # a survey's.
    failure: str | None = Field(default=None, max_length=32)
    coupon_amount: Decimal | None = Field(default=None, sa_type=MONEY)
    currency: str | None = Field(default=None, max_length=3)
    coupon_reference: str | None = Field(default=None, max_length=100)
    completed_by: str | None = Field(default=None, max_length=64)
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    # When the supervisor must have reported back; past it the manager is told.
    due_at: datetime = Field(sa_type=UtcDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ServiceRecoveryRecord(SQLModel, table=True):
    """The view of one failure's recovery workflow (its task's row is in
    `survey_recovery_tasks`): what a task's page reads, as a survey's reads its survey."""

    __tablename__ = "service_recoveries"

    task_id: str = Field(primary_key=True, max_length=MAX_TASK_ID_CHARS)
    case_kind: str = Field(max_length=16)
    case_id: str = Field(index=True, max_length=64)
    failure: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    view_json: str = Field(sa_type=Text)

    def as_view(self) -> ServiceRecoveryView:
        """Returns the recovery's view as it was last projected."""
        return ServiceRecoveryView.model_validate_json(self.view_json)
