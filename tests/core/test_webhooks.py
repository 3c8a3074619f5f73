"""Signing and verifying courier webhooks."""

from datetime import UTC, datetime, timedelta

import pytest

from core.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    InvalidSignature,
    sign,
    signed_headers,
    verify,
)

SECRET = "test-courier-secret"
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
BODY = b'{"event_id":"EVT-1","status":"picked_up"}'


def headers_at(at: datetime, body: bytes = BODY, secret: str = SECRET) -> tuple[str, str]:
    headers = signed_headers(secret, body, at)
    return headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]


def test_a_signature_is_sha256_hex_and_depends_on_secret_timestamp_and_body() -> None:
    timestamp = int(NOW.timestamp())
    signature = sign(SECRET, timestamp, BODY)

    assert signature.startswith("sha256=") and len(signature) == len("sha256=") + 64
    assert sign(SECRET, timestamp, BODY) == signature
    assert sign("another-secret", timestamp, BODY) != signature
    assert sign(SECRET, timestamp + 1, BODY) != signature
    assert sign(SECRET, timestamp, BODY + b" ") != signature


def test_a_signed_request_verifies() -> None:
    timestamp, signature = headers_at(NOW)

    assert timestamp == str(int(NOW.timestamp()))
    verify(SECRET, timestamp, signature, BODY, NOW)
    verify(SECRET, timestamp, signature.upper().replace("SHA256=", "sha256="), BODY, NOW)


def test_a_tampered_body_is_refused() -> None:
    timestamp, signature = headers_at(NOW)

    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, timestamp, signature, BODY.replace(b"picked_up", b"delivered"), NOW)


def test_a_request_signed_with_another_secret_is_refused() -> None:
    timestamp, signature = headers_at(NOW, secret="not-the-shared-secret")

    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, timestamp, signature, BODY, NOW)


def test_a_timestamp_swapped_after_signing_is_refused() -> None:
    _, signature = headers_at(NOW)

    with pytest.raises(InvalidSignature, match="does not match"):
        verify(SECRET, str(int(NOW.timestamp()) + 1), signature, BODY, NOW)


@pytest.mark.parametrize("skew", [timedelta(seconds=-301), timedelta(seconds=301)])
def test_a_stale_or_future_timestamp_is_refused(skew: timedelta) -> None:
    timestamp, signature = headers_at(NOW + skew)

    with pytest.raises(InvalidSignature, match="away from this server's clock"):
        verify(SECRET, timestamp, signature, BODY, NOW)


def test_the_tolerance_can_be_set() -> None:
    timestamp, signature = headers_at(NOW - timedelta(seconds=299))
    verify(SECRET, timestamp, signature, BODY, NOW)

    with pytest.raises(InvalidSignature, match="away from"):
        verify(SECRET, timestamp, signature, BODY, NOW, tolerance=timedelta(seconds=60))


@pytest.mark.parametrize(
    ("timestamp", "signature", "problem"),
    [
        (None, "sha256=" + "0" * 64, f"{TIMESTAMP_HEADER} header is missing"),
        ("", "sha256=" + "0" * 64, f"{TIMESTAMP_HEADER} header is missing"),
        ("1778000000", None, f"{SIGNATURE_HEADER} header is missing"),
        ("1778000000", "", f"{SIGNATURE_HEADER} header is missing"),
    ],
)
def test_missing_headers_are_refused(
    timestamp: str | None, signature: str | None, problem: str
) -> None:
    with pytest.raises(InvalidSignature, match=problem):
        verify(SECRET, timestamp, signature, BODY, NOW)


@pytest.mark.parametrize("timestamp", ["soon", "1778000000.5", "-1778000000", "１２３"])
def test_a_malformed_timestamp_is_refused(timestamp: str) -> None:
    with pytest.raises(InvalidSignature, match="whole unix seconds"):
        verify(SECRET, timestamp, "sha256=" + "0" * 64, BODY, NOW)


@pytest.mark.parametrize(
    "signature",
    ["0" * 64, "md5=" + "0" * 32, "sha256=" + "0" * 63, "sha256=" + "g" * 64, "sha256="],
)
def test_a_malformed_signature_is_refused(signature: str) -> None:
    timestamp, _ = headers_at(NOW)

    with pytest.raises(InvalidSignature, match="64 hex digits"):
        verify(SECRET, timestamp, signature, BODY, NOW)


def test_an_empty_secret_signs_and_verifies_nothing() -> None:
    with pytest.raises(ValueError, match="secret is empty"):
        sign("", 1, BODY)
    with pytest.raises(ValueError, match="secret is empty"):
        verify("", *headers_at(NOW), BODY, NOW)
