"""The `smtp` notification provider: each message written to the outbox, then e-mailed.

The outbox row is written first, once per idempotency key, exactly as the `outbox`
provider writes it; then a customer with an e-mail address gets the message over SMTP
(`REDRESS_SMTP_URL`), and the row records each try: attempts, the last error, the
Message-ID, and `sent`, or `failed` for good. The e-mail is multipart/alternative: the
row's plain text, and the same message as HTML from its template (`core.wording.mail`).

At most once per Message-ID, as far as SMTP allows: an activity retried after a
successful send finds the row `sent` and sends nothing. A worker killed after the server
accepted the message but before the row says so sends it again on the retry, with the
same Message-ID (derived from the idempotency key), so the customer's client can tell it
is the same message; no SMTP client can close that window, since the server's "250" and
the row's update are two systems.

Staff messages go to the address of the staff user their recipient names (directly, or
as a team's supervisor or manager: `store.staff_mailboxes`); without one they stay in the
outbox only, the row saying why, since the console shows staff their work. Staff mail
carries no case reply address and its own Message-ID form (`<staff.…>`), so the mail
gateway never takes a staff member's answer for the customer's. Customers known by a
phone number alone stay in the outbox too.
"""

import asyncio
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import NoReturn
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from activities.notifications.base import NotificationProvider
from activities.notifications.errors import MessageUndeliverable, ProviderUnavailable
from core.settings import Settings
from core.wording.mail import render_notification, sender_name
from domain.customer_contact import CustomerChannel
from domain.notifications import Notification, NotificationReceipt, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.inbound_mail import customer_message_ids
from store.staff_mailboxes import staff_mailbox
from store.tables.outbox import DeliveryStatus, OutboxMessage

logger = logging.getLogger(__name__)

# Inside the activity's 30 s start-to-close timeout, with room to record the outcome.
SMTP_TIMEOUT_SECONDS = 20.0

