"""Statuses and timeline steps as a customer reads them, in English and Simplified Chinese.

The console names every step for staff (`api.console.labels`); a customer sees fewer and
other words. The names are a `Catalogue` (`names`), one key per value:
`<kind>_status.<status>`, `<kind>_step.<event>` (`survey_step.<event>` for the follow-up
survey's, shown after both kinds), `tracking.<status>`, `case_kind.<kind>`. A step is shown
only when it has a name there: steps that are the business's own (classified, escalated, a
deadline breached, an approval asked for) have none, so they stay off the customer's
timeline. A step's detail is shown only where it is words meant for the customer (a
reply, a question, a plan) or their own.
"""

from typing import Any, NamedTuple

from api.customer import names
from core.wording.catalogue import Catalogue
from domain.complaints import ComplaintStatus, TimelineKind
from domain.returns import ReturnEventKind, ReturnStatus
from domain.taxonomy import Locale

COMPLAINT = "complaint"
RETURN = "return"

NAMES = Catalogue({Locale.EN: names.EN, Locale.ZH_CN: names.ZH_CN})


class Step(NamedTuple):
    # The key of the step's name in `NAMES`.
    name: str
    # Whether the event's detail is shown: only words meant for, or written by, the customer.
    detail: bool = False


_DETAIL_SHOWN: dict[str, frozenset[str]] = {
    COMPLAINT: frozenset(
        {
            TimelineKind.REPLIED,
            TimelineKind.INFO_REQUESTED,
            TimelineKind.CUSTOMER_REPLIED,
            TimelineKind.EVIDENCE_ADDED,
            TimelineKind.EVIDENCE_REFUSED,
            TimelineKind.RESOLVED,
            TimelineKind.MERGED_INTO,
            TimelineKind.MERGED_FROM,
        }
    ),
    RETURN: frozenset(
        {
            ReturnEventKind.PLAN_PROPOSED,
            ReturnEventKind.LABEL_CREATED,
            ReturnEventKind.PICKUP_BOOKED,
            ReturnEventKind.EXCHANGE_SHIPPED,
            # The customer's own file (name, type, size); the warehouse's photos are not
            # on the timeline.
            ReturnEventKind.EVIDENCE_ADDED,
        }
    ),
}


def status_name(language: Locale, kind: str, value: object) -> str:
    """Returns the status `value` of a `kind` case ("complaint" or "return")."""
    key = f"{kind}_status.{value}"
    return NAMES.say(language, key) if NAMES.has(key) else str(value)


def shown_step(kind: str, value: object) -> Step | None:
    """Returns how a timeline event of a `kind` case is shown, or None when it is not."""
    for key in (f"{kind}_step.{value}", f"survey_step.{value}"):
        if NAMES.has(key):
            return Step(key, detail=str(value) in _DETAIL_SHOWN[kind])
    return None


def event_name(language: Locale, kind: str, value: object) -> str:
    """Returns the name of a timeline event the customer is shown."""
    step = shown_step(kind, value)
    return NAMES.say(language, step.name) if step else str(value)


def tracking_name(language: Locale, detail: str) -> str:
    """Returns the courier status a tracking event's detail starts with, or ""."""
    key = f"tracking.{detail.split(':', 1)[0].strip()}"
    return NAMES.say(language, key) if NAMES.has(key) else ""


def visible_steps(kind: str, events: list[Any]) -> list[tuple[Any, Step]]:
    """Returns the events of a `kind` case's timeline a customer is shown, newest first,
    each with how it is shown."""
    shown = [(event, shown_step(kind, event.kind)) for event in reversed(events)]
    return [(event, step) for event, step in shown if step is not None]


def case_kind_name(language: Locale, kind: object) -> str:
    """Returns "complaint" or "return" in `language`."""
    return NAMES.say(language, f"case_kind.{kind}")


def unnamed_statuses() -> list[str]:
    """Returns `kind:status` of each status without a name (a test keeps this empty)."""
    families = {COMPLAINT: ComplaintStatus, RETURN: ReturnStatus}
    return [
        f"{kind}:{member.value}"
        for kind, members in families.items()
        for member in members
        if not NAMES.has(f"{kind}_status.{member.value}")
    ]
