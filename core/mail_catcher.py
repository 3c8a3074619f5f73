"""A local mail catcher for `make run`: an SMTP server that keeps every message in a Maildir.

Nothing leaves the machine: whatever Redress e-mails lands in `<data dir>/mail`, one file
a message, which `mutt -f var/mail` (or any Maildir reader) opens. The stack starts it as
one of its children: `python -m core.mail_catcher --port N --maildir var/mail`.
"""

import argparse
import asyncio
import logging
import mailbox
import signal
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

logger = logging.getLogger(__name__)

# Larger than any message Redress sends; the catcher is no place for big attachments.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class MaildirHandler:
    """An aiosmtpd handler that adds each message it accepts to the Maildir at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.maildir = mailbox.Maildir(path, create=True)

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or b""
        # The envelope's recipients, as a delivering server records them.
        delivered_to = "".join(f"Delivered-To: {rcpt}\r\n" for rcpt in envelope.rcpt_tos)
        key = self.maildir.add(delivered_to.encode() + content)
        logger.info("caught mail %s for %s", key, ", ".join(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


async def serve(host: str, port: int, path: Path) -> None:
    """Serves SMTP on `host:port` into the Maildir at `path` until SIGTERM or SIGINT."""
    handler = MaildirHandler(path)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=MAX_MESSAGE_BYTES, enable_SMTPUTF8=True),
        host=host,
        port=port,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"mail catcher on {host}:{port}, writing to {path}", flush=True)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="[mail] %(message)s")
    asyncio.run(serve(options.host, options.port, options.maildir))


if __name__ == "__main__":
    main()
