"""The customers' mail server in the chaos run: a real SMTP server (aiosmtpd) that keeps
every message in a Maildir under the run's data, and remembers each copy it accepted, when,
and which worker process handed it over.

The sender is known from the connection: a worker's SMTP client is still connected when
the message is complete, so the client's port names a socket that only one local process
holds (`sockets.local_tcp_owner`). That lets the mail checks hold a duplicate to a kill of
the very worker that sent it.

The monkey may also aim a kill at a send (`next_sender`): the sink tells it which worker
handed over the next message, and holds its "250" long enough for the kill to land first,
as when a worker dies between the server's acceptance and writing the message down.
"""

import asyncio
import concurrent.futures
import email
import email.policy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from chaos.sockets import local_tcp_owner
from core.mail_catcher import MaildirHandler
from core.stack import free_port

# How long an aimed-at send waits for its answer: the kill lands well inside it.
HOLD_ANSWER_SECONDS = 3.0


@dataclass(frozen=True)
class CaughtMail:
    """One copy of a message the server accepted."""

    message_id: str
    recipients: tuple[str, ...]
    accepted_at: datetime
    # The worker process that handed it over; None when it could not be told (it was gone).
    sender_pid: int | None


class MailSink:
    """Runs on a free local port in a thread of its own; `url` is its `smtp://` address."""

    def __init__(self, maildir: Path, sender_pids: Callable[[], list[int]]) -> None:
        self._keeper = MaildirHandler(maildir)
        self._sender_pids = sender_pids
        self._lock = threading.Lock()
        self._caught: list[CaughtMail] = []
        self._wanted: concurrent.futures.Future[int] | None = None
        self._controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.url = f"smtp://127.0.0.1:{self._controller.port}"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def caught(self) -> list[CaughtMail]:
        """Returns every copy accepted so far, in the order they came."""
        with self._lock:
            return list(self._caught)

    async def next_sender(self, within: float) -> int | None:
        """Returns the pid of the worker that hands over the next message (whose answer
        is then held back for a while), or None when none comes `within` seconds."""
        wanted: concurrent.futures.Future[int] = concurrent.futures.Future()
        with self._lock:
            self._wanted = wanted
        try:
            return await asyncio.wait_for(asyncio.wrap_future(wanted), within)
        except TimeoutError:
            return None
        finally:
            with self._lock:
                if self._wanted is wanted:
                    self._wanted = None

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        accepted_at = datetime.now(UTC)
        peer_port = session.peer[1] if isinstance(session.peer, tuple) else None
        sender = (
            local_tcp_owner(peer_port, self._controller.port, self._sender_pids())
            if peer_port is not None
            else None
        )
        answer = await self._keeper.handle_DATA(server, session, envelope)
        parsed = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        with self._lock:
            self._caught.append(
                CaughtMail(
                    message_id=str(parsed.get("Message-ID", "")).strip(),
                    recipients=tuple(envelope.rcpt_tos),
                    accepted_at=accepted_at,
                    sender_pid=sender,
                )
            )
            wanted, self._wanted = self._wanted, None
        if wanted is not None and sender is not None and not wanted.done():
            wanted.set_result(sender)
            await asyncio.sleep(HOLD_ANSWER_SECONDS)
        return answer
