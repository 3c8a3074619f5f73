"""Events for platforms, against what the platform's endpoint took in: every published
event (`webhook_events`) was delivered to the run's subscription and taken at least once,
each case's events were taken in the order they happened, and every request verified.

At least once is the promise (docs/api.md, "Delivery, retries and order"): an event whose
answer came too late, or whose sender was killed mid-send, is sent again under the same
`webhook-id`. Such repeats are counted, never failed; one that arrives after a later
event of its case would break the order, and does fail.
"""

from collections import Counter
from dataclasses import dataclass

from chaos.findings import Findings
from chaos.webhook_receiver import EndpointFigures, TakenEvent
from store.tables.webhook_subscriptions import DeliveryState, WebhookDelivery, WebhookEvent


@dataclass
class WebhookFigures:
    """What the endpoint took in, and how often it had to be asked twice."""

    events: int = 0
    taken: int = 0
    # Takes beyond the first of a `webhook-id`, and those after the endpoint answered late.
    duplicates: int = 0
    duplicates_after_late_answer: int = 0
    endpoint: EndpointFigures | None = None

    def summary(self) -> str:
        endpoint = self.endpoint or EndpointFigures()
        return (
            f"{self.events} events published, {self.taken} taken by the endpoint "
            f"({endpoint.refused_on_purpose} answered 500 and {endpoint.answered_late} too "
            f"late on purpose, of {endpoint.requests} requests); duplicates by webhook-id: "
            f"{self.duplicates} ({self.duplicates_after_late_answer} after a late answer)"
        )


def check_webhooks(
    events: list[WebhookEvent],
    deliveries: list[WebhookDelivery],
    subscription_id: str,
    taken: list[TakenEvent],
    endpoint: EndpointFigures,
    findings: Findings,
) -> WebhookFigures:
    """Returns the figures; every loss, disorder and unverified request goes in `findings`."""
    figures = WebhookFigures(events=len(events), taken=len(taken), endpoint=endpoint)
    delivery_of = {d.event_id: d for d in deliveries if d.subscription_id == subscription_id}
    times_taken = Counter(event.webhook_id for event in taken)
    for event in events:
        delivery = delivery_of.get(event.event_id)
        if delivery is None:
            findings.lose("webhook event", event.case_id, f"{event.event_id} was never queued")
        elif delivery.status != DeliveryState.DELIVERED.value:
            findings.lose(
                "webhook event",
                event.case_id,
                f"{event.event_id} is {delivery.status} after {delivery.failures} failures",
            )
        if times_taken[event.event_id] == 0:
            findings.lose(
                "webhook event", event.case_id, f"{event.event_id} never reached the endpoint"
            )
    published = {event.event_id for event in events}
    for webhook_id in times_taken.keys() - published:
        findings.duplicate("webhook event", webhook_id, "taken in but never published")
    _count_repeats(taken, figures)
    _check_order(taken, findings)
    if endpoint.unverified:
        findings.risk(
            "signature", "endpoint", f"{endpoint.unverified} requests failed verification"
        )
    return figures


def _count_repeats(taken: list[TakenEvent], figures: WebhookFigures) -> None:
    late: set[str] = set()
    seen: set[str] = set()
    for event in taken:
        if event.webhook_id in seen:
            figures.duplicates += 1
            figures.duplicates_after_late_answer += event.webhook_id in late
        seen.add(event.webhook_id)
        if event.late:
            late.add(event.webhook_id)


def _check_order(taken: list[TakenEvent], findings: Findings) -> None:
    """Each case's events taken in seq order (`taken` is in arrival order); the same event
    again (a redelivery) may follow itself, never a later event of its case."""
    last_seq: dict[str, TakenEvent] = {}
    for event in taken:
        before = last_seq.get(event.case_id)
        if before is not None and event.seq < before.seq:
            findings.disorder(event.case_id, f"{event.webhook_id} taken after {before.webhook_id}")
        if before is None or event.seq >= before.seq:
            last_seq[event.case_id] = event
