"""Redress's own addresses and Message-IDs, as the outbound mail writes them
(`activities.notifications.smtp`): the support address, each case's reply address
`case+<ref>@<domain>`, each case's thread id `<case.<ref>@<domain>>`, and the Message-IDs
of its messages, all at the mail domain."""

import re
from dataclasses import dataclass
from email.utils import parseaddr

from core.settings import Settings


@dataclass(frozen=True)
class GatewayAddresses:
    domain: str
    support: str
    # Addresses Redress sends from: mail from them is Redress's own, come back.
    own_senders: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> "GatewayAddresses":
        support = settings.effective_mail_support_address
        sender = parseaddr(settings.mail_from)[1].strip().lower()
        return cls(
            domain=settings.mail_domain.lower(),
            support=support,
            own_senders=frozenset(filter(None, (support, sender))),
        )

    def case_of_address(self, address: str) -> str | None:
        """Returns the case ref a reply address names (`case+<ref>@domain`), or None."""
        match = re.fullmatch(r"case\+([A-Za-z0-9._-]{1,64})@(.+)", address.strip(), re.IGNORECASE)
        if match is None or match.group(2).lower() != self.domain:
            return None
        return _case_ref(match.group(1))

    def case_of_thread(self, message_id: str) -> str | None:
        """Returns the case ref a case thread id names (`<case.<ref>@domain>`), or None."""
        match = re.fullmatch(r"<case\.([A-Za-z0-9._-]{1,64})@([^>]+)>", message_id.strip())
        if match is None or match.group(2).lower() != self.domain:
            return None
        return _case_ref(match.group(1))

    def is_own_message_id(self, message_id: str) -> bool:
        """Returns whether a Message-ID is one Redress made (its domain is Redress's)."""
        return message_id.strip().rstrip(">").rpartition("@")[2].lower() == self.domain

    def is_staff_message_id(self, message_id: str) -> bool:
        """Returns whether a Message-ID is one of Redress's staff mail or staff threads
        (`<staff.…@domain>`): an answer to it comes from staff, never from a customer."""
        return message_id.strip().startswith("<staff.") and self.is_own_message_id(message_id)

    def is_own_sender(self, address: str) -> bool:
        """Returns whether mail from `address` is Redress's own (support or a case)."""
        address = address.strip().lower()
        return address in self.own_senders or self.case_of_address(address) is not None

    def accepts(self, address: str) -> bool:
        """Returns whether `address` is one the gateway takes mail for (support or a case
        address; whether that case exists is for the store to say)."""
        return address.strip().lower() == self.support or self.case_of_address(address) is not None


def _case_ref(part: str) -> str:
    # Complaint and return ids are upper case; a mail client may lower-case the address.
    if re.fullmatch(r"[Cc][A-Za-z2-7]{12}", part):
        return part.upper()
    if re.fullmatch(r"return-[Rr][A-Za-z2-7]{12}", part, re.IGNORECASE):
        return "return-" + part[7:].upper()
    return part


def is_return_ref(case_ref: str) -> bool:
    """Returns whether a case ref names a return (`return-R...`), not a complaint."""
    return case_ref.startswith("return-")
