"""Listening: `POST /mentions` takes a public post about the shop and opens a complaint when
the post is one; staff and the platform read the mentions with the detector's decision
and label them, and admins export the labels as the detector's training data.

Every mention is recorded once per post (its channel and id, else its link). A complaint
opens through the same idempotent path as `POST /complaints`, under a key derived from
the mention, so the same post reported twice, or by two listeners at once, or labelled a
complaint after the detector passed it over, opens one complaint. Posts that are not
complaints are recorded and nothing else happens until someone labels them.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from activities.mentions import MentionDetector, MentionVerdict, load_mention_detector
from api.auth import MayExportMentionLabels, MayReportMentions, MayReviewMentions
from api.creation import answer_created
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES, problem_responses
from api.mention_calls import label_mention, mention_not_found, open_mention_complaint
from api.mention_models import (
    MentionLabelOutcome,
    MentionPage,
    MentionSummary,
    mention_summary,
)
from api.paging import Offset, next_offset_url
from api.routes.complaints import COMPLAINT_OPENING
from api.updates import UpdateKeyHeader
from domain.mention_labels import MENTION_ID_PATTERN, MentionDecision, MentionLabelRequest
from domain.mentions import Mention, MentionOutcome, mention_id_for, mention_source_key
from store.db import SessionFactory
from store.mention_labels import LabelFormat, label_of, labels_csv, labels_jsonl
from store.mentions import MentionRow, get_mention, list_mentions, record_mention
from store.tables.mentions import MentionRecord

router = APIRouter(prefix="/mentions", tags=["mentions"])

MAX_PAGE_SIZE = 100
MentionIdPath = Annotated[
    str,
    Path(pattern=MENTION_ID_PATTERN, description="The mention's id", examples=["MABCDEFGHIJ23"]),
]
_READ_RESPONSES = {**AUTH_RESPONSES, **problem_responses("mention")}
_LABEL_RESPONSES = {
    200: {"model": MentionLabelOutcome, "description": "The mention already had this label"},
    **AUTH_RESPONSES,
    **problem_responses("mention", refusal="The mention already has the other label"),
}
_EXPORT_TYPES = {LabelFormat.CSV: "text/csv; charset=utf-8", LabelFormat.JSONL: "application/jsonl"}


def get_mention_detector(settings: SettingsDep) -> MentionDetector:
    """Returns the detector the settings ask for (trained once, then cached)."""
    return load_mention_detector(settings.mention_training_data)


MentionDetectorDep = Annotated[MentionDetector, Depends(get_mention_detector)]


def _record(mention: Mention, verdict: MentionVerdict) -> MentionRecord:
    return MentionRecord(
        mention_id=mention_id_for(mention_source_key(mention)),
        channel=mention.channel,
        author_handle=mention.author_handle,
        external_id=mention.external_id,
        link=mention.link,
        text=mention.text,
        posted_at=mention.posted_at,
        is_complaint=verdict.is_complaint,
        score=verdict.score,
        detector=verdict.detector,
    )


def _status_url(complaint_id: str | None) -> str | None:
    return f"{COMPLAINT_OPENING.status_path}/{complaint_id}" if complaint_id else None


@router.post(
    "",
    status_code=201,
    response_model=MentionOutcome,
    responses={
        200: {"model": MentionOutcome, "description": "Replayed: this post was taken before"},
        **AUTH_RESPONSES,
        **PROBLEM_RESPONSES,
    },
)
async def report_mention(
    mention: Mention,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    detector: MentionDetectorDep,
    caller: MayReportMentions,
) -> MentionOutcome:
    """Records a public mention; a complaint opens a Redress complaint (channel `social`)."""
    verdict = await run_in_threadpool(detector.detect, mention.text)
    stored, created = await run_in_threadpool(
        record_mention, session, mention=_record(mention, verdict)
    )
    complaint_id = stored.complaint_id
    # The first verdict on a post stands, whatever a later detector would say.
    if stored.is_complaint:
        complaint_id, _ = await open_mention_complaint(
            stored, session=session, temporal=temporal, settings=settings
        )
    status_url = _status_url(complaint_id)
    if status_url is not None:
        answer_created(response, status_url, replayed=not created)
    elif not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return MentionOutcome(
        mention_id=stored.mention_id,
        is_complaint=stored.is_complaint,
        score=stored.score,
        detector=stored.detector,
        complaint_id=complaint_id,
        status_url=status_url,
    )


@router.get("", response_model=MentionPage, responses=_READ_RESPONSES)
async def list_mention_summaries(
    request: Request,
    session: SessionDep,
    caller: MayReviewMentions,
    decision: Annotated[
        MentionDecision | None,
        Query(
            description="opened: the detector opened a complaint; passed_over: it did "
            "not; labelled: staff labelled it"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Offset = 0,
) -> MentionPage:
    """Lists mentions, the newest first, with the detector's decision, the complaint each
    opened and its label."""
    rows, total = await run_in_threadpool(
        list_mentions, session, decision=decision, limit=limit, offset=offset
    )
    return MentionPage(
        items=[mention_summary(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next=next_offset_url(request, offset=offset, limit=limit, total=total),
    )


@router.get(
    "/labels",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {media: {} for media in _EXPORT_TYPES.values()},
            "description": "Every label, in the order given: `text,is_complaint,labelled_by,"
            "labelled_at,mention_id` (`is_complaint` 1 or 0), the CSV the detector's "
            "training data takes",
        },
        **AUTH_RESPONSES,
        422: problem_responses("mention")[422],
    },
)
async def export_mention_labels(
    request: Request,
    caller: MayExportMentionLabels,
    chosen: Annotated[
        LabelFormat,
        Query(alias="format", description="csv (the training data's format) or jsonl"),
    ] = LabelFormat.CSV,
) -> StreamingResponse:
    """Returns every mention label with the mention's text, for training the detector."""
    sessions: SessionFactory = request.app.state.sessions
    write = labels_csv if chosen is LabelFormat.CSV else labels_jsonl

    # Read in a session of its own: the request's closes before a streamed body ends.
    def lines() -> Iterator[str]:
        with sessions() as session:
            yield from write(session)

    return StreamingResponse(
        lines(),
        media_type=_EXPORT_TYPES[chosen],
        headers={"Content-Disposition": f'attachment; filename="mention-labels.{chosen}"'},
    )


