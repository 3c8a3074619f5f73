"""The mail gateway beside the API and real workers on the dev server, for every test of
this folder that takes mail (tests/inbound/mail/support.py)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from store.db import SessionFactory
from tests.inbound.mail.support import MailHarness, mail_harness


@pytest.fixture
async def mail(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[MailHarness]:
    async with mail_harness(dev_server_env, sessions, database_url, tmp_path) as harness:
        yield harness
