"""Notification templates (`core.wording.mail`), the outbox notifier and its activity,
against a real SQLite store."""

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.notifications.activities import NotificationActivities
from activities.notifications.outbox import OutboxNotifier
from core.wording.mail import (
    MessageNotRenderable,
    RenderedMessage,
    render_notification,
    template_values,
)
from domain.notifications import (
    CompensationLine,
    MessageValue,
    Moment,
    Money,
    Notification,
    NotificationTemplate,
    Recipient,
    RecipientKind,
)
from domain.playbook_plans import PlaybookPlan
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.taxonomy import Locale
from store.db import SessionFactory
from store.tables.outbox import OutboxMessage

CJK = re.compile(r"[\u4e00-\u9fff]")

# The values each template takes: the contract with the workflows that send them.
WORKFLOW_VALUES = {
    NotificationTemplate.ACKNOWLEDGEMENT: {"complaint_id", "customer_name", "deadline"},
    NotificationTemplate.AGENT_REPLY: {"complaint_id", "customer_name", "message"},
    NotificationTemplate.INFO_REQUEST: {"complaint_id", "customer_name", "question", "deadline"},
    NotificationTemplate.INFO_REMINDER: {"complaint_id", "customer_name", "question", "deadline"},
    NotificationTemplate.AUTO_CLOSED: {"complaint_id", "customer_name"},
    NotificationTemplate.RESOLUTION_OUTCOME: {
        "complaint_id",
        "customer_name",
        "compensations",
        "return_outcome",
        "message",
    },
    NotificationTemplate.RESOLUTION_FAILED: {"complaint_id", "customer_name"},
    NotificationTemplate.EVIDENCE_REFUSED: {
        "complaint_id",
        "customer_name",
        "too_large",
        "not_accepted",
        "max_file_mb",
        "max_case_mb",
        "accepted_types",
    },
    NotificationTemplate.SLA_REMINDER: {"complaint_id", "deadline"},
    NotificationTemplate.ESCALATION: {"complaint_id", "level", "reason"},
    NotificationTemplate.APPROVAL_REQUESTED: {"complaint_id", "proposed_by", "amount", "deadline"},
    NotificationTemplate.APPROVAL_REJECTED: {"complaint_id", "approver", "reason"},
    NotificationTemplate.APPROVAL_EXPIRED: {"complaint_id", "amount"},
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
    NotificationTemplate.RETURN_REFUNDED: {"return_id", "customer_name", "amount"},
    NotificationTemplate.RETURN_STORE_CREDITED: {"return_id", "customer_name", "amount"},
    NotificationTemplate.EXCHANGE_SHIPPED: {"return_id", "customer_name", "tracking_number"},
    NotificationTemplate.RETURN_PLAN_PROPOSED: {"return_id", "customer_name", "plan", "deadline"},
    NotificationTemplate.RETURN_COMPLETED: {"return_id", "customer_name", "outcome"},
    NotificationTemplate.RETURN_REVIEW_REQUESTED: {"return_id", "reasons", "deadline"},
    NotificationTemplate.RETURN_INSPECTION_REQUESTED: {"return_id", "deadline"},
    NotificationTemplate.RETURN_CLAIM_FILED: {"return_id", "amount"},
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
    NotificationTemplate.SERVICE_FAILURE_TASK: {"complaint_id", "failure", "detail", "deadline"},
    NotificationTemplate.SERVICE_FAILURE_LAPSED: {"complaint_id", "failure", "assignee"},
}
# Values only notifications queued before typed values carry (a resolution's outcome as
# one finished line); their templates still take them.
LEGACY_VALUES = {NotificationTemplate.RESOLUTION_OUTCOME: {"outcome"}}
# Values a workflow sends only sometimes: the coupon's reference, when a coupon was given.
OPTIONAL_VALUES = {NotificationTemplate.RECOVERY_TASK: {"offer_reference"}}

