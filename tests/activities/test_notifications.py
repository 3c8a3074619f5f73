"""Notification templates, the outbox notifier and its activity, against a real SQLite store."""

import logging
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.notifications.activities import NotificationActivities
from activities.notifications.errors import MissingTemplateParameters
from activities.notifications.outbox import OutboxNotifier
from activities.notifications.templates import TEMPLATES, render, template_params
from domain.notifications import (
    Notification,
    NotificationTemplate,
    Recipient,
    RecipientKind,
)
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.tables.outbox import OutboxMessage

CJK = re.compile(r"[\u4e00-\u9fff]")

# The parameters each template takes: the contract with the workflows that send them.
WORKFLOW_PARAMS = {
    NotificationTemplate.ACKNOWLEDGEMENT: {"complaint_id", "customer_name", "deadline"},
    NotificationTemplate.AGENT_REPLY: {"complaint_id", "customer_name", "message"},
    NotificationTemplate.INFO_REQUEST: {"complaint_id", "customer_name", "question", "deadline"},
    NotificationTemplate.INFO_REMINDER: {"complaint_id", "customer_name", "question", "deadline"},
    NotificationTemplate.AUTO_CLOSED: {"complaint_id", "customer_name"},
    NotificationTemplate.RESOLUTION_OUTCOME: {
        "complaint_id",
        "customer_name",
        "outcome",
        "message",
    },
    NotificationTemplate.RESOLUTION_FAILED: {"complaint_id", "customer_name"},
    NotificationTemplate.SLA_REMINDER: {"complaint_id", "deadline"},
    NotificationTemplate.ESCALATION: {"complaint_id", "level", "reason"},
    NotificationTemplate.APPROVAL_REQUESTED: {
        "complaint_id",
        "proposed_by",
        "amount",
        "currency",
        "deadline",
    },
    NotificationTemplate.APPROVAL_REJECTED: {"complaint_id", "approver", "reason"},
    NotificationTemplate.APPROVAL_EXPIRED: {"complaint_id", "amount", "currency"},
    NotificationTemplate.NEEDS_PERSON: {"complaint_id", "reason"},
    NotificationTemplate.RETURN_RECEIVED: {"return_id", "customer_name"},
    NotificationTemplate.RETURN_REJECTED: {"return_id", "customer_name", "reasons"},
    NotificationTemplate.RETURN_UNDER_REVIEW: {"return_id", "customer_name"},
    NotificationTemplate.RETURN_LABEL: {
        "return_id",
        "customer_name",
        "tracking_number",
        "label_url",
        "ship_by",
        "how",
    },
    NotificationTemplate.RETURN_SHIP_REMINDER: {"return_id", "customer_name", "ship_by"},
    NotificationTemplate.RETURN_CANCELLED: {"return_id", "customer_name", "reason"},
    NotificationTemplate.RETURN_TRACE_OPENED: {"return_id", "customer_name", "tracking_number"},
    NotificationTemplate.RETURN_REFUNDED: {"return_id", "customer_name", "amount", "currency"},
    NotificationTemplate.RETURN_STORE_CREDITED: {
        "return_id",
        "customer_name",
        "amount",
        "currency",
    },
    NotificationTemplate.EXCHANGE_SHIPPED: {"return_id", "customer_name", "tracking_number"},
    NotificationTemplate.RETURN_PLAN_PROPOSED: {"return_id", "customer_name", "plan", "deadline"},
    NotificationTemplate.RETURN_COMPLETED: {"return_id", "customer_name", "outcome"},
    NotificationTemplate.RETURN_REVIEW_REQUESTED: {"return_id", "reasons", "deadline"},
    NotificationTemplate.RETURN_INSPECTION_REQUESTED: {"return_id", "deadline"},
    NotificationTemplate.RETURN_CLAIM_FILED: {"return_id", "amount", "currency"},
    NotificationTemplate.RETURN_NEEDS_PERSON: {"return_id", "reason"},
    NotificationTemplate.SURVEY_INVITATION: {
        "customer_name",
        "case_kind",
        "case_ref",
        "survey_url",
        "deadline",
    },
    NotificationTemplate.SURVEY_REMINDER: {
        "customer_name",
        "case_kind",
        "case_ref",
        "survey_url",
        "deadline",
    },
    NotificationTemplate.SERVICE_RECOVERY: {"customer_name", "case_kind", "case_ref", "deadline"},
    NotificationTemplate.SERVICE_RECOVERY_COUPON: {
        "customer_name",
        "case_kind",
        "case_ref",
        "deadline",
        "amount",
        "currency",
    },
    NotificationTemplate.RECOVERY_TASK: {
        "case_kind",
        "case_ref",
        "csat",
        "resolved",
        "comment",
        "offer",
        "deadline",
    },
    NotificationTemplate.RECOVERY_LAPSED: {"case_kind", "case_ref", "assignee", "csat"},
}

