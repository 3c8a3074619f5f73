"""The bodies of the events platforms receive: one envelope, `{type, timestamp, data}`, with
a typed `data` per event type.

`data` names the case and the timeline entry that published the event, plus the fields
of that kind of step, read from the case's view when the entry was stored. It carries
nothing about the customer beyond their id (platforms read the case through the API),
except a `notification.requested` event: a message for the platform to push to the
customer carries the customer's contact data.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from domain.case_events import (
    COMPLAINT_EVENT_TYPES,
    RETURN_EVENT_TYPES,
    CaseEventType,
    case_event_id,
)
from domain.complaints import ComplaintView, TimelineEvent, TimelineKind
from domain.customer_contact import CustomerContact
from domain.policy import SERVICE_RECOVERY
from domain.returns import ReturnEvent, ReturnView
from domain.service_failures import (
    ServiceFailure,
    failure_started,
    service_recovery_workflow_id,
)
from domain.survey_timeline import is_survey_seq
from domain.surveys import CaseKind, SurveyView


class CaseEventData(BaseModel):
    """What every event's `data` holds: the case and its timeline entry."""

    model_config = ConfigDict(use_enum_values=True)

    case_kind: CaseKind
    case_id: str
    seq: int = Field(description="The entry's place on the case's timeline (GET its case)")
    actor: str = Field(description="Who took the step: a staff id, `redress`, a courier")
    detail: str = Field(description="The timeline entry's text, as the API shows it")
    case_status: str | None = Field(
        default=None, description="The case's status once the step was taken"
    )


class ComplaintOpenedData(CaseEventData):
    channel: str
    customer_id: str
    order_id: str | None = None


class ComplaintClassifiedData(CaseEventData):
    category: str | None = None
    sub_category: str | None = None
    tier: str | None = None
    classifier: str | None = None


class ComplaintAssignedData(CaseEventData):
    team: str | None = None
    assignee: str | None = None


class ComplaintEscalatedData(CaseEventData):
    escalation_level: str


class ApprovalRequestedData(CaseEventData):
    amount: Decimal | None = None
    currency: str | None = None
    level: str | None = None
    due_at: datetime | None = None


class ApprovalDecidedData(CaseEventData):
    decision: Literal["approved", "rejected", "expired"]


class CompensationData(CaseEventData):
    """A refund, coupon, store credit or replacement done or undone (detail says which)."""

    refunded_total: Decimal
    store_credit_total: Decimal | None = None
    currency: str | None = None


class ComplaintResolvedData(CaseEventData):
    refunded_total: Decimal
    root_cause: str | None = None


class ComplaintClosedData(CaseEventData):
    close_reason: str | None = None
    merged_into: str | None = Field(
        default=None,
        description="With close_reason `merged`: the complaint it was merged into, which "
        "goes on with its messages and evidence",
    )


class ReturnOpenedData(CaseEventData):
    customer_id: str
    order_ids: list[str]
    reason: str
    complaint_id: str | None = None


class ReturnLabelIssuedData(CaseEventData):
    carrier: str | None = None
    tracking_number: str | None = None
    pickup_booked: bool = False


class ReturnParcelEventData(CaseEventData):
    tracking_status: str | None = None
    tracking_number: str | None = None


class ReturnInspectedData(CaseEventData):
    verdict: str | None = None


class ReturnSettledData(CaseEventData):
    outcome: str | None = None
    refunded_total: Decimal
    store_credit_total: Decimal


class SurveyAnsweredData(CaseEventData):
    survey_id: str
    csat: int | None = None
    resolved: bool | None = None
    nps: int | None = None


class RecoveryStartedData(CaseEventData):
    """A recovery task opened for a supervisor to contact the customer: after a low survey
    answer (`survey_id`), or after a failure of service on a complaint (`failure`)."""

    survey_id: str | None = Field(
        default=None, description="The survey whose low answer opened the task"
    )
    due_at: datetime | None = Field(default=None, description="When the task lapses (UTC)")
    failure: ServiceFailure | None = Field(
        default=None,
        description="The failure of service that opened the task: `compensation_undone`, "
        "`critical_sla_breached`, `closed_without_answer`",
    )
    task_id: str | None = Field(
        default=None, description="The task's id (`GET /recovery-tasks/{id}`), for a failure's"
    )


