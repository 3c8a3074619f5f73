"""Timeline details a workflow records in a fixed shape are worded in the page's
language; any other detail is shown as it was written."""

from datetime import UTC, datetime

import pytest

from api.console.timeline_details import timeline_detail
from domain.complaints import TimelineEvent, TimelineKind
from domain.taxonomy import Locale

AT = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)


def _worded(kind: TimelineKind, detail: str, language: Locale) -> str:
    event = TimelineEvent(seq=1, at=AT, kind=kind, actor="redress", detail=detail)
    return timeline_detail(event, language, "CNY")


@pytest.mark.parametrize(
    ("kind", "detail", "english", "chinese"),
    [
        (
            TimelineKind.RESOLUTION_PROPOSED,
            "refund 99.00, coupon 20.00",
            "Refund CN¥99.00, Coupon CN¥20.00",
            "退款 ¥99.00，优惠券 ¥20.00",
        ),
        (TimelineKind.RESOLUTION_PROPOSED, "apology", "Apology only", "仅致歉"),
        (
            TimelineKind.COMPENSATION_DONE,
            "refund 99.00 (RF-000001)",
            "Refund CN¥99.00 (RF-000001)",
            "退款 ¥99.00（RF-000001）",
        ),
        (
            TimelineKind.APPROVAL_REQUESTED,
            "supervisor: 210.50",
            "Supervisor: CN¥210.50",
            "主管：¥210.50",
        ),
        (
            TimelineKind.ROUTED,
            "team quality, agent agent-quality-3",
            "Team quality, agent agent-quality-3",
            "团队 quality，专员 agent-quality-3",
        ),
        (
            TimelineKind.ROUTED,
            "team quality, agent None",
            "Team quality, no agent free",
            "团队 quality，暂无空闲专员",
        ),
        (
            TimelineKind.SLA_REMINDER,
            "resolution due soon",
            "Resolution due soon",
            "解决时限即将到期",
        ),
        (
            TimelineKind.SLA_BREACHED,
            "first_response deadline passed",
            "First response deadline passed",
            "首次响应已超时",
        ),
        (
            TimelineKind.ESCALATED,
            "first_response breached: now with the manager",
            "First response deadline passed: now with the Manager",
            "首次响应已超时，现由经理处理",
        ),
        (
            TimelineKind.COMPENSATION_FAILED,
            "refund: card issuer declined the refund",
            "Refund failed: card issuer declined the refund",
            "退款未能完成：card issuer declined the refund",
        ),
        (
            TimelineKind.RECLASSIFIED,
            "defect/general -> counterfeit/serious: the logo is printed crooked",
            "Defect, General → Counterfeit, Serious: the logo is printed crooked",
            "质量缺陷，一般 → 假冒商品，较重：the logo is printed crooked",
        ),
        (
            TimelineKind.RETURN_CLOSED,
            "CGDIX7WYNYZLB-R1: completed",
            "Return CGDIX7WYNYZLB-R1: Completed",
            "退货 CGDIX7WYNYZLB-R1：已完成",
        ),
        (
            TimelineKind.CLASSIFIED,
            "counterfeit / critical (0.74): keyword '假货' -> counterfeit; "
            "keyword '受伤' -> critical (safety hazard); amount 3000 >= 2000 -> serious",
            "Counterfeit, Critical (confidence 0.74): “假货” points to Counterfeit; "
            "“受伤” (safety hazard) makes it Critical; "
            "Paid CN¥3,000.00 (CN¥2,000.00 or more): Serious",
            "假冒商品，严重（置信度 0.74）：“假货”指向假冒商品；“受伤”（安全隐患）：定为严重；"
            "支付 ¥3,000.00（满 ¥2,000.00）：定为较重",
        ),
        (
            TimelineKind.CLASSIFIED,
            "other / general (0.10): no keyword matched -> other",
            "Other, General (confidence 0.10): No keyword matched, so Other",
            "其他，一般（置信度 0.10）：未匹配到关键词，归为其他",
        ),
        (
            # Another classifier's reason keeps its words; the rest is worded.
            TimelineKind.CLASSIFIED,
            "defect / general (0.60): the model said so; vip customer -> serious",
            "Defect, General (confidence 0.60): the model said so; VIP customer: at least Serious",
            "质量缺陷，一般（置信度 0.60）：the model said so；VIP 客户：至少为较重",
        ),
    ],
)
def test_a_recorded_shape_is_worded_in_each_language(
    kind: TimelineKind, detail: str, english: str, chinese: str
) -> None:
    assert _worded(kind, detail, Locale.EN) == english
    assert _worded(kind, detail, Locale.ZH_CN) == chinese


@pytest.mark.parametrize(
    ("kind", "detail"),
    [
        # A person's words, and shapes this console does not know, stay as written.
        (TimelineKind.RESOLUTION_PROPOSED, "refund all of it"),
        (TimelineKind.APPROVAL_REQUESTED, "supervisor: lots"),
        (TimelineKind.ASSIGNED, "agent-7"),
        (TimelineKind.REPLIED, "refund 99.00"),
        (TimelineKind.CLASSIFIED, "classified by hand"),
        (TimelineKind.RETURN_CLOSED, "CGDIX7WYNYZLB-R1: the return workflow failed"),
    ],
)
def test_any_other_detail_is_shown_as_written(kind: TimelineKind, detail: str) -> None:
    assert _worded(kind, detail, Locale.ZH_CN) == detail
