"""Starting a closed case's follow-up survey, shared by complaints and returns."""

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.surveys import SurveyCase, SurveyInput, survey_workflow_id

# The patch id guarding the survey start in ComplaintWorkflow and ReturnWorkflow.
SURVEY_AFTER_CLOSE = "survey-after-close"


async def start_follow_up_survey(case: SurveyCase) -> None:
    """Starts the case's survey as an abandoned child: the case finishes now, the survey
    runs on for days. A survey already started for the case is left as it is."""
    try:
        await workflow.start_child_workflow(
            "SurveyWorkflow",
            # The policy in force at close travels with the survey (see SurveyInput).
            SurveyInput(case=case, policy=policy.SURVEY),
            id=survey_workflow_id(case.kind, case.case_id),
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            # One survey per case, ever: a customer is never asked twice about one case.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        workflow.logger.info("survey of %s %s already started", case.kind, case.case_id)
