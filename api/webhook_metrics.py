"""The deliveries of events to platforms on `/metrics`: per subscription, the deliveries
delivered and those gone dead, the attempts that failed, and what waits now.

The dispatcher runs in the workers, which serve no metrics of their own: these are read
from the store at each scrape (`store.webhook_subscriptions.delivery_counts`), the totals
from counters kept as each attempt is logged, what waits from the pending and dead
deliveries alone. Every replica reports the same numbers: aggregate with max(), not
sum(). Subscriptions are few (admins add them), so a label per subscription stays small.
"""

from collections.abc import Iterable

from prometheus_client import Counter
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from api.store_gauges import TimedStoreRead
from store.webhook_subscriptions import DeliveryCounts, delivery_counts

# How long a scrape waits for the counts (as for the open cases).
WEBHOOK_COUNT_SECONDS = 2.0


class WebhookDeliveryGauges(TimedStoreRead[dict[str, DeliveryCounts]]):
    """Collector of `redress_webhook_deliveries_total{subscription, outcome}` (delivered,
    dead), `redress_webhook_failed_attempts_total{subscription}` and
    `redress_webhook_deliveries_waiting{subscription, state}` (pending, failing: pending
    after a failed attempt, dead)."""

    def __init__(self, *, timeout_seconds: float = WEBHOOK_COUNT_SECONDS) -> None:
        failures = Counter(
            "redress_webhook_count_failures",
            "Scrapes that answered without the webhook delivery counts, by reason (error: "
            "the store refused the query; timeout: it did not answer in time)",
            ["reason"],
            registry=None,
        )
        for reason in ("error", "timeout"):
            failures.labels(reason)  # present at 0 before the first failure
        super().__init__(
            delivery_counts,
            failures=failures,
            timeout_seconds=timeout_seconds,
            what="webhook deliveries",
        )

    def describe(self) -> Iterable[Metric]:
        return list(_families())

    def collect(self) -> Iterable[Metric]:
        counts = self.read_in_time()
        if counts is None:
            return []
        outcomes, failed, waiting = _families()
        for subscription, count in sorted(counts.items()):
            outcomes.add_metric([subscription, "delivered"], count.delivered_total)
            outcomes.add_metric([subscription, "dead"], count.dead_total)
            failed.add_metric([subscription], count.failed_attempts_total)
            waiting.add_metric([subscription, "pending"], count.pending)
            waiting.add_metric([subscription, "failing"], count.failing)
            waiting.add_metric([subscription, "dead"], count.dead)
        return [outcomes, failed, waiting]


def _families() -> tuple[CounterMetricFamily, CounterMetricFamily, GaugeMetricFamily]:
    return (
        CounterMetricFamily(
            "redress_webhook_deliveries",
            "Deliveries of events to platforms that ended, by subscription and outcome "
            "(delivered; dead: failed for the whole retry window)",
            labels=["subscription", "outcome"],
        ),
        CounterMetricFamily(
            "redress_webhook_failed_attempts",
            "Attempts to deliver an event that failed (no answer in time, no connection, "
            "a status other than 2xx), by subscription",
            labels=["subscription"],
        ),
        GaugeMetricFamily(
            "redress_webhook_deliveries_waiting",
            "Deliveries not delivered now, by subscription and state (pending; failing: "
            "pending after at least one failed attempt; dead)",
            labels=["subscription", "state"],
        ),
    )
