"""The IMAP poller against a real IMAP server (Dovecot, tests/imap_server.py): mail put in
the mailbox over IMAP is taken once, acted on (complaints on the dev server with real
workers) and marked seen only once kept; `redress mail-gateway --imap` stops with a clear
error when the server refuses its password or its certificate is not trusted."""

import asyncio
import ssl
import subprocess
import sys
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from imap_tools import MailBox
from imap_tools.consts import MailMessageFlags
from sqlmodel import select

from inbound.mail.gateway import Envelope, MailGateway
from inbound.mail.imap_mailbox import ImapMailbox
from inbound.mail.imap_poller import ImapPoller
from store.tables.complaints import ComplaintRecord
from store.tables.inbound_mail import InboundMail, InboundOutcome
from tests.api.support import eventually
from tests.imap_server import ImapServer, dovecot_server
from tests.inbound.mail.support import SUPPORT, MailHarness, customer_mail
from tests.running_stack import ROOT, stack_env


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    """A Dovecot of the test's own, its one mailbox empty."""
    with dovecot_server() as server:
        yield server


def _customer_client(imap: ImapServer) -> MailBox:
    """Returns the INBOX as another mail client sees it (the provider's webmail)."""
    trusted = ssl.create_default_context(cafile=str(imap.certificate))
    return MailBox("127.0.0.1", imap.imaps_port, ssl_context=trusted).login(
        imap.username, imap.password
    )


async def put_in_mailbox(imap: ImapServer, *messages: EmailMessage) -> None:
    """Appends `messages` to the INBOX, unseen, as the provider delivers mail."""

    def append() -> None:
        with _customer_client(imap) as box:
            for message in messages:
                box.append(message.as_bytes(), "INBOX", flag_set=())

    await asyncio.to_thread(append)


async def seen_in_mailbox(imap: ImapServer) -> dict[str, bool]:
    """Returns each mail's Message-ID in the INBOX and whether it is marked seen."""

    def read() -> dict[str, bool]:
        with _customer_client(imap) as box:
            return {
                message.obj["Message-ID"]: MailMessageFlags.SEEN in message.flags
                for message in box.fetch(mark_seen=False, headers_only=True)
            }

    return await asyncio.to_thread(read)


def poller(gateway: MailGateway, imap: ImapServer, *, starttls: bool = False) -> ImapPoller:
    mailbox = ImapMailbox.from_url(imap.url(starttls=starttls), ca_file=str(imap.certificate))
    return ImapPoller(gateway, mailbox)


async def _settled(mail: MailHarness, expected: tuple[int, int]) -> tuple[int, int] | None:
    """Returns the counts once they are `expected` (None until then)."""
    found = counts(mail)
    return found if found == expected else None


def counts(mail: MailHarness) -> tuple[int, int]:
    """Returns how many mails the gateway recorded and how many complaints exist."""
    with mail.api.sessions() as session:
        return len(session.exec(select(InboundMail)).all()), len(
            session.exec(select(ComplaintRecord)).all()
        )


async def test_a_polled_mail_opens_one_complaint_and_is_marked_seen_once_kept(
    mail: MailHarness, imap: ImapServer
) -> None:
    sent = customer_mail(
        "收到的搅拌机完全不能用，电机不转。",
        subject="搅拌机坏了",
        sender=Address("王芳", "wang.fang", "example.com"),
    )
    await put_in_mailbox(imap, sent)
    assert await seen_in_mailbox(imap) == {sent["Message-ID"]: False}

    assert await poller(mail.gateway, imap).poll_once() == 1

    row = await mail.taken(sent["Message-ID"])
    assert row.outcome == InboundOutcome.OPENED and row.case_id is not None
    assert row.envelope_from == f"imap://{imap.username}@127.0.0.1/INBOX"
    view = await mail.api.wait_for_view(row.case_id, lambda v: v["status"] == "open")
    assert view["intake"]["channel"] == "email"
    assert view["intake"]["description"] == "搅拌机坏了\n\n收到的搅拌机完全不能用，电机不转。"
    [acknowledgement] = await mail.mail_to("wang.fang@example.com")
    assert acknowledgement["In-Reply-To"] == sent["Message-ID"]
    assert await seen_in_mailbox(imap) == {sent["Message-ID"]: True}

    # The next poll, by this poller or a new one, finds nothing unseen.
    assert await poller(mail.gateway, imap).poll_once() == 0
    assert counts(mail) == (1, 1)


async def test_a_mail_that_cannot_be_kept_stays_unseen_for_the_next_poll(
    mail: MailHarness, imap: ImapServer, tmp_path: Path
) -> None:
    sent = customer_mail("The kettle leaks from the bottom.")
    await put_in_mailbox(imap, sent)
    # A raw-mail directory that cannot be made: the mail cannot be kept.
    blocked = tmp_path / "a-file-not-a-directory"
    blocked.write_text("")
    settings = mail.api.settings.model_copy(update={"mail_inbound_dir": str(blocked)})
    cannot_keep = MailGateway(
        sessions=mail.api.sessions, temporal=mail.api.temporal, settings=settings
    )

    assert await poller(cannot_keep, imap).poll_once() == 0
    assert await seen_in_mailbox(imap) == {sent["Message-ID"]: False}
    assert counts(mail) == (0, 0)

    assert await poller(mail.gateway, imap).poll_once() == 1
    row = await mail.taken(sent["Message-ID"])
    assert row.outcome == InboundOutcome.OPENED
    assert await seen_in_mailbox(imap) == {sent["Message-ID"]: True}