@router.get("/{mention_id}", response_model=MentionSummary, responses=_READ_RESPONSES)
async def read_mention(
    mention_id: MentionIdPath, session: SessionDep, caller: MayReviewMentions
) -> MentionSummary:
    """Returns the mention with the detector's decision, its complaint and its label."""
    stored = await run_in_threadpool(get_mention, session, mention_id=mention_id)
    if stored is None:
        raise mention_not_found(mention_id)
    label = await run_in_threadpool(label_of, session, mention_id=mention_id)
    return mention_summary(MentionRow(mention=stored, label=label))


@router.post(
    "/{mention_id}/label",
    status_code=201,
    response_model=MentionLabelOutcome,
    responses=_LABEL_RESPONSES,
)
async def label_a_mention(
    mention_id: MentionIdPath,
    body: MentionLabelRequest,
    response: Response,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    caller: MayReviewMentions,
    idempotency_key: UpdateKeyHeader = None,
) -> MentionLabelOutcome:
    """Labels the mention a complaint or not, for the detector's training data. A
    complaint label on a mention the detector passed over opens its complaint (once);
    a not-a-complaint label leaves the complaint it opened as it is. A mention keeps its
    first label: the same label again answers 200, the other one a 409."""
    request_key = f"api/{caller.user_id}/{idempotency_key}" if idempotency_key else None
    outcome = await label_mention(
        mention_id,
        is_complaint=body.is_complaint,
        labelled_by=caller.user_id,
        request_key=request_key,
        session=session,
        temporal=temporal,
        settings=settings,
    )
    if not outcome.recorded:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    label = outcome.label
    return MentionLabelOutcome(
        mention_id=mention_id,
        is_complaint=label.is_complaint,
        labelled_by=label.labelled_by,
        labelled_at=label.labelled_at,
        complaint_id=outcome.complaint_id,
        status_url=_status_url(outcome.complaint_id),
    )
