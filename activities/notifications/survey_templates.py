"""Texts of the follow-up survey and service-recovery messages (merged into `TEMPLATES`).

| template | parameters |
| --- | --- |
| survey_invitation | customer_name, case_kind, case_ref, survey_url, deadline |
| survey_reminder | customer_name, case_kind, case_ref, survey_url, deadline |
| service_recovery | customer_name, case_kind, case_ref, deadline |
| service_recovery_coupon | customer_name, case_kind, case_ref, deadline, amount, currency |
| recovery_task | case_kind, case_ref, csat, resolved, comment, offer, deadline |
| recovery_lapsed | case_kind, case_ref, assignee, csat |

`case_kind` ("complaint" or "return") and `resolved` ("yes" or "no") are codes shown in
the reader's language; `case_ref` is the complaint's or return's id, `survey_url` the
customer's signed survey link, `csat` the score (1-5), `comment` the customer's words
(or "-"), `offer` the win-back coupon given (or "-"), `assignee` the supervisor asked.
"""

from activities.notifications.text import MessageText
from domain.notifications import NotificationTemplate
from domain.taxonomy import Locale

_ZH_SIGNATURE = "客服中心"
_EN_SIGNATURE = "Kind regards,\nCustomer Care Team"
_ZH_STAFF_SIGNATURE = "Redress 客户回访系统"
_EN_STAFF_SIGNATURE = "Redress follow-up desk"

