"""`redress canned-replies`: the starter templates are added once in both languages, for
the common sub-categories and for any complaint; seeding again adds nothing and leaves
what admins edited or retired as it is; each starter renders for complaints with and
without the values it may use."""

from datetime import UTC, datetime

import pytest

from core.wording.canned_replies import render_canned_reply
from core.wording.canned_reply_seeds import SEED_REPLIES, SeedReply
from domain.canned_replies import placeholder_values
from domain.complaints import CompensationRecord
from domain.taxonomy import Locale, SubCategory
from store.canned_replies import (
    CannedReplyStatus,
    create_canned_reply,
    list_canned_replies,
    retire_canned_reply,
    update_canned_reply,
)
from store.db import SessionFactory
from tests.core.test_staff_commands import _redress
from tests.factories import make_customer, make_intake, make_view

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_the_starters_cover_the_common_sub_categories_in_both_languages() -> None:
    by_language = {
        language: {seed.sub_category for seed in SEED_REPLIES if seed.language is language}
        for language in Locale
    }
    common = {
        None,
        SubCategory.DEFECT,
        SubCategory.LATE_DELIVERY,
        SubCategory.LOST_PARCEL,
        SubCategory.DAMAGED_IN_TRANSIT,
        SubCategory.WRONG_ITEM,
        SubCategory.DOUBLE_CHARGE,
        SubCategory.REFUND_NOT_RECEIVED,
    }
    assert by_language[Locale.EN] == by_language[Locale.ZH_CN] == common
    keys = [(seed.key, seed.language) for seed in SEED_REPLIES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("seed", SEED_REPLIES, ids=lambda seed: f"{seed.key}-{seed.language}")
def test_every_starter_renders_with_and_without_the_values_it_may_use(seed: SeedReply) -> None:
    customer = make_customer(locale=seed.language)
    refund = CompensationRecord(kind="refund", amount=99, reference="r-1")
    full = make_view(intake=make_intake(customer=customer), compensations=[refund])
    bare = make_view(intake=make_intake(customer=customer, order=None), resolution=None)

    rich = render_canned_reply(
        seed.body, language=seed.language, values=placeholder_values(full, agent_name="Li")
    )
    plain = render_canned_reply(seed.body, language=seed.language, values=placeholder_values(bare))

    assert rich and plain and "{{" not in rich + plain and "{%" not in rich + plain
    if "order_id" in seed.body:
        assert "ord-20261030-5521" in rich and "ord-" not in plain


def test_seeding_adds_the_starters_once_and_leaves_what_admins_changed(
    database_url: str, sessions: SessionFactory
) -> None:
    # An admin's own template already has a starter's title: that starter is skipped.
    taken = next(seed for seed in SEED_REPLIES if seed.language is Locale.EN)
    with sessions() as session:
        create_canned_reply(
            session,
            title=taken.title,
            language=Locale.EN,
            sub_category=None,
            body="Ours.",
            created_by="admin-1",
            now=NOW,
        )

    first = _redress(database_url, "canned-replies", "seed")

    assert first.returncode == 0, first.stderr
    assert f"skipped en {taken.title!r}" in first.stdout
    assert f"{len(SEED_REPLIES) - 1} added, 0 already there" in first.stdout
    with sessions() as session:
        seeded = [r.reply for r in list_canned_replies(session) if r.reply.created_by != "admin-1"]
        edited_id, retired_id = seeded[0].id, seeded[1].id
        assert edited_id is not None and retired_id is not None
        update_canned_reply(
            session,
            canned_reply_id=edited_id,
            expected_version=1,
            title="Edited by us",
            sub_category=None,
            body="Our words.",
            updated_by="admin-1",
            now=NOW,
        )
        retire_canned_reply(session, canned_reply_id=retired_id, retired_by="admin-1", now=NOW)

    again = _redress(database_url, "canned-replies", "seed")
    listed = _redress(database_url, "canned-replies", "list")

    assert again.returncode == 0, again.stderr
    assert f"0 added, {len(SEED_REPLIES) - 1} already there" in again.stdout
    with sessions() as session:
        everything = list_canned_replies(session, status=CannedReplyStatus.ALL)
    assert len(everything) == len(SEED_REPLIES)
    kept = {row.reply.id: row.reply for row in everything}
    assert kept[edited_id].title == "Edited by us" and kept[edited_id].body == "Our words."
    assert kept[retired_id].retired_at is not None
    assert listed.returncode == 0
    assert len(listed.stdout.splitlines()) == len(SEED_REPLIES)
    assert f"{retired_id}\t" in listed.stdout and "\tretired\t0 uses\t" in listed.stdout
