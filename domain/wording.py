"""Short localized phrases the workflow puts into notification parameters."""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.complaints import CompensationRecord
from domain.taxonomy import Locale

_KIND_WORDS = {
    Locale.ZH_CN: {
        "refund": "退款 {amount} {currency} 已原路退回",
        "coupon": "已发放 {amount} {currency} 优惠券",
        "store_credit": "已充值 {amount} {currency} 账户余额",
        "replacement": "已安排补发商品（单号 {reference}）",
    },
    Locale.EN: {
        "refund": "a refund of {amount} {currency} to your original payment method",
        "coupon": "a coupon worth {amount} {currency}",
        "store_credit": "store credit of {amount} {currency}",
        "replacement": "a replacement shipment (reference {reference})",
    },
}
_APOLOGY = {Locale.ZH_CN: "我们向您诚恳致歉", Locale.EN: "our sincere apology"}


def format_deadline(moment: datetime, timezone: str) -> str:
    """Returns `moment` as local date and time in `timezone`, e.g. "2026-11-23 18:00 CST"."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def describe_outcome(records: Sequence[CompensationRecord], currency: str, locale: Locale) -> str:
    """Returns one line on the compensation carried out, in the customer's language."""
    words = _KIND_WORDS[locale]
    parts = [
        words[record.kind].format(
            amount=record.amount, currency=currency, reference=record.reference
        )
        for record in records
        if not record.undone
    ]
    if not parts:
        return _APOLOGY[locale]
    return ("；" if locale is Locale.ZH_CN else "; ").join(parts)
