"""The IMAP mailbox the gateway polls, named by `imaps://user:password@host[:port]/FOLDER`,
and how it logs in: over TLS whose certificate is checked, telling a refusal that trying
again will not mend (wrong password, untrusted certificate, no such folder) from a server
that is merely away.
"""

import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxFolderSelectError, MailboxLoginError

IMAP_TIMEOUT_SECONDS = 30.0


class MailboxUnusable(Exception):
    """The mailbox refuses the gateway in a way that polling again will not mend; the
    gateway stops and says why."""


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
    # Certificate authorities to trust instead of the system's (a server with a private CA).
    ca_file: str | None = None

    @classmethod
    def from_url(cls, url: str, *, ca_file: str | None = None) -> "ImapMailbox":
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
            ca_file=ca_file,
        )

    @property
    def where(self) -> str:
        """Returns the mailbox's URL without its password, for messages and logs."""
        scheme = "imaps" if self.tls == "implicit" else "imap"
        return f"{scheme}://{self.username}@{self.host}:{self.port}/{self.folder}"

    def open(self) -> BaseMailBox:
        """Returns the mailbox, logged in, its folder selected. Raises MailboxUnusable when
        the certificate, the login or the folder is refused; OSError or ImapToolsError when
        the server is away or answers oddly (worth another try)."""
        try:
            box = self._connect()
        except ssl.SSLCertVerificationError as error:
            raise MailboxUnusable(
                f"{self.where}: the server's certificate is not trusted "
                f"({error.verify_message}); give the authority that signed it with "
                "--imap-ca-file, or fix the certificate"
            ) from error
        try:
            return box.login(self.username, self.password, initial_folder=self.folder)
        except Exception as error:
            # The connection goes with the failed login, whatever stopped it.
            box.client.shutdown()
            refusal = self._refusal(error)
            if refusal is None:
                raise
            raise refusal from error

    def _refusal(self, error: Exception) -> MailboxUnusable | None:
        """Returns why the server will never let the gateway in, or None when `error` may
        pass (the server's own trouble)."""
        if isinstance(error, MailboxFolderSelectError):
            return MailboxUnusable(
                f"{self.where}: the mailbox has no folder {self.folder!r} "
                f"({_answer_text(error.command_result)}); name one in --imap's path"
            )
        if not isinstance(error, MailboxLoginError):
            return None
        answer = _answer_text(error.command_result)
        # RFC 5530: UNAVAILABLE is the server's own trouble (its password store away).
        if "[UNAVAILABLE]" in answer:
            return None
        return MailboxUnusable(
            f"{self.where}: the server refused the login of {self.username!r} ({answer}); "
            "check the user and password in --imap"
        )

    def check(self) -> None:
        """Logs in and out once; raises as `open` does."""
        self.open().logout()

    def _connect(self) -> BaseMailBox:
        # imaplib's default TLS context checks no certificate: the support mailbox's
        # password would go to whoever answers. The system's authorities (or ca_file) and
        # the host name are checked instead, as for outbound SMTP.
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.tls == "implicit":
            return MailBox(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS, ssl_context=context)
        if self.tls == "starttls":
            return MailBoxStartTls(
                self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS, ssl_context=context
            )
        return MailBoxUnencrypted(self.host, self.port, timeout=IMAP_TIMEOUT_SECONDS)


def _answer_text(command_result: object) -> str:
    """Returns the server's words from an imap-tools command result `(status, [lines])`."""
    if isinstance(command_result, tuple) and len(command_result) == 2:
        lines = command_result[1] or []
        return " ".join(
            line.decode(errors="replace") if isinstance(line, bytes) else str(line)
            for line in lines
        )
    return str(command_result)
