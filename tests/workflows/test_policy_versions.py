"""Versions of the policy in running cases, on the time-skipping server: complaints opened
before and after an admin shortened the first response each breach by their own target
(their input carries the version the API read from the store), and a complaint's return
runs under the return policy of the version the complaint opened under, not the newest."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import WorkflowHandle

from api.routes.complaints import COMPLAINT_OPENING
from domain.complaints import (
    ComplaintStatus,
    ComplaintView,
    complaint_workflow_id,
)
from domain.policy_document import PolicyVersion, shipped_policy
from domain.taxonomy import Tier
from store.admin_changes import ChangeNote
from store.policies import current_policy, save_policy
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake
from tests.workflows.test_return_workflow import resolve_by_a_return_of_the_kettle
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
ADMIN = ChangeNote(actor="ops-admin")


async def open_under(
    redress: Redress, policy: PolicyVersion, description: str = KETTLE, **extra: Any
) -> WorkflowHandle[Any, ComplaintView]:
    """Starts a complaint with the input the API builds under `policy`."""
    complaint_id = uuid.uuid4().hex[:12].upper()
    redress.started.append(complaint_workflow_id(complaint_id))
    complaint = intake(description).model_copy(update=extra)
    return await redress.client.start_workflow(
        ComplaintWorkflow.run,
        COMPLAINT_OPENING.workflow_input(complaint_id, complaint, datetime.now(UTC), policy),
        id=complaint_workflow_id(complaint_id),
        task_queue=redress.queue,
    )


def first_response_breached(view: ComplaintView) -> bool:
    return view.first_response is not None and view.first_response.breached


async def test_each_complaint_breaches_by_the_target_of_its_version(redress: Redress) -> None:
    shortened = shipped_policy()
    shortened.complaints.sla[Tier.GENERAL].first_response = timedelta(hours=2)
    with redress.sessions() as session:
        first = current_policy(session)
        second = save_policy(session, shortened, reason="two hours", note=ADMIN).version
    before = await open_under(redress, first)
    after = await open_under(redress, second)
    targets = []
    for handle in (before, after):
        view = await redress.until_status(handle, ComplaintStatus.OPEN)
        assert view.classification is not None and view.classification.tier is Tier.GENERAL
        assert view.first_response is not None
        targets.append((view.policy_version, view.first_response.budget_seconds))

    await redress.env.sleep(timedelta(hours=3))
    await redress.until(after, first_response_breached, "the 2 h target breached")
    before_view = await before.query(ComplaintWorkflow.view)

    assert targets == [(1, 24 * 3600), (2, 2 * 3600)]
    assert before_view.first_response is not None
    assert not before_view.first_response.breached


async def test_a_complaints_return_runs_under_the_version_the_complaint_opened_under(
    redress: Redress,
) -> None:
    with redress.sessions() as session:
        first = current_policy(session)
        quicker = shipped_policy()
        quicker.returns.shipping.ship_within = timedelta(days=3)
        save_policy(session, quicker, reason="ship within three days", note=ADMIN)
    # Photos, so the return a defect starts needs no review before its label.
    complaint = await open_under(redress, first, evidence_urls=["https://img.example/kettle.jpg"])
    child = await resolve_by_a_return_of_the_kettle(redress, complaint)

    labelled = await child.query(ReturnWorkflow.view)

    assert labelled.policy_version == 1
    assert labelled.ship_by is not None
    # Version 1's seven days, not the three days of the newest version.
    ship_within = labelled.ship_by - labelled.created_at
    assert timedelta(days=7) - ship_within < timedelta(minutes=5)