# Case refs that can stand in a Message-ID and a mailbox name as they are.
_PLAIN_REF = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over, read from `REDRESS_SMTP_URL`."""

    hostname: str
    port: int
    username: str | None = None
    password: str | None = None
    # TLS from the first byte (`smtps://`), or an upgrade after connecting (`?starttls=1`).
    use_tls: bool = False
    start_tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        """Returns the server `url` names; raises ValueError saying what is wrong with it."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                f"REDRESS_SMTP_URL {url!r} is not smtp://[user:password@]host[:port] or smtps://..."
            )
        use_tls = parts.scheme == "smtps"
        start_tls = parse_qs(parts.query).get("starttls", ["0"])[-1].lower() in ("1", "true")
        if use_tls and start_tls:
            raise ValueError(f"REDRESS_SMTP_URL {url!r}: smtps:// is TLS already; drop starttls")
        return cls(
            hostname=parts.hostname,
            port=parts.port or (465 if use_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            start_tls=start_tls,
        )


def mail_message_id(idempotency_key: str, domain: str, *, to_staff: bool = False) -> str:
    """Returns the Message-ID of the message sent for `idempotency_key`: every try of it,
    a resend after a crash included, carries the same one. Staff mail's ids start
    `staff.` (`inbound.mail.addresses`: answers to them are not the customer's)."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{'staff.' if to_staff else ''}{digest}@{domain}>"


def _case_part(case_ref: str) -> str:
    if _PLAIN_REF.fullmatch(case_ref):
        return case_ref
    return hashlib.sha256(case_ref.encode()).hexdigest()[:32]


def case_thread_id(case_ref: str, domain: str) -> str:
    """Returns the id every message about `case_ref` replies to, so a mail client shows
    them as one thread. No message carries it as its own id (GitHub threads its
    notifications the same way)."""
    return f"<case.{_case_part(case_ref)}@{domain}>"


def staff_thread_id(case_ref: str, domain: str) -> str:
    """Returns the id staff messages about `case_ref` reply to: a thread of their own,
    apart from the customer's."""
    return f"<staff.case.{_case_part(case_ref)}@{domain}>"


def case_reply_address(case_ref: str, domain: str) -> str:
    """Returns the address a customer's reply about `case_ref` goes to."""
    return f"case+{_case_part(case_ref)}@{domain}"


def _mailbox(address: str | None) -> Address | None:
    """Returns `address` as an e-mail mailbox, or None when it is none (a phone number)."""
    if not address or "@" not in address:
        return None
    try:
        mailbox = Address(addr_spec=address.strip())
    except (HeaderParseError, ValueError, IndexError):
        return None
    return mailbox if mailbox.username and "." in mailbox.domain else None


class SmtpNotifier:
    """A `NotificationProvider` that writes each message through `outbox`, then e-mails it
    to a customer with an address over `server`, once."""

    def __init__(
        self,
        outbox: NotificationProvider,
        sessions: SessionFactory,
        settings: Settings,
        server: SmtpServer | None = None,
    ) -> None:
        self._outbox = outbox
        self._sessions = sessions
        self._settings = settings
        self._server = server or SmtpServer.from_url(settings.smtp_url)

    def send(self, notification: Notification) -> NotificationReceipt:
        """Returns the outbox receipt once the message is in the outbox and, for a customer
        with an e-mail address, accepted by the mail server.

        Raises `ProviderUnavailable` when the server cannot take it yet (retried), and
        `MessageUndeliverable` when it never will (the row is marked failed). Call it from
        a thread without a running event loop (the worker's activity threads).
        """
        receipt = self._outbox.send(notification)
        recipient = notification.recipient
        if recipient.kind is not RecipientKind.CUSTOMER:
            return self._send_to_staff(notification, receipt)
        mailbox = _mailbox(recipient.address)
        if mailbox is None:
            if recipient.address and "@" in recipient.address:
                reason = f"invalid address {recipient.address!r}"
                self._record(receipt.message_id, status=DeliveryStatus.FAILED, error=reason)
                raise MessageUndeliverable(
                    f"{recipient.address!r} is not an e-mail address; correct the "
                    "customer's contact details",
                    address=recipient.address,
                )
            return receipt
        # Without a name the workflow sends the customer's id, which is no name to show.
        name = notification.params.get("customer_name", "")
        to = Address(name if name != recipient.id else "", addr_spec=mailbox.addr_spec)
        return self._deliver(notification, receipt, to)

    def _send_to_staff(
        self, notification: Notification, receipt: NotificationReceipt
    ) -> NotificationReceipt:
        """E-mails a staff message to the user its recipient names, once; without an
        address it stays in the outbox, the reason on the row."""
        with self._sessions() as session:
            found = staff_mailbox(session, recipient_id=notification.recipient.id)
        mailbox = _mailbox(found.address)
        if mailbox is None:
            reason = found.reason or f"invalid address {found.address!r}"
            self._record(receipt.message_id, outbox_only=reason)
            return receipt
        to = Address(found.display_name, addr_spec=mailbox.addr_spec)
        return self._deliver(notification, receipt, to, to_staff=True)

    def _deliver(
        self,
        notification: Notification,
        receipt: NotificationReceipt,
        to: Address,
        *,
        to_staff: bool = False,
    ) -> NotificationReceipt:
        row = self._begin_attempt(receipt.message_id, notification.idempotency_key, to_staff)
        if row is None:
            return receipt
        html = render_notification(notification).html
        message = self._compose(row, to, html=html, to_staff=to_staff)
        try:
            asyncio.run(self._hand_over(message, to.addr_spec))
        except (aiosmtplib.SMTPException, OSError) as error:
            self._failed(receipt.message_id, row.created_at, error)
        self._record(receipt.message_id, status=DeliveryStatus.SENT)
        logger.info("outbox message %s e-mailed as %s", row.id, message["Message-ID"])
        return receipt

    def _begin_attempt(
        self, row_id: int, idempotency_key: str, to_staff: bool
    ) -> OutboxMessage | None:
        """Returns the row with one more attempt counted, or None when it was sent already;
        raises `MessageUndeliverable` again for a row that failed for good."""
        with self._sessions() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            if row.delivery_status in (DeliveryStatus.SENT, DeliveryStatus.OUTBOX_ONLY):
                return None
            if row.delivery_status == DeliveryStatus.FAILED:
                raise MessageUndeliverable(
                    f"message {row_id} failed already: {row.last_delivery_error}",
                    outbox_id=str(row_id),
                )
            row.delivery_attempts += 1
            row.mail_message_id = mail_message_id(
                idempotency_key, self._settings.mail_domain, to_staff=to_staff
            )
            session.add(row)
            session.commit()
            return row

    def _record(
        self,
        row_id: int,
        *,
        status: DeliveryStatus | None = None,
        error: str | None = None,
        outbox_only: str | None = None,
    ) -> None:
        with self._sessions() as session:
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            if outbox_only is not None:
                # A retried activity, or a user given an address since, changes nothing
                # already decided: sent stays sent, outbox-only stays so.
                if row.delivery_status is not None:
                    return
                status = DeliveryStatus.OUTBOX_ONLY
                row.outbox_only_reason = outbox_only[:500]
            if status is not None:
                row.delivery_status = status
            if status is DeliveryStatus.SENT:
                row.sent_at = datetime.now(UTC)
                row.delivery_channel = CustomerChannel.EMAIL.value
            if error is not None:
                row.last_delivery_error = error[:1000]
            session.add(row)
            session.commit()

    def _failed(self, row_id: int, created_at: datetime, error: Exception) -> NoReturn:
        """Records why the server did not take the message and raises the matching error."""
        reason = _describe(error)
        details = {"outbox_id": str(row_id), "reason": reason}
        if _permanent(error):
            self._record(row_id, status=DeliveryStatus.FAILED, error=reason)
            raise MessageUndeliverable(
                f"the mail server refused message {row_id} for good: {reason}", **details
            ) from error
        hours = self._settings.mail_retry_hours
        if datetime.now(UTC) >= created_at + timedelta(hours=hours):
            gave_up = f"not delivered within {hours:g} hours: {reason}"
            self._record(row_id, status=DeliveryStatus.FAILED, error=gave_up)
            raise MessageUndeliverable(f"message {row_id} was {gave_up}", **details) from error
        self._record(row_id, error=reason)
        raise ProviderUnavailable(
            f"the mail server did not take message {row_id} yet (retried): {reason}", **details
        ) from error

    def _compose(
        self, row: OutboxMessage, to: Address, *, html: str, to_staff: bool = False
    ) -> EmailMessage:
        domain = self._settings.mail_domain
        locale = Locale(row.locale)
        message = EmailMessage()
        # The default policy encodes non-ASCII subjects and names as RFC 2047 words.
        message["Subject"] = row.subject
        message["From"] = self._settings.mail_from or Address(
            sender_name(locale), "support", domain
        )
        message["To"] = to
        message["Date"] = format_datetime(row.created_at.astimezone(UTC))
        assert row.mail_message_id is not None
        message["Message-ID"] = row.mail_message_id
        if to_staff:
            # No case reply address: staff answer on the console, never as the customer.
            # Their messages about a case thread under a staff-only id.
            message["In-Reply-To"] = message["References"] = staff_thread_id(
                row.complaint_id, domain
            )
            return self._with_content(message, row, html, locale)
        # The mail gateway (`redress mail-gateway`) puts answers to it on the case.
        message["Reply-To"] = case_reply_address(row.complaint_id, domain)
        # A case the customer wrote to us by mail threads under their mail: the
        # acknowledgement answers the mail that opened it, later messages their latest.
        thread = case_thread_id(row.complaint_id, domain)
        with self._sessions() as session:
            theirs = customer_message_ids(session, case_id=row.complaint_id)
        message["In-Reply-To"] = theirs[-1] if theirs else thread
        message["References"] = " ".join([thread, *theirs[:1], *theirs[1:][-1:]])
        return self._with_content(message, row, html, locale)

    def _with_content(
        self, message: EmailMessage, row: OutboxMessage, html: str, locale: Locale
    ) -> EmailMessage:
        # RFC 3834: an automatic message; well-behaved auto-responders do not answer it.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(row.body, charset="utf-8")
        message.add_alternative(html, subtype="html", charset="utf-8")
        # After the content: setting it clears every Content-* header.
        message["Content-Language"] = locale.value
        return message

    async def _hand_over(self, message: EmailMessage, to: str) -> None:
        server = self._server
        sender = parseaddr(str(message["From"]))[1]
        await aiosmtplib.send(
            message,
            sender=sender,
            recipients=[to],
            hostname=server.hostname,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.use_tls,
            start_tls=server.start_tls,
            timeout=SMTP_TIMEOUT_SECONDS,
        )


def _permanent(error: Exception) -> bool:
    """Returns whether the server refused the message itself for good (5xx to the
    recipient or the content). A refused sender or login is the operator's to fix: it is
    retried, like an unreachable server, until `mail_retry_hours` runs out."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= refused.code < 600 for refused in error.recipients)
    if isinstance(error, aiosmtplib.SMTPRecipientRefused | aiosmtplib.SMTPDataError):
        return 500 <= error.code < 600
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return "; ".join(f"{r.code} {r.message}" for r in error.recipients)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"{error.code} {error.message}"
    return f"{type(error).__name__}: {error}"
