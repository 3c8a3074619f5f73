"""Fixtures for complaint workflow tests on the time-skipping server."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from activities.couriers.sandbox import SandboxCourier
from activities.faults import FaultPlan
from activities.fulfillment.sandbox import SandboxFulfillment
from activities.notifications.base import NotificationProvider
from activities.payments.sandbox import SandboxPayments
from core.settings import Settings
from domain.complaints import (
    ComplaintInput,
    ComplaintIntake,
    ComplaintStatus,
    ComplaintView,
    complaint_workflow_id,
)
from domain.policy import complaint_policy
from domain.service_failures import ServiceFailure, service_recovery_workflow_id
from domain.surveys import CaseKind, survey_workflow_id
from store.db import SessionFactory
from store.teams import seed_default_teams
from worker import build_workers
from workflows.complaints import ComplaintWorkflow

# Signs the survey links the workers mint (the settings' default is empty on purpose).
TEST_SECRET_KEY = "test-secret-key-for-signing-survey-links-0123456789"


@dataclass
class Redress:
    """A worker on a fresh task queue, a fresh store, and helpers to drive complaints."""

    env: WorkflowEnvironment
    client: Client
    queue: str
    sessions: SessionFactory
    started: list[str] = field(default_factory=list)

    async def start(self, intake: ComplaintIntake) -> WorkflowHandle[Any, ComplaintView]:
        complaint_id = uuid.uuid4().hex[:12].upper()
        self.started.append(complaint_workflow_id(complaint_id))
        return await self.client.start_workflow(
            ComplaintWorkflow.run,
            # As the API opens complaints: under today's policy, carried in the input.
            ComplaintInput(complaint_id=complaint_id, intake=intake, policy=complaint_policy()),
            id=complaint_workflow_id(complaint_id),
            task_queue=self.queue,
        )

    async def until(
        self,
        handle: WorkflowHandle[Any, ComplaintView],
        accept: Callable[[ComplaintView], bool],
        what: str = "the expected state",
    ) -> ComplaintView:
        """Polls the live view (in real time) until `accept` holds."""
        for _ in range(300):
            view = await handle.query(ComplaintWorkflow.view)
            if accept(view):
                return view
            await asyncio.sleep(0.05)
        raise AssertionError(f"complaint never reached {what}: {view.status} {view.timeline}")

    async def until_status(
        self, handle: WorkflowHandle[Any, ComplaintView], status: ComplaintStatus
    ) -> ComplaintView:
        return await self.until(handle, lambda v: v.status is status, status.value)

    async def now(self) -> datetime:
        return (await self.env.get_current_time()).astimezone(UTC)


@asynccontextmanager
async def open_redress(
    env: WorkflowEnvironment,
    sessions: SessionFactory,
    faults: FaultPlan | None = None,
    notifier: NotificationProvider | None = None,
) -> AsyncIterator[Redress]:
    """Runs Redress's workers on a fresh queue; `faults` injects provider failures, and
    `notifier` replaces the settings' notification provider."""
    with sessions() as session:
        seed_default_teams(session)
    queue = f"complaints-{uuid.uuid4().hex}"
    plan = faults or FaultPlan()
    async with AsyncExitStack() as stack:
        for worker in build_workers(
            env.client,
            sessions=sessions,
            settings=Settings(secret_key=TEST_SECRET_KEY),
            task_queue=queue,
            payments=SandboxPayments(sessions, plan),
            fulfillment=SandboxFulfillment(sessions, plan),
            notifier=notifier,
            # No simulator runs here: tests send tracking events themselves.
            courier=SandboxCourier(sessions, plan),
        ):
            await stack.enter_async_context(worker)
        running = Redress(env, env.client, queue, sessions)
        try:
            yield running
        finally:
            await _terminate_open_workflows(running)


async def _terminate_open_workflows(redress: Redress) -> None:
    """Ends this test's complaints, returns and the surveys and recovery tasks they
    started, so their timers cannot hold up time skipping once no worker polls their
    queue."""
    follow_ups = [ids for workflow_id in redress.started for ids in _follow_ups_of(workflow_id)]
    for workflow_id in [*redress.started, *follow_ups]:
        handle = redress.client.get_workflow_handle(workflow_id)
        try:
            running = (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        except RPCError as error:
            if error.status is RPCStatusCode.NOT_FOUND:
                continue  # a follow-up the case never started
            raise
        if running:
            await handle.terminate(reason="test finished")


def _follow_ups_of(workflow_id: str) -> list[str]:
    """Returns the ids of the survey a complaint or return may have started, and of a
    complaint's recovery tasks."""
    kind, _, case_id = workflow_id.partition("-")
    if kind not in {CaseKind.COMPLAINT, CaseKind.RETURN}:
        return []
    recoveries = [service_recovery_workflow_id(case_id, failure) for failure in ServiceFailure]
    return [survey_workflow_id(CaseKind(kind), case_id)] + (
        recoveries if kind == CaseKind.COMPLAINT else []
    )


@pytest.fixture
async def redress(
    time_skipping_env: WorkflowEnvironment, sessions: SessionFactory
) -> AsyncIterator[Redress]:
    async with open_redress(time_skipping_env, sessions) as running:
        yield running
