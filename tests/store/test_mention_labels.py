"""Mentions and their labels in the store: a mention keeps one label, recorded once however
often (and however concurrently) it is sent, the other label refused naming who gave the
first; a request key recording another label is refused; the list is newest first and
filtered by decision; the export is the CSV the detector trains on, texts verbatim, and
trains it. The queries and the unique columns run on SQLite and PostgreSQL."""

import csv
import io
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from activities.mentions.factory import load_mention_detector
from activities.mentions.learned import DETECTOR_NAME, read_training_csv
from domain.mention_labels import MentionDecision
from domain.mentions import mention_id_for
from store.db import SessionFactory
from store.mention_labels import (
    TRAINING_COLUMNS,
    LabelRequestReused,
    MentionAlreadyLabelled,
    label_of,
    labels_csv,
    labels_jsonl,
    record_label,
)
from store.mentions import link_complaint, list_mentions, record_mention
from store.tables.mentions import MentionLabel, MentionRecord

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def add_mention(
    session: Session,
    text: str = "My parcel never arrived.",
    *,
    is_complaint: bool = False,
    minutes_ago: float = 0,
) -> str:
    """Records a mention received `minutes_ago` before NOW; returns its id."""
    mention_id = mention_id_for(f"twitter:{uuid.uuid4().hex}")
    record_mention(
        session,
        mention=MentionRecord(
            mention_id=mention_id,
            channel="twitter",
            author_handle="@lin_wei",
            link=f"https://twitter.example/lin_wei/status/{mention_id}",
            text=text,
            is_complaint=is_complaint,
            score=0.9 if is_complaint else 0.1,
            detector="mention-rules",
            received_at=NOW - timedelta(minutes=minutes_ago),
        ),
    )
    return mention_id


def label_rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(MentionLabel)).one()


def label(
    session: Session, mention_id: str, is_complaint: bool, who: str, form: str
) -> tuple[MentionLabel, bool]:
    """Labels the mention as `who` would from the console form `form`."""
    return record_label(
        session,
        mention_id=mention_id,
        is_complaint=is_complaint,
        labelled_by=who,
        request_key=f"console/{who}/{form}",
    )


