"""What the mention routes answer: a mention with the detector's decision and its label,
a page of them, and the outcome of labelling one."""

from datetime import datetime

from pydantic import BaseModel, Field

from store.mentions import MentionRow
from store.tables.mentions import MentionLabel


class MentionLabelView(BaseModel):
    """Returns staff's word on a mention: whether it is a complaint, who said so and when."""

    is_complaint: bool
    labelled_by: str
    labelled_at: datetime


class MentionSummary(BaseModel):
    """Returns a mention as it was posted and recorded, the detector's decision on it, the
    complaint it has, and its label."""

    mention_id: str
    channel: str
    author_handle: str
    external_id: str | None
    link: str
    text: str
    posted_at: datetime | None
    received_at: datetime
    is_complaint: bool = Field(description="The detector's decision: it opened a complaint")
    score: float = Field(description="The detector's probability that it is a complaint")
    detector: str
    complaint_id: str | None = Field(
        description="The complaint it opened, by the detector or by a label"
    )
    label: MentionLabelView | None = Field(description="Staff's label; null before any")


class MentionPage(BaseModel):
    """Returns one page of mentions, the newest first."""

    items: list[MentionSummary]
    total: int
    limit: int
    offset: int
    next: str | None


class MentionLabelOutcome(BaseModel):
    """Returns the mention's label and the complaint the mention has afterwards: the one a
    complaint label opened (or found), or the one a not-a-complaint label left open."""

    mention_id: str
    is_complaint: bool
    labelled_by: str
    labelled_at: datetime
    complaint_id: str | None
    status_url: str | None


def label_view(label: MentionLabel | None) -> MentionLabelView | None:
    """Returns how the API shows a label (None for none)."""
    if label is None:
        return None
    return MentionLabelView(
        is_complaint=label.is_complaint,
        labelled_by=label.labelled_by,
        labelled_at=label.labelled_at,
    )


def mention_summary(row: MentionRow) -> MentionSummary:
    """Returns how the API shows a listed mention."""
    mention = row.mention
    return MentionSummary(
        mention_id=mention.mention_id,
        channel=mention.channel,
        author_handle=mention.author_handle,
        external_id=mention.external_id,
        link=mention.link,
        text=mention.text,
        posted_at=mention.posted_at,
        received_at=mention.received_at,
        is_complaint=mention.is_complaint,
        score=mention.score,
        detector=mention.detector,
        complaint_id=mention.complaint_id,
        label=label_view(row.label),
    )
