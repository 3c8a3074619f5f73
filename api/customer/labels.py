"""Statuses and timeline steps as a customer reads them, in English and Simplified Chinese.

The console names every step for staff (`api.console.labels`); a customer sees fewer and
other words. Steps that are the business's own (classified, escalated, a deadline
breached, an approval asked for) are left off the customer's timeline, and a step's
detail is shown only where it is words meant for the customer (a reply, a question, a
plan) or their own.
"""

from typing import Any, NamedTuple

from domain.complaints import ComplaintStatus, TimelineKind
from domain.returns import ReturnEventKind, ReturnStatus, TrackingStatus
from domain.taxonomy import Locale

COMPLAINT = "complaint"
RETURN = "return"


class Step(NamedTuple):
    english: str
    chinese: str
    # Whether the event's detail is shown: only words meant for, or written by, the customer.
    detail: bool = False


_STATUSES: dict[str, dict[str, tuple[str, str]]] = {
    COMPLAINT: {
        ComplaintStatus.RECEIVED: ("Received", "已受理"),
        ComplaintStatus.OPEN: ("Being handled", "处理中"),
        ComplaintStatus.WAITING_ON_CUSTOMER: ("Waiting for your reply", "等待您的回复"),
        # Approval is the business's own step: to the customer it is still being handled.
        ComplaintStatus.AWAITING_APPROVAL: ("Being handled", "处理中"),
        ComplaintStatus.RESOLVING: ("Resolution under way", "正在办理"),
        ComplaintStatus.CLOSED: ("Closed", "已结案"),
    },
    RETURN: {
        ReturnStatus.REQUESTED: ("Received", "已受理"),
        ReturnStatus.UNDER_REVIEW: ("Being reviewed", "审核中"),
        ReturnStatus.AWAITING_CONSENT: ("Waiting for your answer", "等待您的答复"),
        ReturnStatus.AWAITING_SHIPMENT: ("Ready to send back", "待寄回"),
        ReturnStatus.IN_TRANSIT: ("On its way to us", "寄回途中"),
        ReturnStatus.AWAITING_INSPECTION: ("Being inspected", "检验中"),
        ReturnStatus.SETTLING: ("Being settled", "办理中"),
        ReturnStatus.EXCHANGE_IN_TRANSIT: ("Exchange on its way", "换货配送中"),
        ReturnStatus.COMPLETED: ("Completed", "已完成"),
        ReturnStatus.REJECTED: ("Not accepted", "未通过"),
        ReturnStatus.CANCELLED: ("Cancelled", "已取消"),
    },
}

# The follow-up survey's steps, the same after a complaint and a return (their kinds share
# these values). The scores stay off: they are the customer's own, but not in their words.
_SURVEY_STEPS: dict[str, Step] = {
    TimelineKind.SURVEY_SENT: Step("We asked how we did", "我们邀请您评价服务"),
    TimelineKind.SURVEY_REMINDED: Step("We reminded you of the survey", "已提醒您填写评价"),
    TimelineKind.SURVEY_ANSWERED: Step("You rated our service", "您已评价我们的服务"),
    TimelineKind.SURVEY_NOT_ANSWERED: Step("The survey closed", "评价已结束"),
    TimelineKind.RECOVERY_STARTED: Step(
        "A customer care supervisor will contact you", "客服主管将与您联系"
    ),
    TimelineKind.RECOVERY_DONE: Step("A customer care supervisor followed up", "客服主管已回访"),
}

