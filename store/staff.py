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

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from domain.access import Role
from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change, details
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
    """A staff change that cannot be made, with a message saying why and a `code` naming
    the refusal (the console words it in the reader's language)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


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
    note: ChangeNote | None = None,
) -> StaffUser:
    """Returns a new staff user; raises StaffError if the id is taken or the e-mail
    address is not one. With a `note`, the change goes on the audit trail."""
    if session.get(StaffUser, user_id) is not None:
        raise StaffError(f"user {user_id!r} already exists", "user_exists")
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
    what = details(role=role.value, locale=locale, email=user.email)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.USER,
        subject=user_id,
        action=ChangeAction.USER_CREATED,
        detail=what + (" password=set" if password is not None else ""),
    )
    session.refresh(user)
    return user


def active_user(session: Session, user_id: str) -> StaffUser | None:
    """Returns the user if they exist and are not disabled."""
    user = session.get(StaffUser, user_id)
    return user if user is not None and user.disabled_at is None else None


def _user(session: Session, user_id: str) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise StaffError(f"no user {user_id!r}", "no_user")
    return user


def _commit(
    session: Session,
    user: StaffUser,
    note: ChangeNote | None,
    action: ChangeAction,
    detail: str = "",
) -> None:
    session.add(user)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.USER,
        subject=user.user_id,
        action=action,
        detail=detail,
    )


def set_password(
    session: Session, *, user_id: str, password: str, note: ChangeNote | None = None
) -> None:
    """Sets the user's console password; raises StaffError for unknown users."""
    user = _user(session, user_id)
    user.password_hash = hash_password(password)
    _commit(session, user, note, ChangeAction.PASSWORD_SET)


def set_email(
    session: Session, *, user_id: str, email: str | None, note: ChangeNote | None = None
) -> None:
    """Sets (or, with None, clears) the address the user's staff messages are e-mailed
    to; raises StaffError for unknown users and addresses that are not one."""
    address = checked_email(email) if email is not None else None
    user = _user(session, user_id)
    before = user.email
    user.email = address
    action = ChangeAction.EMAIL_SET if address else ChangeAction.EMAIL_CLEARED
    _commit(session, user, note, action, details(email=address, was=before))


def checked_email(email: str) -> str:
    """Returns `email` trimmed; raises StaffError naming it when it is not one address."""
    address = email.strip()
    if len(address) > MAX_EMAIL_CHARS or not _EMAIL.fullmatch(address):
        raise StaffError(
            f"email {email!r} is not an e-mail address: give one mailbox, like lin.wei@example.com",
            "email_invalid",
        )
    return address


def disable_user(session: Session, *, user_id: str, note: ChangeNote | None = None) -> None:
    """Disables the user: their keys and console sessions stop working at once."""
    user = _user(session, user_id)
    user.disabled_at = user.disabled_at or datetime.now(UTC)
    _commit(session, user, note, ChangeAction.USER_DISABLED)


def enable_user(session: Session, *, user_id: str, note: ChangeNote | None = None) -> None:
    """Enables a disabled user again: their password and unrevoked keys work again."""
    user = _user(session, user_id)
    user.disabled_at = None
    _commit(session, user, note, ChangeAction.USER_ENABLED)


def issue_key(
    session: Session,
    *,
    user_id: str,
    label: str = "",
    expires_at: datetime | None = None,
    note: ChangeNote | None = None,
) -> IssuedKey:
    """Returns a new key for the user; only its digest is stored."""
    if active_user(session, user_id) is None:
        raise StaffError(f"no active user {user_id!r}", "no_active_user")
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
    expires = expires_at.date().isoformat() if expires_at else "never"
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.USER,
        subject=user_id,
        action=ChangeAction.KEY_ISSUED,
        detail=details(key=key_id, label=label or "-", expires=expires),
    )
    return IssuedKey(key_id=key_id, user_id=user_id, token=f"{KEY_PREFIX}_{key_id}_{secret}")


def revoke_key(session: Session, *, key_id: str, note: ChangeNote | None = None) -> None:
    """Revokes a key; requests with it are refused from then on."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise StaffError(f"no key {key_id!r}", "no_key")
    key.revoked_at = key.revoked_at or datetime.now(UTC)
    session.add(key)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.USER,
        subject=key.user_id,
        action=ChangeAction.KEY_REVOKED,
        detail=details(key=key_id, label=key.label or "-"),
    )


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
        raise StaffError(
            f"a password needs at least {MIN_PASSWORD_CHARS} characters", "password_too_short"
        )
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


def active_key_counts(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Returns how many keys that still work (not revoked, not expired) each user holds;
    users with none are left out."""
    moment = now or datetime.now(UTC)
    query = (
        select(col(ApiKey.user_id), func.count())
        .where(col(ApiKey.revoked_at).is_(None))
        .where(or_(col(ApiKey.expires_at).is_(None), col(ApiKey.expires_at) > moment))
        .group_by(col(ApiKey.user_id))
    )
    return dict(session.exec(query).all())


def list_keys(session: Session, *, user_id: str) -> list[ApiKey]:
    """Returns the user's keys, revoked ones included, newest first."""
    query = select(ApiKey).where(ApiKey.user_id == user_id)
    return list(session.exec(query.order_by(col(ApiKey.created_at).desc())))
