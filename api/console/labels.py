"""Names of the domain's values (statuses, tiers, categories, timeline events) as people
read them, in English and Simplified Chinese.

A value without a name here is shown as it is stored, so a member added to a domain enum
still shows up (a test lists the ones missing).
"""

from enum import StrEnum

from api.console import return_labels
from domain.compensation import CompensationKind
from domain.complaints import CloseReason, ComplaintStatus, TimelineKind
from domain.returns import ReturnReason, ReturnStatus
from domain.service_failures import ServiceFailure
from domain.surveys import RecoveryStatus
from domain.taxonomy import (
    Category,
    Channel,
    CustomerTier,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
)

# (English, Chinese) per value, per family: the same string can mean two things
# ("closed" is a status and a timeline event), so families never share a table.
_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        ComplaintStatus.RECEIVED: ("Received", "已接收"),
        ComplaintStatus.OPEN: ("Open", "处理中"),
        ComplaintStatus.WAITING_ON_CUSTOMER: ("Waiting on customer", "等待客户回复"),
        ComplaintStatus.AWAITING_APPROVAL: ("Awaiting approval", "等待审批"),
        ComplaintStatus.RESOLVING: ("Resolving", "执行补偿中"),
        ComplaintStatus.CLOSED: ("Closed", "已结案"),
    },
    "close_reason": {
        CloseReason.RESOLVED: ("Resolved", "已解决"),
        CloseReason.NO_CUSTOMER_REPLY: ("No reply from the customer", "客户未回复"),
        CloseReason.MERGED: ("Merged", "已合并"),
    },
    "recovery_status": {
        RecoveryStatus.OPEN: ("Open", "待处理"),
        RecoveryStatus.DONE: ("Done", "已完成"),
        RecoveryStatus.LAPSED: ("Lapsed", "已逾期"),
    },
    # What opened a recovery task other than a survey's low answer.
    "service_failure": {
        ServiceFailure.COMPENSATION_UNDONE: ("Compensation undone", "补偿被撤销"),
        ServiceFailure.CRITICAL_SLA_BREACHED: ("Critical SLA breached", "严重投诉超出 SLA 时限"),
        ServiceFailure.CLOSED_WITHOUT_ANSWER: (
            "Closed without the customer's answer",
            "未等到客户答复即结案",
        ),
    },
    "tier": {
        Tier.CRITICAL: ("Critical", "严重"),
        Tier.SERIOUS: ("Serious", "较重"),
        Tier.GENERAL: ("General", "一般"),
    },
    "customer_tier": {
        CustomerTier.NEW: ("New", "新客户"),
        CustomerTier.REGULAR: ("Regular", "普通客户"),
        CustomerTier.VIP: ("VIP", "VIP 客户"),
    },
    "level": {
        EscalationLevel.AGENT: ("Agent", "客服"),
        EscalationLevel.SUPERVISOR: ("Supervisor", "主管"),
        EscalationLevel.MANAGER: ("Manager", "经理"),
    },
    "compensation": {
        CompensationKind.REFUND: ("Refund", "退款"),
        CompensationKind.REPLACEMENT: ("Replacement", "换货"),
        CompensationKind.COUPON: ("Coupon", "优惠券"),
        CompensationKind.STORE_CREDIT: ("Store credit", "店铺余额"),
    },
    "category": {
        Category.PRODUCT_QUALITY: ("Product quality", "商品质量"),
        Category.LOGISTICS: ("Logistics", "物流"),
        Category.SERVICE: ("Service", "服务"),
        Category.PAYMENT: ("Payment", "支付"),
        Category.SECURITY: ("Security", "账户安全"),
        Category.OTHER: ("Other", "其他"),
    },
    "sub_category": {
        SubCategory.DEFECT: ("Defect", "质量缺陷"),
        SubCategory.COUNTERFEIT: ("Counterfeit", "假冒商品"),
        SubCategory.NOT_AS_DESCRIBED: ("Not as described", "与描述不符"),
        SubCategory.LATE_DELIVERY: ("Late delivery", "延迟送达"),
        SubCategory.LOST_PARCEL: ("Lost parcel", "包裹丢失"),
        SubCategory.DAMAGED_IN_TRANSIT: ("Damaged in transit", "运输损坏"),
        SubCategory.WRONG_ITEM: ("Wrong item", "发错商品"),
        SubCategory.WRONG_ADDRESS: ("Wrong address", "地址错误"),
        SubCategory.SLOW_REPLY: ("Slow reply", "回复太慢"),
        SubCategory.RUDE_STAFF: ("Rude staff", "服务态度差"),
        SubCategory.WRONG_INFORMATION: ("Wrong information", "信息错误"),
        SubCategory.DOUBLE_CHARGE: ("Double charge", "重复扣款"),
        SubCategory.FAILED_PAYMENT: ("Failed payment", "支付失败"),
        SubCategory.REFUND_NOT_RECEIVED: ("Refund not received", "未收到退款"),
        SubCategory.UNAUTHORIZED_ORDER: ("Unauthorized order", "未授权订单"),
        SubCategory.ACCOUNT_TAKEOVER: ("Account takeover", "账户被盗"),
        SubCategory.OTHER: ("Other", "其他"),
    },
    "channel": {
        Channel.WEB: ("Web", "网页"),
        Channel.APP: ("App", "手机应用"),
        Channel.EMAIL: ("Email", "电子邮件"),
        Channel.CHAT: ("Chat", "在线客服"),
        Channel.PHONE: ("Phone", "电话"),
        Channel.SOCIAL: ("Social media", "社交媒体"),
    },
    "root_cause": {
        RootCause.ORDER_ERROR: ("Order error", "订单错误"),
        RootCause.PICKING_ERROR: ("Picking error", "拣货错误"),
        RootCause.PACKING: ("Packing", "包装问题"),
        RootCause.LABEL: ("Shipping label", "面单问题"),
        RootCause.CARRIER: ("Carrier", "承运商"),
        RootCause.SUPPLIER_DEFECT: ("Supplier defect", "供应商质量问题"),
        RootCause.CUSTOMER_MISUNDERSTANDING: ("Customer misunderstanding", "客户误解"),
        RootCause.PAYMENT_PROVIDER: ("Payment provider", "支付服务商"),
        RootCause.SERVICE_FAILURE: ("Service failure", "服务失误"),
        RootCause.UNKNOWN: ("Unknown", "原因不明"),
        RootCause.LOADING: ("Loading", "装载不当"),
        RootCause.HANDLING: ("Handling", "搬运不当"),
        RootCause.ROUTE: ("Route", "运输路线"),
    },
    "event": {
        TimelineKind.RECEIVED: ("Received", "已接收"),
        TimelineKind.ACKNOWLEDGED: ("Acknowledged to the customer", "已告知客户受理"),
        TimelineKind.CLASSIFIED: ("Classified", "已分类"),
        TimelineKind.ROUTED: ("Routed", "已分派"),
        TimelineKind.REPLIED: ("Agent replied", "客服已回复"),
        TimelineKind.INFO_REQUESTED: ("Information requested", "已请求补充信息"),
        TimelineKind.CUSTOMER_REPLIED: ("Customer replied", "客户已回复"),
        TimelineKind.CUSTOMER_REMINDED: ("Customer reminded", "已提醒客户"),
        TimelineKind.RECLASSIFIED: ("Reclassified", "已重新分类"),
        TimelineKind.ASSIGNED: ("Assigned", "已指派"),
        TimelineKind.SLA_REMINDER: ("Deadline reminder", "时限提醒"),
        TimelineKind.SLA_BREACHED: ("Deadline breached", "已超出时限"),
        TimelineKind.ESCALATED: ("Escalated", "已升级"),
        TimelineKind.RESOLUTION_PROPOSED: ("Resolution proposed", "已提出解决方案"),
        TimelineKind.AUTO_RESOLUTION: ("Resolved by a rule", "按规则自动处理"),
        TimelineKind.APPROVAL_REQUESTED: ("Approval requested", "已申请审批"),
        TimelineKind.APPROVED: ("Approved", "已批准"),
        TimelineKind.REJECTED: ("Rejected", "已驳回"),
        TimelineKind.APPROVAL_ESCALATED: ("Approval escalated", "审批已升级"),
        TimelineKind.APPROVAL_EXPIRED: ("Approval expired", "审批已过期"),
        TimelineKind.NEEDS_PERSON: ("Needs a person", "需人工处理"),
        TimelineKind.COMPENSATION_DONE: ("Compensation carried out", "补偿已执行"),
        TimelineKind.COMPENSATION_FAILED: ("Compensation failed", "补偿失败"),
        TimelineKind.COMPENSATION_UNDONE: ("Compensation undone", "补偿已撤销"),
        TimelineKind.RESOLVED: ("Resolved", "已解决"),
        TimelineKind.CLOSED: ("Closed", "已结案"),
        TimelineKind.NOTIFICATION_FAILED: ("Message not delivered", "消息发送失败"),
        TimelineKind.EVIDENCE_ADDED: ("Customer sent a file", "客户已提交文件"),
        TimelineKind.EVIDENCE_REFUSED: ("Customer's file refused", "客户文件未被接收"),
        TimelineKind.DUPLICATE_LINKED: ("Linked as a possible duplicate", "已关联疑似重复投诉"),
        TimelineKind.MERGED_INTO: ("Merged into another complaint", "已并入另一投诉"),
        TimelineKind.MERGED_FROM: ("Another complaint merged in", "已并入另一投诉的内容"),
        TimelineKind.NOTED: ("Internal note (staff only)", "内部备注（仅员工可见）"),
        TimelineKind.RETURN_STARTED: ("Return started", "已发起退货"),
        TimelineKind.RETURN_CLOSED: ("Return closed", "退货已完成"),
        TimelineKind.SURVEY_SENT: ("Survey sent", "已发送满意度调查"),
        TimelineKind.SURVEY_REMINDED: ("Survey reminder sent", "已发送调查提醒"),
        TimelineKind.SURVEY_ANSWERED: ("Survey answered", "客户已填写调查"),
        TimelineKind.SURVEY_NOT_ANSWERED: ("Survey closed unanswered", "调查未获回复"),
        TimelineKind.RECOVERY_STARTED: ("Service recovery started", "已启动服务补救"),
        TimelineKind.RECOVERY_DONE: ("Service recovery done", "服务补救已完成"),
        TimelineKind.RECOVERY_LAPSED: ("Service recovery lapsed", "服务补救已逾期"),
    },
    "return_status": {
        ReturnStatus.REQUESTED: ("Requested", "已申请"),
        ReturnStatus.UNDER_REVIEW: ("Under review", "审核中"),
        ReturnStatus.AWAITING_CONSENT: ("Awaiting the customer's consent", "等待客户同意"),
        ReturnStatus.AWAITING_SHIPMENT: ("Waiting to ship", "等待寄回"),
        ReturnStatus.IN_TRANSIT: ("In transit", "运输中"),
        ReturnStatus.AWAITING_INSPECTION: ("Awaiting inspection", "待检验"),
        ReturnStatus.SETTLING: ("Settling", "结算中"),
        ReturnStatus.EXCHANGE_IN_TRANSIT: ("Exchange in transit", "换货配送中"),
        ReturnStatus.COMPLETED: ("Completed", "已完成"),
        ReturnStatus.REJECTED: ("Rejected", "已拒绝"),
        ReturnStatus.CANCELLED: ("Cancelled", "已取消"),
    },
    "return_reason": {
        ReturnReason.WRONG_ITEM: ("Wrong item", "发错货"),
        ReturnReason.DAMAGED_IN_TRANSIT: ("Damaged in transit", "运输损坏"),
        ReturnReason.DEFECTIVE: ("Defective", "质量问题"),
        ReturnReason.NOT_AS_DESCRIBED: ("Not as described", "与描述不符"),
        ReturnReason.CHANGED_MIND: ("Changed mind", "不想要了"),
    },
    **return_labels.NAMES,
}