DEADLINE = Moment(at=datetime(2025, 3, 8, 10, 0, tzinfo=UTC), timezone="Asia/Shanghai")
VALUES: dict[str, MessageValue] = {
    "complaint_id": "C-20250308-0042",
    "customer_name": "Li Lei",
    "message": "We refunded the blender.",
    "question": "Photo of the label?",
    "deadline": DEADLINE,
    "compensations": [
        CompensationLine(
            kind="refund", amount=Money(amount=Decimal("50.00"), currency="CNY"), reference="RF-1"
        ),
        CompensationLine(
            kind="replacement",
            amount=Money(amount=Decimal("0"), currency="CNY"),
            reference="SHIP-9",
        ),
    ],
    "return_outcome": "exchange",
    "level": "supervisor",
    "amount": Money(amount=Decimal("1350.00"), currency="CNY"),
    "reason": "Too generous",
    "proposed_by": "agent-7",
    "approver": "sup-1",
    "return_id": "R-20250308-0007",
    # The policy's reasons and a playbook's plan, as data (their wording:
    # tests/core/test_return_words.py; as text: tests/activities/test_return_notifications.py).
    "reasons": [
        EligibilityReason(code=EligibilityReasonCode.DUPLICATE_ORDER, params={"order_id": "O-1"})
    ],
    "tracking_number": "SF1402938475",
    "label_url": "https://labels.example.com/SF1402938475.pdf",
    "ship_by": DEADLINE,
    "how": "pickup",
    "plan": PlaybookPlan(
        reason=ReturnReason.DAMAGED_IN_TRANSIT,
        amount=Money(amount=Decimal("40.00"), currency="CNY"),
    ),
    "outcome": "refund",
    "case_kind": "complaint",
    "case_ref": "C-20250309-0051",
    "survey_url": "https://redress.example.com/surveys/eyJ0eXAi.eyJzdWIi.c2ln",
    "csat": "2",
    "resolved": "no",
    "comment": "Still waiting for the refund.",
    "offer": Money(amount=Decimal("20.00"), currency="CNY"),
    "offer_reference": "CP-000001",
    "assignee": "sup-quality",
    "failure": "compensation_undone",
    "detail": "refund RF-1",
    "too_large": "unboxing.mov",
    "not_accepted": "photo.jpg.exe",
    "max_file_mb": "10",
    "max_case_mb": "50",
    "accepted_types": "JPEG, PNG, WebP, HEIC, HEIF, PDF, text",
}
# How each locale shows DEADLINE and the amount (Babel's CLDR formats).
SHOWN = {
    Locale.ZH_CN: ("2025年3月8日 18:00 +0800", "¥1,350.00"),
    # CLDR puts a narrow no-break space before "PM".
    Locale.EN: ("March 8, 2025, 6:00\u202fPM +0800", "CN¥1,350.00"),
}
# The params a workflow started before typed values sends: deadlines and amounts as text.
LEGACY_PARAMS = {
    "complaint_id": "C-1",
    "customer_name": "Li Lei",
    "deadline": "2025-03-08 18:00 CST",
    "amount": "350.00",
    "currency": "CNY",
    "proposed_by": "agent-7",
    "message": "Sorry.",
    "outcome": "a refund of 50.00 CNY to your original payment method",
}


def notification(
    key: str = "C-1/3/agent_reply/cust-1",
    *,
    template: NotificationTemplate = NotificationTemplate.AGENT_REPLY,
    locale: Locale = Locale.ZH_CN,
    values: dict[str, MessageValue] | None = None,
    params: dict[str, str] | None = None,
) -> Notification:
    """Returns a notification filled with `values` (typed, as workflows send today), or
    with `params` alone (as workflows started before typed values sent)."""
    queued = Notification(
        idempotency_key=key,
        complaint_id="C-1",
        template=template,
        locale=locale,
        recipient=Recipient(kind=RecipientKind.CUSTOMER, id="cust-1", address="li@example.com"),
        params=params or {},
    )
    if params is not None:
        return queued
    if values is None:
        values = {name: VALUES[name] for name in WORKFLOW_VALUES[template]}
        if "complaint_id" in values:
            values["complaint_id"] = "C-1"
    return queued.with_values(values)


def render(
    template: NotificationTemplate, locale: Locale, values: dict[str, MessageValue]
) -> RenderedMessage:
    return render_notification(notification(template=template, locale=locale, values=values))


def outbox(sessions: SessionFactory) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))


# --- Templates --------------------------------------------------------------------------


def _every_value(template: NotificationTemplate) -> dict[str, MessageValue]:
    names = WORKFLOW_VALUES[template] | OPTIONAL_VALUES.get(template, set())
    return {name: VALUES[name] for name in names}


@pytest.mark.parametrize("template", list(NotificationTemplate))
@pytest.mark.parametrize("locale", list(Locale))
def test_every_template_renders_in_every_locale_with_every_value(
    template: NotificationTemplate, locale: Locale
) -> None:
    values = _every_value(template)
    subject, text, html = render(template, locale, values)

    # Every message names what it is about: its complaint, its return, or the case a
    # survey follows.
    reference = next(name for name in ("return_id", "case_ref", "complaint_id") if name in values)
    assert str(values[reference]) in subject and str(values[reference]) in text
    assert "{" not in subject + text and "\n" not in subject
    moment, money = SHOWN[locale]
    if "deadline" in values or "ship_by" in values:
        assert moment in text
    if "amount" in values:
        assert money in subject + text
    for name, value in values.items():
        if isinstance(value, str) and name not in CODES:
            assert value in text, (name, value)
    if locale is Locale.ZH_CN:
        assert CJK.search(subject) and CJK.search(text)
    else:
        assert not CJK.search(subject + text)
        assert re.search(r"\b(the|your|has|is)\b", text)
    assert html.startswith("<!doctype html>") and f'lang="{locale.value}"' in html


