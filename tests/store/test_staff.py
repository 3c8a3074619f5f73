"""Staff users and keys: digests at rest, revocation, expiry and console passwords."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from domain.access import Role
from store.db import SessionFactory
from store.staff import (
    StaffError,
    create_user,
    disable_user,
    issue_key,
    revoke_key,
    set_password,
    user_for_key,
    user_for_password,
)
from store.tables.staff import ApiKey

PASSWORD = "correct horse battery"


@pytest.fixture
def session(sessions: SessionFactory) -> Iterator[Session]:
    with sessions() as session:
        yield session


def test_a_key_finds_its_user_and_only_its_digest_is_stored(session: Session) -> None:
    create_user(session, user_id="sup-1", display_name="Sup One", role=Role.SUPERVISOR)
    issued = issue_key(session, user_id="sup-1", label="laptop")

    user = user_for_key(session, issued.token)

    assert user is not None and user.user_id == "sup-1"
    stored = session.exec(select(ApiKey)).one()
    secret = issued.token.split("_", 2)[2]
    assert secret not in stored.secret_sha256
    assert issued.token.startswith(f"rdk_{stored.key_id}_")


def test_revoked_expired_and_disabled_keys_find_nobody(session: Session) -> None:
    create_user(session, user_id="svc", display_name="Shop", role=Role.SERVICE)
    revoked = issue_key(session, user_id="svc")
    expiring = issue_key(session, user_id="svc", expires_at=datetime.now(UTC) + timedelta(hours=1))
    revoke_key(session, key_id=revoked.key_id)

    assert user_for_key(session, revoked.token) is None
    assert user_for_key(session, expiring.token) is not None
    later = datetime.now(UTC) + timedelta(hours=2)
    assert user_for_key(session, expiring.token, now=later) is None

    disable_user(session, user_id="svc")
    assert user_for_key(session, expiring.token) is None
    with pytest.raises(StaffError, match="no active user"):
        issue_key(session, user_id="svc")


@pytest.mark.parametrize("token", ["", "rdk_", "rdk_abc", "xyz_abc_def", "rdk_" + "a" * 40 + "_x"])
def test_malformed_keys_find_nobody(session: Session, token: str) -> None:
    assert user_for_key(session, token) is None


def test_console_passwords_are_scrypt_hashed_and_checked(session: Session) -> None:
    user = create_user(
        session, user_id="sup-2", display_name="Sup", role=Role.SUPERVISOR, password=PASSWORD
    )
    assert user.password_hash is not None and user.password_hash.startswith("scrypt$")
    assert PASSWORD not in user.password_hash

    assert user_for_password(session, user_id="sup-2", password=PASSWORD) is not None
    assert user_for_password(session, user_id="sup-2", password="wrong password!") is None
    assert user_for_password(session, user_id="nobody", password=PASSWORD) is None

    set_password(session, user_id="sup-2", password="a new long password")
    assert user_for_password(session, user_id="sup-2", password=PASSWORD) is None
    with pytest.raises(StaffError, match="at least 12 characters"):
        set_password(session, user_id="sup-2", password="short")


def test_user_ids_are_unique(session: Session) -> None:
    create_user(session, user_id="a-1", display_name="A", role=Role.AGENT)
    with pytest.raises(StaffError, match="already exists"):
        create_user(session, user_id="a-1", display_name="A again", role=Role.AGENT)
