"""How a public mention is identified and what complaint it opens."""

import pytest
from pydantic import ValidationError

from domain.mentions import Mention, complaint_intake_for, mention_id_for, mention_source_key
from domain.taxonomy import Channel, Locale


def _mention(**changes: str | None) -> Mention:
    fields: dict[str, str | None] = {
        "text": "My parcel never arrived",
        "author_handle": "@lin",
        "channel": "twitter",
        "link": "https://twitter.example/lin/status/1",
        "external_id": "1",
    }
    return Mention.model_validate(fields | changes)


def test_a_post_is_known_by_its_channel_and_id_else_by_its_link() -> None:
    assert mention_source_key(_mention()) == "twitter:1"
    by_link = _mention(external_id=None)
    same_link = _mention(external_id=None, link="https://twitter.example/lin/status/1/#top")
    assert mention_source_key(by_link) == mention_source_key(same_link)
    assert mention_id_for(mention_source_key(by_link)) == mention_id_for(
        mention_source_key(same_link)
    )


def test_mention_ids_are_stable_and_distinct() -> None:
    first = mention_id_for("twitter:1")

    assert first == mention_id_for("twitter:1") != mention_id_for("twitter:2")
    assert first.startswith("M") and len(first) == 13


def test_the_complaint_is_social_from_the_author_with_the_link_as_evidence() -> None:
    intake = complaint_intake_for(
        channel="weibo", author_handle="@小王", text="快递丢了", link="https://weibo.example/1"
    )

    assert intake.channel is Channel.SOCIAL
    assert intake.customer.locale is Locale.ZH_CN
    # Customer ids allow ASCII only: a Chinese handle is hashed, stably.
    assert intake.customer.id.startswith("weibo:h-")
    assert intake.customer.name == "@小王"
    assert intake.evidence_urls == ["https://weibo.example/1"]
    english = complaint_intake_for(
        channel="twitter", author_handle="@lin", text="Lost parcel", link="https://t.example/2"
    )
    assert english.customer.id == "twitter:lin" and english.customer.locale is Locale.EN


@pytest.mark.parametrize("field", ["author_handle", "channel", "link"])
def test_malformed_fields_are_refused(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _mention(**{field: "no good at all"})

    assert refused.value.errors()[0]["loc"] == (field,)