# Values that are codes: shown by their name in the reader's language, never as sent.
CODES = {"level", "how", "outcome", "case_kind", "resolved", "return_outcome", "failure"}


@pytest.mark.parametrize("template", list(NotificationTemplate))
def test_templates_take_exactly_what_the_workflow_sends(template: NotificationTemplate) -> None:
    expected = (
        WORKFLOW_VALUES[template]
        | LEGACY_VALUES.get(template, set())
        | OPTIONAL_VALUES.get(template, set())
    )
    for locale in Locale:
        assert template_values(template, locale) == expected, (template, locale)


@pytest.mark.parametrize("template", list(NotificationTemplate))
def test_a_value_left_out_fails_the_render(template: NotificationTemplate) -> None:
    for left_out in WORKFLOW_VALUES[template]:
        values = _every_value(template)
        del values[left_out]
        if template in LEGACY_VALUES and left_out == "compensations":
            continue  # without it, the template reads the legacy one-line outcome
        for locale in Locale:
            with pytest.raises(MessageNotRenderable, match=left_out):
                render(template, locale, values)


def test_codes_are_shown_in_the_recipients_language() -> None:
    values: dict[str, MessageValue] = {
        "complaint_id": "C-1",
        "level": "supervisor",
        "reason": "SLA breached",
    }

    zh = render(NotificationTemplate.ESCALATION, Locale.ZH_CN, values)
    en = render(NotificationTemplate.ESCALATION, Locale.EN, values)

    assert "已升级至主管" in zh.subject and "已升级至主管处理" in zh.text
    assert "escalated to a supervisor" in en.subject and "Reason: SLA breached" in en.text


def test_return_codes_are_shown_in_the_recipients_language() -> None:
    label = _every_value(NotificationTemplate.RETURN_LABEL)
    completed = _every_value(NotificationTemplate.RETURN_COMPLETED)

    pickup = render(NotificationTemplate.RETURN_LABEL, Locale.ZH_CN, label | {"how": "pickup"})
    drop_off = render(NotificationTemplate.RETURN_LABEL, Locale.EN, label | {"how": "drop_off"})
    zh = render(
        NotificationTemplate.RETURN_COMPLETED, Locale.ZH_CN, completed | {"outcome": "refund"}
    )
    en = render(NotificationTemplate.RETURN_COMPLETED, Locale.EN, completed | {"outcome": "none"})

    assert "寄回方式：快递员将上门取件" in pickup.text
    assert "drop the parcel off" in drop_off.text and "drop_off" not in drop_off.text
    assert "处理结果：退款已原路退回。" in zh.text
    assert "Outcome: the inspection found the returned goods not eligible" in en.text


def test_survey_codes_are_shown_in_the_recipients_language() -> None:
    values = _every_value(NotificationTemplate.RECOVERY_TASK)

    zh = render(NotificationTemplate.RECOVERY_TASK, Locale.ZH_CN, values | {"case_kind": "return"})
    en = render(NotificationTemplate.RECOVERY_TASK, Locale.EN, values)

    assert "退货 C-20250309-0051" in zh.subject and "问题是否解决：未解决" in zh.text
    assert "complaint C-20250309-0051" in en.subject and "resolved: no" in en.text
    assert "已发放的挽回优惠券：¥20.00 (CP-000001)" in zh.text
    assert "Win-back coupon given: CN¥20.00 (CP-000001)" in en.text


def test_a_recovery_task_queued_before_typed_coupons_still_renders() -> None:
    # Tasks opened before the coupon was a typed value sent the whole offer as text.
    values = _every_value(NotificationTemplate.RECOVERY_TASK)
    del values["offer_reference"]
    values["offer"] = "20.00 CNY (CP-000001)"

    en = render(NotificationTemplate.RECOVERY_TASK, Locale.EN, values)

    assert "Win-back coupon given: 20.00 CNY (CP-000001)\n" in en.text