async def test_a_poller_stopped_between_keeping_and_marking_seen_takes_no_mail_twice(
    mail: MailHarness, imap: ImapServer
) -> None:
    senders = [Address(name, name.lower(), "example.com") for name in ("Ana", "Bo", "Chen")]
    sent = [
        customer_mail(f"Order {n}: the lid is cracked.", sender=s) for n, s in enumerate(senders)
    ]
    await put_in_mailbox(imap, *sent)

    # What a poller stopped mid-way leaves: the first mail kept and marked seen, the
    # second kept but still unseen, the third not read.
    def stopped_poll() -> list[bytes]:
        with _customer_client(imap) as box:
            uids = box.uids()
            box.flag(uids[0], MailMessageFlags.SEEN, True)
            return [box.client.uid("FETCH", uid, "(BODY.PEEK[])")[1][0][1] for uid in uids[:2]]

    for raw in await asyncio.to_thread(stopped_poll):
        await mail.gateway.take(raw, Envelope(mail_from="imap://stopped", rcpt_tos=[SUPPORT]))
    for message in sent[:2]:
        await mail.taken(message["Message-ID"])

    # The restarted poller, running as the gateway runs it, until every mail is seen.
    stop = asyncio.Event()
    running = asyncio.create_task(poller(mail.gateway, imap).run(0.2, stop))

    async def all_seen() -> bool | None:
        return all((await seen_in_mailbox(imap)).values()) or None

    await eventually(all_seen)
    stop.set()
    await running

    rows = [await mail.taken(message["Message-ID"]) for message in sent]
    assert [row.outcome for row in rows] == [InboundOutcome.OPENED] * 3
    assert len({row.case_id for row in rows}) == 3
    # A complaint's read-model row is written by its workflow a moment after the mail.
    assert await eventually(lambda: _settled(mail, (3, 3))) == (3, 3)
    for sender in senders:
        assert len(await mail.mail_to(sender.addr_spec)) == 1


async def test_a_polled_reply_to_a_case_address_lands_on_the_case_over_starttls(
    mail: MailHarness, imap: ImapServer
) -> None:
    opening = customer_mail("The motor does not turn on.")
    await put_in_mailbox(imap, opening)
    assert await poller(mail.gateway, imap, starttls=True).poll_once() == 1
    complaint_id = (await mail.taken(opening["Message-ID"])).case_id
    assert complaint_id is not None
    question = await mail.ask_for_a_photo(complaint_id, "lin.wei@example.com")

    # Only its To names the case: a client that drops In-Reply-To, forwarded to the
    # support mailbox by the provider.
    reply = customer_mail(
        "Here it is: https://photos.example.com/motor.jpg",
        subject="Re: " + str(question["Subject"]),
        to=str(question["Reply-To"]),
    )
    await put_in_mailbox(imap, reply)
    assert await poller(mail.gateway, imap, starttls=True).poll_once() == 1

    row = await mail.taken(reply["Message-ID"])
    assert (row.outcome, row.case_id) == (InboundOutcome.REPLIED, complaint_id)
    view = await mail.api.wait_for_view(
        complaint_id, lambda v: any(e["kind"] == "customer_replied" for e in v["timeline"])
    )
    assert view["waiting_since"] is None


def run_gateway_command(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Runs `redress mail-gateway` as an operator would; Temporal and the store are never
    reached when the mailbox refuses it first."""
    return subprocess.run(
        [sys.executable, "-m", "core.cli", "mail-gateway", *arguments],
        cwd=ROOT,
        env=stack_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_wrong_password_stops_the_gateway_with_a_clear_error(
    imap: ImapServer, tmp_path: Path
) -> None:
    wrong = "not-the-password-7Q"
    ca_file = str(imap.certificate)
    result = run_gateway_command(
        tmp_path, "--imap", imap.url(password=wrong), "--imap-ca-file", ca_file
    )

    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(
        f"redress mail-gateway: imaps://{imap.username}@127.0.0.1:"
        f"{imap.imaps_port}/INBOX: the server refused the login of "
        f"'{imap.username}' (["
    ), result.stderr
    assert "AUTHENTICATIONFAILED" in result.stderr
    assert "check the user and password in --imap" in result.stderr
    assert wrong not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_an_untrusted_certificate_stops_the_gateway_before_it_logs_in(
    imap: ImapServer, tmp_path: Path
) -> None:
    result = run_gateway_command(tmp_path, "--imap", imap.url())

    assert result.returncode == 1, result.stderr
    assert "the server's certificate is not trusted (self-signed certificate)" in result.stderr
    assert "--imap-ca-file" in result.stderr
    assert "Traceback" not in result.stderr
    # The password never left: the server saw no login attempt for the user.
    assert f"user=<{imap.username}>" not in (imap.work / "dovecot.log").read_text()
