"""Opening a mention's complaint and labelling a mention: the one path `POST /mentions`,
`POST /mentions/{id}/label` and the console's mentions page take.

A mention's complaint opens through the same idempotent intake as `POST /complaints`,
under a key derived from the mention, so however often and by whichever route it is
asked for (the detector, a label, a retry, two people at once) one complaint opens.

A label is recorded first, then the complaint opened: a request that stops in between is
finished by its retry (or by anyone labelling the mention the same way), while a
complaint opened first could outlive a label refused a moment later. Every refusal is an
`ApiError`: 404 no such mention, 409 labelled the other way already, 422 a request key
reused for another label.
"""

from dataclasses import dataclass

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from api.creation import claim_case, start_case_workflow
from api.errors import ApiError, idempotency_key_reused
from api.routes.complaints import COMPLAINT_OPENING
from core.settings import Settings
from domain.mentions import complaint_intake_for
from store.mention_labels import LabelRequestReused, MentionAlreadyLabelled, record_label
from store.mentions import get_mention, link_complaint
from store.tables.mentions import MentionLabel, MentionRecord

# Scopes the complaint's idempotency key, so no client key sent to /complaints collides.
COMPLAINT_KEY_PREFIX = "mention:"


def mention_not_found(mention_id: str) -> ApiError:
    """Returns the 404 for a mention id nobody reported."""
    return ApiError(404, "mention_not_found", f"no mention {mention_id}; check the id in the URL")


def mention_already_labelled(label: MentionLabel) -> ApiError:
    """Returns the 409 for a label that contradicts the one the mention has."""
    said = "a complaint" if label.is_complaint else "not a complaint"
    return ApiError(
        409,
        "mention_already_labelled",
        f"mention {label.mention_id} was labelled {said} by {label.labelled_by} at "
        f"{label.labelled_at.isoformat()}; a mention keeps its first label",
    )


@dataclass(frozen=True)
class LabelOutcome:
    """Returns the mention's label, whether this request recorded it, and the complaint
    the mention has (None when it never had one)."""

    mention: MentionRecord
    label: MentionLabel
    recorded: bool
    complaint_id: str | None


async def open_mention_complaint(
    stored: MentionRecord, *, session: Session, temporal: Client, settings: Settings
) -> tuple[str, bool]:
    """Opens the mention's complaint, or finds the one it opened; returns its id and
    whether an earlier request opened it."""
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
        session=session,
        task_queue=settings.complaint_task_queue,
        case_id=complaint_id,
        body=intake,
    )
    return complaint_id, claim.replayed


async def label_mention(
    mention_id: str,
    *,
    is_complaint: bool,
    labelled_by: str,
    request_key: str | None,
    session: Session,
    temporal: Client,
    settings: Settings,
) -> LabelOutcome:
    """Records the label (once) and, for a complaint, opens the mention's complaint if it
    has none; returns what the mention carries afterwards."""
    stored = await run_in_threadpool(get_mention, session, mention_id=mention_id)
    if stored is None:
        raise mention_not_found(mention_id)
    try:
        label, recorded = await run_in_threadpool(
            record_label,
            session,
            mention_id=mention_id,
            is_complaint=is_complaint,
            labelled_by=labelled_by,
            request_key=request_key,
        )
    except MentionAlreadyLabelled as refused:
        raise mention_already_labelled(refused.label) from refused
    except LabelRequestReused as reused:
        raise idempotency_key_reused("label") from reused
    complaint_id = stored.complaint_id
    if label.is_complaint:
        complaint_id, _ = await open_mention_complaint(
            stored, session=session, temporal=temporal, settings=settings
        )
    return LabelOutcome(mention=stored, label=label, recorded=recorded, complaint_id=complaint_id)
