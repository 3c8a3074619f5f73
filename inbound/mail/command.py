"""`redress mail-gateway`: turns mail into complaints and replies.

Listens for SMTP on --host/--port (REDRESS_MAIL_GATEWAY_HOST/PORT), LMTP with --lmtp, or
polls a mailbox with --imap imaps://user:password@host[:port]/FOLDER. docs/operations.md
("E-mail") says how to point a domain's mail at it.
"""

import argparse
import asyncio
import logging
import sys

from core.settings import get_settings


def add_gateway_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds `mail-gateway` to the `redress` parser."""
    settings = get_settings()
    parser = commands.add_parser(
        "mail-gateway",
        help="turn mail into complaints and replies (SMTP/LMTP listener or IMAP poller)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default=settings.mail_gateway_host)
    parser.add_argument("--port", type=int, default=settings.mail_gateway_port)
    parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
    parser.add_argument(
        "--imap",
        metavar="URL",
        help="poll imaps://user:password@host[:port]/FOLDER instead of listening",
    )
    parser.add_argument("--imap-interval", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument(
        "--imap-ca-file",
        metavar="PEM",
        help="trust the IMAP server's certificate when these authorities signed it "
        "(instead of the system's)",
    )
    parser.set_defaults(run=_gateway_command)


def _gateway_command(args: argparse.Namespace) -> int:
    # Imported here: the gateway brings Temporal, the store and the API's paths, which the
    # other `redress` commands need not load.
    from inbound.mail.imap_mailbox import MailboxUnusable
    from inbound.mail.service import GatewayOptions, run_gateway

    logging.basicConfig(level=logging.INFO, format="[mail-in] %(message)s")
    options = GatewayOptions(
        host=args.host,
        port=args.port,
        lmtp=args.lmtp,
        imap_url=args.imap,
        imap_interval_seconds=args.imap_interval,
        imap_ca_file=args.imap_ca_file,
    )
    try:
        asyncio.run(run_gateway(get_settings(), options))
    except ValueError as error:
        print(f"redress mail-gateway: {error}", file=sys.stderr)
        return 2
    except MailboxUnusable as error:
        print(f"redress mail-gateway: {error}", file=sys.stderr)
        return 1
    return 0
