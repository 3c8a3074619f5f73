"""What a chaos run does: how many cases, how much violence, and which faults are injected."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ChaosPlan:
    """One chaos run's shape; the defaults are the full run docs/reliability.md reports."""

    # Complaints and returns driven through the API, about half of each.
    cases: int = 500
    # At least this many worker SIGKILLs; more happen if the run lasts longer, up to
    # `max_worker_kills` when set (each kill stalls the activities it held for their
    # start-to-close timeout, which a short run cannot afford many times over).
    min_worker_kills: int = 10
    max_worker_kills: int | None = None
    # Seconds between two worker kills, drawn uniformly from this range.
    kill_every: tuple[float, float] = (4.0, 9.0)
    # How long to watch for a refund in flight on a worker before killing one at random.
    refund_hunt_seconds: float = 3.0
    # Every this many kills, the first is aimed at a worker handing over an e-mail (the
    # only moment a message can be sent twice); watched for this long before the others.
    kill_mid_send_every: int = 4
    send_hunt_seconds: float = 5.0
    temporal_restarts: int = 2
    api_restarts: int = 2
    # Cases in flight at once: more would only queue up in front of the dev server.
    max_active_cases: int = 50
    # The whole drive (not counting start-up and checks) gives up after this long.
    deadline_seconds: float = 1800.0
    seed: int = 20261122

    # Faults injected into the sandbox providers (see core.settings).
    payments_transient_failure_rate: float = 0.2
    payments_lost_response_rate: float = 0.1
    payments_response_delay_seconds: float = 0.4
    courier_loss_rate: float = 0.1
    courier_exception_rate: float = 0.1
    courier_step_seconds: float = 2.0
    # The platform's webhook endpoint fails this share of requests, half with a 500 and
    # half answering after the dispatcher's timeout (kept short, as are its retries, so
    # the run waits seconds, not hours, for the last redelivery).
    webhook_failure_rate: float = 0.1
    webhook_timeout_seconds: float = 2.0
    webhook_retry_base_seconds: float = 1.0

    def fault_settings(self) -> dict[str, str]:
        """Returns the REDRESS_* variables that turn this plan's faults on in the stack."""
        return {
            "REDRESS_SANDBOX_PAYMENTS_TRANSIENT_FAILURE_RATE": str(
                self.payments_transient_failure_rate
            ),
            "REDRESS_SANDBOX_PAYMENTS_LOST_RESPONSE_RATE": str(self.payments_lost_response_rate),
            "REDRESS_SANDBOX_PAYMENTS_RESPONSE_DELAY_SECONDS": str(
                self.payments_response_delay_seconds
            ),
            "REDRESS_SANDBOX_COURIER_LOSS_RATE": str(self.courier_loss_rate),
            "REDRESS_SANDBOX_COURIER_EXCEPTION_RATE": str(self.courier_exception_rate),
            "REDRESS_SANDBOX_COURIER_STEP_SECONDS": str(self.courier_step_seconds),
            "REDRESS_WEBHOOK_TIMEOUT_SECONDS": str(self.webhook_timeout_seconds),
            "REDRESS_WEBHOOK_RETRY_BASE_SECONDS": str(self.webhook_retry_base_seconds),
        }

    def restart_points(self) -> list[tuple[float, str]]:
        """Returns (share of cases finished, "temporal" or "api") for every planned restart,
        spread so that each lands while most cases are still moving."""
        points = [
            (i / (self.temporal_restarts + 1), "temporal")
            for i in range(1, self.temporal_restarts + 1)
        ]
        points += [
            (0.8 * i / (self.api_restarts + 1), "api") for i in range(1, self.api_restarts + 1)
        ]
        return sorted(points)
