"""Which closed cases start a follow-up survey: resolved complaints and settled returns do;
complaints closed for want of a reply, rejected returns and a complaint's own return
don't."""

from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from domain import policy
from domain.compensation import CompensationKind, ResolutionProposal, ReturnPlan, ReturnPlanLine
from domain.complaints import (
    AgentAction,
    CloseReason,
    ComplaintStatus,
    ProposeResolutionAction,
    RequestInfoAction,
)
from domain.returns import InspectionVerdict, ReturnStatus, return_workflow_id
from domain.surveys import CaseKind, SurveyStatus, SurveyView, survey_workflow_id
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, propose
from tests.workflows.test_return_workflow import (
    inspection,
    return_request,
    ship_to_warehouse,
    start_return,
)
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow
from workflows.surveys import SurveyWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."


async def survey_of(redress: Redress, kind: CaseKind, case_id: str) -> SurveyView:
    handle: WorkflowHandle[Any, SurveyView] = redress.client.get_workflow_handle(
        survey_workflow_id(kind, case_id)
    )
    return await handle.query(SurveyWorkflow.view)


async def assert_no_survey(redress: Redress, kind: CaseKind, case_id: str) -> None:
    with pytest.raises(RPCError) as missing:
        await redress.client.get_workflow_handle(survey_workflow_id(kind, case_id)).describe()
    assert missing.value.status is RPCStatusCode.NOT_FOUND


async def test_a_resolved_complaint_starts_its_survey(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.assignee and view.routing
    await handle.execute_update(
        ComplaintWorkflow.act, propose(view.assignee, (CompensationKind.REFUND, "60.00"))
    )
    closed = await handle.result()
    assert closed.close_reason is CloseReason.RESOLVED and closed.closed_at

    survey = await survey_of(redress, CaseKind.COMPLAINT, closed.complaint_id)

    assert survey.status is SurveyStatus.SCHEDULED
    assert survey.send_at == closed.closed_at + policy.SURVEY.send_after
    assert (survey.customer_id, survey.locale) == ("cust-1001", "en")
    assert (survey.team, survey.agent_id) == (view.routing.team, view.assignee)
    assert survey.category is not None


async def test_a_complaint_closed_for_want_of_a_reply_starts_no_survey(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.assignee
    ask = AgentAction(actor=view.assignee, action=RequestInfoAction(question="A photo?"))
    await handle.execute_update(ComplaintWorkflow.act, ask)

    closed = await handle.result()  # the time-skipping server runs out the customer's week

    assert closed.close_reason is CloseReason.NO_CUSTOMER_REPLY
    await assert_no_survey(redress, CaseKind.COMPLAINT, closed.complaint_id)


async def test_a_settled_return_starts_its_survey(redress: Redress) -> None:
    handle = await start_return(redress, return_request())
    await ship_to_warehouse(redress, handle)
    await handle.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    closed = await handle.result()
    assert closed.status is ReturnStatus.COMPLETED

    survey = await survey_of(redress, CaseKind.RETURN, closed.return_id)

    assert survey.status is SurveyStatus.SCHEDULED
    assert (survey.case_kind, survey.team) == (CaseKind.RETURN, "returns")


async def test_a_rejected_return_starts_no_survey(redress: Redress) -> None:
    request = return_request()
    request.lines[0].product_category = "food"  # never returnable
    handle = await start_return(redress, request)

    closed = await handle.result()

    assert closed.status is ReturnStatus.REJECTED
    await assert_no_survey(redress, CaseKind.RETURN, closed.return_id)


async def test_a_complaint_resolved_by_a_return_gets_one_survey_not_two(
    redress: Redress,
) -> None:
    # Photos, so the return a defect starts needs no review before its label.
    evidence = {"evidence_urls": ["https://img.example/kettle.jpg"]}
    complaint = await redress.start(intake(KETTLE).model_copy(update=evidence))
    await redress.until_status(complaint, ComplaintStatus.OPEN)
    proposal = ResolutionProposal(
        message="Please send the kettle back; we will refund it.",
        return_plan=ReturnPlan(lines=[ReturnPlanLine(sku="KETTLE-1", quantity=1)]),
    )
    await complaint.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor="agent-quality-1", action=ProposeResolutionAction(proposal=proposal)),
    )
    view = await redress.until(complaint, lambda v: bool(v.return_ids), "a return")
    returned = redress.client.get_workflow_handle_for(
        ReturnWorkflow.run, return_workflow_id(view.return_ids[0])
    )
    redress.started.append(returned.id)
    await ship_to_warehouse(redress, returned)
    await returned.execute_update(
        ReturnWorkflow.report_inspection, inspection(InspectionVerdict.ACCEPTED)
    )
    closed = await complaint.result()

    assert (await survey_of(redress, CaseKind.COMPLAINT, closed.complaint_id)).case_id
    await assert_no_survey(redress, CaseKind.RETURN, view.return_ids[0])
