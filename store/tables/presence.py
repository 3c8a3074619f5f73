"""Presence on complaints: the latest report of each open console page
(`domain.presence`)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.types import UtcDateTime


class ComplaintPresence(SQLModel, table=True):
    """One console page showing a complaint, as it last reported itself."""

    __tablename__ = "complaint_presence"

    complaint_id: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(primary_key=True, max_length=64)
    # Each page load has its own key: one person with two tabs is two rows, so a tab
    # that only reads does not hide that the other is writing.
    page_key: str = Field(primary_key=True, max_length=64)
    # Kept with the report, so showing who is present reads one table.
    display_name: str = Field(max_length=200)
    # A `domain.presence.PresenceState` value (viewing or writing).
    state: str = Field(max_length=16)
    # Indexed for the deletion of day-old reports.
    seen_at: datetime = Field(sa_type=UtcDateTime, index=True)
