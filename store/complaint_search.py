"""Free-text search over complaints: what a complaint is found by, and the clause that
finds it, fast on SQLite and on PostgreSQL alike.

A complaint is found by its description, its order id, its customer id and the messages
on its timeline (the agent's replies and questions, the customer's answers). That text
is kept in `complaint_search`, rewritten by the projection whenever it changes, and
normalised (NFKC, then case-folded) so "ＯＲＤ－１００１" finds "ord-1001" and "Motor"
finds "motor".

A query is split into terms at whitespace; a complaint matches when its text contains
every term as a substring, in any language: Chinese has no spaces between words, so
substrings, not words, are what people search by. Each store answers from an index of
trigrams (three-character substrings): SQLite's FTS5 `trigram` tokenizer and
PostgreSQL's pg_trgm, which both handle Chinese. A term shorter than three characters
has no trigram to look up; it is checked on the rows the other filters (a queue is
always one agent or one team) and any longer term left.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, text
from sqlmodel import Session, col, select

from domain.complaints import TimelineKind
from store.tables.complaint_search import ComplaintSearchRecord
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.upsert import insert_on_conflict

# The timeline events whose detail is a message between the customer and staff.
MESSAGE_KINDS = (
    TimelineKind.REPLIED,
    TimelineKind.INFO_REQUESTED,
    TimelineKind.CUSTOMER_REPLIED,
)
# SQLite's full-text index over `complaint_search.search_text` (made by migration 0015).
FTS_TABLE = "complaint_search_fts"
TRIGRAM = 3
# A long conversation stays searchable without one complaint's text growing unbounded.
MAX_SEARCH_TEXT_CHARS = 32_000
MAX_QUERY_CHARS = 200
MAX_TERMS = 8


class InvalidSearchError(ValueError):
    """A search query the queue cannot run: `reason` ("too_long" or "too_many_terms")
    and the `limit` it went past say what to change."""

    def __init__(self, reason: str, limit: int) -> None:
        super().__init__(f"search refused ({reason}): the limit is {limit}")
        self.reason = reason
        self.limit = limit


def normalise(value: str) -> str:
    """Returns `value` as it is stored and matched: NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", value).casefold()


def search_text_of(
    *, description: str, order_id: str | None, customer_id: str, messages: Iterable[str]
) -> str:
    """Returns the normalised text a complaint is found by, one part per line."""
    parts = [customer_id, order_id or "", description, *messages]
    joined = "\n".join(part for part in parts if part)
    return normalise(joined)[:MAX_SEARCH_TEXT_CHARS]


def search_terms(query: str) -> list[str]:
    """Returns the normalised terms of `query` (no duplicates, in order); raises
    `InvalidSearchError` for a query that is too long or has too many terms."""
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidSearchError("too_long", MAX_QUERY_CHARS)
    terms = list(dict.fromkeys(normalise(query).split()))
    if len(terms) > MAX_TERMS:
        raise InvalidSearchError("too_many_terms", MAX_TERMS)
    return terms


def refresh_search_text(session: Session, *, record: dict[str, Any]) -> None:
    """Rewrites the search text of the complaint whose read-model values are `record`
    from them and its stored messages; the caller commits.

    Derived from what is stored, so a replayed or late projection writes the same text,
    and the row (with its index entries) is only rewritten when the text changed.
    """
    complaint_id = record["complaint_id"]
    messages = select(col(TimelineEventRecord.detail)).where(
        col(TimelineEventRecord.complaint_id) == complaint_id,
        col(TimelineEventRecord.kind).in_([kind.value for kind in MESSAGE_KINDS]),
    )
    searched = search_text_of(
        description=record["description"],
        order_id=record["order_id"],
        customer_id=record["customer_id"],
        messages=session.exec(messages.order_by(col(TimelineEventRecord.seq))).all(),
    )
    upsert = insert_on_conflict(session, ComplaintSearchRecord).values(
        complaint_id=complaint_id, search_text=searched
    )
    stored = col(ComplaintSearchRecord.search_text)
    session.exec(
        upsert.on_conflict_do_update(
            index_elements=["complaint_id"],
            set_={"search_text": upsert.excluded.search_text},
            where=stored != upsert.excluded.search_text,
        )
    )


def matching(session: Session, terms: Sequence[str]) -> ColumnElement[bool]:
    """Returns the condition on `complaints` that every term of `terms` (from
    `search_terms`) is in the complaint's search text."""
    texts = col(ComplaintSearchRecord.search_text)
    long_terms = [term for term in terms if len(term) >= TRIGRAM]
    conditions: list[ColumnElement[bool]] = []
    if session.get_bind().dialect.name == "sqlite":
        if long_terms:
            # One FTS5 query for all long terms: each quoted, so it is a phrase, not syntax.
            phrases = " AND ".join('"' + term.replace('"', '""') + '"' for term in long_terms)
            indexed = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrases")
            conditions.append(
                col(ComplaintSearchRecord.id).in_(indexed.bindparams(phrases=phrases))
            )
        # Short terms are read on the rows found so far.
        conditions += [func.instr(texts, term) > 0 for term in terms if len(term) < TRIGRAM]
    else:
        # pg_trgm's GIN index answers LIKE for patterns holding a trigram; the planner
        # checks the short ones on the rows it found.
        conditions += [texts.like(f"%{_escape_like(term)}%", escape="\\") for term in terms]
    if long_terms:
        found = select(col(ComplaintSearchRecord.complaint_id)).where(*conditions)
        return col(ComplaintRecord.complaint_id).in_(found)
    # Nothing indexed to start from: read the text of each row the queue's filters found.
    own_row = col(ComplaintSearchRecord.complaint_id) == col(ComplaintRecord.complaint_id)
    return select(col(ComplaintSearchRecord.id)).where(own_row, *conditions).exists()


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
