"""Polls a production mailbox over IMAP (imap-tools) and feeds each unseen mail to the
gateway, for shops whose mail stays with their provider (no MX pointed at Redress).

Every mail in the mailbox was sent to the support address (or forwarded there), so it
counts as delivered to it, and to any case address its headers name. A mail is marked
seen only once the gateway kept it: a poller stopped in between finds it unseen again,
and the gateway's Message-ID check makes the second reading do nothing new.
"""

import asyncio
import logging
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.utils import getaddresses
from urllib.parse import unquote, urlsplit

from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.consts import MailMessageFlags
from imap_tools.errors import ImapToolsError

from inbound.mail.gateway import Envelope, MailGateway

logger = logging.getLogger(__name__)

IMAP_TIMEOUT_SECONDS = 30.0
# Headers a delivering server or forwarder writes the original recipient into.
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")


@dataclass(frozen=True)
class ImapMailbox:
    """Which mailbox to read, from `imaps://user:password@host[:port]/FOLDER`
    (`imap://...?starttls=1` to upgrade, plain `imap://` on a trusted network only)."""

    host: str
    port: int
    username: str
    password: str
    folder: str = "INBOX"
    tls: str = "implicit"  # "implicit", "starttls" or "none"

    @classmethod
    def from_url(cls, url: str) -> "ImapMailbox":
        """Returns the mailbox `url` names; raises ValueError saying what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise ValueError(f"{url!r} is not imaps://user:password@host[:port]/FOLDER")
        starttls = "starttls=1" in parts.query or "starttls=true" in parts.query
        tls = "implicit" if parts.scheme == "imaps" else "starttls" if starttls else "none"
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if parts.scheme == "imaps" else 143),
            username=unquote(parts.username),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
        )

    def open(self) -> BaseMailBox:
        """Returns the mailbox, logged in, its folder selected."""
        box: BaseMailBox
        if self.tls == "implicit":
            box = MailBox(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS)
        elif self.tls == "starttls":
            box = MailBoxStartTls(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS)
        else:
            box = MailBoxUnencrypted(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS)
        return box.login(self.username, self.password, initial_folder=self.folder)


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
        """Takes every unseen mail in the mailbox; returns how many it kept."""
        box = await asyncio.to_thread(self._mailbox.open)
        kept = 0
        try:
            uids = await asyncio.to_thread(box.uids, AND(seen=False))
            for uid in uids:
                raw = await asyncio.to_thread(_fetch_raw, box, uid)
                await self._gateway.take(raw, self._envelope(raw))
                await asyncio.to_thread(box.flag, uid, MailMessageFlags.SEEN, True)
                kept += 1
        finally:
            await asyncio.to_thread(box.logout)
        return kept

    async def run(self, interval_seconds: float, stop: asyncio.Event) -> None:
        """Polls every `interval_seconds` until `stop` is set; a failed poll is logged and
        tried again at the next turn."""
        while not stop.is_set():
            try:
                kept = await self.poll_once()
                if kept:
                    logger.info("took %d mail(s) from %s", kept, self._mailbox.host)
            except (OSError, ImapToolsError) as error:
                logger.warning("polling %s failed (tried again): %s", self._mailbox.host, error)
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
            except TimeoutError:
                pass
