"""A return's messages that carry the policy's reasons and a playbook's plan as data: the
notification activity words them in the recipient's language, through Temporal's payload
converter into the outbox; and messages queued with those as finished text (by returns
running before they were data, or a reviewer's own words) still go out as they came."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlmodel import col, select
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import ActivityEnvironment

from activities.notifications.activities import NotificationActivities
from activities.notifications.outbox import OutboxNotifier
from core.wording.mail import render_notification
from domain.notifications import (
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

REJECTED = NotificationTemplate.RETURN_REJECTED
REVIEW = NotificationTemplate.RETURN_REVIEW_REQUESTED
PLAN = NotificationTemplate.RETURN_PLAN_PROPOSED
DEADLINE = Moment(at=datetime(2026, 11, 8, 10, 0, tzinfo=UTC), timezone="Asia/Shanghai")
# Food sent back a week late, as the policy gives the reasons.
LATE_FOOD = [
    EligibilityReason(
        code=EligibilityReasonCode.NOT_RETURNABLE,
        params={"line": "1", "order_id": "ord-7", "sku": "sku-tea", "category": "food"},
    ),
    EligibilityReason(
        code=EligibilityReasonCode.WINDOW_PASSED,
        params={
            "line": "2",
            "order_id": "ord-7",
            "sku": "sku-mug",
            "category": "home",
            "days": "7",
            "delivered_at": "2026-11-01T02:00:00+00:00",
            "closed_at": "2026-11-08T02:00:00+00:00",
        },
    ),
]
EXPENSIVE = [
    EligibilityReason(
        code=EligibilityReasonCode.HIGH_VALUE,
        params={"amount": "4999.00", "currency": "CNY", "limit": "3000.00"},
    )
]
COUPON = PlaybookPlan(
    reason=ReturnReason.WRONG_ITEM, amount=Money(amount=Decimal("20.00"), currency="CNY")
)


def queued(
    template: NotificationTemplate, locale: Locale, values: dict[str, MessageValue]
) -> Notification:
    """Returns the notification a return queues, as the activity receives it: through the
    pydantic payload converter the workers use."""
    notification = Notification(
        idempotency_key=f"return-R-1/4/{template}/{locale}",
        complaint_id="R-1",
        template=template,
        locale=locale,
        recipient=Recipient(kind=RecipientKind.CUSTOMER, id="cust-1", address="li@example.com"),
    ).with_values({"return_id": "R-1", "customer_name": "Li Lei"} | values)
    converter = pydantic_data_converter.payload_converter
    [received] = converter.from_payloads(converter.to_payloads([notification]), [Notification])
    assert isinstance(received, Notification)
    return received


def sent(sessions: SessionFactory, notification: Notification) -> OutboxMessage:
    """Returns what the notification activity wrote to the outbox for `notification`."""
    ActivityEnvironment().run(
        NotificationActivities(OutboxNotifier(sessions)).send_notification, notification
    )
    with sessions() as session:
        [message] = session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.idempotency_key) == notification.idempotency_key
            )
        ).all()
        return message


def test_a_rejected_return_gives_the_policys_reasons_in_chinese(sessions: SessionFactory) -> None:
    notification = queued(REJECTED, Locale.ZH_CN, {"reasons": LATE_FOOD})
    assert notification.eligibility_reasons == {"reasons": LATE_FOOD}

    message = sent(sessions, notification)

    assert message.subject == "您的退货申请未能通过（编号 R-1）"
    assert (
        "原因如下：\n\n"
        "第1行（订单 ord-7 的商品 sku-tea）属于食品类商品，除发错货、运输损坏或质量问题外"
        "不支持退货；第2行（订单 ord-7 的商品 sku-mug）已超过 7 天退货期"
        "（2026年11月1日 10:00 +0800 签收，退货期已于 2026年11月8日 10:00 +0800 截止）。\n"
    ) in message.body


def test_a_rejected_return_gives_the_policys_reasons_in_english(sessions: SessionFactory) -> None:
    message = sent(sessions, queued(REJECTED, Locale.EN, {"reasons": LATE_FOOD}))

    assert message.subject == "We could not accept your return request (ref. R-1)"
    assert (
        "for the following reasons:\n\n"
        "Line 1 (order ord-7, SKU sku-tea): food items cannot be returned unless they "
        "arrived wrong, damaged or defective.; Line 2 (order ord-7, SKU sku-mug): the 7-day "
        "return window for home items closed on November 8, 2026, 2:00\u202fAM +0000 "
        "(delivered November 1, 2026, 2:00\u202fAM +0000).\n"
    ) in message.body


def test_staff_read_a_reviews_reasons_with_the_amounts_through_babel() -> None:
    values: dict[str, MessageValue] = {"reasons": EXPENSIVE, "deadline": DEADLINE}

    zh = render_notification(queued(REVIEW, Locale.ZH_CN, values))
    en = render_notification(queued(REVIEW, Locale.EN, values))

    assert "可退金额 ¥4,999.00 超过自动审批上限 ¥3,000.00。" in zh.text
    assert "above the auto-approval limit of CN¥3,000.00." in en.text
    assert "可退金额 ¥4,999.00" in zh.html


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (Locale.ZH_CN, "另附一张 ¥20.00 道歉优惠券"),
        (Locale.EN, "add an apology coupon worth CN¥20.00."),
    ],
)
def test_a_plan_is_worded_in_the_customers_language(locale: Locale, words: str) -> None:
    notification = queued(PLAN, locale, {"plan": COUPON, "deadline": DEADLINE})
    assert notification.plans == {"plan": COUPON}

    rendered = render_notification(notification)

    assert words in rendered.text and words in rendered.html


# --- Queued before reasons and plans were data ------------------------------------------


def old_shaped(template: NotificationTemplate, locale: Locale, **params: str) -> Notification:
    """Returns a notification as a return running before this change queued it: every
    value finished text in `params`."""
    return Notification.model_validate(
        {
            "idempotency_key": f"return-R-1/4/{template}/old",
            "complaint_id": "R-1",
            "template": template,
            "locale": locale,
            "recipient": {"kind": "customer", "id": "cust-1", "address": "li@example.com"},
            "params": {"return_id": "R-1", "customer_name": "Li Lei"} | params,
        }
    )


def test_reasons_queued_as_text_go_out_as_they_came(sessions: SessionFactory) -> None:
    worded = (
        "第1行（订单 ord-7 的商品 sku-tea）属于食品类商品，除发错货、运输损坏或质量问题外不支持退货"
    )

    message = sent(sessions, old_shaped(REJECTED, Locale.ZH_CN, reasons=worded))

    assert f"原因如下：\n\n{worded}\n" in message.body


def test_a_plan_queued_as_text_goes_out_as_it_came(sessions: SessionFactory) -> None:
    worded = "We are sorry we sent the wrong item. ... an apology coupon worth 20."
    notification = old_shaped(PLAN, Locale.EN, plan=worded, deadline="2026-11-08 18:00 CST")

    message = sent(sessions, notification)

    assert f"the following:\n\n{worded}\n" in message.body
    assert "by 2026-11-08 18:00 CST" in message.body


def test_a_reviewers_own_words_are_the_reasons_of_their_denial() -> None:
    rendered = render_notification(
        queued(REJECTED, Locale.EN, {"reasons": "The seal on the box is broken."})
    )

    assert "reasons:\n\nThe seal on the box is broken.\n" in rendered.text