class NotificationRequestedData(CaseEventData):
    """A message for the customer, rendered in their language, for the platform to push in
    its app or by SMS (`REDRESS_CUSTOMER_CHANNEL`). The same message always comes under
    the same `webhook-id`, retries and redeliveries included: push it once per id."""

    seq: int = Field(
        description="The case's latest published step when the message was sent: the "
        "message comes after that step's event"
    )
    message_key: str = Field(description="The message's idempotency key, unique per message")
    outbox_id: int = Field(description="The message's row in Redress's outbox")
    template: str = Field(description="What the message is: `acknowledgement`, `agent_reply`, ...")
    locale: str = Field(description="The language it is written in: `zh-CN`, `en`")
    subject: str
    text: str = Field(description="The message as plain text, greeting and signature included")
    case_url: str | None = Field(
        default=None, description="The customer's own page of the case, when a link was made"
    )
    customer_id: str
    contact: CustomerContact = Field(description="The customer's contact data, as sent at intake")


DATA_MODELS: dict[CaseEventType, type[CaseEventData]] = {
    CaseEventType.COMPLAINT_OPENED: ComplaintOpenedData,
    CaseEventType.COMPLAINT_CLASSIFIED: ComplaintClassifiedData,
    CaseEventType.COMPLAINT_ASSIGNED: ComplaintAssignedData,
    CaseEventType.COMPLAINT_ESCALATED: ComplaintEscalatedData,
    CaseEventType.APPROVAL_REQUESTED: ApprovalRequestedData,
    CaseEventType.APPROVAL_DECIDED: ApprovalDecidedData,
    CaseEventType.COMPENSATION_DONE: CompensationData,
    CaseEventType.COMPENSATION_UNDONE: CompensationData,
    CaseEventType.COMPLAINT_RESOLVED: ComplaintResolvedData,
    CaseEventType.COMPLAINT_CLOSED: ComplaintClosedData,
    CaseEventType.RETURN_OPENED: ReturnOpenedData,
    CaseEventType.RETURN_LABEL_ISSUED: ReturnLabelIssuedData,
    CaseEventType.RETURN_PARCEL_EVENT: ReturnParcelEventData,
    CaseEventType.RETURN_INSPECTED: ReturnInspectedData,
    CaseEventType.RETURN_SETTLED: ReturnSettledData,
    CaseEventType.SURVEY_ANSWERED: SurveyAnsweredData,
    CaseEventType.RECOVERY_STARTED: RecoveryStartedData,
    CaseEventType.NOTIFICATION_REQUESTED: NotificationRequestedData,
}


def _envelope_name(event_type: CaseEventType) -> str:
    # "return.label_issued" -> "ReturnLabelIssuedEvent"
    words = event_type.value.replace(".", "_").split("_")
    return "".join(word.capitalize() for word in words) + "Event"


# One envelope model per type (`ComplaintOpenedEvent`, ...), named for generated clients.
EVENT_MODELS: dict[CaseEventType, type[BaseModel]] = {
    event_type: create_model(
        _envelope_name(event_type),
        __doc__=f"The body of a `{event_type.value}` event.",
        type=(Literal[event_type.value], ...),  # type: ignore[arg-type]
        timestamp=(datetime, Field(description="When the step was taken (UTC)")),
        data=(data_model, ...),
    )
    for event_type, data_model in DATA_MODELS.items()
}


class PublishedEvent(BaseModel):
    """An event ready to store and send: its id, where it came from, and its body."""

    event_id: str
    type: CaseEventType
    case_id: str
    seq: int
    occurred_at: datetime
    body: str


def notification_requested_event(
    data: NotificationRequestedData, *, event_id: str, at: datetime
) -> PublishedEvent:
    """Returns the `notification.requested` event that hands `data`'s message to the
    platform, under `event_id` (`case_events.notification_event_id`)."""
    event_type = CaseEventType.NOTIFICATION_REQUESTED
    envelope = EVENT_MODELS[event_type](type=event_type.value, timestamp=at, data=data)
    return PublishedEvent(
        event_id=event_id,
        type=event_type,
        case_id=data.case_id,
        seq=data.seq,
        occurred_at=at,
        body=envelope.model_dump_json(),
    )