_STEPS: dict[str, dict[str, Step]] = {
    COMPLAINT: {
        TimelineKind.RECEIVED: Step("We received your complaint", "我们已收到您的投诉"),
        TimelineKind.ACKNOWLEDGED: Step("We confirmed it to you", "已向您确认受理"),
        TimelineKind.ROUTED: Step("A specialist took it on", "已由专员负责处理"),
        TimelineKind.REPLIED: Step("Our reply", "客服回复", detail=True),
        TimelineKind.INFO_REQUESTED: Step("We asked you for more", "我们请您补充信息", True),
        TimelineKind.CUSTOMER_REPLIED: Step("You wrote", "您的留言", detail=True),
        TimelineKind.CUSTOMER_REMINDED: Step("We reminded you", "已提醒您回复"),
        TimelineKind.EVIDENCE_ADDED: Step("You sent a file", "您提交了文件", detail=True),
        TimelineKind.EVIDENCE_REFUSED: Step(
            "A file you sent could not be kept", "您提交的文件未能保存", detail=True
        ),
        TimelineKind.COMPENSATION_DONE: Step("Compensation carried out", "补偿已办理"),
        TimelineKind.COMPENSATION_UNDONE: Step(
            "A step could not be completed; we will contact you", "有一项补偿未能完成，我们会联系您"
        ),
        TimelineKind.RESOLVED: Step("Resolved", "已解决", detail=True),
        TimelineKind.RETURN_STARTED: Step("A return was arranged", "已为您安排退货"),
        TimelineKind.RETURN_CLOSED: Step("The return finished", "退货已结束"),
        TimelineKind.CLOSED: Step("Closed", "已结案"),
        TimelineKind.MERGED_INTO: Step(
            "Joined to your other complaint", "已并入您的另一投诉", detail=True
        ),
        TimelineKind.MERGED_FROM: Step(
            "Your other complaint was joined to this one", "您的另一投诉已并入本投诉", detail=True
        ),
        **_SURVEY_STEPS,
    },
    RETURN: {
        ReturnEventKind.RECEIVED: Step("We received your return request", "我们已收到您的退货申请"),
        ReturnEventKind.ELIGIBILITY: Step("We checked your request", "已审核您的申请"),
        ReturnEventKind.REVIEW_REQUESTED: Step("Passed to our team to review", "已转人工审核"),
        ReturnEventKind.REVIEWED: Step("Review finished", "审核完成"),
        ReturnEventKind.REJECTED: Step("Not accepted", "未通过"),
        ReturnEventKind.PLAN_PROPOSED: Step("We proposed a plan", "我们提出了处理方案", True),
        ReturnEventKind.CONSENT: Step("Your answer to the plan", "您对方案的答复"),
        ReturnEventKind.LABEL_CREATED: Step("Return label issued", "已生成退货面单", True),
        ReturnEventKind.PICKUP_BOOKED: Step("Pickup booked", "已预约上门取件", detail=True),
        ReturnEventKind.SHIP_REMINDER: Step("We reminded you to send it", "已提醒您寄出"),
        ReturnEventKind.TRACKING: Step("Parcel update", "物流更新"),
        ReturnEventKind.TRACE_OPENED: Step("We asked the carrier to trace it", "已请承运商查件"),
        ReturnEventKind.INSPECTION_REQUESTED: Step("Arrived at our warehouse", "已到达仓库"),
        ReturnEventKind.INSPECTED: Step("Inspected", "检验完成"),
        ReturnEventKind.REFUNDED: Step("Refunded", "已退款"),
        ReturnEventKind.STORE_CREDITED: Step("Store credit added", "已退至账户余额"),
        ReturnEventKind.COUPON_ISSUED: Step("Coupon issued", "已发放优惠券"),
        ReturnEventKind.EXCHANGE_SHIPPED: Step("Exchange shipped", "换货已寄出", detail=True),
        ReturnEventKind.COMPLETED: Step("Completed", "已完成"),
        ReturnEventKind.CANCELLED: Step("Cancelled", "已取消"),
        **_SURVEY_STEPS,
    },
}

# Tracking events carry the courier's status first in their detail ("in_transit: ...").
_TRACKING: dict[str, tuple[str, str]] = {
    TrackingStatus.LABEL_CREATED: ("label created", "面单已生成"),
    TrackingStatus.PICKED_UP: ("picked up", "已揽收"),
    TrackingStatus.IN_TRANSIT: ("in transit", "运输中"),
    TrackingStatus.DELIVERED: ("delivered to our warehouse", "已送达仓库"),
    TrackingStatus.EXCEPTION: ("delayed", "运输异常"),
    TrackingStatus.LOST: ("lost", "已丢失"),
    TrackingStatus.CANCELLED: ("cancelled", "已取消"),
}

_CASE_KINDS = {COMPLAINT: ("complaint", "投诉"), RETURN: ("return", "退货")}


def _pick(language: Locale, names: tuple[str, str]) -> str:
    return names[1] if language is Locale.ZH_CN else names[0]


def status_name(language: Locale, kind: str, value: object) -> str:
    """Returns the status `value` of a `kind` case ("complaint" or "return")."""
    names = _STATUSES[kind].get(str(value))
    return _pick(language, names) if names else str(value)


def shown_step(kind: str, value: object) -> Step | None:
    """Returns how a timeline event of a `kind` case is shown, or None when it is not."""
    return _STEPS[kind].get(str(value))


def event_name(language: Locale, kind: str, value: object) -> str:
    """Returns the name of a timeline event the customer is shown."""
    step = shown_step(kind, value)
    return _pick(language, (step.english, step.chinese)) if step else str(value)


def tracking_name(language: Locale, detail: str) -> str:
    """Returns the courier status a tracking event's detail starts with, or ""."""
    names = _TRACKING.get(detail.split(":", 1)[0].strip())
    return _pick(language, names) if names else ""


def visible_steps(kind: str, events: list[Any]) -> list[tuple[Any, Step]]:
    """Returns the events of a `kind` case's timeline a customer is shown, newest first,
    each with how it is shown."""
    shown = [(event, shown_step(kind, event.kind)) for event in reversed(events)]
    return [(event, step) for event, step in shown if step is not None]


def case_kind_name(language: Locale, kind: object) -> str:
    """Returns "complaint" or "return" in `language`."""
    return _pick(language, _CASE_KINDS[str(kind)])


def unnamed_statuses() -> list[str]:
    """Returns `kind:status` of each status without a name (a test keeps this empty)."""
    families = {COMPLAINT: ComplaintStatus, RETURN: ReturnStatus}
    return [
        f"{kind}:{member.value}"
        for kind, members in families.items()
        for member in members
        if member.value not in _STATUSES[kind]
    ]
