"""Activities of the follow-up survey: its customer link, and its read model."""

from temporalio import activity
from temporalio.exceptions import ApplicationError

from core import links
from core.settings import Settings
from domain.surveys import SurveyLink, SurveyLinkRequest, SurveyProjection
from store import surveys as survey_store
from store.db import SessionFactory


def survey_url(settings: Settings, request: SurveyLinkRequest) -> str:
    """Returns the customer's survey URL: `{public base URL}/surveys/{signed token}`.

    The token names the case and expires with the survey; the API reads it back with
    `core.links.read_link_token` and finds the survey by `survey_workflow_id`.
    """
    token = links.survey_link_token(
        settings.secret_key,
        kind=links.CaseKind(request.case_kind.value),
        case_id=request.case_id,
        expires_at=request.expires_at,
    )
    return links.survey_page_url(settings.effective_public_base_url, token)


class SurveyActivities:
    """Survey links and projections; built once in the worker with its dependencies."""

    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings

    @activity.defn(name="make_survey_link")
    def make_survey_link(self, request: SurveyLinkRequest) -> SurveyLink:
        """Returns the signed link the survey invitation and its reminder carry."""
        try:
            return SurveyLink(url=survey_url(self._settings, request))
        except ValueError as error:
            # A worker without a usable REDRESS_SECRET_KEY: retried, so the survey goes out
            # once an operator sets one and restarts the worker.
            raise ApplicationError(str(error), type="SecretKeyMissing") from error

    # Synchronous: the store is blocking SQLAlchemy, so the worker runs this in its thread
    # pool (`activity_executor`) rather than stalling the event loop.
    @activity.defn(name="project_survey")
    def project_survey(self, projection: SurveyProjection) -> None:
        """Stores the survey's current view and its recovery task (idempotent)."""
        with self._sessions() as session:
            survey_store.project_survey(session, projection=projection)