# Value families the templates ask for by name: `page.label("tier", row.tier)`.
FAMILIES: dict[str, type[StrEnum]] = {
    "status": ComplaintStatus,
    "close_reason": CloseReason,
    "recovery_status": RecoveryStatus,
    "service_failure": ServiceFailure,
    "tier": Tier,
    "customer_tier": CustomerTier,
    "level": EscalationLevel,
    "compensation": CompensationKind,
    "category": Category,
    "sub_category": SubCategory,
    "channel": Channel,
    "root_cause": RootCause,
    "event": TimelineKind,
    "return_status": ReturnStatus,
    "return_reason": ReturnReason,
    **return_labels.FAMILIES,
}

# The workflow signs its own steps "redress" (`workflows.case_journal.SYSTEM_ACTOR`), and
# the classifier signs the classification with its name.
SYSTEM_ACTOR_NAMES = {"redress": ("System", "系统"), "rules": ("Rules classifier", "规则分类器")}


def label(language: Locale, family: str, value: object) -> str:
    """Returns the name of `value` (a member or its stored string) in `language`;
    raises KeyError for a family that is not in `FAMILIES`."""
    if value is None:
        return ""
    names = _NAMES[family].get(str(value))
    if names is None:
        return str(value)
    return names[1] if language is Locale.ZH_CN else names[0]


# Timeline events whose detail is a code of one of the families above (the workflow
# records the code, never words): the console names it as it names the family's values.
DETAIL_FAMILIES: dict[TimelineKind, str] = {
    TimelineKind.CLOSED: "close_reason",
    TimelineKind.RECEIVED: "channel",
    TimelineKind.APPROVAL_ESCALATED: "level",
}


def event_detail(language: Locale, kind: TimelineKind, detail: str) -> str:
    """Returns a timeline event's detail in `language` when it is a code, else as it is."""
    family = DETAIL_FAMILIES.get(kind)
    return label(language, family, detail) if family else detail


def actor_name(language: Locale, actor: str) -> str:
    """Returns who did something: staff ids as they are, the system by its name."""
    names = SYSTEM_ACTOR_NAMES.get(actor)
    if names is None:
        return actor
    return names[1] if language is Locale.ZH_CN else names[0]


def unnamed_values() -> list[str]:
    """Returns `family:value` of each enum member without a name (a test keeps this empty)."""
    return [
        f"{family}:{member.value}"
        for family, members in FAMILIES.items()
        for member in members
        if member.value not in _NAMES[family]
    ]
