"""The vocabulary every part of Redress shares: categories, tiers, channels and causes.

Values are stored in histories, search attributes and the read model, so a value once
released is never renamed; add new members instead.
"""

from enum import StrEnum


class Category(StrEnum):
    PRODUCT_QUALITY = "product_quality"
    LOGISTICS = "logistics"
    SERVICE = "service"
    PAYMENT = "payment"
    SECURITY = "security"
    OTHER = "other"


class SubCategory(StrEnum):
    DEFECT = "defect"
    COUNTERFEIT = "counterfeit"
    NOT_AS_DESCRIBED = "not_as_described"
    LATE_DELIVERY = "late_delivery"
    LOST_PARCEL = "lost_parcel"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    WRONG_ITEM = "wrong_item"
    WRONG_ADDRESS = "wrong_address"
    SLOW_REPLY = "slow_reply"
    RUDE_STAFF = "rude_staff"
    WRONG_INFORMATION = "wrong_information"
    DOUBLE_CHARGE = "double_charge"
    FAILED_PAYMENT = "failed_payment"
    REFUND_NOT_RECEIVED = "refund_not_received"
    UNAUTHORIZED_ORDER = "unauthorized_order"
    ACCOUNT_TAKEOVER = "account_takeover"
    OTHER = "other"


SUBCATEGORIES: dict[Category, tuple[SubCategory, ...]] = {
    Category.PRODUCT_QUALITY: (
        SubCategory.DEFECT,
        SubCategory.COUNTERFEIT,
        SubCategory.NOT_AS_DESCRIBED,
    ),
    Category.LOGISTICS: (
        SubCategory.LATE_DELIVERY,
        SubCategory.LOST_PARCEL,
        SubCategory.DAMAGED_IN_TRANSIT,
        SubCategory.WRONG_ITEM,
        SubCategory.WRONG_ADDRESS,
    ),
    Category.SERVICE: (
        SubCategory.SLOW_REPLY,
        SubCategory.RUDE_STAFF,
        SubCategory.WRONG_INFORMATION,
    ),
    Category.PAYMENT: (
        SubCategory.DOUBLE_CHARGE,
        SubCategory.FAILED_PAYMENT,
        SubCategory.REFUND_NOT_RECEIVED,
    ),
    Category.SECURITY: (SubCategory.UNAUTHORIZED_ORDER, SubCategory.ACCOUNT_TAKEOVER),
    Category.OTHER: (SubCategory.OTHER,),
}


def category_of(sub_category: SubCategory) -> Category:
    """Returns the category a sub-category belongs to."""
    for category, members in SUBCATEGORIES.items():
        if sub_category in members:
            return category
    return Category.OTHER


class Tier(StrEnum):
    """Severity tier; it picks the SLA policy and who must approve compensation."""

    GENERAL = "general"
    SERIOUS = "serious"
    CRITICAL = "critical"


TIER_RANK = {Tier.GENERAL: 0, Tier.SERIOUS: 1, Tier.CRITICAL: 2}


class Channel(StrEnum):
    WEB = "web"
    APP = "app"
    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    SOCIAL = "social"


class CustomerTier(StrEnum):
    NEW = "new"
    REGULAR = "regular"
    VIP = "vip"


class Locale(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


class DesiredOutcome(StrEnum):
    REFUND = "refund"
    REPLACEMENT = "replacement"
    COUPON = "coupon"
    STORE_CREDIT = "store_credit"
    APOLOGY = "apology"
    OTHER = "other"


class RootCause(StrEnum):
    ORDER_ERROR = "order_error"
    PICKING_ERROR = "picking_error"
    PACKING = "packing"
    LABEL = "label"
    CARRIER = "carrier"
    SUPPLIER_DEFECT = "supplier_defect"
    CUSTOMER_MISUNDERSTANDING = "customer_misunderstanding"
    PAYMENT_PROVIDER = "payment_provider"
    SERVICE_FAILURE = "service_failure"
    UNKNOWN = "unknown"
    # Transit causes, recorded when a carrier damaged or lost goods.
    LOADING = "loading"
    HANDLING = "handling"
    ROUTE = "route"


class EscalationLevel(StrEnum):
    """Who owns a complaint; SLA breaches move it one step up the chain."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


ESCALATION_CHAIN = (EscalationLevel.AGENT, EscalationLevel.SUPERVISOR, EscalationLevel.MANAGER)


def next_escalation_level(level: EscalationLevel) -> EscalationLevel | None:
    """Returns the level above `level`, or None at the top of the chain."""
    index = ESCALATION_CHAIN.index(level)
    return ESCALATION_CHAIN[index + 1] if index + 1 < len(ESCALATION_CHAIN) else None
