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

All values are text the caller formats: `customer_name` is how to address the customer,
`deadline` a local date and time (or "-"), `message` an agent's words, `question` what the
customer is asked to add, `outcome` one line on what was carried out, `amount` and
`currency` a money value ("350.00", "CNY"), `reason`, `proposed_by` and `approver` free
text and staff names. `level` is an `EscalationLevel` value, shown in the recipient's
language; every other value is shown as given.
"""

import unicodedata
from collections.abc import Mapping
from string import Template
from typing import NamedTuple

from activities.notifications.errors import MissingTemplateParameters
from domain.notifications import NotificationTemplate
from domain.taxonomy import EscalationLevel, Locale


class MessageText(NamedTuple):
    subject: str
    body: str


class RenderedMessage(NamedTuple):
    subject: str
    body: str


_ZH_SIGNATURE = "客服中心"
_EN_SIGNATURE = "Kind regards,\nCustomer Care Team"
_ZH_STAFF_SIGNATURE = "Redress 投诉处理系统"
_EN_STAFF_SIGNATURE = "Redress complaint desk"

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
}

# Bidirectional overrides and isolates can make text read differently from what it says.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def template_params(template: NotificationTemplate) -> frozenset[str]:
    """Returns the names of the parameters `template` needs (the same in every locale)."""
    text = TEMPLATES[template][Locale.ZH_CN]
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
    needed = template_params(template)
    missing = sorted(needed - params.keys())
    if missing:
        raise MissingTemplateParameters(
            f"template {template.value} needs the parameter(s) {', '.join(missing)}; "
            f"it takes {', '.join(sorted(needed))}",
            template=template.value,
            missing=",".join(missing),
        )
    values = {name: _clean(_shown(name, params[name], locale)) for name in needed}
    text = TEMPLATES[template][locale]
    subject = Template(text.subject).substitute(values)
    return RenderedMessage(
        # A subject is one line, whatever the values hold.
        subject=" ".join(subject.split()),
        body=Template(text.body).substitute(values),
    )


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
