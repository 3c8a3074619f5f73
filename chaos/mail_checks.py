"""E-mail, against what the customers' mail server received: every outbox message to a
customer with an e-mail address arrived, at the address on the row, and arrived twice
only when a worker was killed while sending it.

The promise (docs/operations.md, "E-mail"): at most once per Message-ID, except that a
worker killed after the server took the message and before the row says `sent` sends it
again, under the same Message-ID, when the activity is retried. So each extra copy must
follow a kill of the worker that handed over the copy before it, landing within moments
of the server taking that copy; any other duplicate is a bug.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise

from chaos.findings import Findings
from chaos.mail_sink import CaughtMail
from chaos.monkey import WorkerKill
from domain.notifications import RecipientKind
from store.tables.outbox import DeliveryStatus, OutboxMessage

# The row is written `sent` a database write after the server's "250": milliseconds on an
# idle machine, seconds at most under the run's load. A kill later than this after the
# server took a copy came after the row said `sent`, and explains no second copy.
SEND_WINDOW = timedelta(seconds=5)
# A sender killed just as its last bytes arrived is gone before the server has read them.
KILLED_BEFORE_READ = timedelta(seconds=1)


@dataclass
class MailFigures:
    """What reached the customers' mail server."""

    # Outbox messages to customers with an e-mail address, and copies the server took.
    messages: int = 0
    copies: int = 0
    # Copies beyond the first of a Message-ID, and those that followed a kill mid-send.
    duplicates: int = 0
    duplicates_during_kill: int = 0
    # The longest time from the server taking a copy to the kill that explains its repeat.
    longest_kill_after_send: timedelta = timedelta(0)

    def summary(self) -> str:
        explained = "yes" if self.duplicates == self.duplicates_during_kill else "no"
        return (
            f"{self.messages} messages to customers, {self.copies} copies received; "
            f"duplicates: {self.duplicates}, all during a kill: {explained}"
            + (
                f" (kills {self.longest_kill_after_send.total_seconds():.2f} s at most "
                "after the server took the copy)"
                if self.duplicates_during_kill
                else ""
            )
        )


def emailed(row: OutboxMessage) -> bool:
    """Returns whether the `smtp` provider e-mails this row: a customer's, with an address."""
    return row.recipient_kind == RecipientKind.CUSTOMER.value and "@" in (row.address or "")


def check_mail(
    rows: list[OutboxMessage],
    caught: list[CaughtMail],
    kills: list[WorkerKill],
    findings: Findings,
) -> MailFigures:
    """Returns the figures; every loss and unexplained duplicate goes in `findings`."""
    by_id: dict[str, list[CaughtMail]] = defaultdict(list)
    for mail in caught:
        by_id[mail.message_id].append(mail)
    figures = MailFigures(copies=len(caught))
    for row in filter(emailed, rows):
        figures.messages += 1
        what = f"{row.template} to {row.address} ({row.idempotency_key})"
        if row.delivery_status != DeliveryStatus.SENT:
            findings.lose(
                "e-mail",
                row.complaint_id,
                f"{what} is {row.delivery_status or 'unsent'} after "
                f"{row.delivery_attempts} attempts: {row.last_delivery_error}",
            )
        copies = by_id.pop(row.mail_message_id or "", [])
        if not copies:
            findings.lose("e-mail", row.complaint_id, f"{what} never reached the mail server")
            continue
        if any(row.address not in mail.recipients for mail in copies):
            findings.lose("e-mail", row.complaint_id, f"{what} went to another address")
        if len(copies) > row.delivery_attempts:
            findings.duplicate(
                "e-mail",
                row.complaint_id,
                f"{what}: {len(copies)} copies but {row.delivery_attempts} attempts recorded",
            )
        for sent, again in pairwise(sorted(copies, key=lambda mail: mail.accepted_at)):
            figures.duplicates += 1
            kill = _kill_during(sent, kills)
            if kill is None:
                findings.duplicate(
                    "e-mail",
                    row.complaint_id,
                    f"{what} taken at {sent.accepted_at:%H:%M:%S.%f} and again at "
                    f"{again.accepted_at:%H:%M:%S.%f}, with no kill of its sender "
                    f"(pid {sent.sender_pid}) in between",
                )
                continue
            figures.duplicates_during_kill += 1
            figures.longest_kill_after_send = max(
                figures.longest_kill_after_send, kill.at - sent.accepted_at
            )
    for message_id, copies in by_id.items():
        findings.duplicate(
            "e-mail", message_id, f"{len(copies)} received for no customer's outbox message"
        )
    return figures


def _kill_during(copy: CaughtMail, kills: list[WorkerKill]) -> WorkerKill | None:
    """Returns the kill of the worker that sent `copy` while it sent it, if there was one."""
    for kill in kills:
        by_sender = copy.sender_pid is None or kill.pid == copy.sender_pid
        if by_sender and -KILLED_BEFORE_READ <= kill.at - copy.accepted_at <= SEND_WINDOW:
            return kill
    return None
