"""A real IMAP server for tests: Debian's Dovecot (REDRESS_TEST_DOVECOT, which `make test`
gets from scripts/debian-tool-for-tests), run in the foreground with a throwaway
configuration: its own directory, free ports on 127.0.0.1 for IMAP (STARTTLS) and IMAPS,
a self-signed certificate made with openssl, users in a passwd-file, Maildir mailboxes.

Its own directory lives in /tmp rather than under pytest's (which only root may enter):
Dovecot's login and mail processes run as its unprivileged users when started as root,
and its sockets' paths must stay short.
"""

import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from core.stack import free_port

DOVECOT_ENV = "REDRESS_TEST_DOVECOT"
READY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class ImapServer:
    work: Path
    imap_port: int
    imaps_port: int
    # The self-signed certificate's PEM, for clients to trust (`--imap-ca-file`).
    certificate: Path
    # The one user, its INBOX empty at start.
    username: str
    password: str

    def url(self, *, password: str | None = None, starttls: bool = False) -> str:
        """Returns the `--imap` URL of the user's INBOX (implicit TLS, or STARTTLS)."""
        secret = quote(self.password if password is None else password, safe="")
        if starttls:
            return f"imap://{self.username}:{secret}@127.0.0.1:{self.imap_port}/INBOX?starttls=1"
        return f"imaps://{self.username}:{secret}@127.0.0.1:{self.imaps_port}/INBOX"


def dovecot_binary() -> str:
    """Returns Dovecot's path, or skips the test saying how to get it."""
    found = os.environ.get(DOVECOT_ENV) or shutil.which("dovecot", path="/usr/sbin:/usr/bin")
    if not found:
        pytest.skip(
            "no Dovecot: run through `make test` (scripts/debian-tool-for-tests installs "
            f"Debian's dovecot-imapd as root) or set {DOVECOT_ENV}"
        )
    if not shutil.which("openssl"):
        pytest.skip("no openssl to make the IMAP server's certificate")
    return found


def _self_signed_certificate(work: Path) -> tuple[Path, Path]:
    certificate, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(certificate), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def _service_users() -> tuple[str, str, int, int]:
    """Returns Dovecot's internal and login users, and the uid and gid mail is kept as."""
    if os.geteuid() != 0:
        # Run by an ordinary user, every Dovecot process is that user.
        me = getpass.getuser()
        return me, me, os.getuid(), os.getgid()
    dovecot = pwd.getpwnam("dovecot")
    return "dovecot", "dovenull", dovecot.pw_uid, dovecot.pw_gid


def _configuration(server: ImapServer, key: Path, internal: str, login: str, uid: int) -> str:
    work = server.work
    return f"""
base_dir = {work}/run
state_dir = {work}/state
log_path = {work}/dovecot.log
instance_name = redress-test-{work.name}
default_internal_user = {internal}
default_login_user = {login}
# Mail is kept as Dovecot's own system user when run as root, whose uid is below the 500
# Dovecot allows by default.
first_valid_uid = {uid}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{server.certificate}
ssl_key = <{key}
# Tests log in with LOGIN over 127.0.0.1; production servers should keep this `yes`.
disable_plaintext_auth = no
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {work}/passwd
}}
userdb {{
  driver = passwd-file
  args = {work}/passwd
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {server.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {server.imaps_port}
    ssl = yes
  }}
}}
"""


def _wait_until_listening(process: subprocess.Popen[bytes], server: ImapServer) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        try:
            with socket.create_connection(("127.0.0.1", server.imaps_port), timeout=2):
                return
        except OSError:
            log = server.work / "dovecot.log"
            assert process.poll() is None, log.read_text() if log.exists() else "no log"
            assert time.monotonic() < deadline, "Dovecot never listened"
            time.sleep(0.1)


@contextmanager
def dovecot_server() -> Iterator[ImapServer]:
    """Runs Dovecot until the block ends; yields where it listens and who may log in."""
    binary = dovecot_binary()
    work = Path(tempfile.mkdtemp(prefix="redress-imap-"))
    try:
        # Entered (not listed) by Dovecot's unprivileged processes.
        work.chmod(0o711)
        internal, login, uid, gid = _service_users()
        (work / "mail").mkdir()
        os.chown(work / "mail", uid, gid)
        certificate, key = _self_signed_certificate(work)
        server = ImapServer(
            work, free_port(), free_port(), certificate, "support", f"pw-{uuid.uuid4().hex[:12]}"
        )
        # Users are read at start: Dovecot rereads a changed passwd-file only now and then.
        (work / "passwd").write_text(
            f"{server.username}:{{PLAIN}}{server.password}:{uid}:{gid}::"
            f"{work / 'mail' / server.username}::\n"
        )
        config = work / "dovecot.conf"
        config.write_text(_configuration(server, key, internal, login, uid))
        with (work / "dovecot.out").open("wb") as output:
            process = subprocess.Popen(
                [binary, "-F", "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
            )
        try:
            _wait_until_listening(process, server)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
