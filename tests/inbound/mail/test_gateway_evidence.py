"""Mail attachments become a complaint's evidence: real SMTP into the gateway, the
complaint on the dev server with real workers, the console's page showing the photo, and
Redress's note about a refused file caught by a real SMTP server."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from store.db import SessionFactory
from store.tables.evidence import CaseEvidence
from store.tables.inbound_mail import InboundOutcome
from tests.console.support import signed_in
from tests.inbound.mail.support import MailHarness, customer_mail, mail_harness
from tests.store.test_evidence_sniffing import PROGRAM, image_bytes

# Small, so a test mail (under the gateway's 64 KB) can carry a file over it.
TEST_MAX_FILE_BYTES = 16 * 1024


@pytest.fixture
async def mail(
    dev_server_env: WorkflowEnvironment, sessions: SessionFactory, database_url: str, tmp_path: Path
) -> AsyncIterator[MailHarness]:
    async with mail_harness(
        dev_server_env,
        sessions,
        database_url,
        tmp_path,
        evidence_max_file_bytes=TEST_MAX_FILE_BYTES,
    ) as harness:
        yield harness


def evidence_of(mail: MailHarness, complaint_id: str) -> list[CaseEvidence]:
    with mail.api.sessions() as session:
        statement = select(CaseEvidence).where(CaseEvidence.case_id == complaint_id)
        return list(session.exec(statement))


@pytest.mark.both_stores
async def test_a_mailed_photo_opens_a_complaint_and_shows_on_the_console_page(
    mail: MailHarness,
) -> None:
    photo = image_bytes("JPEG", (320, 240))
    sent = customer_mail("The parcel arrived crushed, photo attached.")
    # As phones label a photo they cannot name: the type comes from the bytes.
    sent.add_attachment(
        photo, maintype="application", subtype="octet-stream", filename="压坏的包裹.jpg"
    )
    await mail.deliver(sent)
    await mail.deliver(sent)  # redelivered by a server that lost our answer

    row = await mail.taken(sent["Message-ID"])
    assert row.outcome == InboundOutcome.OPENED and row.case_id is not None
    complaint_id = row.case_id
    view = await mail.api.wait_for_view(
        complaint_id, lambda v: any(e["kind"] == "evidence_added" for e in v["timeline"])
    )
    [added] = [e for e in view["timeline"] if e["kind"] == "evidence_added"]
    assert added["detail"] == f"压坏的包裹.jpg (JPEG, {len(photo)} B)"
    [kept] = evidence_of(mail, complaint_id)
    assert (kept.content_type, kept.source, kept.source_ref) == (
        "image/jpeg",
        "email",
        sent["Message-ID"],
    )

    async with signed_in(mail.api, "sup-evidence", Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(f"/console/complaints/{complaint_id}")
        assert page.status_code == 200, page.text
        file_url = f"/complaints/{complaint_id}/evidence/{kept.sha256}"
        assert f'<img src="{file_url}" alt="压坏的包裹.jpg"' in page.text
        served = await supervisor.get(file_url)
    assert served.status_code == 200 and served.content == photo
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline;")


async def test_refused_attachments_are_told_to_the_sender_and_the_rest_is_taken(
    mail: MailHarness,
) -> None:
    sent = customer_mail("Here is everything I have about the broken kettle.")
    sent.add_attachment(
        image_bytes("PNG", (16, 16)), maintype="image", subtype="png", filename="label.png"
    )
    large = ("kettle " * 4000).encode()  # plain text, 28 KB: over the 16 KB limit
    sent.add_attachment(large, maintype="text", subtype="plain", filename="manual.txt")
    sent.add_attachment(PROGRAM, maintype="image", subtype="jpeg", filename="photo.jpg")
    await mail.deliver(sent)

    row = await mail.taken(sent["Message-ID"])
    assert row.outcome == InboundOutcome.OPENED and row.case_id is not None
    assert "manual.txt refused: too_large" in row.detail
    assert "photo.jpg refused: type_not_accepted" in row.detail
    assert [e.filename for e in evidence_of(mail, row.case_id)] == ["label.png"]

    letters = await mail.mail_to("lin.wei@example.com", count=2)
    [note] = [m for m in letters if "could not be kept" in str(m["Subject"])]
    assert note["Subject"] == f"Some of your files could not be kept (ref. {row.case_id})"
    assert note["In-Reply-To"] == sent["Message-ID"]
    text = note.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Too large: manual.txt." in text
    assert "Each file may be up to 0.02 MB" in text
    assert "Not a type we can take: photo.jpg." in text
    view = await mail.api.wait_for_view(row.case_id, lambda v: v["status"] == "open")
    kinds = [e["kind"] for e in view["timeline"]]
    assert kinds.count("evidence_added") == 1 and kinds.count("evidence_refused") == 2
