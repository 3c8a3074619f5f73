"""Staff users, their API keys and console passwords: create, verify, revoke.

An API key reads `rdk_<key id>_<secret>`. The key id finds the row; the secret is
compared by its SHA-256 digest in constant time, so the stored digests are useless to
whoever reads the database.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from domain.access import Role
from store.tables.staff import ApiKey, StaffUser

KEY_PREFIX = "rdk"
# scrypt cost: about 50 ms and 16 MiB per check on a small server, which is what
# OWASP's guidance asks of a password hash; sign-ins are rare.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 12
# One mailbox, as a mail server takes it: name@domain.tld, no spaces, no display name.
_EMAIL = re.compile(r"[^@\s<>,;\"]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}")
MAX_EMAIL_CHARS = 254


class StaffError(ValueError):
    """A staff change that cannot be made, with a message saying why."""


@dataclass(frozen=True)
class IssuedKey:
    """A freshly issued key: `token` is shown once and never stored."""

    key_id: str
    user_id: str
    token: str


def create_user(
    session: Session,
    *,
    user_id: str,
    display_name: str,
    role: Role,
    locale: str = "zh-CN",
    password: str | None = None,
    email: str | None = None,
) -> StaffUser:
    """Returns a new staff user; raises StaffError if the id is taken or the e-mail
    address is not one."""
    if session.get(StaffUser, user_id) is not None:
        raise StaffError(f"user {user_id!r} already exists")
    user = StaffUser(
        user_id=user_id,
        display_name=display_name,
        role=role.value,
        locale=locale,
        email=checked_email(email) if email is not None else None,
        password_hash=hash_password(password) if password is not None else None,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def active_user(session: Session, user_id: str) -> StaffUser | None:
    """Returns the user if they exist and are not disabled."""
    user = session.get(StaffUser, user_id)
    return user if user is not None and user.disabled_at is None else None


def set_password(session: Session, *, user_id: str, password: str) -> None:
    """Sets the user's console password; raises StaffError for unknown users."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise StaffError(f"no user {user_id!r}")
    user.password_hash = hash_password(password)
    session.add(user)
    session.commit()


def set_email(session: Session, *, user_id: str, email: str | None) -> None:
    """Sets (or, with None, clears) the address the user's staff messages are e-mailed
    to; raises StaffError for unknown users and addresses that are not one."""
    address = checked_email(email) if email is not None else None
    user = session.get(StaffUser, user_id)
    if user is None:
        raise StaffError(f"no user {user_id!r}")
    user.email = address
    session.add(user)
    session.commit()


def checked_email(email: str) -> str:
    """Returns `email` trimmed; raises StaffError naming it when it is not one address."""
    address = email.strip()
    if len(address) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(address):
        raise StaffError(
            f"email {email!r} is not an e-mail address: give one mailbox, like lin.wei@example.com"
        )
    return address


def disable_user(session: Session, *, user_id: str) -> None:
    """Disables the user: their keys and console sessions stop working at once."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise StaffError(f"no user {user_id!r}")
    user.disabled_at = user.disabled_at or datetime.now(UTC)
    session.add(user)
    session.commit()


def issue_key(
    session: Session, *, user_id: str, label: str = "", expires_at: datetime | None = None
) -> IssuedKey:
    """Returns a new key for the user; only its digest is stored."""
    if active_user(session, user_id) is None:
        raise StaffError(f"no active user {user_id!r}")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            key_id=key_id,
            user_id=user_id,
            secret_sha256=_digest(secret),
            label=label,
            created_at=datetime.now(UTC),
            expires_at=expires_at,
        )
    )
    session.commit()
    return IssuedKey(key_id=key_id, user_id=user_id, token=f"{KEY_PREFIX}_{key_id}_{secret}")


def revoke_key(session: Session, *, key_id: str) -> None:
    """Revokes a key; requests with it are refused from then on."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise StaffError(f"no key {key_id!r}")
    key.revoked_at = key.revoked_at or datetime.now(UTC)
    session.add(key)
    session.commit()


def user_for_key(session: Session, token: str, *, now: datetime | None = None) -> StaffUser | None:
    """Returns the active user a key belongs to, or None for any key that is not valid."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret or len(key_id) > 32:
        return None
    key = session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return None
    if key.expires_at is not None and key.expires_at <= (now or datetime.now(UTC)):
        return None
    if not hmac.compare_digest(key.secret_sha256, _digest(secret)):
        return None
    return active_user(session, key.user_id)


def user_for_password(session: Session, *, user_id: str, password: str) -> StaffUser | None:
    """Returns the active user if the password is theirs, else None."""
    user = active_user(session, user_id)
    if user is None or user.password_hash is None:
        # Spend the same time as a real check, so timing does not reveal which ids exist.
        _scrypt(password, bytes(16), SCRYPT_N, SCRYPT_R, SCRYPT_P)
        return None
    return user if verify_password(password, user.password_hash) else None


def hash_password(password: str) -> str:
    """Returns a salted scrypt hash of `password` to store."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise StaffError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    salt = secrets.token_bytes(16)
    derived = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${derived.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Returns whether `password` matches a hash made by `hash_password`."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(derived.hex(), expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def list_users(session: Session) -> list[StaffUser]:
    """Returns every staff user, by id."""
    return list(session.exec(select(StaffUser).order_by(StaffUser.user_id)))
