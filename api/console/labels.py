"""Names of the domain's values (statuses, tiers, categories, timeline events) as people
read them, in English and Simplified Chinese.

The names are a `Catalogue` like the console's sentences (`messages`): one key per value,
`<family>.<value>` (`status.closed`, `event.closed`), because the same value can mean two
things and families never share a name. The complaints' names are in `complaint_names`,
the returns' in `return_names`. A value without a name is shown as it is stored, so a
member added to a domain enum still shows up (a test lists the ones missing).
"""

from enum import StrEnum

from api.console import complaint_names, return_names
from core.wording.catalogue import Catalogue
from domain.compensation import CompensationKind
from domain.complaints import CloseReason, ComplaintStatus, TimelineKind
from domain.return_queues import ReturnQueue
from domain.returns import (
    EligibilityDecision,
    InspectionVerdict,
    ReturnEventKind,
    ReturnOutcome,
    ReturnReason,
    ReturnStatus,
    TrackingStatus,
)
from domain.service_failures import ServiceFailure
from domain.surveys import RecoveryStatus
from domain.taxonomy import (
    Category,
    Channel,
    CustomerTier,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
)

EN: dict[str, str] = {**complaint_names.EN, **return_names.EN}
ZH_CN: dict[str, str] = {**complaint_names.ZH_CN, **return_names.ZH_CN}
NAMES = Catalogue({Locale.EN: EN, Locale.ZH_CN: ZH_CN})

# Value families the templates ask for by name: `page.label("tier", row.tier)`.
FAMILIES: dict[str, type[StrEnum]] = {
    "status": ComplaintStatus,
    "close_reason": CloseReason,
    "recovery_status": RecoveryStatus,
    "service_failure": ServiceFailure,
    "tier": Tier,
    "customer_tier": CustomerTier,
    "level": EscalationLevel,
    "compensation": CompensationKind,
    "category": Category,
    "sub_category": SubCategory,
    "channel": Channel,
    "root_cause": RootCause,
    "event": TimelineKind,
    "return_status": ReturnStatus,
    "return_reason": ReturnReason,
    "return_outcome": ReturnOutcome,
    "eligibility": EligibilityDecision,
    "inspection_verdict": InspectionVerdict,
    "tracking_status": TrackingStatus,
    "return_queue": ReturnQueue,
    "return_event": ReturnEventKind,
}


def label(language: Locale, family: str, value: object) -> str:
    """Returns the name of `value` (a member or its stored string) in `language`;
    raises KeyError for a family that is not in `FAMILIES`."""
    if value is None:
        return ""
    if family not in FAMILIES:
        raise KeyError(family)
    return _name_or(language, f"{family}.{value}", str(value))


# Timeline events whose detail is a code of one of the families above (the workflow
# records the code, never words): the console names it as it names the family's values.
DETAIL_FAMILIES: dict[TimelineKind, str] = {
    TimelineKind.CLOSED: "close_reason",
    TimelineKind.RECEIVED: "channel",
    TimelineKind.APPROVAL_ESCALATED: "level",
}


def event_detail(language: Locale, kind: TimelineKind, detail: str) -> str:
    """Returns a timeline event's detail in `language` when it is a code, else as it is."""
    family = DETAIL_FAMILIES.get(kind)
    return label(language, family, detail) if family else detail


def actor_name(language: Locale, actor: str) -> str:
    """Returns who did something: staff ids as they are, the system by its name."""
    return _name_or(language, f"actor.{actor}", actor)


def unnamed_values() -> list[str]:
    """Returns `family:value` of each enum member without a name (a test keeps this empty)."""
    return [
        f"{family}:{member.value}"
        for family, members in FAMILIES.items()
        for member in members
        if not NAMES.has(f"{family}.{member.value}")
    ]


def _name_or(language: Locale, key: str, stored: str) -> str:
    return NAMES.say(language, key) if NAMES.has(key) else stored
