"""`redress mail-gateway`: the gateway as a process, listening for SMTP (or LMTP), or
polling an IMAP mailbox, until SIGTERM or SIGINT.

It connects to Temporal and the store as the API does; mail kept while Temporal was away
is acted on once it answers again (every `RETRY_WAITING_SECONDS`).
"""

import asyncio
import logging
import signal
from dataclasses import dataclass

from core.settings import Settings
from core.temporal import connect_when_ready
from inbound.mail.gateway import MailGateway
from inbound.mail.imap_mailbox import ImapMailbox, MailboxUnusable
from inbound.mail.imap_poller import ImapPoller
from inbound.mail.smtp_server import serve_smtp
from store.db import make_engine, session_factory

logger = logging.getLogger(__name__)

RETRY_WAITING_SECONDS = 30.0


@dataclass(frozen=True)
class GatewayOptions:
    host: str
    port: int
    lmtp: bool = False
    # Polls this mailbox instead of listening, when set.
    imap_url: str | None = None
    imap_interval_seconds: float = 60.0
    # Authorities to trust for the IMAP server's certificate instead of the system's.
    imap_ca_file: str | None = None


async def _retry_waiting(gateway: MailGateway, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=RETRY_WAITING_SECONDS)
        except TimeoutError:
            settled = await gateway.act_on_waiting()
            if settled:
                logger.info("acted on %d mail(s) kept earlier", settled)


async def _check_mailbox(mailbox: ImapMailbox) -> None:
    """Logs in once, so that a wrong password or an untrusted certificate stops the gateway
    at once rather than after it waited for Temporal; a server merely away is polled anyway."""
    try:
        await asyncio.to_thread(mailbox.check)
    except MailboxUnusable:
        raise
    except Exception as error:
        logger.warning("%s does not answer yet (%s); polling it anyway", mailbox.where, error)


async def run_gateway(settings: Settings, options: GatewayOptions) -> None:
    """Runs the gateway until SIGTERM or SIGINT; raises MailboxUnusable when the polled
    mailbox refuses it for good (at start, before waiting for Temporal, or later)."""
    mailbox: ImapMailbox | None = None
    if options.imap_url:
        mailbox = ImapMailbox.from_url(options.imap_url, ca_file=options.imap_ca_file)
        await _check_mailbox(mailbox)
    engine = make_engine(settings.effective_database_url)
    temporal = await connect_when_ready(settings)
    gateway = MailGateway(sessions=session_factory(engine), temporal=temporal, settings=settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(_retry_waiting(gateway, stop))]
    try:
        await gateway.act_on_waiting()
        if mailbox is not None:
            print(f"mail gateway polling {mailbox.where}", flush=True)
            await ImapPoller(gateway, mailbox).run(options.imap_interval_seconds, stop)
            return
        protocol = "lmtp" if options.lmtp else "smtp"
        server = await serve_smtp(
            gateway,
            host=options.host,
            port=options.port,
            max_bytes=settings.mail_max_bytes,
            lmtp=options.lmtp,
        )
        print(f"mail gateway on {protocol}://{options.host}:{options.port}", flush=True)
        async with server:
            await stop.wait()
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        engine.dispose()
