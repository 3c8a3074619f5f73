"""Subject and body of every notification, in every locale, as plain text.

Placeholders are `${name}`; every one is required (extra parameters are ignored), and
both locales of a template use the same ones:

| template | parameters |
| --- | --- |
| acknowledgement | customer_name, complaint_id, deadline |
| agent_reply | customer_name, complaint_id, message |
| info_request | customer_name, complaint_id, question, deadline |
| info_reminder | customer_name, complaint_id, question, deadline |
| auto_closed | customer_name, complaint_id |
| resolution_outcome | customer_name, complaint_id, outcome, message |
| resolution_failed | customer_name, complaint_id |
| sla_reminder | complaint_id, deadline |
| escalation | complaint_id, level, reason |
| approval_requested | complaint_id, proposed_by, amount, currency, deadline |
| approval_rejected | complaint_id, approver, reason |
| approval_expired | complaint_id, amount, currency |
| needs_person | complaint_id, reason |
| return_received | customer_name, return_id |
| return_rejected | customer_name, return_id, reasons |
| return_under_review | customer_name, return_id |
| return_label | customer_name, return_id, tracking_number, label_url, ship_by, how |
| return_ship_reminder | customer_name, return_id, ship_by |
| return_cancelled | customer_name, return_id, reason |
| return_trace_opened | customer_name, return_id, tracking_number |
| return_refunded | customer_name, return_id, amount, currency |
| return_store_credited | customer_name, return_id, amount, currency |
| exchange_shipped | customer_name, return_id, tracking_number |
| return_plan_proposed | customer_name, return_id, plan, deadline |
| return_completed | customer_name, return_id, outcome |
| return_review_requested | return_id, reasons, deadline |
| return_inspection_requested | return_id, deadline |
| return_claim_filed | return_id, amount, currency |
| return_needs_person | return_id, reason |
| survey_*, service_recovery*, recovery_* | see `survey_templates.py` |

acknowledgement and return_received also take `case_url`, the customer's own page, when
the notifier can make one (`case_page_links.py`); without it they read as before.

All values are text the caller formats: `customer_name` is how to address the customer,
`deadline` and `ship_by` a local date and time (or "-"), `message` an agent's words,
`question` what the customer is asked to add, `outcome` one line on what was carried out,
`amount` and `currency` a money value ("350.00", "CNY"), `reason`, `proposed_by` and
`approver` free text and staff names. For returns: `reasons` one or more sentences (one
per line), `plan` what the customer is asked to accept, `tracking_number` the carrier's
number and `label_url` the link to the printable label.

Three values are codes, shown in the recipient's language: `level` (an `EscalationLevel`
value), `how` ("pickup": a courier collects at the customer's door, or "drop_off": the
customer takes the parcel to the carrier) and, in return_completed, `outcome` (a
`ReturnOutcome` value: "refund", "exchange", "store_credit"). Any other value, or a code
not listed, is shown as given.
"""

import unicodedata
from collections.abc import Mapping
from string import Template
from typing import NamedTuple

from activities.notifications.case_page_links import CASE_PAGE_SENTENCES, CASE_URL
from activities.notifications.errors import MissingTemplateParameters
from activities.notifications.survey_templates import SURVEY_TEMPLATES, SURVEY_VALUE_LABELS
from activities.notifications.text import MessageText
from domain.notifications import NotificationTemplate
from domain.returns import ReturnOutcome
from domain.taxonomy import EscalationLevel, Locale


class RenderedMessage(NamedTuple):
    subject: str
    body: str


_ZH_SIGNATURE = "客服中心"
_EN_SIGNATURE = "Kind regards,\nCustomer Care Team"
_ZH_STAFF_SIGNATURE = "Redress 投诉处理系统"
_EN_STAFF_SIGNATURE = "Redress complaint desk"
_ZH_RETURNS_STAFF_SIGNATURE = "Redress 退换货处理系统"
_EN_RETURNS_STAFF_SIGNATURE = "Redress returns desk"

