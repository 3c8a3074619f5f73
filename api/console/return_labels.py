"""Names of the returns' domain values (outcomes, verdicts, timeline events, tracking,
queues) in English and Simplified Chinese; `labels` merges them (and names returns'
statuses and reasons itself)."""

from enum import StrEnum

from domain.return_queues import ReturnQueue
from domain.returns import (
    EligibilityDecision,
    InspectionVerdict,
    ReturnEventKind,
    ReturnOutcome,
    TrackingStatus,
)

NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "return_outcome": {
        ReturnOutcome.REFUND: ("Refund", "退款"),
        ReturnOutcome.EXCHANGE: ("Exchange", "换货"),
        ReturnOutcome.STORE_CREDIT: ("Store credit", "店铺余额"),
    },
    "eligibility": {
        EligibilityDecision.APPROVED: ("Approved by the policy", "符合退货政策"),
        EligibilityDecision.MANUAL_REVIEW: ("Sent to review", "需人工审核"),
        EligibilityDecision.REJECTED: ("Rejected by the policy", "不符合退货政策"),
    },
    "inspection_verdict": {
        InspectionVerdict.ACCEPTED: ("Accepted in full", "全部验收"),
        InspectionVerdict.PARTIAL: ("Partly accepted", "部分验收"),
        InspectionVerdict.DAMAGED_BY_CUSTOMER: ("Damaged by the customer", "客户损坏"),
        InspectionVerdict.WRONG_ITEM_RETURNED: ("Wrong item returned", "退回商品不符"),
    },
    "tracking_status": {
        TrackingStatus.LABEL_CREATED: ("Label created", "已生成面单"),
        TrackingStatus.PICKED_UP: ("Picked up", "已揽收"),
        TrackingStatus.IN_TRANSIT: ("In transit", "运输中"),
        TrackingStatus.DELIVERED: ("Delivered", "已签收"),
        TrackingStatus.EXCEPTION: ("Delivery exception", "派送异常"),
        TrackingStatus.LOST: ("Lost", "已丢失"),
        TrackingStatus.CANCELLED: ("Cancelled", "已取消"),
    },
    "return_queue": {
        ReturnQueue.UNDER_REVIEW: ("Under review", "待审核"),
        ReturnQueue.WAITING_TO_SHIP: ("Waiting to ship", "等待寄回"),
        ReturnQueue.IN_TRANSIT: ("In transit", "运输中"),
        ReturnQueue.AWAITING_INSPECTION: ("Awaiting inspection", "待检验"),
        ReturnQueue.NEEDS_PERSON: ("Needs a person", "需人工处理"),
        ReturnQueue.OVERDUE: ("Overdue", "已逾期"),
    },
    "return_event": {
        ReturnEventKind.RECEIVED: ("Received", "已接收"),
        ReturnEventKind.ELIGIBILITY: ("Policy checked", "已核对退货政策"),
        ReturnEventKind.REVIEW_REQUESTED: ("Review requested", "已申请审核"),
        ReturnEventKind.REVIEWED: ("Reviewed", "已审核"),
        ReturnEventKind.REVIEW_ESCALATED: ("Review escalated", "审核已升级"),
        ReturnEventKind.REJECTED: ("Rejected", "已拒绝"),
        ReturnEventKind.PLAN_PROPOSED: ("Plan proposed", "已提出方案"),
        ReturnEventKind.CONSENT: ("Customer answered the plan", "客户已答复方案"),
        ReturnEventKind.LABEL_CREATED: ("Label created", "已生成面单"),
        ReturnEventKind.PICKUP_BOOKED: ("Pickup booked", "已预约上门取件"),
        ReturnEventKind.SHIP_REMINDER: ("Customer reminded to ship", "已提醒客户寄回"),
        ReturnEventKind.TRACKING: ("Parcel scanned", "包裹扫描"),
        ReturnEventKind.TRACE_OPENED: ("Carrier trace opened", "已向承运商发起查件"),
        ReturnEventKind.INSPECTION_REQUESTED: ("Inspection requested", "已申请检验"),
        ReturnEventKind.INSPECTION_ESCALATED: ("Inspection escalated", "检验已升级"),
        ReturnEventKind.INSPECTED: ("Inspected", "已检验"),
        ReturnEventKind.REFUNDED: ("Refunded", "已退款"),
        ReturnEventKind.STORE_CREDITED: ("Store credit given", "已发放店铺余额"),
        ReturnEventKind.COUPON_ISSUED: ("Coupon issued", "已发放优惠券"),
        ReturnEventKind.EXCHANGE_SHIPPED: ("Exchange shipped", "换货已发出"),
        ReturnEventKind.RESTOCKED: ("Restocked", "已入库"),
        ReturnEventKind.CLAIM_FILED: ("Carrier claim filed", "已向承运商索赔"),
        ReturnEventKind.STEP_FAILED: ("Settlement step failed", "结算步骤失败"),
        ReturnEventKind.STEP_UNDONE: ("Settlement step undone", "结算步骤已撤销"),
        ReturnEventKind.NEEDS_PERSON: ("Needs a person", "需人工处理"),
        ReturnEventKind.NOTIFICATION_FAILED: ("Message not delivered", "消息发送失败"),
        ReturnEventKind.COMPLETED: ("Completed", "已完成"),
        ReturnEventKind.CANCELLED: ("Cancelled", "已取消"),
        ReturnEventKind.SURVEY_SENT: ("Survey sent", "已发送满意度调查"),
        ReturnEventKind.SURVEY_REMINDED: ("Survey reminder sent", "已发送调查提醒"),
        ReturnEventKind.SURVEY_ANSWERED: ("Survey answered", "客户已填写调查"),
        ReturnEventKind.SURVEY_NOT_ANSWERED: ("Survey closed unanswered", "调查未获回复"),
        ReturnEventKind.RECOVERY_STARTED: ("Service recovery started", "已启动服务补救"),
        ReturnEventKind.RECOVERY_DONE: ("Service recovery done", "服务补救已完成"),
        ReturnEventKind.RECOVERY_LAPSED: ("Service recovery lapsed", "服务补救已逾期"),
    },
}

FAMILIES: dict[str, type[StrEnum]] = {
    "return_outcome": ReturnOutcome,
    "eligibility": EligibilityDecision,
    "inspection_verdict": InspectionVerdict,
    "tracking_status": TrackingStatus,
    "return_queue": ReturnQueue,
    "return_event": ReturnEventKind,
}