SURVEY_TEMPLATES: dict[NotificationTemplate, dict[Locale, MessageText]] = {
    NotificationTemplate.SURVEY_INVITATION: {
        Locale.ZH_CN: MessageText(
            "您对我们处理您的${case_kind}（编号 ${case_ref}）满意吗？",
            "${customer_name}，您好：\n\n"
            "您的${case_kind}（编号 ${case_ref}）已处理完毕。为了把服务做得更好，"
            "想请您花一分钟告诉我们这次的体验：\n\n"
            "${survey_url}\n\n"
            "问卷在 ${deadline} 前有效，您的每一条意见都会有人认真阅读。\n\n"
            f"感谢您的支持！\n{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "How did we handle your ${case_kind} (ref. ${case_ref})?",
            "Dear ${customer_name},\n\n"
            "Your ${case_kind} (ref. ${case_ref}) has been closed. We would like to know how "
            "it went for you: it takes about a minute.\n\n"
            "${survey_url}\n\n"
            "The survey is open until ${deadline}, and a person reads every answer.\n\n"
            f"Thank you for your time.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.SURVEY_REMINDER: {
        Locale.ZH_CN: MessageText(
            "温馨提醒：关于${case_kind}（编号 ${case_ref}）的回访问卷",
            "${customer_name}，您好：\n\n"
            "前几天我们邀请您评价${case_kind}（编号 ${case_ref}）的处理情况，"
            "如果您还没来得及填写，可以通过以下链接完成：\n\n"
            "${survey_url}\n\n"
            "问卷将于 ${deadline} 关闭，这是我们最后一次提醒。\n\n"
            f"{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "A reminder: your feedback on ${case_kind} ref. ${case_ref}",
            "Dear ${customer_name},\n\n"
            "A few days ago we asked how we handled your ${case_kind} (ref. ${case_ref}). "
            "If you have a minute, the survey is here:\n\n"
            "${survey_url}\n\n"
            "It closes on ${deadline}; this is the only reminder we send.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.SERVICE_RECOVERY: {
        Locale.ZH_CN: MessageText(
            "关于您的${case_kind}（编号 ${case_ref}），我们会再次跟进",
            "${customer_name}，您好：\n\n"
            "感谢您的反馈。得知${case_kind}（编号 ${case_ref}）的处理没有让您满意，"
            "我们深表歉意。客服主管将在 ${deadline} 前亲自与您联系，了解问题并跟进解决。\n\n"
            f"{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We will follow up on your ${case_kind} (ref. ${case_ref})",
            "Dear ${customer_name},\n\n"
            "Thank you for telling us. We are sorry that the way we handled your "
            "${case_kind} (ref. ${case_ref}) fell short. A customer care supervisor will "
            "contact you personally by ${deadline} to understand what went wrong and put "
            f"it right.\n\n{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.SERVICE_RECOVERY_COUPON: {
        Locale.ZH_CN: MessageText(
            "关于您的${case_kind}（编号 ${case_ref}），我们会再次跟进",
            "${customer_name}，您好：\n\n"
            "感谢您的反馈。得知${case_kind}（编号 ${case_ref}）的处理没有让您满意，"
            "我们深表歉意。我们已为您发放一张 ${amount} ${currency} 的优惠券，聊表歉意；"
            "客服主管也将在 ${deadline} 前亲自与您联系，了解问题并跟进解决。\n\n"
            f"{_ZH_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "We will follow up on your ${case_kind} (ref. ${case_ref})",
            "Dear ${customer_name},\n\n"
            "Thank you for telling us. We are sorry that the way we handled your "
            "${case_kind} (ref. ${case_ref}) fell short. As an apology we have added a "
            "coupon worth ${amount} ${currency} to your account, and a customer care "
            "supervisor will contact you personally by ${deadline} to put it right.\n\n"
            f"{_EN_SIGNATURE}",
        ),
    },
    NotificationTemplate.RECOVERY_TASK: {
        Locale.ZH_CN: MessageText(
            "【客户回访】${case_kind} ${case_ref} 评分偏低，请联系客户",
            "您好：\n\n"
            "${case_kind} ${case_ref} 的回访问卷评分偏低，需要您在 ${deadline} 前联系客户。\n"
            "满意度：${csat}/5；问题是否解决：${resolved}\n"
            "客户留言：${comment}\n"
            "已发放的挽回优惠券：${offer}\n\n"
            f"联系后请在控制台记录处理结果。\n\n{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Service recovery] Low score on ${case_kind} ${case_ref}: contact the customer",
            "Hello,\n\n"
            "The follow-up survey of ${case_kind} ${case_ref} came back low. Please contact "
            "the customer by ${deadline}.\n"
            "Satisfaction: ${csat}/5; resolved: ${resolved}\n"
            "Customer's comment: ${comment}\n"
            "Win-back coupon given: ${offer}\n\n"
            f"Record what you did in the console once you have spoken to them.\n\n"
            f"{_EN_STAFF_SIGNATURE}",
        ),
    },
    NotificationTemplate.RECOVERY_LAPSED: {
        Locale.ZH_CN: MessageText(
            "【回访逾期】${case_kind} ${case_ref} 的客户尚未被联系",
            "您好：\n\n"
            "${case_kind} ${case_ref} 的客户在回访中给出 ${csat}/5 的评分，"
            "${assignee} 未在期限内记录联系结果。请安排跟进。\n\n"
            f"{_ZH_STAFF_SIGNATURE}",
        ),
        Locale.EN: MessageText(
            "[Recovery overdue] Nobody has reported contacting the customer of "
            "${case_kind} ${case_ref}",
            "Hello,\n\n"
            "The customer of ${case_kind} ${case_ref} scored us ${csat}/5 in the follow-up "
            "survey, and ${assignee} has not recorded contacting them in time. Please make "
            f"sure someone follows up.\n\n{_EN_STAFF_SIGNATURE}",
        ),
    },
}

# Parameters of these templates whose values are codes, and how each reads in a sentence.
SURVEY_VALUE_LABELS: dict[str, dict[Locale, dict[str, str]]] = {
    "case_kind": {
        Locale.ZH_CN: {"complaint": "投诉", "return": "退货"},
        Locale.EN: {"complaint": "complaint", "return": "return"},
    },
    "resolved": {
        Locale.ZH_CN: {"yes": "已解决", "no": "未解决"},
        Locale.EN: {"yes": "yes", "no": "no"},
    },
}
