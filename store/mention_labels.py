"""Labels staff gave mentions: one per mention, recorded once per request, exported as the
mention detector's training data.

The export's first two columns are what `REDRESS_MENTION_TRAINING_DATA` takes (`text`,
`is_complaint` as 1 or 0), so the file trains the detector as it is; the others say who
labelled what and when. Texts are exported exactly as posted: unlike the analytics CSVs,
no quote is put before a text that starts like a formula, since most posts start with an
`@handle` and the model must learn from the words the authors wrote. Open it as text, not
in a spreadsheet.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from store.tables.mentions import MentionLabel, MentionRecord
from store.upsert import insert_on_conflict

BATCH_ROWS = 2000
TRAINING_COLUMNS = ("text", "is_complaint", "labelled_by", "labelled_at", "mention_id")


class LabelFormat(StrEnum):
    """How the labels are exported: CSV (the training data's format) or JSON lines."""

    CSV = "csv"
    JSONL = "jsonl"


class MentionAlreadyLabelled(Exception):
    """The mention carries the other label; nothing was recorded."""

    def __init__(self, label: MentionLabel) -> None:
        super().__init__(f"mention {label.mention_id} is already labelled")
        self.label = label


class LabelRequestReused(Exception):
    """The request's key recorded a different label (another mention or the other answer)."""


def _recorded_by(session: Session, request_key: str) -> MentionLabel | None:
    found = select(MentionLabel).where(col(MentionLabel.request_key) == request_key)
    return session.exec(found).first()


def record_label(
    session: Session,
    *,
    mention_id: str,
    is_complaint: bool,
    labelled_by: str,
    request_key: str | None = None,
) -> tuple[MentionLabel, bool]:
    """Stores the label unless the mention already has one, then commits; returns the
    mention's label and whether this call stored it. Raises `MentionAlreadyLabelled` when
    it has the other label, `LabelRequestReused` when `request_key` recorded another."""
    # Both unique columns are conflicts to skip: two requests racing on one mention, or
    # one request sent twice at once; the loser reads what the winner stored.
    row = MentionLabel(
        mention_id=mention_id,
        is_complaint=is_complaint,
        labelled_by=labelled_by,
        request_key=request_key,
    ).model_dump(exclude={"id"})
    insert = insert_on_conflict(session, MentionLabel).values(**row)
    written = session.execute(
        insert.on_conflict_do_nothing().returning(col(MentionLabel.id))
    ).first()
    session.commit()
    if request_key is not None:
        by_key = _recorded_by(session, request_key)
        if by_key is not None and (
            by_key.mention_id != mention_id or by_key.is_complaint != is_complaint
        ):
            raise LabelRequestReused(request_key)
    label = label_of(session, mention_id=mention_id)
    if label is None:  # pragma: no cover - written above, or there before
        raise LookupError(f"the label of mention {mention_id} vanished after being recorded")
    if label.is_complaint != is_complaint:
        raise MentionAlreadyLabelled(label)
    return label, written is not None


def label_of(session: Session, *, mention_id: str) -> MentionLabel | None:
    """Returns the mention's label, or None before anyone labelled it."""
    found = select(MentionLabel).where(col(MentionLabel.mention_id) == mention_id)
    return session.exec(found).first()


def _labelled_texts(session: Session) -> Iterator[tuple[str, bool, str, datetime, str]]:
    query = (
        select(MentionLabel, col(MentionRecord.text))
        .join(MentionRecord, col(MentionRecord.mention_id) == col(MentionLabel.mention_id))
        .order_by(col(MentionLabel.id))
        .execution_options(yield_per=BATCH_ROWS)
    )
    for label, text in session.exec(query):
        yield text, label.is_complaint, label.labelled_by, label.labelled_at, label.mention_id


def labels_csv(session: Session) -> Iterator[str]:
    """Yields every label as CSV text (`TRAINING_COLUMNS`), in the order they were given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TRAINING_COLUMNS)
    for count, (text, is_complaint, by, at, mention_id) in enumerate(
        _labelled_texts(session), start=1
    ):
        writer.writerow([text, "1" if is_complaint else "0", by, at.isoformat(), mention_id])
        if count % BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def labels_jsonl(session: Session) -> Iterator[str]:
    """Yields every label as one JSON object a line, in the order they were given."""
    for text, is_complaint, by, at, mention_id in _labelled_texts(session):
        row = dict(
            zip(TRAINING_COLUMNS, (text, is_complaint, by, at.isoformat(), mention_id), strict=True)
        )
        yield json.dumps(row, ensure_ascii=False) + "\n"
