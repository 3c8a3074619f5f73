"""A complaint's recovery tasks: when it fails its customer (compensation undone, a
critical deadline breached, closed without the customer's answer), it opens a task for
its supervisor, as a low survey answer does after it closes.

Opening records `recovery_started` on the timeline at once and leaves the task in the
complaint's pending work; the loop then starts its workflow (`ServiceRecoveryWorkflow`,
an abandoned child: the task outlives a complaint that closes or continues as new). One
task per failure: the pending work remembers each, and the child's id is derived from
the complaint and the failure, so a retried start finds the task already running.
"""

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import ComplaintPending, TimelineKind
    from domain.service_failures import (
        ServiceFailure,
        ServiceRecoveryOpening,
        service_recovery_workflow_id,
        started_detail,
    )
    from domain.service_recovery import ServiceRecoveryInput
    from domain.taxonomy import EscalationLevel
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.complaint_file import ComplaintFile

# The patch id of opening recovery tasks: a failure now records an event and starts a
# child workflow, commands that complaints recorded before it never issued.
OPEN_SERVICE_RECOVERY = "open-service-recovery"


class ComplaintRecoveries:
    def __init__(self, file: ComplaintFile, journal: CaseJournal, pending: ComplaintPending):
        self._file = file
        self._journal = journal
        self._openings = pending.service_recoveries
        # Set from the OPEN_SERVICE_RECOVERY patch: complaints recorded before it open none.
        self.enabled = False

    def ask_patch(self) -> None:
        """Asks OPEN_SERVICE_RECOVERY; `run` calls this first thing, with the other patches
        (docs/safe-workflow-changes.md says why)."""
        self.enabled = workflow.patched(OPEN_SERVICE_RECOVERY)

    @property
    def waiting(self) -> bool:
        """Returns whether a task was opened and its workflow is still to start."""
        return any(not opening.started for opening in self._openings)

    def open(self, failure: ServiceFailure, detail: str) -> None:
        """Opens the recovery task of `failure`, once per complaint: on the timeline now,
        its workflow started by the loop (`start_opened`)."""
        if not self.enabled or any(opening.failure is failure for opening in self._openings):
            return
        self._openings.append(
            ServiceRecoveryOpening(failure=failure, detail=detail, opened_at=workflow.now())
        )
        self._journal.record(
            TimelineKind.RECOVERY_STARTED, SYSTEM_ACTOR, started_detail(failure, detail)
        )

    async def start_opened(self) -> None:
        """Starts the workflow of each task opened since the last call."""
        for opening in self._openings:
            if not opening.started:
                await self._start(opening)
                opening.started = True

    async def _start(self, opening: ServiceRecoveryOpening) -> None:
        file = self._file
        view, routing = file.view, file.view.routing
        task_id = service_recovery_workflow_id(view.complaint_id, opening.failure)
        try:
            await workflow.start_child_workflow(
                "ServiceRecoveryWorkflow",
                ServiceRecoveryInput(
                    failure=opening.failure,
                    detail=opening.detail,
                    complaint_id=view.complaint_id,
                    customer=view.intake.customer,
                    team=routing.team if routing else None,
                    agent_id=view.assignee,
                    supervisor_id=file.staff_at(EscalationLevel.SUPERVISOR),
                    manager_id=file.staff_at(EscalationLevel.MANAGER),
                    category=view.classification.category if view.classification else None,
                    opened_at=opening.opened_at,
                    # Today's window travels with the task (see ServiceRecoveryInput).
                    policy=policy.SERVICE_RECOVERY,
                    staff_timezone=routing.calendar.timezone if routing else None,
                ),
                id=task_id,
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                # One task per complaint and failure, ever.
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.info("recovery task %s already started", task_id)
