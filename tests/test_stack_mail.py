"""`make run` e-mails customers without an outside server: the stack's own mail catcher
takes what the worker sends and keeps it in a Maildir under the data directory."""

import smtplib
import time
import uuid
from email.message import EmailMessage
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


def test_a_mail_sent_to_the_stacks_gateway_opens_a_complaint(tmp_path: Path) -> None:
    # What a newcomer does after `make run`: send a mail with smtplib, see a complaint.
    env = stack_env(tmp_path)
    api = f"http://127.0.0.1:{env['REDRESS_API_PORT']}"
    port = int(env["REDRESS_MAIL_GATEWAY_PORT"])
    maildir = tmp_path / "var" / "mail"
    log = tmp_path / "stack.log"
    with running_stack(env, log):
        assert f"Mail in      smtp://127.0.0.1:{port}" in log.read_text()
        message = EmailMessage()
        message["From"] = "Lin Wei <lin.wei@example.com>"
        message["To"] = "support@redress.localhost"
        message["Subject"] = "Broken blender"
        message["Message-ID"] = f"<{uuid.uuid4().hex}@example.com>"
        message.set_content("The motor does not turn on.")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.send_message(message)

        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            listed = httpx.get(
                f"{api}/complaints",
                params={"customer_id": "email:lin.wei:example.com"},
                headers=admin_headers(env),
                timeout=10,
            ).json()
            if listed["items"] and received(maildir):
                break
            assert time.monotonic() < deadline, f"no complaint opened:\n{log.read_text()}"
            time.sleep(0.2)

    [(_, acknowledgement)] = received(maildir)
    assert acknowledgement["In-Reply-To"] == message["Message-ID"]
    assert listed["items"][0]["channel"] == "email"