def test_failure_codes_are_shown_in_the_recipients_language() -> None:
    task = _every_value(NotificationTemplate.SERVICE_FAILURE_TASK)
    lapsed = _every_value(NotificationTemplate.SERVICE_FAILURE_LAPSED)

    zh = render(NotificationTemplate.SERVICE_FAILURE_TASK, Locale.ZH_CN, task)
    en = render(
        NotificationTemplate.SERVICE_FAILURE_TASK,
        Locale.EN,
        task | {"failure": "critical_sla_breached"},
    )
    late = render(
        NotificationTemplate.SERVICE_FAILURE_LAPSED,
        Locale.EN,
        lapsed | {"failure": "closed_without_answer"},
    )

    assert "投诉 C-20250308-0042" in zh.subject and "已办理的补偿被撤销" in zh.text
    assert "具体情况：refund RF-1" in zh.text and "compensation_undone" not in zh.text
    assert "a deadline of this critical complaint passed" in en.text
    assert "closed without the customer's answer" in late.text and "sup-quality" in late.text


def test_a_resolution_words_each_compensation_and_the_return() -> None:
    values = _every_value(NotificationTemplate.RESOLUTION_OUTCOME)

    zh = render(NotificationTemplate.RESOLUTION_OUTCOME, Locale.ZH_CN, values)
    en = render(NotificationTemplate.RESOLUTION_OUTCOME, Locale.EN, values)
    apology = render(
        NotificationTemplate.RESOLUTION_OUTCOME,
        Locale.EN,
        values | {"compensations": [], "return_outcome": ""},
    )

    assert "退款 ¥50.00 已原路退回；已安排补发商品（单号 SHIP-9）; 换货已寄出" in zh.text
    assert (
        "a refund of CN¥50.00 to your original payment method; a replacement shipment "
        "(reference SHIP-9); your exchange has been shipped" in en.text
    )
    assert "our sincere apology" in apology.text


@pytest.mark.parametrize(
    "template",
    [
        NotificationTemplate.ACKNOWLEDGEMENT,
        NotificationTemplate.APPROVAL_REQUESTED,
        NotificationTemplate.RESOLUTION_OUTCOME,
    ],
)
@pytest.mark.parametrize("locale", list(Locale))
def test_a_notification_queued_before_typed_values_still_renders(
    template: NotificationTemplate, locale: Locale
) -> None:
    """Running workflows queued these with deadlines, amounts and outcomes as finished
    text: the same templates show that text as it came."""
    wanted = template_values(template, locale) - {"compensations", "return_outcome"}
    params = {name: LEGACY_PARAMS[name] for name in wanted if name != "amount"}
    if "amount" in wanted:
        params |= {"amount": "350.00", "currency": "CNY"}

    subject, text, _ = render_notification(
        notification(template=template, locale=locale, params=params)
    )

    assert "C-1" in subject
    if "deadline" in params:
        assert "2025-03-08 18:00 CST" in text
    if "amount" in params:
        assert "350.00 CNY" in subject + text
    if "outcome" in params:
        assert LEGACY_PARAMS["outcome"] in text


def test_values_are_plain_text_without_control_characters() -> None:
    values: dict[str, MessageValue] = {
        "complaint_id": "C-1\r\n",
        "customer_name": "Li\x00 Lei\u202e",
        "message": "<b>Line one</b>\r\nLine\x07 two\tend",
    }

    subject, text, html = render(NotificationTemplate.AGENT_REPLY, Locale.EN, values)

    assert subject == "A reply about your complaint (ref. C-1)"
    assert "Dear Li Lei," in text
    assert "<b>Line one</b>\nLine two\tend" in text
    # The HTML shows what was typed as text, never as markup.
    assert "&lt;b&gt;Line one&lt;/b&gt;<br>" in html and "<b>" not in html


def test_links_in_html_mail_are_clickable_and_escaped() -> None:
    values = _every_value(NotificationTemplate.SURVEY_INVITATION) | {
        "customer_name": 'Lin <img src=x onerror="alert(1)">',
        "survey_url": "https://redress.example.com/surveys/t?a=1&b=2",
    }

    _, text, html = render(NotificationTemplate.SURVEY_INVITATION, Locale.EN, values)

    assert 'Dear Lin <img src=x onerror="alert(1)">,' in text
    assert "Lin &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html and "<img" not in html
    assert '<a href="https://redress.example.com/surveys/t?a=1&amp;b=2"' in html


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
    assert "We refunded the blender." in message.body and "您好" in message.body
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
    assert "'customer_name' is undefined" in str(raised.value)
    assert outbox(sessions) == []


def test_a_key_reused_for_another_message_is_refused(sessions: SessionFactory) -> None:
    notifications = NotificationActivities(OutboxNotifier(sessions))
    notifications.send_notification(notification())

    other = notification(template=NotificationTemplate.AUTO_CLOSED)
    with pytest.raises(ApplicationError, check=lambda err: err.type == "IdempotencyKeyReused"):
        notifications.send_notification(other)
    assert len(outbox(sessions)) == 1
