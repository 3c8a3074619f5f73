"""Real SMTP servers for tests (aiosmtpd on a free local port): the stack's own mail
catcher writing a Maildir, or a server that refuses every message for good."""

import email
import email.policy
import mailbox
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from core.mail_catcher import MaildirHandler
from core.stack import free_port


class RefusingHandler:
    """A mail server that answers every message with a permanent 550."""

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        return "550 5.1.1 <wang.fang@example.com>: mailbox unavailable"


@contextmanager
def mail_server(handler: object, **smtp_options: Any) -> Iterator[str]:
    """Runs an SMTP server with `handler` (and aiosmtpd's `SMTP` options); yields its
    `smtp://` URL."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def password_check(user: str, password: str) -> Callable[..., AuthResult]:
    """Returns an aiosmtpd authenticator that lets `user` in with `password` only."""

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        known = isinstance(data, LoginPassword) and (data.login, data.password) == (
            user.encode(),
            password.encode(),
        )
        # Not handled: aiosmtpd answers a refusal with 535 itself.
        return AuthResult(success=known, handled=False)

    return authenticate


@contextmanager
def mail_catcher(maildir: Path) -> Iterator[str]:
    """Runs the mail catcher `make run` runs, writing to `maildir`; yields its URL."""
    with mail_server(MaildirHandler(maildir)) as url:
        yield url


def received(maildir: Path) -> list[tuple[bytes, EmailMessage]]:
    """Returns each message in `maildir`, raw and parsed."""
    if not maildir.exists():
        return []
    box = mailbox.Maildir(maildir, create=False)
    raws = [box.get_bytes(key) for key in box.keys()]
    return [(raw, email.message_from_bytes(raw, policy=email.policy.default)) for raw in raws]
