"""The gateway's one path for every mail, however it arrived (SMTP, LMTP, IMAP): keep the
raw bytes, record the mail once per Message-ID, decide what it asks, act, record the
outcome.

Keeping comes before acting: once a mail is recorded it is Redress's, and a mail whose
action failed (Temporal away) stays recorded without an outcome until `act_on_waiting`
tries again. The same Message-ID twice does one thing: a recorded outcome is final, and
the actions themselves are idempotent on the Message-ID.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from core.settings import Settings
from inbound.mail.actions import Done, open_complaint, record_bounce, reply_on_case
from inbound.mail.addresses import GatewayAddresses
from inbound.mail.evidence import keep_attachments
from inbound.mail.message import InboundMail
from inbound.mail.parse import parse_mail
from inbound.mail.routing import Route, route
from store.db import SessionFactory
from store.evidence_files import write_once
from store.inbound_mail import (
    case_was_written_to,
    mail_not_acted_on,
    outbox_message_by_mail_id,
    record_arrival,
    record_outcome,
)
from store.tables.inbound_mail import MAX_MESSAGE_ID_CHARS, InboundOutcome
from store.tables.inbound_mail import InboundMail as InboundMailRow

logger = logging.getLogger(__name__)

# The outcomes whose mail speaks for a complaint's customer: its files are their evidence.
_TAKES_EVIDENCE = frozenset({InboundOutcome.OPENED, InboundOutcome.REPLIED})


@dataclass(frozen=True)
class Envelope:
    """Who handed the mail over for whom: the SMTP envelope, or a polled mailbox's."""

    mail_from: str = ""
    rcpt_tos: list[str] = field(default_factory=list)


class MailGateway:
    def __init__(self, *, sessions: SessionFactory, temporal: Client, settings: Settings) -> None:
        self._sessions = sessions
        self._temporal = temporal
        self._settings = settings
        self.addresses = GatewayAddresses.from_settings(settings)
        self._raw_dir = settings.effective_mail_inbound_dir

    def refusal_for_recipient(self, address: str) -> str | None:
        """Returns the SMTP answer refusing mail for `address`, or None to take it."""
        if address.strip().lower() == self.addresses.support:
            return None
        case_ref = self.addresses.case_of_address(address)
        if case_ref is None:
            return f"550 5.1.1 <{address}>: no such mailbox here; write to {self.addresses.support}"
        with self._sessions() as session:
            if case_was_written_to(session, case_ref=case_ref):
                return None
        return (
            f"550 5.1.1 <{address}>: no case {case_ref} here; check the address in our "
            f"message, or write to {self.addresses.support}"
        )

    async def take(self, raw: bytes, envelope: Envelope) -> InboundOutcome | None:
        """Keeps, records and acts on one mail; returns its outcome (None: kept, to be acted
        on later). Raises only when the mail could not be kept (then it is not Redress's)."""
        mail = parse_mail(raw)
        if len(mail.message_id) > MAX_MESSAGE_ID_CHARS:
            mail.message_id = f"<{hashlib.sha256(raw).hexdigest()[:40]}@long-message-id.invalid>"
        row = await run_in_threadpool(self._keep, raw, mail, envelope)
        if row.outcome is not None:
            logger.info("mail %s was taken in before: %s", mail.message_id, row.outcome)
            return InboundOutcome(row.outcome)
        return await self._act(row, mail)

    async def act_on_waiting(self) -> int:
        """Acts on every kept mail that has no outcome yet; returns how many it settled."""
        with self._sessions() as session:
            waiting = await run_in_threadpool(mail_not_acted_on, session)
        settled = 0
        for row in waiting:
            raw = Path(row.raw_path).read_bytes()
            if await self._act(row, parse_mail(raw)) is not None:
                settled += 1
        return settled

    def _keep(self, raw: bytes, mail: InboundMail, envelope: Envelope) -> InboundMailRow:
        digest = hashlib.sha256(raw).hexdigest()
        path = self._write_raw(raw, digest)
        with self._sessions() as session:
            row, created = record_arrival(
                session,
                mail=InboundMailRow(
                    message_id=mail.message_id,
                    envelope_from=envelope.mail_from[:254],
                    envelope_to=", ".join(envelope.rcpt_tos),
                    sender=mail.sender_address[:254],
                    subject=mail.subject[:500],
                    text=mail.reply_text,
                    attachments_json=json.dumps([a.model_dump() for a in mail.attachments]),
                    raw_sha256=digest,
                    raw_size=len(raw),
                    raw_path=str(path),
                ),
            )
        if created:
            logger.info(
                "kept mail %s from %s (%d bytes)", mail.message_id, mail.sender_address, len(raw)
            )
        return row

    def _write_raw(self, raw: bytes, digest: str) -> Path:
        """Writes the raw mail once, named by its hash; a half-written file never shows."""
        path = (self._raw_dir / f"{digest}.eml").resolve()
        write_once(path, raw)
        return path

    async def _act(self, row: InboundMailRow, mail: InboundMail) -> InboundOutcome | None:
        recipients = [r.strip().lower() for r in row.envelope_to.split(",") if r.strip()]
        with self._sessions() as session:
            decided = route(
                mail,
                recipients or [*mail.to, *mail.cc],
                self.addresses,
                lambda mail_id: _case_of_sent_mail(session, mail_id),
            )
            try:
                done = await self._carry_out(decided, mail, session)
            except Exception:
                # Kept, not acted on: tried again by `act_on_waiting`.
                logger.exception("mail %s kept; acting on it failed", mail.message_id)
                return None
            await run_in_threadpool(
                record_outcome,
                session,
                message_id=mail.message_id,
                outcome=done.outcome,
                detail=done.detail,
                case_id=done.case_id,
            )
        logger.info(
            "mail %s: %s %s %s", mail.message_id, done.outcome, done.case_id or "", done.detail
        )
        return done.outcome

    async def _carry_out(self, decided: Route, mail: InboundMail, session: Session) -> Done:
        temporal = self._temporal
        match decided.outcome:
            case InboundOutcome.OPENED:
                done = await open_complaint(
                    mail, session=session, temporal=temporal, settings=self._settings
                )
            case InboundOutcome.REPLIED:
                assert decided.case_ref is not None
                done = await reply_on_case(
                    mail, decided.case_ref, session=session, temporal=temporal
                )
            case InboundOutcome.BOUNCE:
                return await record_bounce(mail, decided, session=session, temporal=temporal)
            case _:
                return Done(decided.outcome, decided.case_ref, decided.detail)
        if done.outcome in _TAKES_EVIDENCE and done.case_id and mail.attachments:
            refusals = await keep_attachments(
                mail, done.case_id, session=session, temporal=temporal, settings=self._settings
            )
            done = replace(done, detail="; ".join(filter(None, [done.detail, refusals])))
        return done


def _case_of_sent_mail(session: Session, mail_message_id: str) -> str | None:
    sent = outbox_message_by_mail_id(session, mail_message_id=mail_message_id)
    return sent.complaint_id if sent is not None else None
