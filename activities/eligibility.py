"""The eligibility activity: the return policy's verdict, with the customer's history."""

from datetime import timedelta

from temporalio import activity

from core.wording.return_words import policy_reasons
from domain.return_policy import RETURN_RISK, assess_return
from domain.return_windows import RETURN_WINDOWS
from domain.returns import Eligibility, EligibilityInput
from store import returns as return_store
from store.db import SessionFactory


class EligibilityActivities:
    """Assesses return requests against the store's history; built once by the worker."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    # Synchronous: the store is blocking SQLAlchemy, so the worker runs this in its thread
    # pool (`activity_executor`) rather than stalling the event loop.
    @activity.defn(name="assess_return")
    def assess_return(self, request: EligibilityInput) -> Eligibility:
        """Returns the policy's verdict on a return, counting the customer's prior returns,
        with its reasons as data and in English."""
        # The window ends when the return was requested, not now: a retry counts the same.
        since = request.requested_at - timedelta(days=RETURN_RISK.serial_returner_window_days)
        with self._sessions() as session:
            prior_returns = return_store.count_recent_returns(
                session,
                customer_id=request.request.customer.id,
                exclude_return_id=request.return_id,
                since=since,
            )
        verdict = assess_return(
            request.request,
            requested_at=request.requested_at,
            prior_returns=prior_returns,
            windows=request.windows or RETURN_WINDOWS,
        )
        # The reasons in English too, for logs and the API (and the return's timeline).
        return verdict.model_copy(update={"reasons": policy_reasons(verdict.details)})
