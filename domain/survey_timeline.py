"""The follow-up survey's events as the case it follows shows them on its own timeline.

A survey runs after its case's workflow has ended, so the case cannot record them itself;
the survey's projection adds these few of its events (sent, reminded, answered with its
scores, not answered, recovery started, done or lapsed) to the case's timeline in the read
model, where the API, the customer's page and the console read a closed case.

They are stored under `SURVEY_SEQ_BASE` plus the survey's own seq: a case counts its own
events from 1 and never comes near a billion (each is a step someone or some deadline
took), so the two never collide, and a replayed or retried projection adds nothing. A
complaint's recovery tasks (`domain.service_recovery`) write above the survey's seqs in
bands of their own, so every seq past the base is a follow-up's.
"""

from enum import StrEnum

from domain.complaints import TimelineEvent, TimelineKind
from domain.returns import ReturnEvent, ReturnEventKind
from domain.surveys import CaseKind, SurveyEvent, SurveyEventKind

SURVEY_SEQ_BASE = 1_000_000_000

# The survey events a case's timeline shows, under the case's kinds of the same name.
_SHOWN = {
    SurveyEventKind.SENT: "survey_sent",
    SurveyEventKind.REMINDED: "survey_reminded",
    SurveyEventKind.ANSWERED: "survey_answered",
    SurveyEventKind.NO_ANSWER: "survey_not_answered",
    SurveyEventKind.RECOVERY_OPENED: "recovery_started",
    SurveyEventKind.RECOVERY_DONE: "recovery_done",
    SurveyEventKind.RECOVERY_LAPSED: "recovery_lapsed",
}
# Each kind of case's timeline event and its kinds.
_CASE_EVENTS: dict[CaseKind, tuple[type[TimelineEvent | ReturnEvent], type[StrEnum]]] = {
    CaseKind.COMPLAINT: (TimelineEvent, TimelineKind),
    CaseKind.RETURN: (ReturnEvent, ReturnEventKind),
}


def case_seq(survey_seq: int) -> int:
    """Returns the seq a survey's event has on its case's timeline."""
    return SURVEY_SEQ_BASE + survey_seq


def is_survey_seq(seq: int) -> bool:
    """Returns whether a case's timeline event came from its survey."""
    return seq > SURVEY_SEQ_BASE


def case_events(
    case_kind: CaseKind, survey_events: list[SurveyEvent]
) -> list[TimelineEvent | ReturnEvent]:
    """Returns the events `survey_events` show as on the timeline of a `case_kind` case,
    oldest first."""
    event_type, kinds = _CASE_EVENTS[case_kind]
    return [
        event_type(
            seq=case_seq(event.seq),
            at=event.at,
            kind=kinds(_SHOWN[event.kind]),
            actor=event.actor,
            detail=event.detail,
        )
        for event in survey_events
        if event.kind in _SHOWN
    ]