ALL_PARAMS = {
    "complaint_id": "C-20250308-0042",
    "customer_name": "Li Lei",
    "message": "Refund 50.00 CNY",
    "question": "Photo of the label?",
    "deadline": "2025-03-08T18:00:00+08:00",
    "outcome": "Refund 50.00 CNY (RF-000001)",
    "level": "supervisor",
    "amount": "350.00",
    "currency": "CNY",
    "reason": "Too generous",
    "proposed_by": "agent-7",
    "approver": "sup-1",
    "return_id": "R-20250308-0007",
    "reasons": "Line 1 (order O-1, SKU S-1): the 7-day return window closed.",
    "tracking_number": "SF1402938475",
    "label_url": "https://labels.example.com/SF1402938475.pdf",
    "ship_by": "2025-03-15 18:00",
    "how": "pickup",
    "plan": "Refund 40.00 CNY for the item you keep",
    "case_kind": "complaint",
    "case_ref": "C-20250309-0051",
    "survey_url": "https://redress.example.com/surveys/eyJ0eXAi.eyJzdWIi.c2ln",
    "csat": "2",
    "resolved": "no",
    "comment": "Still waiting for the refund.",
    "offer": "20.00 CNY (CP-000001)",
    "assignee": "sup-quality",
}


def notification(
    key: str = "C-1/3/agent_reply/cust-1",
    *,
    template: NotificationTemplate = NotificationTemplate.AGENT_REPLY,
    locale: Locale = Locale.ZH_CN,
    params: dict[str, str] | None = None,
) -> Notification:
    return Notification(
        idempotency_key=key,
        complaint_id="C-1",
        template=template,
        locale=locale,
        recipient=Recipient(kind=RecipientKind.CUSTOMER, id="cust-1", address="li@example.com"),
        params=params if params is not None else {**ALL_PARAMS, "complaint_id": "C-1"},
    )


def outbox(sessions: SessionFactory) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


# --- Templates --------------------------------------------------------------------------


@pytest.mark.parametrize("template", list(NotificationTemplate))
@pytest.mark.parametrize("locale", list(Locale))
def test_every_template_renders_in_every_locale(
    template: NotificationTemplate, locale: Locale
) -> None:
    subject, body = render(template, locale, ALL_PARAMS)

    # Every message names what it is about: its complaint, its return, or the case a
    # survey follows.
    needed = template_params(template)
    reference = next((name for name in ("return_id", "case_ref") if name in needed), "complaint_id")
    assert ALL_PARAMS[reference] in subject and ALL_PARAMS[reference] in body
    assert "$" not in subject + body and "\n" not in subject
    if locale is Locale.ZH_CN:
        assert CJK.search(subject) and CJK.search(body)
    else:
        assert not CJK.search(subject + body)
        assert re.search(r"\b(the|your|has|is)\b", body)


def test_templates_take_exactly_what_the_workflow_sends() -> None:
    assert set(TEMPLATES) == set(NotificationTemplate)
    for template, locales in TEMPLATES.items():
        assert set(locales) == set(Locale)
        assert template_params(template) == WORKFLOW_PARAMS[template], template
        render(template, Locale.EN, {name: "x" for name in WORKFLOW_PARAMS[template]})


def test_every_locale_of_a_template_shows_every_parameter() -> None:
    for template in NotificationTemplate:
        params = {name: f"<{name}>" for name in template_params(template)}
        for locale in Locale:
            subject, body = render(template, locale, params)
            for shown in params.values():
                assert shown in subject + body, (template, locale, shown)


def test_codes_are_shown_in_the_recipients_language() -> None:
    params = {"complaint_id": "C-1", "level": "supervisor", "reason": "SLA breached"}

    zh = render(NotificationTemplate.ESCALATION, Locale.ZH_CN, params)
    en = render(NotificationTemplate.ESCALATION, Locale.EN, params)

    assert "已升级至主管" in zh.subject and "已升级至主管处理" in zh.body
    assert "escalated to a supervisor" in en.subject and "Reason: SLA breached" in en.body


def test_return_codes_are_shown_in_the_recipients_language() -> None:
    label = {
        "customer_name": "Li Lei",
        "return_id": "R-1",
        "tracking_number": "SF1",
        "label_url": "https://labels.example.com/SF1.pdf",
        "ship_by": "-",
    }
    completed = {"customer_name": "Li Lei", "return_id": "R-1"}

    pickup = render(NotificationTemplate.RETURN_LABEL, Locale.ZH_CN, label | {"how": "pickup"})
    drop_off = render(NotificationTemplate.RETURN_LABEL, Locale.EN, label | {"how": "drop_off"})
    zh = render(
        NotificationTemplate.RETURN_COMPLETED, Locale.ZH_CN, completed | {"outcome": "refund"}
    )
    en = render(
        NotificationTemplate.RETURN_COMPLETED, Locale.EN, completed | {"outcome": "store_credit"}
    )

    assert "寄回方式：快递员将上门取件" in pickup.body
    assert "drop the parcel off" in drop_off.body and "drop_off" not in drop_off.body
    assert "处理结果：退款。" in zh.body
    assert "Outcome: store credit." in en.body


