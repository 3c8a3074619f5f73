"""The gateway's SMTP (or LMTP) listener, on aiosmtpd: the domain's MX, or the hop a mail
server forwards to, hands mail over here.

Refusals happen in the SMTP dialogue, so the sending server tells its user in a bounce of
its own: a recipient that is neither the support address nor the reply address of a case
Redress wrote about gets 550 at RCPT; mail over `mail_max_bytes` gets 552 (announced in
EHLO's SIZE, refused at MAIL FROM when declared, and at DATA when it grows past it). A
mail is answered 250 once it is kept; a mail that could not be kept gets 451, and the
sender tries again.
"""

import asyncio
import logging

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.concurrency import run_in_threadpool

from inbound.mail.gateway import Envelope as MailEnvelope
from inbound.mail.gateway import MailGateway

logger = logging.getLogger(__name__)


class GatewayHandler:
    """An aiosmtpd handler that hands each accepted mail to the gateway."""

    def __init__(self, gateway: MailGateway, *, lmtp: bool = False) -> None:
        self._gateway = gateway
        self._lmtp = lmtp

    async def handle_RCPT(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        refusal = await run_in_threadpool(self._gateway.refusal_for_recipient, address)
        if refusal is not None:
            logger.info("refused mail for %s from %s", address, envelope.mail_from)
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        try:
            await self._gateway.take(
                raw, MailEnvelope(envelope.mail_from or "", list(envelope.rcpt_tos))
            )
            answer = "250 2.0.0 Message accepted"
        except Exception:
            logger.exception("could not keep mail from %s", envelope.mail_from)
            answer = "451 4.3.0 Mail not kept; try again later"
        # LMTP answers once per recipient.
        return "\r\n".join([answer] * len(envelope.rcpt_tos)) if self._lmtp else answer


async def serve_smtp(
    gateway: MailGateway, *, host: str, port: int, max_bytes: int, lmtp: bool = False
) -> asyncio.Server:
    """Returns a listening server (SMTP, or LMTP when `lmtp`) feeding `gateway`."""
    handler = GatewayHandler(gateway, lmtp=lmtp)
    protocol = LMTP if lmtp else SMTP
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: protocol(
            handler,
            data_size_limit=max_bytes,
            enable_SMTPUTF8=True,
            ident="Redress mail gateway",
        ),
        host=host,
        port=port,
    )
