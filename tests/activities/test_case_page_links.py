"""The customer's page link in the first message about a case: added when a link can be
made, left out (and the message still sent) when the worker has no secret to sign with."""

import pytest
from sqlmodel import select

from activities.notifications.case_page_links import CASE_PAGE_MESSAGES, CaseLinkNotifier
from activities.notifications.outbox import OutboxNotifier
from core.links import CaseKind, LinkPurpose, read_link_token
from core.settings import Settings
from core.wording.mail import template_values
from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.tables.outbox import OutboxMessage

# What the acknowledgement says without a page to point to.
REPLY_ONLY = {
    Locale.ZH_CN: "如需补充说明或上传凭证，直接回复本消息即可。",
    Locale.EN: "If you would like to add details or evidence, simply reply to this message.",
}
SECRET = "a-test-secret-that-is-long-enough-to-sign-0123"
BASE = "https://help.example.com"


def _notification(template: NotificationTemplate, locale: Locale, **params: str) -> Notification:
    return Notification(
        idempotency_key=f"test/{template}/{locale}",
        complaint_id=params.get("complaint_id") or params.get("return_id", ""),
        template=template,
        locale=locale,
        recipient=Recipient(kind=RecipientKind.CUSTOMER, id="cust-1"),
        params={"customer_name": "Li Lei", "deadline": "2026-03-08 18:00 CST"} | params,
    )


def _sent(sessions: SessionFactory) -> OutboxMessage:
    with sessions() as session:
        return session.exec(select(OutboxMessage)).one()


@pytest.mark.parametrize("locale", list(Locale))
def test_the_acknowledgement_links_to_the_customers_page(
    sessions: SessionFactory, locale: Locale
) -> None:
    settings = Settings(secret_key=SECRET, public_base_url=f"{BASE}/")
    notifier = CaseLinkNotifier(OutboxNotifier(sessions), settings)

    notifier.send(
        _notification(NotificationTemplate.ACKNOWLEDGEMENT, locale, complaint_id="CABCDEFGHIJKL")
    )

    body = _sent(sessions).body
    url = next(word for word in body.split() if word.startswith(f"{BASE}/my/"))
    granted = read_link_token(SECRET, url.rsplit("/", 1)[1])
    assert (granted.kind, granted.case_id) == (CaseKind.COMPLAINT, "CABCDEFGHIJKL")
    assert granted.purpose is LinkPurpose.CASE
    assert REPLY_ONLY[locale] not in body


def test_a_return_receipt_links_to_its_page(sessions: SessionFactory) -> None:
    notifier = CaseLinkNotifier(OutboxNotifier(sessions), Settings(secret_key=SECRET))

    notifier.send(
        _notification(NotificationTemplate.RETURN_RECEIVED, Locale.EN, return_id="RABCDEFGHIJKL")
    )

    body = _sent(sessions).body
    url = next(word for word in body.split() if "/my/" in word)
    granted = read_link_token(SECRET, url.rsplit("/", 1)[1])
    assert (granted.kind, granted.case_id) == (CaseKind.RETURN, "RABCDEFGHIJKL")


def test_without_a_secret_the_message_goes_without_the_link(sessions: SessionFactory) -> None:
    notifier = CaseLinkNotifier(OutboxNotifier(sessions), Settings(secret_key=""))

    notifier.send(
        _notification(NotificationTemplate.ACKNOWLEDGEMENT, Locale.EN, complaint_id="CABCD")
    )

    body = _sent(sessions).body
    assert "/my/" not in body
    assert REPLY_ONLY[Locale.EN] in body


def test_other_messages_pass_unchanged(sessions: SessionFactory) -> None:
    notifier = CaseLinkNotifier(OutboxNotifier(sessions), Settings(secret_key=SECRET))
    reply = _notification(
        NotificationTemplate.AGENT_REPLY, Locale.EN, complaint_id="CABCD", message="On it."
    )

    notifier.send(reply)

    assert "/my/" not in _sent(sessions).body


@pytest.mark.parametrize("template", list(CASE_PAGE_MESSAGES))
@pytest.mark.parametrize("locale", list(Locale))
def test_the_link_is_a_template_value_the_workflow_never_sends(
    template: NotificationTemplate, locale: Locale
) -> None:
    # The notifier provides it: a template that asked the workflow for it could never
    # be sent by one.
    assert "case_url" not in template_values(template, locale)
