"""Staff who use Redress (agents, supervisors, warehouse, admins, platform services) and
their API keys.

Keys are stored as SHA-256 digests only: a key is 256 random bits, so a fast digest is
as safe as a slow password hash and lets every request be checked cheaply. Console
passwords, which people choose, are stored as scrypt hashes.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


class StaffUser(SQLModel, table=True):
    """Someone (or some system) that signs in with a key or, in the console, a password."""

    __tablename__ = "staff_users"

    # Agents' ids are the ones routing assigns complaints to (`agents.id`).
    user_id: str = Field(primary_key=True, max_length=64)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    locale: str = Field(default="zh-CN", max_length=8)
    # Where staff messages to this user (or to a team mailbox they hold) are e-mailed;
    # None keeps their messages in the outbox, which the console shows them.
    email: str | None = Field(default=None, max_length=254)
    # `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`; None means no console sign-in.
    password_hash: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(sa_type=UtcDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ApiKey(SQLModel, table=True):
    """One bearer key of a staff user; revoked keys stay for the audit trail."""

    __tablename__ = "api_keys"

    key_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(foreign_key="staff_users.user_id", index=True, max_length=64)
    secret_sha256: str = Field(max_length=64)
    label: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
