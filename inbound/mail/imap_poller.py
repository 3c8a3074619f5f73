"""Polls a production mailbox over IMAP (imap-tools) and feeds each unseen mail to the
gateway, for shops whose mail stays with their provider (no MX pointed at Redress).

Every mail in the mailbox was sent to the support address (or forwarded there), so it
counts as delivered to it, and to any case address its headers name. A mail is marked
seen only once the gateway kept it: a poller stopped in between finds it unseen again,
and the gateway's Message-ID check makes the second reading do nothing new.
"""

import asyncio
import logging
from email import message_from_bytes, policy
from email.utils import getaddresses

from imap_tools import AND, BaseMailBox
from imap_tools.consts import MailMessageFlags

from inbound.mail.gateway import Envelope, MailGateway
from inbound.mail.imap_mailbox import ImapMailbox, MailboxUnusable

logger = logging.getLogger(__name__)

# Headers a delivering server or forwarder writes the original recipient into.
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")


def _fetch_raw(box: BaseMailBox, uid: str) -> bytes:
    """Returns a mail's bytes as the server keeps them, without marking it seen."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        raise OSError(f"IMAP FETCH of {uid} answered {status}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise OSError(f"IMAP FETCH of {uid} returned no message")


class ImapPoller:
    def __init__(self, gateway: MailGateway, mailbox: ImapMailbox) -> None:
        self._gateway = gateway
        self._mailbox = mailbox

    def _envelope(self, raw: bytes) -> Envelope:
        headers = message_from_bytes(raw, policy=policy.compat32)
        values = [str(v) for name in _RECIPIENT_HEADERS for v in headers.get_all(name, [])]
        named = [address for _, address in getaddresses(values)]
        cases = [a for a in named if self._gateway.addresses.case_of_address(a) is not None]
        mailbox = self._mailbox
        return Envelope(
            mail_from=f"imap://{mailbox.username}@{mailbox.host}/{mailbox.folder}",
            rcpt_tos=[self._gateway.addresses.support, *cases],
        )

    async def poll_once(self) -> int:
        """Takes every unseen mail in the mailbox, marking each seen once kept; returns how
        many it kept."""
        box = await asyncio.to_thread(self._mailbox.open)
        kept = 0
        try:
            uids = await asyncio.to_thread(box.uids, AND(seen=False))
            for uid in uids:
                raw = await asyncio.to_thread(_fetch_raw, box, uid)
                try:
                    await self._gateway.take(raw, self._envelope(raw))
                except Exception:
                    # Left unseen for the next poll; the mails after it still come in.
                    logger.exception("mail %s in %s could not be kept", uid, self._mailbox.where)
                    continue
                await asyncio.to_thread(box.flag, uid, MailMessageFlags.SEEN, True)
                kept += 1
        finally:
            await asyncio.to_thread(box.logout)
        return kept

    async def run(self, interval_seconds: float, stop: asyncio.Event) -> None:
        """Polls every `interval_seconds` until `stop` is set. A failed poll (server away,
        store busy, a mail that could not be kept) is logged and tried again at the next
        turn; MailboxUnusable (wrong password, untrusted certificate) ends the run."""
        while not stop.is_set():
            try:
                kept = await self.poll_once()
                if kept:
                    logger.info("took %d mail(s) from %s", kept, self._mailbox.where)
            except MailboxUnusable:
                raise
            except Exception:
                # Anything else may pass; a poller that died here would take no more mail
                # while the gateway looked alive.
                logger.exception("polling %s failed (tried again)", self._mailbox.where)
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
            except TimeoutError:
                pass
