"""Listening: `POST /mentions` takes a public post about the shop and opens a complaint when
the post is one.

Every mention is recorded once per post (its channel and id, else its link). A complaint
opens through the same idempotent path as `POST /complaints`, under a key derived from
the mention, so the same post reported twice, or by two listeners at once, opens one
complaint. Posts that are not complaints are recorded and nothing else happens.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from starlette.concurrency import run_in_threadpool

from activities.mentions import MentionDetector, MentionVerdict, load_mention_detector
from api.auth import MayReportMentions
from api.creation import answer_created, claim_case, start_case_workflow
from api.deps import SessionDep, SettingsDep, TemporalDep
from api.errors import AUTH_RESPONSES, PROBLEM_RESPONSES
from api.routes.complaints import COMPLAINT_OPENING
from core.settings import Settings
from domain.mentions import (
    Mention,
    MentionOutcome,
    complaint_intake_for,
    mention_id_for,
    mention_source_key,
)
from store.mentions import link_complaint, record_mention
from store.tables.mentions import MentionRecord

router = APIRouter(prefix="/mentions", tags=["mentions"])

# Scopes the complaint's idempotency key, so no client key sent to /complaints collides.
COMPLAINT_KEY_PREFIX = "mention:"


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


async def _open_complaint(
    stored: MentionRecord, *, session: SessionDep, temporal: TemporalDep, settings: Settings
) -> str:
    # Built from the stored row, so a repeat has the same body and replays the first claim.
    intake = complaint_intake_for(
        channel=stored.channel,
        author_handle=stored.author_handle,
        text=stored.text,
        link=stored.link,
    )
    claim = await claim_case(
        COMPLAINT_OPENING, intake, COMPLAINT_KEY_PREFIX + stored.mention_id, session
    )
    complaint_id = claim.case_id
    await run_in_threadpool(
        link_complaint, session, mention_id=stored.mention_id, complaint_id=complaint_id
    )
    # Started on repeats too, in case the first request stopped before starting it.
    await start_case_workflow(
        temporal,
        COMPLAINT_OPENING,
        task_queue=settings.complaint_task_queue,
        case_id=complaint_id,
        body=intake,
    )
    return complaint_id


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
    complaint_id = status_url = None
    # The first verdict on a post stands, whatever a later detector would say.
    if stored.is_complaint:
        complaint_id = await _open_complaint(
            stored, session=session, temporal=temporal, settings=settings
        )
        status_url = f"{COMPLAINT_OPENING.status_path}/{complaint_id}"
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
