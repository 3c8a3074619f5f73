"""Service recovery after a failure of service: the workflow a complaint starts when it
fails its customer (`domain.service_failures`), which holds one recovery task for the
case's supervisor until they report back or its window runs out.

The task is the same `RecoveryTask` a low survey answer opens, listed in the same inbox
and closed by the same report (`RecoveryReport`, the `complete_recovery` update). Its
outcome (done or lapsed) joins the complaint's timeline through the read model, as a
survey's steps do, under seqs of its own. These models travel through Temporal
histories: add optional fields, never rename, reorder or repurpose one.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.complaints import Customer, TimelineEvent, TimelineKind
from domain.service_failures import ServiceFailure, ServiceRecoveryPolicy
from domain.survey_timeline import SURVEY_SEQ_BASE
from domain.surveys import CaseKind, RecoveryStatus, RecoveryTask
from domain.taxonomy import Category, Locale

# Where each failure's task writes on the complaint's timeline: above the survey's seqs
# (SURVEY_SEQ_BASE plus a handful), a band of ten million per failure, so no two of a
# complaint's follow-ups ever share a seq and a replayed projection adds nothing.
_SEQ_BAND = 10_000_000
_SEQ_BANDS = {failure: index + 1 for index, failure in enumerate(ServiceFailure)}


class ServiceRecoveryInput(BaseModel):
    """Starts a failure's recovery task: what failed on which complaint, who handles the
    complaint, and the policy in force when it failed."""

    failure: ServiceFailure
    detail: str
    complaint_id: str
    customer: Customer
    team: str | None = None
    agent_id: str | None = None
    # Who is asked to contact the customer, and who is told if nobody does in time (a
    # team mailbox, `team:<team>:supervisor`, when the team names nobody).
    supervisor_id: str
    manager_id: str
    category: Category | None = None
    opened_at: datetime
    policy: ServiceRecoveryPolicy | None = None
    # The team's time zone, for the deadline in staff messages (None: the staff's).
    staff_timezone: str | None = None


class ServiceRecoveryEventKind(StrEnum):
    OPENED = "recovery_opened"
    DONE = "recovery_done"
    LAPSED = "recovery_lapsed"
    NOTIFICATION_FAILED = "notification_failed"


class ServiceRecoveryEvent(BaseModel):
    seq: int
    at: datetime
    kind: ServiceRecoveryEventKind
    actor: str
    detail: str = ""


class ServiceRecoveryView(BaseModel):
    """Returns the live state of a failure's recovery task (the `view` query and the
    read model)."""

    task_id: str
    failure: ServiceFailure
    case_kind: CaseKind = CaseKind.COMPLAINT
    case_id: str
    customer_id: str
    locale: Locale
    team: str | None = None
    agent_id: str | None = None
    category: Category | None = None
    recovery: RecoveryTask
    created_at: datetime
    updated_at: datetime
    timeline: list[ServiceRecoveryEvent] = Field(default_factory=list)
    timeline_total: int = 0


class ServiceRecoveryResult(BaseModel):
    """Returns what the `complete_recovery` update changed: the task's status and a note."""

    status: RecoveryStatus
    detail: str


class ServiceRecoveryProjection(BaseModel):
    """One read-model update of a failure's recovery task."""

    view: ServiceRecoveryView


class RecoveryTaskClosed(Exception):
    """The recovery task is done or lapsed: a report can no longer close it."""


def check_task_open(task: RecoveryTask) -> None:
    """Raises `RecoveryTaskClosed` unless the task waits for a supervisor's report."""
    if task.status is not RecoveryStatus.OPEN:
        raise RecoveryTaskClosed(f"the recovery task is already {task.status}")


# The task's events its complaint's timeline shows, under the complaint's kinds: the
# complaint records `recovery_started` itself when it opens the task.
_SHOWN = {
    ServiceRecoveryEventKind.DONE: TimelineKind.RECOVERY_DONE,
    ServiceRecoveryEventKind.LAPSED: TimelineKind.RECOVERY_LAPSED,
}


def complaint_events(view: ServiceRecoveryView) -> list[TimelineEvent]:
    """Returns the events of the task its complaint's timeline shows, oldest first."""
    base = SURVEY_SEQ_BASE + _SEQ_BANDS[view.failure] * _SEQ_BAND
    return [
        TimelineEvent(
            seq=base + event.seq,
            at=event.at,
            kind=_SHOWN[event.kind],
            actor=event.actor,
            detail=event.detail,
        )
        for event in view.timeline
        if event.kind in _SHOWN
    ]
