"""Turning a domain check's refusal into an update failure: typed, non-retryable, and
mapped by the API to an HTTP status by its type."""

from collections.abc import Callable

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.complaint_rules import ActionNotAllowed, InvalidAction
    from domain.service_recovery import RecoveryTaskClosed
    from domain.surveys import SurveyRefused

# Each refusal's class name is its type: ActionNotAllowed (409), InvalidAction (422),
# the survey's SurveyAlreadyAnswered, SurveyExpired and SurveyNotOpen, and a failure's
# recovery task's RecoveryTaskClosed.
_REFUSALS = (ActionNotAllowed, InvalidAction, SurveyRefused, RecoveryTaskClosed)


def refuse_unless(check: Callable[..., None], *args: object) -> None:
    """Runs a domain check and raises its refusal as an update failure."""
    try:
        check(*args)
    except _REFUSALS as refusal:
        raise ApplicationError(
            str(refusal), type=type(refusal).__name__, non_retryable=True
        ) from None


def not_allowed(message: str) -> ApplicationError:
    """Returns the failure of an update the case's state does not allow now."""
    return ApplicationError(message, type="ActionNotAllowed", non_retryable=True)


def invalid(message: str) -> ApplicationError:
    """Returns the failure of an update that is wrong whatever the case's state."""
    return ApplicationError(message, type="InvalidAction", non_retryable=True)
