"""Duplicate complaints: linking a new complaint to the open one it repeats, and merging
two complaints of one customer into one.

A complaint is a possible duplicate of another when the same customer complains about
the same order in the same category while the other is still open; intake links the two
(`duplicate_of` on the new one, `duplicates` on the older one) and people decide. Merging
closes one complaint as `merged` and carries what it holds into the one that survives:
the customer's description and every message (replies, questions, the customer's answers,
files sent, notes), each marked with the case it came from, its evidence files, and the
SLA clock that has less time left.

These models travel through Temporal histories: add optional fields, never rename,
reorder or repurpose one.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from domain.calendar import BusinessCalendar
from domain.complaint_rules import ActionNotAllowed, InvalidAction
from domain.complaints import (
    ComplaintStatus,
    ComplaintView,
    SlaClock,
    Strict,
    TimelineEvent,
    TimelineKind,
)
from domain.sla import pause_clock, remaining_seconds, resume_clock
from domain.taxonomy import Category

# A complaint id as the API hands them out (`api.ids.COMPLAINT_ID_PATTERN`).
COMPLAINT_ID = r"^C[A-Z2-7]{12}$"

# What a merge carries into the surviving complaint: the messages between the customer
# and staff, and the files the customer sent. Steps of the merged case's own handling
# (routing, deadlines, approvals) stay on it.
CARRIED_KINDS = frozenset(
    {
        TimelineKind.REPLIED,
        TimelineKind.INFO_REQUESTED,
        TimelineKind.CUSTOMER_REPLIED,
        TimelineKind.EVIDENCE_ADDED,
        TimelineKind.NOTED,
    }
)
# A complaint may be merged while someone is working it or waiting on its customer; an
# approval pending or a resolution under way would be dropped half done.
MERGEABLE = frozenset({ComplaintStatus.OPEN, ComplaintStatus.WAITING_ON_CUSTOMER})


class DuplicateQuery(BaseModel):
    """Asks the read model for the open complaint a new one may repeat."""

    complaint_id: str
    customer_id: str
    order_id: str
    category: Category


class DuplicateFound(BaseModel):
    """Returns the oldest open complaint of the same customer, order and category, if any."""

    complaint_id: str | None = None


class DuplicateLink(BaseModel):
    """Tells an open complaint that a newer one was linked to it (the `link_duplicate`
    signal); a repeat changes nothing."""

    complaint_id: str


class MergeRequest(Strict):
    """Merges this complaint into another of the same customer (the API's request body)."""

    into: str = Field(
        pattern=COMPLAINT_ID,
        description="The complaint that survives: it takes this one's messages, evidence "
        "and earlier SLA deadlines, and this one closes as merged",
        examples=["CGMNI3VZPN5PW"],
    )


class MergeInto(BaseModel):
    """The `merge_into` update: `actor` (the API takes it from the credentials) merges
    the complaint into `into`."""

    into: str
    actor: str


class CarriedTimeline(BaseModel):
    """Returns a complaint's stored timeline entries of the kinds a merge carries."""

    events: list[TimelineEvent] = Field(default_factory=list)


class MergedCase(BaseModel):
    """What a merged complaint hands the survivor (the `absorb_merged` signal): its
    messages, marked by `carried_detail` on arrival, and its SLA clocks with the calendar
    they count in. A repeat for the same complaint changes nothing."""

    complaint_id: str
    customer_id: str
    actor: str
    events: list[TimelineEvent] = Field(default_factory=list)
    first_response: SlaClock | None = None
    resolution: SlaClock | None = None
    calendar: BusinessCalendar = Field(default_factory=BusinessCalendar)


class EvidenceCarry(BaseModel):
    """Copies the evidence files of one complaint to another (idempotent)."""

    from_complaint_id: str
    to_complaint_id: str


def check_merge_into(view: ComplaintView, request: MergeInto) -> None:
    """Raises InvalidAction or ActionNotAllowed when `view` cannot be merged into
    `request.into` now (what the complaint itself knows; the survivor is checked by
    `merge_refusal` before the request is sent)."""
    if request.into == view.complaint_id:
        raise InvalidAction("a complaint cannot be merged into itself")
    if view.merged_into is not None:
        raise ActionNotAllowed(f"the complaint was already merged into {view.merged_into}")
    if view.status is ComplaintStatus.CLOSED:
        raise ActionNotAllowed("the complaint is closed")
    if view.status not in MERGEABLE:
        raise ActionNotAllowed(_not_mergeable(view.status))


def _not_mergeable(status: ComplaintStatus) -> str:
    if status is ComplaintStatus.RECEIVED:
        return "the complaint is still being classified; try again shortly"
    return f"cannot merge while {status.value.replace('_', ' ')}: let it finish first"


class MergeRefusalReason(StrEnum):
    """Why a merge is refused; pages word each one (`merge_refused_<reason>`)."""

    ITSELF = "itself"
    UNKNOWN = "unknown"
    OTHER_CUSTOMER = "other_customer"
    ALREADY_MERGED = "already_merged"
    CLOSED = "closed"
    BUSY = "busy"
    SURVIVOR_MERGED = "survivor_merged"
    SURVIVOR_CLOSED = "survivor_closed"
    SURVIVOR_RECEIVED = "survivor_received"


# Each reason's status code, error code and the request field at fault (`complaint_id`
# for the complaint merged, `into` for the survivor).
_REFUSALS: dict[MergeRefusalReason, tuple[int, str, str]] = {
    MergeRefusalReason.ITSELF: (422, "validation_failed", "into"),
    MergeRefusalReason.UNKNOWN: (422, "validation_failed", "into"),
    MergeRefusalReason.OTHER_CUSTOMER: (422, "validation_failed", "into"),
    MergeRefusalReason.ALREADY_MERGED: (409, "already_merged", "complaint_id"),
    MergeRefusalReason.CLOSED: (409, "merge_not_allowed", "complaint_id"),
    MergeRefusalReason.BUSY: (409, "merge_not_allowed", "complaint_id"),
    MergeRefusalReason.SURVIVOR_MERGED: (409, "merge_not_allowed", "into"),
    MergeRefusalReason.SURVIVOR_CLOSED: (409, "merge_not_allowed", "into"),
    MergeRefusalReason.SURVIVOR_RECEIVED: (409, "merge_not_allowed", "into"),
}


@dataclass(frozen=True)
class MergeRefusal:
    """Why two complaints cannot be merged, and what to do; `other` is the complaint the
    sentence names (the survivor, or where a complaint was merged)."""

    reason: MergeRefusalReason
    problem: str
    other: str = ""

    @property
    def status_code(self) -> int:
        return _REFUSALS[self.reason][0]

    @property
    def error(self) -> str:
        return _REFUSALS[self.reason][1]

    @property
    def field(self) -> str:
        return _REFUSALS[self.reason][2]


def unknown_survivor(into: str) -> MergeRefusal:
    """Returns the refusal of a merge into a complaint nobody knows."""
    return MergeRefusal(MergeRefusalReason.UNKNOWN, f"there is no complaint {into}", into)


def merge_refusal(merged: ComplaintView, survivor: ComplaintView) -> MergeRefusal | None:
    """Returns why `merged` cannot be merged into `survivor` now, or None when it can."""
    into = survivor.complaint_id
    if merged.complaint_id == into:
        return MergeRefusal(
            MergeRefusalReason.ITSELF, "a complaint cannot be merged into itself", into
        )
    customer, other = merged.intake.customer.id, survivor.intake.customer.id
    if customer != other:
        return MergeRefusal(
            MergeRefusalReason.OTHER_CUSTOMER,
            f"complaint {into} is customer {other}'s, not {customer}'s: only one "
            "customer's complaints are merged",
            into,
        )
    if merged.merged_into is not None:
        return MergeRefusal(
            MergeRefusalReason.ALREADY_MERGED,
            f"complaint {merged.complaint_id} was already merged into {merged.merged_into}",
            merged.merged_into,
        )
    if merged.status is ComplaintStatus.CLOSED:
        return MergeRefusal(MergeRefusalReason.CLOSED, "the complaint is closed")
    if merged.status not in MERGEABLE:
        return MergeRefusal(MergeRefusalReason.BUSY, _not_mergeable(merged.status))
    if survivor.merged_into is not None:
        return MergeRefusal(
            MergeRefusalReason.SURVIVOR_MERGED,
            f"complaint {into} was merged into {survivor.merged_into}: merge into "
            f"{survivor.merged_into} instead",
            survivor.merged_into,
        )
    if survivor.status is ComplaintStatus.CLOSED:
        return MergeRefusal(
            MergeRefusalReason.SURVIVOR_CLOSED,
            f"complaint {into} is closed: merge into an open complaint",
            into,
        )
    if survivor.status is ComplaintStatus.RECEIVED:
        return MergeRefusal(
            MergeRefusalReason.SURVIVOR_RECEIVED,
            f"complaint {into} is still being classified; try again shortly",
            into,
        )
    return None


def carried_events(view: ComplaintView, stored: list[TimelineEvent]) -> list[TimelineEvent]:
    """Returns what merging `view` carries, oldest first: the customer's description (as
    their first message), then every entry of a carried kind, from the read model
    (`stored`, the whole timeline) and from the view (entries not stored yet)."""
    by_seq = {event.seq: event for event in stored}
    for event in view.timeline:
        by_seq.setdefault(event.seq, event)
    intake = view.intake
    description = "\n".join([intake.description, *intake.evidence_urls])
    first = TimelineEvent(
        seq=0,
        at=view.created_at,
        kind=TimelineKind.CUSTOMER_REPLIED,
        actor=f"customer:{intake.customer.id}",
        detail=description,
    )
    messages = [by_seq[seq] for seq in sorted(by_seq) if by_seq[seq].kind in CARRIED_KINDS]
    return [first, *messages]


def carried_detail(merged_id: str, event: TimelineEvent) -> str:
    """Returns how the survivor's timeline shows a carried entry: marked with the case it
    came from and when it was written there, then its text."""
    return f"[{merged_id} {event.at:%Y-%m-%d %H:%M} UTC] {event.detail}"


def take_earlier_clock(
    own: SlaClock | None,
    merged: SlaClock | None,
    now: datetime,
    own_calendar: BusinessCalendar,
    merged_calendar: BusinessCalendar,
    reminder_fraction: float,
) -> SlaClock | None:
    """Returns the survivor's clock `own`, moved up to the merged complaint's when that
    one has less business time left: the customer has waited since their first complaint.
    A clock already met (on either side) leaves `own` as it is; a breach stays recorded."""
    if own is None or own.met_at is not None or merged is None or merged.met_at is not None:
        return own
    merged_left = remaining_seconds(merged, now, merged_calendar)
    if merged_left >= remaining_seconds(own, now, own_calendar):
        return own
    was_running = own.running_since is not None
    paused = pause_clock(own, now, own_calendar).model_copy(
        update={
            "consumed_seconds": own.budget_seconds - merged_left,
            "breached": own.breached or merged.breached,
        }
    )
    if not was_running:
        return paused
    return resume_clock(paused, now, own_calendar, reminder_fraction)
