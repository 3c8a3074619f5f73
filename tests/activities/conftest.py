"""Fixtures of the notification tests: a real SMTP server (the mail catcher `make run`
starts) and the Maildir it keeps what it accepts in."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail import mail_catcher


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def smtp_url(maildir: Path) -> Iterator[str]:
    """Yields the URL of a real SMTP server that keeps what it accepts in `maildir`."""
    with mail_catcher(maildir) as url:
        yield url
