"""The survey link activity: a signed link the API can read back, and a clear error when
the worker has no secret to sign with."""

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.surveys import SurveyActivities
from core.links import CaseKind as LinkCaseKind
from core.links import LinkPurpose, read_link_token
from core.settings import Settings
from domain.surveys import CaseKind, SurveyLinkRequest
from store.db import SessionFactory

SECRET = "a-test-secret-that-is-long-enough-to-sign-0123"
EXPIRES = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REQUEST = SurveyLinkRequest(
    survey_id="survey-return-R-9", case_kind=CaseKind.RETURN, case_id="R-9", expires_at=EXPIRES
)


def test_the_link_opens_the_cases_survey_until_it_expires(sessions: SessionFactory) -> None:
    settings = Settings(secret_key=SECRET, public_base_url="https://help.example.com/")
    activities = SurveyActivities(sessions, settings)

    link = ActivityEnvironment().run(activities.make_survey_link, REQUEST)

    base, token = link.url.rsplit("/surveys/", 1)
    assert base == "https://help.example.com"
    granted = read_link_token(SECRET, token, now=EXPIRES - timedelta(seconds=1))
    assert (granted.kind, granted.case_id) == (LinkCaseKind.RETURN, "R-9")
    assert (granted.purpose, granted.expires_at) == (LinkPurpose.SURVEY, EXPIRES)


def test_a_worker_without_a_secret_says_so_and_is_retried(sessions: SessionFactory) -> None:
    activities = SurveyActivities(sessions, Settings(secret_key=""))

    with pytest.raises(ApplicationError) as missing:
        ActivityEnvironment().run(activities.make_survey_link, REQUEST)

    assert missing.value.type == "SecretKeyMissing" and not missing.value.non_retryable
    assert "REDRESS_SECRET_KEY" in str(missing.value)
