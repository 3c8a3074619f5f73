"""The history check flags a call that creates money with no deadline, or one longer than
half the providers' idempotency window, and passes one inside it."""

from datetime import timedelta

from google.protobuf.duration_pb2 import Duration
from temporalio.api.common.v1 import ActivityType
from temporalio.api.history.v1 import ActivityTaskScheduledEventAttributes, HistoryEvent
from temporalio.client import WorkflowHistory

from chaos.findings import Findings
from chaos.history_checks import check_provider_deadlines


def _history(name: str, deadline: timedelta) -> WorkflowHistory:
    timeout = Duration()
    timeout.FromTimedelta(deadline)
    scheduled = ActivityTaskScheduledEventAttributes(
        activity_type=ActivityType(name=name), schedule_to_close_timeout=timeout
    )
    event = HistoryEvent(event_id=5, activity_task_scheduled_event_attributes=scheduled)
    return WorkflowHistory(workflow_id="complaint-C1", events=[event])


def test_refunds_without_a_deadline_or_past_half_the_window_are_unsafe() -> None:
    findings = Findings()
    check_provider_deadlines(
        [
            _history("refund_payment", timedelta(0)),
            _history("refund_payment", timedelta(hours=13)),
            _history("refund_payment", timedelta(hours=6)),
            # Undoing retries without a deadline on purpose: not checked.
            _history("reverse_refund", timedelta(0)),
        ],
        findings,
    )
    assert findings.unsafe["deadline"] == 2
    assert findings.made["provider calls inside the idempotency window"] == 1
