"""Service recovery after a failure of service: a child workflow a complaint starts, and
abandons, when it fails its customer (`workflows.complaint_recovery`).

`run` reads top-down: open the task for the complaint's supervisor and tell them, then
wait for their report until the task's deadline; a task nobody completes lapses and the
manager is told. The `complete_recovery` update is the survey's: the same report, checked
and applied the same way, so the inbox and the API close both kinds of task alike. The
workflow id is the task's id (`service_recovery_workflow_id`), one per complaint and
failure.
"""

from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import Customer
    from domain.notifications import Moment, NotificationTemplate
    from domain.service_failures import service_recovery_workflow_id
    from domain.service_recovery import (
        ServiceRecoveryEvent,
        ServiceRecoveryEventKind,
        ServiceRecoveryInput,
        ServiceRecoveryProjection,
        ServiceRecoveryResult,
        ServiceRecoveryView,
        check_task_open,
    )
    from domain.surveys import RecoveryReport, RecoveryStatus, RecoveryTask
    from domain.wording import format_deadline
    from workflows import activity_calls as calls
    from workflows.case_journal import (
        SYSTEM_ACTOR,
        CaseJournal,
        JournalKinds,
        answers_once_projected,
    )
    from workflows.refusals import refuse_unless
    from workflows.waiting import wait_until

SERVICE_RECOVERY_JOURNAL = JournalKinds(
    event_model=ServiceRecoveryEvent,
    notification_failed=ServiceRecoveryEventKind.NOTIFICATION_FAILED,
)


@workflow.defn
class ServiceRecoveryWorkflow:
    @workflow.init
    def __init__(self, input: ServiceRecoveryInput) -> None:
        self._input = input
        # The policy travels in the input, so a window changed later never moves a
        # running task's deadline.
        self._policy = input.policy or policy.SERVICE_RECOVERY
        now = workflow.now()
        task = RecoveryTask(
            assignee=input.supervisor_id,
            team=input.team,
            reason=input.detail,
            failure=input.failure,
            opened_at=input.opened_at,
            due_at=input.opened_at + self._policy.recovery_window,
        )
        self._view = ServiceRecoveryView(
            task_id=service_recovery_workflow_id(input.complaint_id, input.failure),
            failure=input.failure,
            case_id=input.complaint_id,
            customer_id=input.customer.id,
            locale=input.customer.locale,
            team=input.team,
            agent_id=input.agent_id,
            category=input.category,
            recovery=task,
            created_at=now,
            updated_at=now,
        )
        self._journal = CaseJournal(
            self, self._view, SERVICE_RECOVERY_JOURNAL, fresh=True, outbox=[], unprojected=[]
        )

    @workflow.run
    async def run(self, input: ServiceRecoveryInput) -> ServiceRecoveryView:
        # Asked before any local activity runs, for the reason given in ComplaintWorkflow.run.
        self._journal.ask_patches()
        task = self._view.recovery
        opened = self._journal.record(ServiceRecoveryEventKind.OPENED, SYSTEM_ACTOR, task.reason)
        self._journal.notify_staff(
            NotificationTemplate.SERVICE_FAILURE_TASK,
            opened,
            task.assignee,
            failure=input.failure.value,
            detail=task.reason or "-",
            deadline=self._staff_time(task),
        )
        await self._journal.flush()
        workflow.set_current_details(
            f"waiting for {task.assignee} to report the service recovery until "
            f"{format_deadline(task.due_at, 'UTC')}"
        )
        if not await wait_until(lambda: task.status is not RecoveryStatus.OPEN, task.due_at):
            self._lapse()
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._journal.flush()
        return self._view

    # --- Queries and updates -----------------------------------------------------------

    @workflow.query
    def view(self) -> ServiceRecoveryView:
        """Returns the task's live state."""
        return self._view

    @workflow.update
    @answers_once_projected
    def complete_recovery(self, report: RecoveryReport) -> ServiceRecoveryResult:
        """Closes the task once a supervisor has contacted the customer."""
        task = self._view.recovery
        refuse_unless(check_task_open, task)
        task.status = RecoveryStatus.DONE
        task.completed_by = report.supervisor
        task.note = report.note
        task.customer_response = report.customer_response or None
        task.completed_at = workflow.now()
        self._journal.record(ServiceRecoveryEventKind.DONE, report.supervisor, report.note)
        return ServiceRecoveryResult(status=task.status, detail="recovery task closed")

    @complete_recovery.validator
    def _validate_complete_recovery(self, report: RecoveryReport) -> None:
        refuse_unless(check_task_open, self._view.recovery)

    # --- Helpers ---------------------------------------------------------------------------

    def _lapse(self) -> None:
        """Nobody reported back in time: the task lapses and the manager is told."""
        task = self._view.recovery
        task.status = RecoveryStatus.LAPSED
        event = self._journal.record(ServiceRecoveryEventKind.LAPSED, SYSTEM_ACTOR, task.assignee)
        self._journal.notify_staff(
            NotificationTemplate.SERVICE_FAILURE_LAPSED,
            event,
            self._input.manager_id,
            failure=self._input.failure.value,
            assignee=task.assignee,
        )

    def _staff_time(self, task: RecoveryTask) -> Moment:
        return Moment(at=task.due_at, timezone=self._input.staff_timezone or policy.STAFF_TIMEZONE)

    # --- CaseFile ------------------------------------------------------------------------

    def case_ref(self) -> str:
        # Filed under the complaint, so the complaint's outbox shows the task's messages.
        return self._view.case_id

    def notification_key_prefix(self) -> str:
        return self._view.task_id

    def customer(self) -> Customer:
        return self._input.customer

    def common_params(self) -> dict[str, str]:
        return {"complaint_id": self._view.case_id}

    def projection(self, new_events: list[Any]) -> tuple[str, Any]:
        # The task's few events live in its view; the read model keeps the view whole.
        return calls.PROJECT_SERVICE_RECOVERY, ServiceRecoveryProjection(view=self._view)

    def search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        return []
