"""Free text a customer or an agent types reaches notifications as text, never as markup.

The outbox keeps each message's plain text: no template has markup of its own, and values
are put in as they were typed, so a `<script>` in a name or a reply reads as those
characters, and nothing in it is run or rendered. (The HTML part of an e-mail escapes
them: tests/activities/test_notifications.py.)
"""

import re

from sqlmodel import col, select

from core.wording.environment import TEXT
from store.tables.outbox import OutboxMessage
from tests.api.support import Api, eventually, intake

SCRIPT = "<script>alert('pwned')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
MARKUP = re.compile(r"<\s*[A-Za-z!/]")


def test_no_template_has_markup_of_its_own() -> None:
    names = TEXT.list_templates(filter_func=lambda name: name.startswith("mail/"))
    assert names
    for name in names:
        if name.endswith(".txt"):
            source = TEXT.loader.get_source(TEXT, name)[0] if TEXT.loader else ""
            assert not MARKUP.search(source), f"{name} has markup"


async def _agent_reply_body(api: Api, complaint_id: str) -> str | None:
    with api.sessions() as session:
        replies = session.exec(
            select(OutboxMessage.body).where(
                col(OutboxMessage.complaint_id) == complaint_id,
                col(OutboxMessage.template) == "agent_reply",
            )
        ).all()
    return replies[0] if replies else None


async def test_markup_in_a_name_and_a_reply_comes_out_as_typed_text(api: Api) -> None:
    body = intake(description=f"Broken on arrival {SCRIPT}")
    body["customer"]["name"] = f"Lin {SCRIPT}"
    complaint_id = (await api.create(body)).json()["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")

    reply = await api.http.post(
        f"/complaints/{complaint_id}/actions",
        json={"action": {"type": "reply", "message": f"We are on it. {IMAGE}"}},
    )
    assert reply.status_code == 200, reply.text

    sent = await eventually(lambda: _agent_reply_body(api, complaint_id))
    assert f"Dear Lin {SCRIPT}," in sent
    assert f"We are on it. {IMAGE}" in sent
    # The only markup-like text is what the people typed: the message adds none.
    leftover = sent.replace(SCRIPT, "").replace(IMAGE, "")
    assert not MARKUP.search(leftover), leftover
