"""The text a complaint is found by in the console's queues: one row per complaint.

Kept apart from `complaints` for two reasons: its integer key is what SQLite's full-text
index (FTS5, trigram tokenizer) points at, and an explicit INTEGER PRIMARY KEY never
changes under VACUUM, unlike the implicit rowid of a table keyed by a string; and the
row is rewritten only when the text changes, not at every projection of the complaint.

The indexes that make searching fast are not declared here, because each store has its
own (migration 0015): on SQLite the FTS5 table `complaint_search_fts`, kept in step by
triggers; on PostgreSQL a pg_trgm GIN index on `search_text`.
"""

from sqlalchemy import Text
from sqlmodel import Field, SQLModel


class ComplaintSearchRecord(SQLModel, table=True):
    """A complaint's description, order id, customer id and messages, normalised for
    matching (`store.complaint_search.normalise`)."""

    __tablename__ = "complaint_search"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: str = Field(
        foreign_key="complaints.complaint_id", ondelete="CASCADE", unique=True, max_length=64
    )
    search_text: str = Field(sa_type=Text)


# What migration 0015 makes for one store only, outside the metadata: SQLite's FTS5
# table (with its shadow tables, `complaint_search_fts_data` and so on) and PostgreSQL's
# trigram index. Schema comparisons leave them alone (`store/migrations/env.py`).
SEARCH_INDEX_NAMES = ("complaint_search_fts", "ix_complaint_search_trigrams")


def compared_with_metadata(name: str | None, type_: str, parent_names: object) -> bool:
    """Returns whether alembic compares `name` with the metadata: all but the search
    indexes of one store (its `include_name` hook)."""
    return not (name and name.startswith(SEARCH_INDEX_NAMES))
