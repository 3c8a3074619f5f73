"""Public mentions of the shop (posts on social channels) and how one becomes a complaint."""

import base64
import hashlib
import re
from datetime import datetime

from pydantic import BaseModel, Field

from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    ComplaintIntake,
    Customer,
    EvidenceUrl,
    Strict,
)
from domain.taxonomy import Channel, Locale

MAX_HANDLE_CHARS = 100
# Customer ids allow only these characters; a handle outside them is hashed instead.
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
_HAN = re.compile(r"[\u3400-\u9fff]")


class Mention(Strict):
    """A public post about the shop, as a listening tool reports it."""

    text: str = Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)
    # Handles may be Chinese (Weibo) but hold no spaces or control characters.
    author_handle: str = Field(min_length=1, max_length=MAX_HANDLE_CHARS, pattern=r"^@?[^\s@]+$")
    channel: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_.\-]{0,31}$",
        description="Where it was posted, lower case: twitter, weibo, xiaohongshu, ...",
        examples=["twitter"],
    )
    link: EvidenceUrl = Field(description="The post's public URL")
    external_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="The channel's own id of the post, when known",
    )
    posted_at: datetime | None = None


class MentionOutcome(BaseModel):
    """Returns what Redress made of a mention: a complaint, or a record only."""

    mention_id: str
    is_complaint: bool
    score: float
    detector: str
    complaint_id: str | None = None
    status_url: str | None = None


def mention_source_key(mention: Mention) -> str:
    """Returns what identifies a post: the channel and its id, else its link."""
    if mention.external_id is not None:
        return f"{mention.channel}:{mention.external_id}"
    # The same post is often linked with and without a trailing slash or fragment.
    return "link:" + mention.link.split("#", 1)[0].rstrip("/")


def mention_id_for(source_key: str) -> str:
    """Returns the mention id a post always maps to: `M` and 12 base32 characters."""
    digest = hashlib.sha256(source_key.encode("utf-8")).digest()
    return "M" + base64.b32encode(digest[:8]).decode("ascii")[:12]


def _customer_id(channel: str, handle: str) -> str:
    candidate = f"{channel}:{handle.lstrip('@')}"
    if _CUSTOMER_ID.match(candidate):
        return candidate
    return f"{channel}:h-{hashlib.sha256(handle.encode('utf-8')).hexdigest()[:16]}"


def complaint_intake_for(
    *, channel: str, author_handle: str, text: str, link: str
) -> ComplaintIntake:
    """Returns the intake of the complaint a mention opens (channel `social`, the post's
    link as evidence, the author as the customer)."""
    return ComplaintIntake(
        channel=Channel.SOCIAL,
        customer=Customer(
            id=_customer_id(channel, author_handle),
            locale=Locale.ZH_CN if _HAN.search(text) else Locale.EN,
            name=author_handle[:200],
        ),
        description=text,
        evidence_urls=[link],
    )