@pytest.mark.both_stores
def test_a_mention_keeps_one_label_with_who_and_when(sessions: SessionFactory) -> None:
    with sessions() as session:
        mention_id = add_mention(session)
        first, recorded = label(session, mention_id, True, "sup-lin", "form-a")
        replayed, again = label(session, mention_id, True, "sup-lin", "form-a")
        agreed, by_another = label(session, mention_id, True, "agent-wang", "form-b")
        with pytest.raises(MentionAlreadyLabelled) as refused:
            label(session, mention_id, False, "agent-wang", "form-c")

        assert (recorded, again, by_another) == (True, False, False)
        assert first.id == replayed.id == agreed.id
        assert refused.value.label.labelled_by == "sup-lin"
        assert label_rows(session) == 1
        stored = label_of(session, mention_id=mention_id)
        assert stored is not None and stored.is_complaint is True
        assert stored.labelled_by == "sup-lin"
        assert abs(stored.labelled_at - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.mark.both_stores
def test_a_request_key_that_recorded_another_label_is_refused(sessions: SessionFactory) -> None:
    with sessions() as session:
        first, second = add_mention(session), add_mention(session)
        record_label(
            session, mention_id=first, is_complaint=True, labelled_by="a", request_key="api/a/k1"
        )

        with pytest.raises(LabelRequestReused):
            record_label(
                session,
                mention_id=second,
                is_complaint=True,
                labelled_by="a",
                request_key="api/a/k1",
            )

        assert label_of(session, mention_id=second) is None
        assert label_rows(session) == 1


@pytest.mark.both_stores
def test_concurrent_labels_of_one_mention_record_one(sessions: SessionFactory) -> None:
    with sessions() as session:
        mention_id = add_mention(session)
    outcomes: list[tuple[int | None, bool]] = []
    start = threading.Barrier(6)

    def label(n: int) -> None:
        with sessions() as session:
            start.wait()
            stored, recorded = record_label(
                session,
                mention_id=mention_id,
                is_complaint=True,
                labelled_by=f"agent-{n}",
                request_key=f"console/agent-{n}/form",
            )
            outcomes.append((stored.id, recorded))

    threads = [threading.Thread(target=label, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 6
    assert len({label_id for label_id, _ in outcomes}) == 1
    assert [recorded for _, recorded in outcomes].count(True) == 1
    with sessions() as session:
        assert label_rows(session) == 1


@pytest.mark.both_stores
def test_mentions_list_newest_first_filtered_by_decision(sessions: SessionFactory) -> None:
    with sessions() as session:
        oldest = add_mention(session, is_complaint=True, minutes_ago=30)
        passed = add_mention(session, is_complaint=False, minutes_ago=20)
        labelled = add_mention(session, is_complaint=False, minutes_ago=10)
        newest = add_mention(session, is_complaint=True, minutes_ago=0)
        link_complaint(session, mention_id=newest, complaint_id="CAAAAAAAAAAAA")
        record_label(session, mention_id=labelled, is_complaint=True, labelled_by="sup")

        def listed(decision: MentionDecision | None, **page: int) -> tuple[list[str], int]:
            rows, total = list_mentions(
                session,
                decision=decision,
                limit=page.get("limit", 10),
                offset=page.get("offset", 0),
            )
            return [row.mention.mention_id for row in rows], total

        assert listed(None) == ([newest, labelled, passed, oldest], 4)
        assert listed(MentionDecision.OPENED) == ([newest, oldest], 2)
        assert listed(MentionDecision.PASSED_OVER) == ([labelled, passed], 2)
        assert listed(MentionDecision.LABELLED) == ([labelled], 1)
        assert listed(None, limit=2, offset=2) == ([passed, oldest], 4)
        rows, _ = list_mentions(session, limit=10)
        by_id = {row.mention.mention_id: row for row in rows}
        assert by_id[newest].mention.complaint_id == "CAAAAAAAAAAAA"
        label = by_id[labelled].label
        assert label is not None and label.is_complaint and label.labelled_by == "sup"
        assert by_id[passed].label is None


# Texts a CSV or a spreadsheet could mangle: quotes, commas, lines, formula-like starts.
AWKWARD_TEXTS = [
    '@ShopSupport "broken" again, third time, no reply',
    "=SUM(A1) is not how refunds work\nsecond line",
    "快递三天没动了，客服也不回，太差了！",
    "+1 love the new app",
]


@pytest.mark.both_stores
def test_the_export_is_the_detectors_training_csv_with_texts_verbatim(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    with sessions() as session:
        ids = [add_mention(session, text) for text in AWKWARD_TEXTS]
        for mention_id, is_complaint in zip(ids, [True, True, True, False], strict=True):
            record_label(
                session, mention_id=mention_id, is_complaint=is_complaint, labelled_by="sup-lin"
            )
        exported = "".join(labels_csv(session))
        lines = [json.loads(line) for line in labels_jsonl(session)]

    path = tmp_path / "labels.csv"
    path.write_text(exported, encoding="utf-8")
    assert read_training_csv(path) == (AWKWARD_TEXTS, [True, True, True, False])
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert tuple(rows[0]) == TRAINING_COLUMNS
    assert [row["mention_id"] for row in rows] == ids
    assert {row["labelled_by"] for row in rows} == {"sup-lin"}
    assert all(datetime.fromisoformat(row["labelled_at"]).tzinfo for row in rows)
    assert [line["text"] for line in lines] == AWKWARD_TEXTS
    assert [line["is_complaint"] for line in lines] == [True, True, True, False]


COMPLAINTS = [
    "my order {n} never arrived and nobody answers, terrible service",
    "still waiting for refund {n}, support ignores me, worst shop",
    "parcel {n} came broken and the app will not let me return it",
]
PRAISE = [
    "thanks for the quick delivery {n}, love it",
    "great prices this week {n}, happy customer",
    "just ordered {n} more, cheers team",
]


def test_exported_labels_train_the_learned_detector(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    with sessions() as session:
        for n in range(6):
            for template in COMPLAINTS:
                record_label(
                    session,
                    mention_id=add_mention(session, template.format(n=n)),
                    is_complaint=True,
                    labelled_by="sup",
                )
            for template in PRAISE:
                record_label(
                    session,
                    mention_id=add_mention(session, template.format(n=n)),
                    is_complaint=False,
                    labelled_by="sup",
                )
        path = tmp_path / "training.csv"
        path.write_text("".join(labels_csv(session)), encoding="utf-8")

    detector = load_mention_detector(path)

    verdict = detector.detect("my parcel never arrived and nobody answers")
    assert verdict.detector == DETECTOR_NAME
    assert verdict.is_complaint
    assert not detector.detect("thanks, love the quick delivery").is_complaint
