"""Starter canned replies, in English and Simplified Chinese, for the common sub-categories
and for any complaint: what `redress canned-replies seed` adds to a store.

They are a starting point for the shop's admins, who edit or retire them in the console
like any template. Each is the message only: the letter around a reply (the greeting, the
complaint's reference, the signature) comes from the `agent_reply` mail template. Each
names a key of its own, which makes seeding idempotent and never brings back a template
an admin retired or changes one they edited.
"""

from typing import NamedTuple

from domain.taxonomy import Locale, SubCategory


class SeedReply(NamedTuple):
    key: str
    language: Locale
    sub_category: SubCategory | None
    title: str
    body: str


EN, ZH = Locale.EN, Locale.ZH_CN

SEED_REPLIES: tuple[SeedReply, ...] = (
    SeedReply(
        "general-looking-into-it",
        EN,
        None,
        "Looking into it",
        "Thank you for telling us, {{ customer_name }}. I am looking into this now"
        "{% if resolution_due is defined %} and will come back to you with a solution by "
        "{{ resolution_due }}{% endif %}.\n\n{{ agent_name|default('Customer care') }}",
    ),
    SeedReply(
        "general-looking-into-it",
        ZH,
        None,
        "正在处理",
        "{{ customer_name }}，感谢您告诉我们。我正在处理您的问题"
        "{% if resolution_due is defined %}，会在 {{ resolution_due }} 前给您解决方案{% endif %}。"
        "\n\n{{ agent_name|default('客服') }}",
    ),
    SeedReply(
        "general-need-details",
        EN,
        None,
        "A few more details",
        "To sort this out quickly, could you send us a photo of the item and of its packaging"
        "{% if order_id is defined %}, and confirm that it came with order {{ order_id }}"
        "{% endif %}? Just reply to this message.",
    ),
    SeedReply(
        "general-need-details",
        ZH,
        None,
        "请补充信息",
        "为了尽快处理，请您拍一张商品及外包装的照片发给我们"
        "{% if order_id is defined %}，并确认是订单 {{ order_id }} 中的商品{% endif %}。"
        "直接回复本消息即可。",
    ),
    SeedReply(
        "defect-replacement",
        EN,
        SubCategory.DEFECT,
        "Faulty item: replacement or refund",
        "I am sorry the item does not work as it should. We can send you a replacement at no "
        "cost, or refund{% if paid_amount is defined %} the {{ paid_amount }} you paid{% endif %}"
        ": tell us which you prefer and we will arrange it straight away.",
    ),
    SeedReply(
        "defect-replacement",
        ZH,
        SubCategory.DEFECT,
        "商品故障：换新或退款",
        "很抱歉商品无法正常使用。我们可以免费为您换新，或退还"
        "{% if paid_amount is defined %}您支付的 {{ paid_amount }}{% else %}货款{% endif %}"
        "。请告诉我们您的选择，我们会立即安排。",
    ),
    SeedReply(
        "late-delivery-update",
        EN,
        SubCategory.LATE_DELIVERY,
        "Late parcel: we are chasing the courier",
        "I am sorry your order{% if order_id is defined %} {{ order_id }}{% endif %} has not "
        "arrived yet. I have asked the courier for an update"
        "{% if tracking_number is defined %} on parcel {{ tracking_number }}{% endif %} and will "
        "let you know what they say{% if resolution_due is defined %} by {{ resolution_due }}"
        "{% endif %}.",
    ),
    SeedReply(
        "late-delivery-update",
        ZH,
        SubCategory.LATE_DELIVERY,
        "物流延误：正在催促快递",
        "很抱歉您的订单{% if order_id is defined %} {{ order_id }}{% endif %}还没有送达。"
        "我们已联系快递公司查询{% if tracking_number is defined %}包裹 {{ tracking_number }} "
        "的{% endif %}最新进展{% if resolution_due is defined %}，会在 {{ resolution_due }} "
        "前告诉您结果{% endif %}。",
    ),
    SeedReply(
        "lost-parcel-trace",
        EN,
        SubCategory.LOST_PARCEL,
        "Lost parcel: trace opened",
        "I am sorry your parcel seems to be lost. We have opened a trace with the courier"
        "{% if tracking_number is defined %} (tracking number {{ tracking_number }}){% endif %}. "
        "If it is not found within three working days, we will send a new one or refund you, "
        "whichever you prefer.",
    ),
    SeedReply(
        "lost-parcel-trace",
        ZH,
        SubCategory.LOST_PARCEL,
        "包裹丢失：已发起查件",
        "很抱歉您的包裹可能已丢失。我们已向快递公司发起查件"
        "{% if tracking_number is defined %}（物流单号 {{ tracking_number }}）{% endif %}。"
        "如三个工作日内仍未找到，我们将按您的意愿为您补发或退款。",
    ),
    SeedReply(
        "damaged-in-transit",
        EN,
        SubCategory.DAMAGED_IN_TRANSIT,
        "Damaged in transit",
        "I am sorry the item arrived damaged. Please keep the packaging for now: we will send "
        "a replacement at once, and the courier may collect the damaged one.",
    ),
    SeedReply(
        "damaged-in-transit",
        ZH,
        SubCategory.DAMAGED_IN_TRANSIT,
        "运输途中损坏",
        "很抱歉商品在运输中损坏。请暂时保留外包装：我们会立即为您补发新品，快递员可能会上门取回损坏的商品。",
    ),
    SeedReply(
        "wrong-item",
        EN,
        SubCategory.WRONG_ITEM,
        "Wrong item sent",
        "I am sorry we sent the wrong item. The right one is on its way to you today, and we "
        "will arrange for the courier to collect the other at no cost to you.",
    ),
    SeedReply(
        "wrong-item",
        ZH,
        SubCategory.WRONG_ITEM,
        "发错商品",
        "很抱歉给您发错了商品。正确的商品今天就会寄出，发错的商品我们会安排快递免费上门取回。",
    ),
    SeedReply(
        "double-charge",
        EN,
        SubCategory.DOUBLE_CHARGE,
        "Charged twice: refund of the duplicate",
        "I am sorry you were charged twice. We have asked our payment provider to refund the "
        "duplicate payment; it usually reaches your account within 3 to 5 working days.",
    ),
    SeedReply(
        "double-charge",
        ZH,
        SubCategory.DOUBLE_CHARGE,
        "重复扣款：退还多扣款项",
        "很抱歉您被重复扣款。我们已通知支付机构退还多扣的款项，通常 3 至 5 个工作日内到账。",
    ),
    SeedReply(
        "refund-not-received",
        EN,
        SubCategory.REFUND_NOT_RECEIVED,
        "Refund not received yet",
        "{% if refunded_total is defined %}We refunded {{ refunded_total }} to your original "
        "payment method. {% endif %}Refunds usually take 3 to 5 working days to show in your "
        "account, depending on your bank. If it has not arrived after that, reply to this "
        "message and we will chase it with the payment provider.",
    ),
    SeedReply(
        "refund-not-received",
        ZH,
        SubCategory.REFUND_NOT_RECEIVED,
        "退款尚未到账",
        "{% if refunded_total is defined %}我们已将 {{ refunded_total }} 退回您的原支付账户。"
        "{% endif %}退款通常需要 3 至 5 个工作日到账，具体以银行为准。如届时仍未到账，"
        "请回复本消息，我们会向支付机构核查。",
    ),
)
