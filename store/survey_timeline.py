"""A follow-up survey's events on its case's own timeline (see `domain.survey_timeline`):
written with the survey's projection, read beside the case's view."""

from typing import Any

from sqlmodel import Session, col, select

from domain.case_event_payloads import survey_case_events
from domain.complaints import TimelineEvent
from domain.returns import ReturnEvent
from domain.survey_timeline import SURVEY_SEQ_BASE, case_events
from domain.surveys import CaseKind, SurveyView
from store.projection import add_events
from store.tables import table_of
from store.tables.complaints import ComplaintRecord, TimelineEventRecord
from store.tables.returns import ReturnEventRecord, ReturnRecord
from store.webhook_outbox import publish_events

# Per kind of case: its table, its timeline's table, and the column naming the case in both.
_TABLES: dict[CaseKind, tuple[Any, Any, str]] = {
    CaseKind.COMPLAINT: (ComplaintRecord, TimelineEventRecord, "complaint_id"),
    CaseKind.RETURN: (ReturnRecord, ReturnEventRecord, "return_id"),
}


def add_survey_events(session: Session, *, view: SurveyView) -> None:
    """Adds the survey's events its case's timeline shows, each once however often the
    survey is projected. The caller commits."""
    events = case_events(view.case_kind, view.timeline)
    if not events:
        return
    case_table, event_table, key = _TABLES[view.case_kind]
    case_column = col(getattr(case_table, key))
    # A survey whose case the store never held (started by hand, or a store restored from
    # before the case) has no timeline to join: its rows would break the foreign key and
    # fail the survey's projection on every retry.
    if session.exec(select(case_column).where(case_column == view.case_id)).first() is None:
        return
    add_events(
        session,
        event_table=table_of(event_table),
        key=key,
        case_id=view.case_id,
        events=events,
    )
    # The events platforms subscribe to commit with the entries that publish them.
    publish_events(session, survey_case_events(view, events))


def survey_events_of_case(
    session: Session, *, case_kind: CaseKind, case_id: str
) -> list[TimelineEvent | ReturnEvent]:
    """Returns the events the case's follow-ups (its survey, a complaint's recovery tasks)
    added to its timeline, by seq."""
    _, event_table, key = _TABLES[case_kind]
    rows = session.exec(
        select(event_table)
        .where(
            col(getattr(event_table, key)) == case_id,
            col(event_table.seq) > SURVEY_SEQ_BASE,
        )
        .order_by(col(event_table.seq))
    ).all()
    return [row.as_event() for row in rows]