TEMPLATES: dict[NotificationTemplate, dict[Locale, MessageText]] = {
    NotificationTemplate.ACKNOWLEDGEMENT: {
        Locale.ZH_CN: MessageText(
            "我们已收到您的投诉（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "我们已收到您的投诉（编号 ${complaint_id}），非常抱歉给您带来了不便。"
            "客服专员将在 ${deadline} 前与您联系，处理进展也会第一时间通知您。\n\n"
            "如需补充说明或上传凭证，直接回复本消息即可。\n\n"
            f"感谢您的耐心与理解！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We have received your complaint (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "Thank you for contacting us, and we are sorry for the trouble. We have received "
            "your complaint (ref. ${complaint_id}). A member of our customer care team will "
            "get back to you by ${deadline}, and we will keep you posted on every step.\n\n"
            "If you would like to add details or evidence, simply reply to this message.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.AGENT_REPLY: {
        Locale.ZH_CN: MessageText(
            "关于您的投诉（编号 ${complaint_id}）的回复",
            "${customer_name}，您好：\n\n"
            "关于您的投诉（编号 ${complaint_id}），客服专员回复如下：\n\n"
            "${message}\n\n"
            f"如有任何疑问，欢迎直接回复本消息。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "A reply about your complaint (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "Our customer care team has replied to your complaint (ref. ${complaint_id}):\n\n"
            "${message}\n\n"
            f"If you have any questions, just reply to this message.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.INFO_REQUEST: {
        Locale.ZH_CN: MessageText(
            "请补充投诉信息（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "为了尽快处理您的投诉（编号 ${complaint_id}），我们需要您补充以下信息：\n\n"
            "${question}\n\n"
            "请在 ${deadline} 前直接回复本消息。收到您的回复后，我们会立即继续处理。\n\n"
            f"感谢您的配合！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We need a little more information (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "To resolve your complaint (ref. ${complaint_id}) as quickly as possible, we need "
            "some more information from you:\n\n"
            "${question}\n\n"
            "Please reply to this message by ${deadline}; we will pick your complaint up again "
            f"as soon as we hear from you. Thank you for your help.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.INFO_REMINDER: {
        Locale.ZH_CN: MessageText(
            "温馨提醒：您的投诉仍在等待补充信息（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "我们此前请您为投诉（编号 ${complaint_id}）补充以下信息，目前尚未收到您的回复：\n\n"
            "${question}\n\n"
            "如果在 ${deadline} 前仍未收到您的回复，该投诉将被自动关闭。"
            "如您仍需要我们的帮助，请直接回复本消息。\n\n"
            f"感谢您的理解！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Reminder: your complaint is waiting for your reply (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "We recently asked for more information about your complaint "
            "(ref. ${complaint_id}) and have not heard back from you yet:\n\n"
            "${question}\n\n"
            "If we do not receive a reply by ${deadline}, the complaint will be closed "
            "automatically. "
            "If you still need our help, simply reply to this message.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.AUTO_CLOSED: {
        Locale.ZH_CN: MessageText(
            "您的投诉已关闭（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "由于一直未收到您的补充信息，您的投诉（编号 ${complaint_id}）已自动关闭。\n\n"
            "如问题仍未解决，欢迎随时提交新的投诉并注明原编号，我们会继续为您跟进。\n\n"
            f"祝您生活愉快！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your complaint has been closed (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "As we have not received the information we asked for, your complaint "
            "(ref. ${complaint_id}) has now been closed.\n\n"
            "If the problem is not solved, you are welcome to open a new complaint at any "
            "time and mention this reference; we will gladly pick it up again.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RESOLUTION_OUTCOME: {
        Locale.ZH_CN: MessageText(
            "您的投诉处理结果（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "关于您的投诉（编号 ${complaint_id}），处理结果如下：\n\n"
            "${outcome}\n\n"
            "${message}\n\n"
            f"再次感谢您的反馈。如有任何疑问，欢迎直接回复本消息。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "The outcome of your complaint (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "Here is the outcome of your complaint (ref. ${complaint_id}):\n\n"
            "${outcome}\n\n"
            "${message}\n\n"
            "Thank you again for letting us know. If anything is unclear, just reply to "
            f"this message.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RESOLUTION_FAILED: {
        Locale.ZH_CN: MessageText(
            "您的投诉补偿暂未完成（编号 ${complaint_id}）",
            "${customer_name}，您好：\n\n"
            "非常抱歉，我们在为您的投诉（编号 ${complaint_id}）办理补偿时遇到了问题，"
            "暂时未能完成。专员会尽快与您联系，为您另行安排解决方案。\n\n"
            f"给您带来不便，敬请谅解。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We could not complete your compensation yet (ref. ${complaint_id})",
            "Dear ${customer_name},\n\n"
            "We are sorry: something went wrong while we were arranging the compensation "
            "for your complaint (ref. ${complaint_id}), and it could not be completed. "
            "A member of our team will contact you shortly to arrange another solution.\n\n"
            f"We apologise for the inconvenience.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.SLA_REMINDER: {
        Locale.ZH_CN: MessageText(
            "【时限提醒】投诉 ${complaint_id} 即将超时",
            "您好：\n\n"
            "投诉 ${complaint_id} 的处理时限将于 ${deadline} 到期，请尽快跟进处理。\n\n"
            f"{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[SLA reminder] Complaint ${complaint_id} is due soon",
            "Hello,\n\n"
            "Complaint ${complaint_id} is due by ${deadline}. "
            f"Please follow it up as soon as possible.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.ESCALATION: {
        Locale.ZH_CN: MessageText(
            "【升级通知】投诉 ${complaint_id} 已升级至${level}",
            "您好：\n\n"
            "投诉 ${complaint_id} 已升级至${level}处理。\n"
            "原因：${reason}\n\n"
            f"请尽快查看并跟进。\n\n{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Escalation] Complaint ${complaint_id} has been escalated to ${level}",
            "Hello,\n\n"
            "Complaint ${complaint_id} has been escalated to ${level}.\n"
            "Reason: ${reason}\n\n"
            f"Please review it and follow up as soon as possible.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.APPROVAL_REQUESTED: {
        Locale.ZH_CN: MessageText(
            "【待审批】投诉 ${complaint_id} 的补偿方案（${amount} ${currency}）",
            "您好：\n\n"
            "${proposed_by} 为投诉 ${complaint_id} 提交了一份补偿方案，"
            "合计 ${amount} ${currency}，需要您审批。\n"
            "请在 ${deadline} 前处理；逾期未处理的方案将转交上一级审批或自动失效。\n\n"
            f"{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Approval needed] Compensation for complaint ${complaint_id} (${amount} ${currency})",
            "Hello,\n\n"
            "${proposed_by} has proposed compensation worth ${amount} ${currency} for "
            "complaint ${complaint_id}, and it needs your approval.\n"
            "Please decide by ${deadline}: after that the proposal moves up to the next approver "
            f"or expires.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.APPROVAL_REJECTED: {
        Locale.ZH_CN: MessageText(
            "【审批未通过】投诉 ${complaint_id} 的补偿方案",
            "您好：\n\n"
            "您为投诉 ${complaint_id} 提交的补偿方案未获 ${approver} 批准。\n"
            "原因：${reason}\n\n"
            "请根据意见调整方案后重新提交，或直接答复客户。\n\n"
            f"{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Not approved] Compensation for complaint ${complaint_id}",
            "Hello,\n\n"
            "${approver} did not approve the compensation you proposed for complaint "
            "${complaint_id}.\n"
            "Reason: ${reason}\n\n"
            "Please revise the proposal and submit it again, or reply to the customer "
            f"directly.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.APPROVAL_EXPIRED: {
        Locale.ZH_CN: MessageText(
            "【审批已过期】投诉 ${complaint_id} 的补偿方案",
            "您好：\n\n"
            "您为投诉 ${complaint_id} 提交的补偿方案（${amount} ${currency}）"
            "未在时限内获得审批，现已失效，"
            "未向客户发放任何补偿。该投诉已退回给您，请重新评估后再次提交，"
            "并留意其处理时限。\n\n"
            f"{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Approval expired] Compensation for complaint ${complaint_id}",
            "Hello,\n\n"
            "The compensation you proposed for complaint ${complaint_id} "
            "(${amount} ${currency}) was not decided in time and has expired; nothing was "
            "paid to the customer. The complaint is back "
            "with you: please review it and submit a new proposal, keeping an eye on its "
            f"deadlines.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_RECEIVED: {
        Locale.ZH_CN: MessageText(
            "我们已收到您的退货申请（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "我们已收到您的退货申请（编号 ${return_id}），正在为您审核。"
            "审核通过后，我们会把退货面单和寄回方式发送给您。\n\n"
            "在此之前，请保留好商品及其包装、配件和赠品，暂时不要寄出。\n\n"
            f"感谢您的耐心等待！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We have received your return request (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Thank you for your return request (ref. ${return_id}). We are checking it now "
            "and will send you a return label and instructions as soon as it is approved.\n\n"
            "Until then, please keep the item together with its packaging, accessories and "
            "any free gifts, and do not send it yet.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_REJECTED: {
        Locale.ZH_CN: MessageText(
            "您的退货申请未能通过（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "很抱歉，您的退货申请（编号 ${return_id}）未能通过审核，原因如下：\n\n"
            "${reasons}\n\n"
            "如果您认为判断有误，或商品存在质量问题，欢迎直接回复本消息或提交投诉，"
            f"我们会再次为您核实。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We could not accept your return request (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "We are sorry, but we could not accept your return request (ref. ${return_id}), "
            "for the following reasons:\n\n"
            "${reasons}\n\n"
            "If you think we got this wrong, or the item is faulty, just reply to this "
            "message or open a complaint and we will look into it again.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_UNDER_REVIEW: {
        Locale.ZH_CN: MessageText(
            "您的退货申请正在审核中（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货申请（编号 ${return_id}）需要由专员进一步审核。我们会尽快处理，"
            "审核结果将第一时间通知您。\n\n"
            "审核期间请保留好商品及其包装，暂时不要寄出。如有照片或视频等凭证，"
            "可直接回复本消息补充，以便加快审核。\n\n"
            f"感谢您的理解！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your return request is being reviewed (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Your return request (ref. ${return_id}) needs a closer look from a member of our "
            "team. We will review it as soon as possible and let you know the outcome "
            "straight away.\n\n"
            "Meanwhile, please keep the item and its packaging and do not send it yet. If you "
            "have photos or videos of the problem, reply to this message with them to help us "
            "decide faster.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_LABEL: {
        Locale.ZH_CN: MessageText(
            "您的退货申请已通过，请寄回商品（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货申请（编号 ${return_id}）已通过审核。\n\n"
            "寄回方式：${how}\n"
            "退货运单号：${tracking_number}\n"
            "退货面单：${label_url}\n\n"
            "请在 ${ship_by} 前将商品连同包装、配件和赠品一起寄出，并将面单贴在包裹外侧。"
            "逾期未寄出的退货申请将被取消。\n\n"
            f"我们收到包裹并验货后，会尽快为您办理后续事宜。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your return is approved: please send the item back (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Good news: your return (ref. ${return_id}) has been approved.\n\n"
            "${how}\n"
            "Tracking number: ${tracking_number}\n"
            "Return label: ${label_url}\n\n"
            "Please send the item, with its packaging, accessories and any free gifts, by "
            "${ship_by}, with the label stuck on the outside of the parcel. A return that "
            "has not been sent by then will be cancelled.\n\n"
            "We will take care of the rest as soon as the parcel has arrived and been "
            f"checked.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_SHIP_REMINDER: {
        Locale.ZH_CN: MessageText(
            "温馨提醒：请尽快寄回退货商品（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货（编号 ${return_id}）尚未寄出。请在 ${ship_by} 前将商品寄回，"
            "退货面单和运单号请见我们此前发送的消息。\n\n"
            "逾期未寄出的退货申请将被自动取消；如您已改变主意，无需任何操作。\n\n"
            f"感谢您的配合！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Reminder: please send your return back (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Your return (ref. ${return_id}) has not been sent yet. Please send the item back "
            "by ${ship_by}; the return label and tracking number are in our earlier "
            "message.\n\n"
            "If nothing is sent by then, the return will be cancelled automatically. If you "
            "have changed your mind, there is nothing you need to do.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_CANCELLED: {
        Locale.ZH_CN: MessageText(
            "您的退货申请已取消（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货申请（编号 ${return_id}）已取消。\n"
            "原因：${reason}\n\n"
            "如仍需退货，欢迎在退货期限内重新提交申请；如有疑问，直接回复本消息即可。\n\n"
            f"祝您生活愉快！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your return has been cancelled (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Your return (ref. ${return_id}) has been cancelled.\n"
            "Reason: ${reason}\n\n"
            "If you still want to return the item, you are welcome to open a new return "
            "while the return period lasts. If you have any questions, just reply to this "
            f"message.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_TRACE_OPENED: {
        Locale.ZH_CN: MessageText(
            "我们正在追踪您的退货包裹（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您寄回的包裹（运单号 ${tracking_number}）在途时间超出预期，"
            "我们已请快递公司核查包裹下落。您的退货（编号 ${return_id}）不受影响，"
            "您无需任何操作，有进展我们会第一时间通知您。\n\n"
            f"给您带来不便，敬请谅解。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We are tracing your return parcel (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Your return parcel (tracking number ${tracking_number}) is taking longer than "
            "expected, so we have asked the carrier to trace it. Your return "
            "(ref. ${return_id}) is not affected and there is nothing you need to do; we will "
            "let you know as soon as we hear back.\n\n"
            f"We apologise for the delay.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_REFUNDED: {
        Locale.ZH_CN: MessageText(
            "您的退款已办理（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货（编号 ${return_id}）已验收完毕，退款 ${amount} ${currency} "
            "已原路退回您的支付账户。具体到账时间以支付渠道为准，通常为1–7个工作日。\n\n"
            f"感谢您的耐心等待！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your refund is on its way (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "We have received and checked your return (ref. ${return_id}) and refunded "
            "${amount} ${currency} to your original payment method. Depending on your bank or "
            "payment provider, it usually shows up within 1 to 7 working days.\n\n"
            f"Thank you for your patience.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_STORE_CREDITED: {
        Locale.ZH_CN: MessageText(
            "退货款项已存入您的账户余额（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货（编号 ${return_id}）已验收完毕，${amount} ${currency} "
            "已存入您的账户余额，下次购物时即可使用。\n\n"
            f"感谢您的支持！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Store credit has been added to your account (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "We have received and checked your return (ref. ${return_id}) and added "
            "${amount} ${currency} of store credit to your account. You can use it on your "
            "next order.\n\n"
            f"Thank you for shopping with us.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.EXCHANGE_SHIPPED: {
        Locale.ZH_CN: MessageText(
            "您的换货商品已发出（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的换货（退货编号 ${return_id}）已发出，运单号：${tracking_number}，"
            "您可以凭运单号随时查询物流进度。\n\n"
            f"收到商品后如有任何问题，欢迎直接回复本消息。\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your exchange is on its way (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "The replacement for your return (ref. ${return_id}) has been shipped. Its "
            "tracking number is ${tracking_number}, so you can follow the parcel at any "
            "time.\n\n"
            "If anything is not right when it arrives, just reply to this message.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_PLAN_PROPOSED: {
        Locale.ZH_CN: MessageText(
            "请确认您的退货处理方案（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "关于您的退货（编号 ${return_id}），我们为您提出以下处理方案：\n\n"
            "${plan}\n\n"
            "请在 ${deadline} 前回复是否接受该方案，以便我们尽快为您办理。\n\n"
            f"感谢您的配合！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Please confirm how we settle your return (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "For your return (ref. ${return_id}), we would like to propose the "
            "following:\n\n"
            "${plan}\n\n"
            "Please let us know by ${deadline} whether you accept it, so that we can go "
            f"ahead. Thank you for your help.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_COMPLETED: {
        Locale.ZH_CN: MessageText(
            "您的退货已完成（编号 ${return_id}）",
            "${customer_name}，您好：\n\n"
            "您的退货（编号 ${return_id}）已全部处理完成，处理结果：${outcome}。\n\n"
            f"感谢您的耐心与理解，期待再次为您服务！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "Your return is complete (ref. ${return_id})",
            "Dear ${customer_name},\n\n"
            "Your return (ref. ${return_id}) is now complete. Outcome: ${outcome}.\n\n"
            "Thank you for your patience; we look forward to serving you again.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_REVIEW_REQUESTED: {
        Locale.ZH_CN: MessageText(
            "【待审核】退货 ${return_id} 需要人工审核",
            "您好：\n\n"
            "退货 ${return_id} 未能自动通过，需要您审核，原因如下：\n\n"
            "${reasons}\n\n"
            "请在 ${deadline} 前作出决定；逾期未处理的审核将升级至上一级。\n\n"
            f"{_ZH_RETURNS_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Review needed] Return ${return_id} needs a decision",
            "Hello,\n\n"
            "Return ${return_id} could not be approved automatically and needs your review, "
            "for these reasons:\n\n"
            "${reasons}\n\n"
            "Please decide by ${deadline}; after that the review moves up to the next "
            f"level.\n\n{_EN_RETURNS_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_INSPECTION_REQUESTED: {
        Locale.ZH_CN: MessageText(
            "【待验货】退货 ${return_id} 的包裹已到仓",
            "您好：\n\n"
            "退货 ${return_id} 的包裹已送达仓库，请在 ${deadline} 前完成验货并提交结果；"
            "逾期未提交将升级处理。\n\n"
            f"{_ZH_RETURNS_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Inspection needed] Return ${return_id} has arrived at the warehouse",
            "Hello,\n\n"
            "The parcel of return ${return_id} has been delivered to the warehouse. Please "
            "inspect it and report the result by ${deadline}; after that the return is "
            f"escalated.\n\n{_EN_RETURNS_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_CLAIM_FILED: {
        Locale.ZH_CN: MessageText(
            "【理赔】退货 ${return_id} 已向快递公司索赔 ${amount} ${currency}",
            "您好：\n\n"
            "已就退货 ${return_id} 的包裹向快递公司提出索赔，金额 ${amount} ${currency}。"
            "请留意理赔进度，并在赔款到账时核对金额。\n\n"
            f"{_ZH_RETURNS_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Claim filed] Carrier claim of ${amount} ${currency} for return ${return_id}",
            "Hello,\n\n"
            "A claim of ${amount} ${currency} has been filed with the carrier for the parcel "
            "of return ${return_id}. Please follow its progress and check the amount when it "
            f"is paid out.\n\n{_EN_RETURNS_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.NEEDS_PERSON: {
        Locale.ZH_CN: MessageText(
            "【需人工处理】投诉 ${complaint_id}",
            "您好：\n\n"
            "投诉 ${complaint_id} 无法自动继续处理，需要人工介入。\n"
            "原因：${reason}\n\n"
            f"请尽快查看并跟进。\n\n{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Action needed] Complaint ${complaint_id} needs a person",
            "Hello,\n\n"
            "Complaint ${complaint_id} has stopped: it cannot continue automatically and "
            "needs someone to take it over.\n"
            "Reason: ${reason}\n\n"
            f"Please review it and follow up as soon as possible.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.RETURN_NEEDS_PERSON: {
        Locale.ZH_CN: MessageText(
            "【需人工处理】退货 ${return_id}",
            "您好：\n\n"
            "退货 ${return_id} 无法自动继续处理，需要人工介入。\n"
            "原因：${reason}\n\n"
            f"请尽快查看并跟进。\n\n{_ZH_RETURNS_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Action needed] Return ${return_id} needs a person",
            "Hello,\n\n"
            "Return ${return_id} has stopped: it cannot continue automatically and needs "
            "someone to take it over.\n"
            "Reason: ${reason}\n\n"
            f"Please review it and follow up as soon as possible.\n\n{_EN_RETURNS_STAFF_SIGNATURE}",
        ),
    },
    # Follow-up surveys and service recovery live in their own module.
    **SURVEY_TEMPLATES,
}

# Parameters whose values are codes, and how each code reads in a sentence.
_VALUE_LABELS: dict[str, dict[Locale, dict[str, str]]] = {
    "level": {
        Locale.ZH_CN: {
            EscalationLevel.AGENT: "客服专员",
            EscalationLevel.SUPERVISOR: "主管",
            EscalationLevel.MANAGER: "经理",
        },
        Locale.EN: {
            EscalationLevel.AGENT: "an agent",
            EscalationLevel.SUPERVISOR: "a supervisor",
            EscalationLevel.MANAGER: "a manager",
        },
    },
    "how": {
        Locale.ZH_CN: {
            "pickup": "快递员将上门取件，取件前会与您联系约定时间。",
            "drop_off": "请将包裹送至附近任一快递网点寄出。",
        },
        Locale.EN: {
            "pickup": "A courier will collect the parcel from your address and will contact "
            "you beforehand to arrange a time.",
            "drop_off": "Please drop the parcel off at any service point of the carrier.",
        },
    },
    # Only return_completed sends an `outcome` code; resolution_outcome's free text never
    # matches one and is shown as given.
    "outcome": {
        Locale.ZH_CN: {
            ReturnOutcome.REFUND: "退款",
            ReturnOutcome.EXCHANGE: "换货",
            ReturnOutcome.STORE_CREDIT: "退至账户余额",
        },
        Locale.EN: {
            ReturnOutcome.REFUND: "refund",
            ReturnOutcome.EXCHANGE: "exchange",
            ReturnOutcome.STORE_CREDIT: "store credit",
        },
    },
    **SURVEY_VALUE_LABELS,
}

# Bidirectional overrides and isolates can make text read differently from what it says.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def template_params(template: NotificationTemplate) -> frozenset[str]:
    """Returns the names of the parameters `template` needs (the same in every locale)."""
    return _identifiers(TEMPLATES[template][Locale.ZH_CN])


def _identifiers(text: MessageText) -> frozenset[str]:
    return frozenset(
        Template(text.subject).get_identifiers() + Template(text.body).get_identifiers()
    )


def render(
    template: NotificationTemplate, locale: Locale, params: Mapping[str, str]
) -> RenderedMessage:
    """Returns the subject and body of `template` in `locale`, filled in from `params`.

    Raises `MissingTemplateParameters` naming every parameter `params` lacks; extra ones
    are ignored. Values are plain text: nothing is escaped, control characters are removed.
    """
    text = _text(template, locale, params)
    needed = _identifiers(text)
    missing = sorted(needed - params.keys())
    if missing:
        raise MissingTemplateParameters(
            f"template {template.value} needs the parameter(s) {', '.join(missing)}; "
            f"it takes {', '.join(sorted(needed))}",
            template=template.value,
            missing=",".join(missing),
        )
    values = {name: _clean(_shown(name, params[name], locale)) for name in needed}
    subject = Template(text.subject).substitute(values)
    return RenderedMessage(
        # A subject is one line, whatever the values hold.
        subject=" ".join(subject.split()),
        body=Template(text.body).substitute(values),
    )


def _text(template: NotificationTemplate, locale: Locale, params: Mapping[str, str]) -> MessageText:
    """Returns the template's text, pointing to the customer's page when `case_url` is given
    and the message has a place for it (`case_page_links.CASE_PAGE_SENTENCES`)."""
    text = TEMPLATES[template][locale]
    swap = CASE_PAGE_SENTENCES.get(template, {}).get(locale)
    if swap is None or CASE_URL not in params:
        return text
    return MessageText(text.subject, text.body.replace(*swap))


def _shown(name: str, value: str, locale: Locale) -> str:
    return _VALUE_LABELS.get(name, {}).get(locale, {}).get(value, value)


def _clean(value: str) -> str:
    """Returns `value` without control characters (line breaks and tabs stay)."""
    value = value.replace("\r\n", "\n").strip()
    return "".join(
        char
        for char in value
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )
