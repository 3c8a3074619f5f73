"""Canned replies in the store, on SQLite and PostgreSQL: what the database enforces (one
active title per language, one template per creation key, one use per reply, edits
against the version seen, under concurrent requests too), the lists with their usage
counts, and the order suggestions come in."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from domain.taxonomy import Locale, SubCategory
from store.canned_replies import (
    CannedReplyCreationKeyReused,
    CannedReplyNotFound,
    CannedReplyStale,
    CannedReplyStatus,
    CannedReplyTitleTaken,
    canned_reply_uses,
    create_canned_reply,
    list_canned_replies,
    record_canned_reply_use,
    retire_canned_reply,
    suggested_canned_replies,
    update_canned_reply,
)
from store.db import SessionFactory
from store.tables.canned_replies import CannedReply

pytestmark = pytest.mark.both_stores

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make(
    sessions: SessionFactory,
    title: str,
    *,
    language: Locale = Locale.EN,
    sub_category: SubCategory | None = None,
    body: str = "We are on it, {{ customer_name }}.",
    creation_key: str | None = None,
) -> CannedReply:
    with sessions() as session:
        return create_canned_reply(
            session,
            title=title,
            language=language,
            sub_category=sub_category,
            body=body,
            created_by="admin-1",
            now=NOW,
            creation_key=creation_key,
        )


def edit(
    sessions: SessionFactory,
    canned_reply_id: int,
    *,
    version: int = 1,
    title: str = "Edited",
    sub_category: SubCategory | None = None,
    body: str = "x",
    by: str = "admin-1",
    now: datetime = NOW,
) -> CannedReply:
    with sessions() as session:
        return update_canned_reply(
            session,
            canned_reply_id=canned_reply_id,
            expected_version=version,
            title=title,
            sub_category=sub_category,
            body=body,
            updated_by=by,
            now=now,
        )


def use(sessions: SessionFactory, reply: CannedReply, key: str) -> bool:
    assert reply.id is not None
    with sessions() as session:
        return record_canned_reply_use(
            session,
            canned_reply_id=reply.id,
            version=reply.version,
            complaint_id="CAAAAAAAAAAAA",
            used_by="agent-1",
            use_key=key,
            now=NOW,
        )


def titles(listed: list) -> list[str]:  # type: ignore[type-arg]
    return [item.reply.title for item in listed]


def test_a_template_is_kept_with_who_made_it_and_found_again(
    store: str, sessions: SessionFactory
) -> None:
    made = make(sessions, "Parcel late", sub_category=SubCategory.LATE_DELIVERY)

    with sessions() as session:
        listed = list_canned_replies(session)
    assert made.id is not None and made.version == 1
    assert [(item.reply.id, item.reply.title, item.uses) for item in listed] == [
        (made.id, "Parcel late", 0)
    ]
    kept = listed[0].reply
    assert (kept.sub_category, kept.language, kept.created_by) == ("late_delivery", "en", "admin-1")
    assert kept.created_at == NOW and kept.retired_at is None


def test_two_active_templates_of_one_language_never_share_a_title(
    store: str, sessions: SessionFactory
) -> None:
    first = make(sessions, "Refund on its way")
    chinese = make(sessions, "Refund on its way", language=Locale.ZH_CN)

    with pytest.raises(CannedReplyTitleTaken):
        make(sessions, "  refund ON its way ")
    with sessions() as session:
        assert first.id is not None
        retire_canned_reply(session, canned_reply_id=first.id, retired_by="admin-1", now=NOW)
    # Retired, its title is free again; the retired one keeps it for the record.
    again = make(sessions, "Refund on its way")

    with sessions() as session:
        everything = list_canned_replies(session, status=CannedReplyStatus.ALL)
    assert sorted((item.reply.id, item.reply.retired_at is None) for item in everything) == [
        (first.id, False),
        (chinese.id, True),
        (again.id, True),
    ]


def test_the_same_creation_key_makes_one_template_even_at_once(
    store: str, sessions: SessionFactory
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(
            pool.map(
                lambda _: make(sessions, "Sorry for the wait", creation_key="form-1"), range(4)
            )
        )

    assert len({reply.id for reply in made}) == 1
    with sessions() as session:
        assert len(list_canned_replies(session)) == 1
    with pytest.raises(CannedReplyCreationKeyReused):
        make(sessions, "Sorry for the long wait", creation_key="form-1")


def test_an_edit_from_a_stale_version_is_refused_and_changes_nothing(
    store: str, sessions: SessionFactory
) -> None:
    made = make(sessions, "Wrong item", sub_category=SubCategory.WRONG_ITEM)
    assert made.id is not None

    edited = edit(
        sessions,
        made.id,
        title="Wrong item sent",
        body="We will send the right one, {{ customer_name }}.",
        by="admin-2",
        now=NOW + timedelta(hours=1),
    )
    assert (edited.version, edited.title, edited.sub_category) == (2, "Wrong item sent", None)
    assert (edited.updated_by, edited.created_by) == ("admin-2", "admin-1")

    with pytest.raises(CannedReplyStale) as stale:
        edit(sessions, made.id, title="Overwritten", by="admin-3")
    assert stale.value.current.version == 2
    with sessions() as session:
        assert [item.reply.title for item in list_canned_replies(session)] == ["Wrong item sent"]
    with pytest.raises(CannedReplyNotFound):
        edit(sessions, made.id + 100)


def test_of_two_editors_of_one_version_only_one_wins(store: str, sessions: SessionFactory) -> None:
    made = make(sessions, "Lost parcel", sub_category=SubCategory.LOST_PARCEL)
    assert made.id is not None

    def outcome(title: str) -> str:
        try:
            edit(sessions, made.id or 0, title=title, sub_category=SubCategory.LOST_PARCEL)
        except CannedReplyStale:
            return "stale"
        return "saved"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(outcome, ["Lost parcel A", "Lost parcel B"]))

    assert outcomes == ["saved", "stale"]
    with sessions() as session:
        [kept] = list_canned_replies(session)
    assert kept.reply.version == 2


def test_an_edit_may_not_take_another_active_title(store: str, sessions: SessionFactory) -> None:
    make(sessions, "Refund sent")
    other = make(sessions, "Refund pending")
    assert other.id is not None

    with pytest.raises(CannedReplyTitleTaken):
        edit(sessions, other.id, title="REFUND SENT")


def test_a_retired_template_is_kept_with_its_uses_and_no_longer_suggested(
    store: str, sessions: SessionFactory
) -> None:
    made = make(sessions, "Defect: replacement", sub_category=SubCategory.DEFECT)
    assert made.id is not None
    assert use(sessions, made, "act/agent-1/k1")

    with sessions() as session:
        retired = retire_canned_reply(
            session, canned_reply_id=made.id, retired_by="admin-2", now=NOW + timedelta(days=1)
        )
        again = retire_canned_reply(
            session, canned_reply_id=made.id, retired_by="admin-3", now=NOW + timedelta(days=2)
        )
        suggested = suggested_canned_replies(
            session, language=Locale.EN, sub_category=SubCategory.DEFECT
        )
        active = list_canned_replies(session)
        retired_list = list_canned_replies(session, status=CannedReplyStatus.RETIRED)

    assert retired.retired_by == "admin-2" and again.retired_by == "admin-2"
    assert again.retired_at == NOW + timedelta(days=1)
    assert suggested == [] and active == []
    assert [(item.reply.id, item.uses) for item in retired_list] == [(made.id, 1)]
    with pytest.raises(CannedReplyStale):
        edit(sessions, made.id, version=retired.version, title="Back")


def test_a_reply_is_counted_once_however_often_it_is_reported(
    store: str, sessions: SessionFactory
) -> None:
    made = make(sessions, "Double charge", sub_category=SubCategory.DOUBLE_CHARGE)
    assert made.id is not None

    with ThreadPoolExecutor(max_workers=4) as pool:
        counted = list(pool.map(lambda _: use(sessions, made, "act/agent-1/form-a"), range(4)))
    assert counted.count(True) == 1
    assert use(sessions, made, "act/agent-1/form-b")

    with sessions() as session:
        assert canned_reply_uses(session, canned_reply_id=made.id) == 2
        [listed] = list_canned_replies(session)
    assert listed.uses == 2


def test_suggestions_put_the_sub_category_first_then_the_general_ones_most_used_first(
    store: str, sessions: SessionFactory
) -> None:
    general_rare = make(sessions, "A general apology")
    general_popular = make(sessions, "Thanks for your patience")
    late_b = make(sessions, "Late: courier delayed", sub_category=SubCategory.LATE_DELIVERY)
    late_a = make(sessions, "Late: new date", sub_category=SubCategory.LATE_DELIVERY)
    make(sessions, "Lost: tracing", sub_category=SubCategory.LOST_PARCEL)
    make(sessions, "迟到：快递延误", language=Locale.ZH_CN, sub_category=SubCategory.LATE_DELIVERY)
    use(sessions, general_popular, "k1")
    use(sessions, late_b, "k2")
    use(sessions, late_b, "k3")

    with sessions() as session:
        late = suggested_canned_replies(
            session, language=Locale.EN, sub_category=SubCategory.LATE_DELIVERY
        )
        unclassified = suggested_canned_replies(session, language=Locale.EN, sub_category=None)

    assert titles(late) == [
        late_b.title,
        late_a.title,
        general_popular.title,
        general_rare.title,
    ]
    assert titles(unclassified) == [general_popular.title, general_rare.title]


def test_lists_filter_by_language_sub_category_and_general(
    store: str, sessions: SessionFactory
) -> None:
    make(sessions, "General EN")
    make(sessions, "Defect EN", sub_category=SubCategory.DEFECT)
    make(sessions, "通用", language=Locale.ZH_CN)
    make(sessions, "质量问题", language=Locale.ZH_CN, sub_category=SubCategory.DEFECT)

    with sessions() as session:
        everything = list_canned_replies(session)
        chinese = list_canned_replies(session, language=Locale.ZH_CN)
        defects = list_canned_replies(session, sub_category=SubCategory.DEFECT)
        general = list_canned_replies(session, general_only=True)

    assert titles(everything) == ["General EN", "Defect EN", "通用", "质量问题"]
    assert titles(chinese) == ["通用", "质量问题"]
    assert titles(defects) == ["Defect EN", "质量问题"]
    assert titles(general) == ["General EN", "通用"]
