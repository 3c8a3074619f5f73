"""A failure's recovery task in the console: a resolution undone by a declined step
opens one, the inbox lists it beside the survey's tasks with what failed (in English and
Chinese), and a supervisor completes it from its page; the complaint's timeline then
shows it done. Agents get the 403 page."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from store.db import SessionFactory
from store.tables.surveys import RecoveryTaskRecord
from tests.api.conftest import running_api
from tests.api.service_recovery_support import DECLINED, undo_a_resolution
from tests.api.support import Api, eventually
from tests.console.conftest import console_settings
from tests.console.support import csrf_token, signed_in

SUPERVISOR = "sup-failures-console"
INBOX = "/console/recovery"
NOTE = "Called the customer, apologised, and refunded the 20.00 by hand."
RESPONSE = "Relieved; thanks for calling."
_FORM_KEY = re.compile(r'name="form_key" value="([A-Za-z0-9_-]+)"')


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    settings = console_settings(dev_server_env, database_url, tmp_path, **DECLINED)
    async with running_api(dev_server_env.client, sessions, settings) as api:
        yield api


def _text(html: str) -> str:
    """Returns what `html` reads as, its tags left out."""
    return re.sub(r"<[^>]+>", "", html)


def _row(page: str, task_id: str) -> str:
    return page.split(f'<tr data-task="{task_id}"')[1].split("</tr>")[0]


async def test_a_supervisor_completes_a_failures_task_from_its_page(api: Api) -> None:
    complaint_id, task_id = await undo_a_resolution(api)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:

        async def listed() -> str | None:
            page = await supervisor.get(INBOX)
            return page.text if f'data-task="{task_id}"' in page.text else None

        row = _row(await eventually(listed), task_id)
        assert f'href="{INBOX}/{task_id}"' in row
        assert f'href="/console/complaints/{complaint_id}"' in row
        assert 'data-failure="compensation_undone"' in row and "Compensation undone" in row
        assert "What happened: refund" in _text(row) and 'class="countdown' in row

        task_page = await supervisor.get(f"{INBOX}/{task_id}")
        assert task_page.status_code == 200, task_page.text
        assert "We failed this customer on their complaint" in task_page.text
        assert "What went wrong" in task_page.text and "Compensation undone" in task_page.text
        assert 'data-recovery-status="open"' in task_page.text
        key = _FORM_KEY.search(task_page.text)
        assert key is not None, "the open task's page has no report form"
        form = {"csrf_token": csrf_token(task_page.text), "form_key": key.group(1)}

        completed = await supervisor.post(
            f"{INBOX}/{task_id}", data=form | {"note": NOTE, "customer_response": RESPONSE}
        )
        assert completed.status_code == 303, completed.text
        done = await supervisor.get(completed.headers["location"])
        assert 'data-recovery-status="done"' in done.text
        assert "Recorded: the task is done" in done.text and f"Done by {SUPERVISOR}" in done.text
        assert NOTE in done.text and RESPONSE in done.text
        assert 'name="form_key"' not in done.text, "a done task offers no form"
        # The same form sent twice (a double click) records one report.
        twice = await supervisor.post(
            f"{INBOX}/{task_id}", data=form | {"note": NOTE, "customer_response": RESPONSE}
        )
        assert twice.status_code == 303, twice.text

        await api.wait_for_view(
            complaint_id,
            lambda view: "recovery_done" in [event["kind"] for event in view["timeline"]],
        )
        complaint_page = await supervisor.get(f"/console/complaints/{complaint_id}")
        assert 'data-kind="recovery_started"' in complaint_page.text
        assert 'data-kind="recovery_done"' in complaint_page.text
        done_list = await supervisor.get(INBOX, params={"status": "done"})
        assert "Compensation undone" in _row(done_list.text, task_id)

    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert [event["kind"] for event in view["timeline"]].count("recovery_done") == 1
    with api.sessions() as session:
        stored = session.get(RecoveryTaskRecord, task_id)
        assert stored is not None and (stored.status, stored.completed_by) == ("done", SUPERVISOR)


async def test_the_failure_is_named_in_chinese_and_agents_get_the_403_page(api: Api) -> None:
    _, task_id = await undo_a_resolution(api)

    async with signed_in(api, "sup-failures-zh", Role.SUPERVISOR, locale="zh-CN") as supervisor:

        async def listed() -> str | None:
            page = await supervisor.get(INBOX)
            return page.text if f'data-task="{task_id}"' in page.text else None

        row = _row(await eventually(listed), task_id)
        assert "补偿被撤销" in row and "具体情况：refund" in _text(row)
        task_page = await supervisor.get(f"{INBOX}/{task_id}")
        assert "出了什么问题" in task_page.text and "服务出现了失误" in task_page.text

    async with signed_in(api, "agent-failures-console", Role.AGENT) as agent:
        refused = await agent.get(f"{INBOX}/{task_id}")
    assert refused.status_code == 403, refused.text