def _published(
    event_type: CaseEventType, entry: TimelineEvent | ReturnEvent, data: CaseEventData
) -> PublishedEvent:
    envelope = EVENT_MODELS[event_type](type=event_type.value, timestamp=entry.at, data=data)
    return PublishedEvent(
        event_id=case_event_id(data.case_id, entry.seq),
        type=event_type,
        case_id=data.case_id,
        seq=entry.seq,
        occurred_at=entry.at,
        body=envelope.model_dump_json(),
    )


def _common(kind: CaseKind, case_id: str, entry: TimelineEvent | ReturnEvent) -> dict[str, Any]:
    return {
        "case_kind": kind,
        "case_id": case_id,
        "seq": entry.seq,
        "actor": entry.actor,
        "detail": entry.detail,
    }


_APPROVAL_DECISIONS = {
    TimelineKind.APPROVED: "approved",
    TimelineKind.REJECTED: "rejected",
    TimelineKind.APPROVAL_EXPIRED: "expired",
}


def _complaint_fields(
    view: ComplaintView, entry: TimelineEvent, event_type: CaseEventType
) -> dict[str, Any]:
    """Returns the fields of `event_type`'s data that the complaint's view holds."""
    intake, classification, approval = view.intake, view.classification, view.approval
    currency = intake.order.currency if intake.order else None
    fields: dict[CaseEventType, Callable[[], dict[str, Any]]] = {
        CaseEventType.COMPLAINT_OPENED: lambda: {
            "channel": intake.channel,
            "customer_id": intake.customer.id,
            "order_id": intake.order.order_id if intake.order else None,
        },
        CaseEventType.COMPLAINT_CLASSIFIED: lambda: (
            classification.model_dump(include={"category", "sub_category", "tier", "classifier"})
            if classification
            else {}
        ),
        CaseEventType.COMPLAINT_ASSIGNED: lambda: {
            "team": view.routing.team if view.routing else None,
            "assignee": view.assignee,
        },
        CaseEventType.COMPLAINT_ESCALATED: lambda: {"escalation_level": view.escalation_level},
        CaseEventType.APPROVAL_REQUESTED: lambda: (
            {
                "amount": approval.proposal.total_amount(),
                "currency": currency,
                "level": approval.level,
                "due_at": approval.due_at,
            }
            if approval
            else {}
        ),
        CaseEventType.APPROVAL_DECIDED: lambda: {"decision": _APPROVAL_DECISIONS[entry.kind]},
        CaseEventType.COMPENSATION_DONE: lambda: {
            "refunded_total": view.refunded_total,
            "currency": currency,
        },
        CaseEventType.COMPLAINT_RESOLVED: lambda: {
            "refunded_total": view.refunded_total,
            "root_cause": view.root_cause,
        },
        CaseEventType.COMPLAINT_CLOSED: lambda: {
            "close_reason": view.close_reason,
            "merged_into": view.merged_into,
        },
        CaseEventType.RECOVERY_STARTED: lambda: _failure_task(view.complaint_id, entry),
    }
    fields[CaseEventType.COMPENSATION_UNDONE] = fields[CaseEventType.COMPENSATION_DONE]
    return fields[event_type]()


def _failure_task(complaint_id: str, entry: TimelineEvent) -> dict[str, Any]:
    """Returns the fields of the task a complaint's failure of service opened: the
    failure its entry names, the task's id, and when it lapses (the complaint starts the
    task with today's window, `workflows.complaint_recovery`, from the entry's time)."""
    failure = failure_started(entry.detail)
    if failure is None:
        return {}
    return {
        "failure": failure,
        "task_id": service_recovery_workflow_id(complaint_id, failure),
        "due_at": entry.at + SERVICE_RECOVERY.recovery_window,
    }


def complaint_case_events(
    view: ComplaintView, entries: Sequence[TimelineEvent]
) -> list[PublishedEvent]:
    """Returns the events a complaint's new timeline entries publish, oldest first."""
    return _case_events(
        CaseKind.COMPLAINT,
        view.complaint_id,
        view.status,
        [(entry, COMPLAINT_EVENT_TYPES.get(entry.kind)) for entry in entries],
        lambda entry, event_type: _complaint_fields(view, entry, event_type),  # type: ignore[arg-type]
    )