def test_a_missing_parameter_is_named_in_the_error() -> None:
    with pytest.raises(MissingTemplateParameters, match="needs the parameter\\(s\\) question;"):
        render(
            NotificationTemplate.INFO_REQUEST,
            Locale.EN,
            {"complaint_id": "C-1", "customer_name": "Li Lei", "deadline": "-"},
        )


def test_values_are_plain_text_without_control_characters() -> None:
    params = {
        "complaint_id": "C-1\r\n",
        "customer_name": "Li\x00 Lei\u202e",
        "message": "<b>Line one</b>\r\nLine\x07 two\tend",
    }

    subject, body = render(NotificationTemplate.AGENT_REPLY, Locale.EN, params)

    assert subject == "A reply about your complaint (ref. C-1)"
    assert "Dear Li Lei," in body
    assert "<b>Line one</b>\nLine two\tend" in body


# --- Outbox -----------------------------------------------------------------------------


def test_a_notification_is_written_to_the_outbox_once(
    sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = OutboxNotifier(sessions)

    with caplog.at_level(logging.INFO, logger="activities.notifications.outbox"):
        first = notifier.send(notification())
        again = notifier.send(notification())

    assert first.created and not again.created
    assert again.message_id == first.message_id
    [message] = outbox(sessions)
    assert (message.template, message.locale, message.recipient_id, message.address) == (
        "agent_reply",
        "zh-CN",
        "cust-1",
        "li@example.com",
    )
    assert "Refund 50.00 CNY" in message.body and "您好" in message.body
    assert message.sent_at is None
    [logged] = [r.getMessage() for r in caplog.records]
    assert "agent_reply" in logged and "cust-1" in logged and "C-1" in logged


def test_the_activity_sends_once_across_retries(sessions: SessionFactory) -> None:
    notifications = NotificationActivities(OutboxNotifier(sessions))
    env = ActivityEnvironment()

    first = env.run(notifications.send_notification, notification(locale=Locale.EN))
    retry = env.run(notifications.send_notification, notification(locale=Locale.EN))

    assert (first.created, retry.created) == (True, False)
    [message] = outbox(sessions)
    assert message.subject == "A reply about your complaint (ref. C-1)"


def test_identical_notifications_from_many_threads_write_one_message(
    sessions: SessionFactory,
) -> None:
    notifier = OutboxNotifier(sessions)

    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(pool.map(lambda _: notifier.send(notification()), range(16)))

    assert sum(receipt.created for receipt in receipts) == 1
    assert len({receipt.message_id for receipt in receipts}) == 1
    assert len(outbox(sessions)) == 1


def test_missing_parameters_fail_the_activity_for_good_and_write_nothing(
    sessions: SessionFactory,
) -> None:
    notifications = NotificationActivities(OutboxNotifier(sessions))

    with pytest.raises(ApplicationError) as raised:
        notifications.send_notification(notification(params={"complaint_id": "C-1"}))

    assert raised.value.type == "MissingTemplateParameters"
    assert raised.value.non_retryable
    assert "customer_name, message" in str(raised.value)
    assert outbox(sessions) == []


def test_a_key_reused_for_another_message_is_refused(sessions: SessionFactory) -> None:
    notifications = NotificationActivities(OutboxNotifier(sessions))
    notifications.send_notification(notification())

    other = notification(template=NotificationTemplate.AUTO_CLOSED)
    with pytest.raises(ApplicationError, check=lambda err: err.type == "IdempotencyKeyReused"):
        notifications.send_notification(other)
    assert len(outbox(sessions)) == 1


def test_survey_codes_are_shown_in_the_recipients_language() -> None:
    params = {
        name: ALL_PARAMS[name] for name in WORKFLOW_PARAMS[NotificationTemplate.RECOVERY_TASK]
    }

    zh = render(NotificationTemplate.RECOVERY_TASK, Locale.ZH_CN, params | {"case_kind": "return"})
    en = render(NotificationTemplate.RECOVERY_TASK, Locale.EN, params)

    assert "退货 C-20250309-0051" in zh.subject and "问题是否解决：未解决" in zh.body
    assert "complaint C-20250309-0051" in en.subject and "resolved: no" in en.body
