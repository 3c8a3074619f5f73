"""Canned replies in the store: creating, editing and retiring templates, listing them with
how often each was used, the ones to suggest for a complaint, and counting a use.

The store keeps what it is given: a template's body is checked before it gets here
(`core.wording.canned_replies.check_canned_reply`). What the store itself enforces it
enforces in the database, the same on SQLite and PostgreSQL: one active title per
language, one template per creation key, one use per reply, and edits against the
version the editor saw.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Subquery, case, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.taxonomy import Locale, SubCategory
from store.tables import table_of
from store.tables.canned_replies import CannedReply, CannedReplyUse
from store.upsert import insert_on_conflict


class CannedReplyStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"
    ALL = "all"


class CannedReplyNotFound(LookupError):
    """No template has this id."""


class CannedReplyTitleTaken(ValueError):
    """Another active template of the same language has this title."""


class CannedReplyCreationKeyReused(ValueError):
    """A creation key already made a different template."""


class CannedReplyStale(ValueError):
    """The template changed (edited or retired) since the version the editor saw;
    `current` is how it is now."""

    def __init__(self, current: CannedReply) -> None:
        super().__init__(
            f"canned reply {current.id} is at version {current.version}"
            + (" and retired" if current.retired_at else "")
        )
        self.current = current


@dataclass(frozen=True)
class ListedCannedReply:
    """A template and the number of replies sent from it."""

    reply: CannedReply
    uses: int


def _active_title(language: Locale, title: str) -> str:
    return f"{language.value}/{title.strip().casefold()}"


def _title_taken(session: Session, language: Locale, title: str, *, other_than: int | None) -> bool:
    query = select(col(CannedReply.id)).where(
        col(CannedReply.active_title) == _active_title(language, title)
    )
    if other_than is not None:
        query = query.where(col(CannedReply.id) != other_than)
    return session.exec(query).first() is not None


def create_canned_reply(
    session: Session,
    *,
    title: str,
    language: Locale,
    sub_category: SubCategory | None,
    body: str,
    created_by: str,
    now: datetime,
    creation_key: str | None = None,
) -> CannedReply:
    """Returns the new template, committed; for a `creation_key` that made one before,
    that template, unchanged. Raises `CannedReplyTitleTaken` when an active template of
    `language` has the title, `CannedReplyCreationKeyReused` when the key made another."""
    fields = {
        "title": title.strip(),
        "language": language.value,
        "sub_category": sub_category.value if sub_category else None,
        "body": body,
    }
    earlier = _made_by(session, creation_key)
    if earlier is not None:
        return _same_request(earlier, fields)
    if _title_taken(session, language, title, other_than=None):
        # The title may be taken by a request with this key that committed a moment ago.
        earlier = _made_by(session, creation_key)
        if earlier is not None:
            return _same_request(earlier, fields)
        raise CannedReplyTitleTaken(title)
    reply = CannedReply(
        title=title.strip(),
        language=language.value,
        sub_category=fields["sub_category"],
        body=body,
        active_title=_active_title(language, title),
        creation_key=creation_key,
        created_by=created_by,
        created_at=now,
        updated_by=created_by,
        updated_at=now,
    )
    session.add(reply)
    try:
        session.commit()
    except IntegrityError as error:
        # Two requests at once: the database kept one; say which rule the other broke.
        session.rollback()
        earlier = _made_by(session, creation_key)
        if earlier is not None:
            return _same_request(earlier, fields)
        raise CannedReplyTitleTaken(title) from error
    session.refresh(reply)
    return reply


def _made_by(session: Session, creation_key: str | None) -> CannedReply | None:
    if creation_key is None:
        return None
    return canned_reply_by_creation_key(session, creation_key=creation_key)


def _same_request(earlier: CannedReply, fields: dict[str, str | None]) -> CannedReply:
    """Returns `earlier` when it was made from `fields`; raises otherwise."""
    made_from = {name: getattr(earlier, name) for name in fields}
    if made_from != fields:
        raise CannedReplyCreationKeyReused(earlier.creation_key)
    return earlier


def canned_reply_by_creation_key(session: Session, *, creation_key: str) -> CannedReply | None:
    """Returns the template `creation_key` created, or None."""
    query = select(CannedReply).where(col(CannedReply.creation_key) == creation_key)
    return session.exec(query).first()


def get_canned_reply(session: Session, *, canned_reply_id: int) -> CannedReply | None:
    """Returns the template with this id, active or retired, or None."""
    return session.get(CannedReply, canned_reply_id)


def update_canned_reply(
    session: Session,
    *,
    canned_reply_id: int,
    expected_version: int,
    title: str,
    sub_category: SubCategory | None,
    body: str,
    updated_by: str,
    now: datetime,
) -> CannedReply:
    """Returns the template after the edit, committed, its version one higher. Raises
    `CannedReplyNotFound`, `CannedReplyStale` when it is no longer at `expected_version`
    or is retired, `CannedReplyTitleTaken` when another active template has the title."""
    current = _found(session, canned_reply_id)
    language = Locale(current.language)
    if _title_taken(session, language, title, other_than=canned_reply_id):
        raise CannedReplyTitleTaken(title)
    # One statement, conditional on the version: of two editors of one version, one wins.
    statement = (
        update(table_of(CannedReply))
        .where(
            col(CannedReply.id) == canned_reply_id,
            col(CannedReply.version) == expected_version,
            col(CannedReply.retired_at).is_(None),
        )
        .values(
            title=title.strip(),
            active_title=_active_title(language, title),
            sub_category=sub_category.value if sub_category else None,
            body=body,
            version=col(CannedReply.version) + 1,
            updated_by=updated_by,
            updated_at=now,
        )
    )
    try:
        # RETURNING, not rowcount: drivers disagree on rowcount for Core statements.
        changed = session.execute(statement.returning(col(CannedReply.id))).first()
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise CannedReplyTitleTaken(title) from error
    session.expire_all()
    after = _found(session, canned_reply_id)
    if changed is None:
        raise CannedReplyStale(after)
    return after


def retire_canned_reply(
    session: Session, *, canned_reply_id: int, retired_by: str, now: datetime
) -> CannedReply:
    """Returns the template retired, committed (no longer suggested, kept with its uses);
    one already retired is returned as it is. Raises `CannedReplyNotFound`."""
    statement = (
        update(table_of(CannedReply))
        .where(col(CannedReply.id) == canned_reply_id, col(CannedReply.retired_at).is_(None))
        .values(
            retired_at=now,
            retired_by=retired_by,
            active_title=None,
            version=col(CannedReply.version) + 1,
        )
    )
    session.execute(statement)
    session.commit()
    session.expire_all()
    return _found(session, canned_reply_id)


def _found(session: Session, canned_reply_id: int) -> CannedReply:
    reply = get_canned_reply(session, canned_reply_id=canned_reply_id)
    if reply is None:
        raise CannedReplyNotFound(canned_reply_id)
    return reply


def _uses() -> Subquery:
    """Returns the number of uses of each template that has any."""
    return (
        select(col(CannedReplyUse.canned_reply_id), func.count().label("uses"))
        .group_by(col(CannedReplyUse.canned_reply_id))
        .subquery()
    )


def list_canned_replies(
    session: Session,
    *,
    language: Locale | None = None,
    sub_category: SubCategory | None = None,
    general_only: bool = False,
    status: CannedReplyStatus = CannedReplyStatus.ACTIVE,
) -> list[ListedCannedReply]:
    """Returns the templates with their uses, by language, general ones first, then
    sub-category and title; filtered by language, by sub-category (or to the general
    ones) and by status."""
    uses = _uses()
    count = func.coalesce(uses.c.uses, 0)
    query = select(CannedReply, count).join(
        uses, uses.c.canned_reply_id == col(CannedReply.id), isouter=True
    )
    if language is not None:
        query = query.where(col(CannedReply.language) == language.value)
    if general_only:
        query = query.where(col(CannedReply.sub_category).is_(None))
    elif sub_category is not None:
        query = query.where(col(CannedReply.sub_category) == sub_category.value)
    if status is CannedReplyStatus.ACTIVE:
        query = query.where(col(CannedReply.retired_at).is_(None))
    elif status is CannedReplyStatus.RETIRED:
        query = query.where(col(CannedReply.retired_at).is_not(None))
    general_first = case((col(CannedReply.sub_category).is_(None), 0), else_=1)
    query = query.order_by(
        col(CannedReply.language),
        general_first,
        col(CannedReply.sub_category),
        func.lower(col(CannedReply.title)),
        col(CannedReply.id),
    )
    return [ListedCannedReply(reply=row, uses=int(n)) for row, n in session.exec(query).all()]


def suggested_canned_replies(
    session: Session, *, language: Locale, sub_category: SubCategory | None
) -> list[ListedCannedReply]:
    """Returns the active templates to suggest for a complaint in `language`: those of its
    sub-category first, then the general ones; within each, the most used first."""
    uses = _uses()
    count = func.coalesce(uses.c.uses, 0)
    general = col(CannedReply.sub_category).is_(None)
    matches = (
        or_(general, col(CannedReply.sub_category) == sub_category.value)
        if sub_category is not None
        else general
    )
    query = (
        select(CannedReply, count)
        .join(uses, uses.c.canned_reply_id == col(CannedReply.id), isouter=True)
        .where(
            col(CannedReply.language) == language.value,
            col(CannedReply.retired_at).is_(None),
            matches,
        )
        .order_by(
            case((col(CannedReply.sub_category).is_(None), 1), else_=0),
            count.desc(),
            func.lower(col(CannedReply.title)),
            col(CannedReply.id),
        )
    )
    return [ListedCannedReply(reply=row, uses=int(n)) for row, n in session.exec(query).all()]


def record_canned_reply_use(
    session: Session,
    *,
    canned_reply_id: int,
    version: int,
    complaint_id: str,
    used_by: str,
    use_key: str,
    now: datetime,
) -> bool:
    """Counts one reply sent from the template, committed; returns False (and counts
    nothing) when the reply with `use_key` was counted already."""
    statement = (
        insert_on_conflict(session, table_of(CannedReplyUse))
        .values(
            canned_reply_id=canned_reply_id,
            version=version,
            complaint_id=complaint_id,
            used_by=used_by,
            used_at=now,
            use_key=use_key,
        )
        .on_conflict_do_nothing(index_elements=["use_key"])
    )
    inserted = session.execute(statement.returning(col(CannedReplyUse.id))).first()
    session.commit()
    return inserted is not None


def canned_reply_uses(session: Session, *, canned_reply_id: int) -> int:
    """Returns how many replies were sent from the template."""
    query = select(func.count()).where(col(CannedReplyUse.canned_reply_id) == canned_reply_id)
    return int(session.exec(query).one())
