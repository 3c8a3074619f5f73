"""What the gateway does through Temporal, on the paths the API takes, so that mail is
validated and refused exactly as a platform's request is.

Each action is idempotent on the mail's Message-ID: a complaint opens under the
idempotency key `mail:<Message-ID>` (`api.creation`), a reply or a bounce is an update
whose id is derived from it. Temporal trouble is raised (the mail stays stored and is
acted on again later); a refusal from the case is an outcome, for a person to read.
"""

import logging
from dataclasses import dataclass

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client, WorkflowUpdateFailedError

from api.complaint_calls import update_complaint
from api.creation import claim_case, start_case_workflow
from api.errors import ApiError, update_refusal
from api.routes.complaints import COMPLAINT_OPENING
from core.settings import Settings
from domain.bounces import BouncedNotification
from inbound.mail.addresses import is_return_ref
from inbound.mail.intake import complaint_intake_for, customer_message_for
from inbound.mail.message import InboundMail
from inbound.mail.routing import Route
from store.inbound_mail import link_case, mark_bounced
from store.tables.inbound_mail import InboundOutcome
from workflows.complaints import ComplaintWorkflow

logger = logging.getLogger(__name__)

# Scopes the complaint's idempotency key, so no key a platform sends collides with it.
COMPLAINT_KEY_PREFIX = "mail:"


@dataclass(frozen=True)
class Done:
    """Returns what became of a mail: its outcome, the case, and why, in words."""

    outcome: InboundOutcome
    case_id: str | None = None
    detail: str = ""


async def open_complaint(
    mail: InboundMail, *, session: Session, temporal: Client, settings: Settings
) -> Done:
    """Opens the complaint a new mail asks for, once per Message-ID."""
    intake = complaint_intake_for(mail)
    try:
        claim = await claim_case(
            COMPLAINT_OPENING, intake, COMPLAINT_KEY_PREFIX + mail.message_id, session
        )
    except ApiError as refused:
        # The key was claimed with another intake: this gateway read the same mail
        # differently before (an upgrade in between). The complaint it opened stands.
        return Done(InboundOutcome.NEEDS_PERSON, detail=f"already taken in: {refused.message}")
    await run_in_threadpool(link_case, session, message_id=mail.message_id, case_id=claim.case_id)
    # Started on a repeat too, in case the first try stopped before starting it.
    await start_case_workflow(
        temporal,
        COMPLAINT_OPENING,
        session=session,
        task_queue=settings.complaint_task_queue,
        case_id=claim.case_id,
        body=intake,
    )
    return Done(InboundOutcome.OPENED, claim.case_id)


async def reply_on_case(
    mail: InboundMail, case_id: str, *, session: Session, temporal: Client
) -> Done:
    """Puts the customer's e-mailed reply on their complaint, as `POST
    /complaints/{id}/messages` does; a refusal (closed, unknown) goes to a person."""
    # Linked first, so an answer the reply prompts is threaded under it (`link_case`).
    await run_in_threadpool(link_case, session, message_id=mail.message_id, case_id=case_id)
    try:
        await update_complaint(
            temporal,
            session,
            case_id,
            ComplaintWorkflow.customer_reply,
            customer_message_for(mail),
            update_id=f"customer_reply/mail/{mail.message_id}",
        )
    except ApiError as refused:
        return Done(InboundOutcome.NEEDS_PERSON, case_id, refused.message)
    except WorkflowUpdateFailedError as failed:
        return Done(InboundOutcome.NEEDS_PERSON, case_id, update_refusal(failed).message)
    return Done(InboundOutcome.REPLIED, case_id)


async def record_bounce(
    mail: InboundMail, route: Route, *, session: Session, temporal: Client
) -> Done:
    """Marks Redress's bounced message failed and tells its complaint, whose timeline then
    shows `notification_failed` as for a send the mail server refused."""
    assert route.bounced_mail_id is not None and route.case_ref is not None
    bounced = await run_in_threadpool(
        mark_bounced, session, mail_message_id=route.bounced_mail_id, reason=route.detail
    )
    done = Done(InboundOutcome.BOUNCE, route.case_ref, route.detail)
    if bounced is None or is_return_ref(route.case_ref):
        # Returns show the failed message in their outbox; only complaints take the update.
        return done
    notice = BouncedNotification(
        template=bounced.template,
        recipient_id=bounced.recipient_id,
        reason=route.detail[:1000],
        mail_message_id=route.bounced_mail_id,
    )
    try:
        await update_complaint(
            temporal,
            session,
            route.case_ref,
            ComplaintWorkflow.notification_bounced,
            notice,
            update_id=f"notification_bounced/mail/{mail.message_id}",
        )
    except (ApiError, WorkflowUpdateFailedError) as refused:
        # A closed complaint has no timeline left to write; the outbox row says it.
        logger.info("bounce %s not put on %s: %s", mail.message_id, route.case_ref, refused)
    return done