def _case_events(
    kind: CaseKind,
    case_id: str,
    status: str,
    typed_entries: Sequence[tuple[TimelineEvent | ReturnEvent, CaseEventType | None]],
    fields: Callable[[TimelineEvent | ReturnEvent, CaseEventType], dict[str, Any]],
) -> list[PublishedEvent]:
    published = []
    for entry, event_type in typed_entries:
        # Survey entries reach the timeline through the survey's projection, which knows
        # the survey; see `survey_case_events`. A complaint records `recovery_started`
        # itself when a failure of service opens a task, and publishes that one here.
        if event_type is None or _from_survey(entry, event_type):
            continue
        data = DATA_MODELS[event_type](
            **_common(kind, case_id, entry), case_status=status, **fields(entry, event_type)
        )
        published.append(_published(event_type, entry, data))
    return published


def _return_fields(view: ReturnView, event_type: CaseEventType) -> dict[str, Any]:
    """Returns the fields of `event_type`'s data that the return's view holds."""
    request, parcel, inspection = view.request, view.return_parcel, view.inspection
    money = {"refunded_total": view.refunded_total, "store_credit_total": view.store_credit_total}
    fields: dict[CaseEventType, Callable[[], dict[str, Any]]] = {
        CaseEventType.RETURN_OPENED: lambda: {
            "customer_id": request.customer.id,
            "order_ids": [order.order_id for order in request.orders],
            "reason": request.reason,
            "complaint_id": request.complaint_id,
        },
        CaseEventType.RETURN_LABEL_ISSUED: lambda: (
            parcel.model_dump(include={"carrier", "tracking_number", "pickup_booked"})
            if parcel
            else {}
        ),
        CaseEventType.RETURN_PARCEL_EVENT: lambda: {
            "tracking_status": view.last_tracking,
            "tracking_number": parcel.tracking_number if parcel else None,
        },
        CaseEventType.RETURN_INSPECTED: lambda: {
            "verdict": inspection.verdict if inspection else None
        },
        CaseEventType.COMPENSATION_DONE: lambda: money,
        CaseEventType.COMPENSATION_UNDONE: lambda: money,
        CaseEventType.RETURN_SETTLED: lambda: {"outcome": view.outcome} | money,
    }
    return fields[event_type]()


def return_case_events(view: ReturnView, entries: Sequence[ReturnEvent]) -> list[PublishedEvent]:
    """Returns the events a return's new timeline entries publish, oldest first."""
    return _case_events(
        CaseKind.RETURN,
        view.return_id,
        view.status,
        [(entry, RETURN_EVENT_TYPES.get(entry.kind)) for entry in entries],
        lambda _, event_type: _return_fields(view, event_type),
    )


_SURVEY_TYPES = {CaseEventType.SURVEY_ANSWERED, CaseEventType.RECOVERY_STARTED}


def _from_survey(entry: TimelineEvent | ReturnEvent, event_type: CaseEventType) -> bool:
    """Returns whether the entry is one a survey publishes (see `survey_case_events`)."""
    if event_type is CaseEventType.RECOVERY_STARTED:
        return is_survey_seq(entry.seq)
    return event_type in _SURVEY_TYPES


def survey_case_events(
    view: SurveyView, entries: Sequence[TimelineEvent | ReturnEvent]
) -> list[PublishedEvent]:
    """Returns the events that a survey's entries on its case's timeline publish."""
    published = []
    for entry in entries:
        mapping: dict[Any, CaseEventType] = (
            COMPLAINT_EVENT_TYPES if view.case_kind is CaseKind.COMPLAINT else RETURN_EVENT_TYPES
        )
        event_type = mapping.get(entry.kind)
        if event_type not in _SURVEY_TYPES:
            continue
        assert event_type is not None
        answer, task = view.answer, view.recovery
        extra: dict[str, Any] = {"survey_id": view.survey_id}
        if event_type is CaseEventType.SURVEY_ANSWERED and answer is not None:
            extra |= answer.model_dump(include={"csat", "resolved", "nps"})
        if event_type is CaseEventType.RECOVERY_STARTED and task is not None:
            extra["due_at"] = task.due_at
        data = DATA_MODELS[event_type](**_common(view.case_kind, view.case_id, entry), **extra)
        published.append(_published(event_type, entry, data))
    return published
