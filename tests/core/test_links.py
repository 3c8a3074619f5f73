"""Customer link tokens: one case, one purpose, until they expire."""

from datetime import UTC, datetime, timedelta

import pytest

from core.links import (
    CaseKind,
    InvalidLink,
    LinkPurpose,
    case_link_token,
    issue_link_token,
    read_link_token,
    survey_link_token,
)

SECRET = "s" * 40


def test_a_case_link_names_its_case_and_purpose() -> None:
    token = case_link_token(SECRET, kind=CaseKind.RETURN, case_id="R123", days=30)

    link = read_link_token(SECRET, token)

    assert (link.kind, link.case_id, link.purpose) == (CaseKind.RETURN, "R123", LinkPurpose.CASE)
    assert timedelta(days=29) < link.expires_at - datetime.now(UTC) <= timedelta(days=30)


def test_a_survey_link_expires_when_its_survey_closes() -> None:
    closes = datetime.now(UTC) + timedelta(days=7)
    token = survey_link_token(SECRET, kind=CaseKind.COMPLAINT, case_id="C1", expires_at=closes)

    assert read_link_token(SECRET, token).purpose is LinkPurpose.SURVEY
    with pytest.raises(InvalidLink) as expired:
        read_link_token(SECRET, token, now=closes + timedelta(seconds=1))
    assert expired.value.expired
    assert expired.value.reason == "the link has expired"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        lambda token: "",
    ],
)
def test_forged_or_malformed_tokens_are_refused(tamper: object) -> None:
    token = case_link_token(SECRET, kind=CaseKind.COMPLAINT, case_id="C1", days=1)
    assert callable(tamper)
    with pytest.raises(InvalidLink) as refused:
        read_link_token(SECRET, tamper(token))
    assert not refused.value.expired


def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = case_link_token("o" * 40, kind=CaseKind.COMPLAINT, case_id="C1", days=1)
    with pytest.raises(InvalidLink):
        read_link_token(SECRET, token)


def test_short_secrets_are_refused_with_a_hint() -> None:
    with pytest.raises(ValueError, match="openssl rand -hex 32"):
        issue_link_token(
            "short",
            kind=CaseKind.COMPLAINT,
            case_id="C1",
            purpose=LinkPurpose.CASE,
            expires_at=datetime.now(UTC) + timedelta(days=1),
        )
