"""`make run` e-mails customers without an outside server: the stack's own mail catcher
takes what the worker sends and keeps it in a Maildir under the data directory."""

import time
import uuid
from pathlib import Path

import httpx

from tests.mail import received
from tests.running_stack import READY_TIMEOUT_SECONDS, admin_headers, running_stack, stack_env


def test_an_opened_complaint_is_acknowledged_by_mail_in_the_data_dir(tmp_path: Path) -> None:
    env = stack_env(tmp_path)
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    maildir = tmp_path / "var" / "mail"
    log = tmp_path / "stack.log"
    with running_stack(env, log):
        assert f"Mail         {maildir} (Maildir" in log.read_text()
        created = httpx.post(
            f"{api}/complaints",
            json={
                "channel": "app",
                "customer": {
                    "id": f"cust-{uuid.uuid4().hex[:8]}",
                    "locale": "zh-CN",
                    "name": "王芳",
                    "email": "wang.fang@example.com",
                },
                "description": "收到的耳机左耳完全没有声音，换了手机也一样。",
            },
            headers=admin_headers(env),
            timeout=10,
        )
        assert created.status_code == 201, created.text
        complaint_id = created.json()["complaint_id"]

        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not received(maildir):
            assert time.monotonic() < deadline, f"no mail arrived:\n{log.read_text()}"
            time.sleep(0.2)

    [(_, message)] = received(maildir)
    assert message["To"] == "王芳 <wang.fang@example.com>"
    assert complaint_id in str(message["Subject"])
    assert message["Auto-Submitted"] == "auto-generated"
