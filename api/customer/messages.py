"""Every sentence the customer's pages show, in English and Simplified Chinese.

Sentences are rendered as e-mail is (`core.wording.catalogue`): values are `{{ name }}`,
typed ones formatted by the same filters. As in the console's catalogue
(`api.console.messages`), templates hold no words of their own, both languages carry the
same keys and values (a test checks), and the page's template engine escapes the
finished sentence. The tone is the customer-care team's,
not the console's: these pages speak to the person who complained.

`problem_<code>` keys explain each refusal, by the same code the JSON variant answers
with (`api.errors.Problem.error`).
"""

from core.wording.catalogue import Catalogue
from domain.taxonomy import Locale

EN: dict[str, str] = {
    "brand": "Customer care",
    "language": "Language",
    # Between a label and what it labels, inside a sentence.
    "colon": ": ",
    "times_in": "Times are shown in {{ zone }}.",
    # Problems, by the error code of the refusal
    "problem_title": "Sorry, that did not work",
    "problem_link_invalid": "This link does not work. Please open the whole link from our message.",
    "problem_link_expired": "This link has expired. Reply to any of our messages and we will "
    "send you a new one.",
    "problem_survey_not_found": "There is no survey behind this link.",
    "problem_survey_already_answered": "You have already answered this survey. Thank you!",
    "problem_survey_closed": "This survey has closed and no longer takes answers.",
    "problem_survey_not_open": "This survey is not open yet.",
    "problem_complaint_not_found": "We could not find this complaint.",
    "problem_return_not_found": "We could not find this return.",
    "problem_complaint_closed": "This complaint is closed and takes no more messages. If "
    "something is still wrong, please contact us again.",
    "problem_return_closed": "This return has finished and takes no more answers or photos.",
    "problem_action_not_allowed": "This is no longer waiting for your answer; the page now "
    "shows where things stand.",
    "problem_action_refused": "We could not take this just now. Please reload the page and "
    "try again.",
    "problem_invalid_action": "We could not take this just now. Please reload the page and "
    "try again.",
    "problem_form_expired": "This form has expired. Reload the page and send it again.",
    "problem_validation_failed": "Some answers are missing or not valid; please check them.",
    "problem_not_found": "There is no such page.",
    "problem_temporal_unavailable": "Our system did not answer. Please try again in a moment.",
    "problem_invalid_reply": "Please write a message (at most {{ max }} characters). Links must "
    "start with http:// or https://, at most {{ links }} of them.",
    # The survey
    "survey_title": "How did we do?",
    "survey_intro": "About your {{ case }} {{ ref }}. It takes about a minute.",
    "survey_open_until": "Open until {{ at }}.",
    "required_note": "Questions marked * need an answer.",
    "q_csat": "How satisfied are you with how we handled it?",
    "csat_low": "1 = very unhappy",
    "csat_high": "5 = very happy",
    "q_resolved": "Was your problem resolved?",
    "resolved_yes": "Yes, it was",
    "resolved_no": "No, it was not",
    "q_nps": "How likely are you to recommend us to a friend? (optional)",
    "nps_low": "0 = not at all",
    "nps_high": "10 = certainly",
    "q_comment": "Anything else you would like to tell us? (optional)",
    "comment_limit": "At most {{ max }} characters.",
    "send_answers": "Send my answers",
    "thanks_title": "Thank you!",
    "thanks_body": "Your answers are recorded, and a person reads every one.",
    "thanks_sorry": "We are sorry it did not go well. A supervisor will contact you shortly "
    "to put it right.",
    # The case page
    "complaint_title": "Your complaint {{ ref }}",
    "return_title": "Your return {{ ref }}",
    "status": "Status",
    "opened": "Opened",
    "updated": "Last update",
    "your_words": "What you told us",
    "timeline": "What has happened",
    "timeline_partial": "The newest steps are shown ({{ total }} in all).",
    "timeline_empty": "Nothing has happened yet.",
    "we_need": "We need a little more information from you:",
    "reply_title": "Write to us",
    "reply_message": "Your message",
    "reply_links": "Links to photos or documents (optional, one per line)",
    "reply_send": "Send",
    "sent_reply": "Your message has been sent. Thank you.",
    "merged_into_notice": "We joined this complaint to your complaint {{ id }}, so that one "
    "person handles both. Everything you sent us is there; please write to us there.",
    "merged_open_survivor": "Open complaint {{ id }}",
    "merged_from_notice": "We joined your complaint {{ ids }} to this one. Its messages are on "
    "this page, marked with its number.",
    "evidence_title": "Your photos and files",
    "evidence_none": "You have not sent us any photos yet.",
    "evidence_add": "Add a photo",
    "evidence_hint": "A photo of the item, the parcel or the label helps us most. Up to "
    "{{ file_mb }} MB per photo.",
    "evidence_send": "Upload",
    "evidence_open": "Open {{ name }}",
    "sent_evidence": "Your photo has been added. Thank you.",
    "evidence_closed": "This {{ case }} has finished, so it takes no more photos.",
    "problem_evidence_too_large": "That file is too large: each photo may be up to {{ file_mb }} "
    "MB. Please send a smaller one. Nothing was saved.",
    "problem_evidence_case_full": "This {{ case }} already holds as many files as it can "
    "({{ case_mb }} MB in all). Nothing was saved.",
    "problem_evidence_type_not_accepted": "We cannot take that file: we take {{ types }}. "
    "Please choose a photo. Nothing was saved.",
    "problem_evidence_empty": "That file is empty. Please choose a photo. Nothing was saved.",
    "problem_body_too_large": "That file is far too large to send. Please choose a smaller "
    "photo. Nothing was saved.",
    "done_for_you": "What we have done for you",
    "refunded": "Refunded",
    "store_credit": "Store credit",
    "survey_invite": "Tell us how we did: it takes a minute.",
    "survey_link": "Answer the survey",
    "plan_title": "Our proposal",
    "plan_answer_by": "Please answer by {{ at }}.",
    "consent_note": "A note for us (optional)",
    "accept_plan": "Accept",
    "decline_plan": "Decline",
    "sent_consent": "Thank you: we have your answer.",
    "plan_accepted": "You accepted this plan.",
    "plan_declined": "You declined this plan.",
    "parcel_title": "Sending it back",
    "carrier": "Carrier",
    "tracking_number": "Tracking number",
    "print_label": "Print the return label",
    "pickup_booked": "A courier will collect the parcel from your address.",
    "drop_off": "Take the parcel to any service point of the carrier.",
    "ship_by": "Please send it by {{ at }}.",
    "exchange_title": "Your exchange",
    "rejected_title": "Why we could not accept it",
    # What happens now, by the case's status
    "next_complaint_received": "We have your complaint and are looking at it.",
    "next_complaint_open": "A specialist is working on it and will write to you.",
    "next_complaint_waiting_on_customer": "We need something from you before we can go on: "
    "see below.",
    "next_complaint_awaiting_approval": "We are preparing a resolution for you.",
    "next_complaint_resolving": "We are carrying out the resolution.",
    "next_complaint_closed": "This complaint is closed.",
    "next_return_requested": "We are checking your request.",
    "next_return_under_review": "Our team is reviewing your request.",
    "next_return_awaiting_consent": "We have a proposal for you: please answer below.",
    "next_return_awaiting_shipment": "Please send the item back as described below.",
    "next_return_in_transit": "Your parcel is on its way to us.",
    "next_return_awaiting_inspection": "Your parcel has arrived and is being inspected.",
    "next_return_settling": "We are settling your return.",
    "next_return_exchange_in_transit": "Your exchange is on its way to you.",
    "next_return_completed": "Your return is complete.",
    "next_return_rejected": "We could not accept this return.",
    "next_return_cancelled": "This return was cancelled.",
}

ZH_CN: dict[str, str] = {
    "brand": "客户服务中心",
    "language": "语言",
    "colon": "：",
    "times_in": "时间按 {{ zone }} 显示。",
    "problem_title": "抱歉，操作未成功",
    "problem_link_invalid": "链接无效，请打开我们消息中的完整链接。",
    "problem_link_expired": "链接已过期。回复我们的任意一条消息，我们会为您发送新的链接。",
    "problem_survey_not_found": "该链接没有对应的问卷。",
    "problem_survey_already_answered": "您已经填写过这份问卷，谢谢！",
    "problem_survey_closed": "这份问卷已关闭，不再接受回答。",
    "problem_survey_not_open": "这份问卷尚未开放。",
    "problem_complaint_not_found": "未找到该投诉。",
    "problem_return_not_found": "未找到该退货申请。",
    "problem_complaint_closed": "该投诉已结案，不再接收留言。如问题仍未解决，请重新联系我们。",
    "problem_return_closed": "该退货已结束，不再接收答复或照片。",
    "problem_action_not_allowed": "该事项已不在等待您的答复，页面已显示最新进展。",
    "problem_action_refused": "暂时无法处理，请刷新页面后重试。",
    "problem_invalid_action": "暂时无法处理，请刷新页面后重试。",
    "problem_form_expired": "表单已过期，请刷新页面后重新提交。",
    "problem_validation_failed": "部分内容缺失或有误，请检查后重新提交。",
    "problem_not_found": "没有这个页面。",
    "problem_temporal_unavailable": "系统暂时没有响应，请稍后再试。",
    "problem_invalid_reply": "请填写留言（最多 {{ max }} 字）。链接须以 http:// 或 https:// 开头，"
    "最多 {{ links }} 条。",
    "survey_title": "请评价我们的服务",
    "survey_intro": "关于您的{{ case }}（编号 {{ ref }}），大约需要一分钟。",
    "survey_open_until": "问卷在 {{ at }} 前有效。",
    "required_note": "带 * 的问题为必答。",
    "q_csat": "您对本次处理满意吗？",
    "csat_low": "1 = 非常不满意",
    "csat_high": "5 = 非常满意",
    "q_resolved": "您的问题解决了吗？",
    "resolved_yes": "已解决",
    "resolved_no": "未解决",
    "q_nps": "您向朋友推荐我们的可能性有多大？（选填）",
    "nps_low": "0 = 完全不会",
    "nps_high": "10 = 一定会",
    "q_comment": "还有什么想告诉我们的吗？（选填）",
    "comment_limit": "最多 {{ max }} 字。",
    "send_answers": "提交",
    "thanks_title": "感谢您的反馈！",
    "thanks_body": "您的回答已记录，每一条都会有人认真阅读。",
    "thanks_sorry": "很抱歉这次没能让您满意。主管会尽快与您联系，为您妥善解决。",
    "complaint_title": "您的投诉 {{ ref }}",
    "return_title": "您的退货 {{ ref }}",
    "status": "状态",
    "opened": "提交时间",
    "updated": "最近更新",
    "your_words": "您的描述",
    "timeline": "处理进展",
    "timeline_partial": "仅显示最近的进展（共 {{ total }} 条）。",
    "timeline_empty": "暂无进展。",
    "we_need": "我们需要您补充以下信息：",
    "reply_title": "给我们留言",
    "reply_message": "留言内容",
    "reply_links": "图片或凭证链接（选填，每行一个）",
    "reply_send": "发送",
    "sent_reply": "留言已发送，谢谢。",
    "merged_into_notice": "我们已将此投诉并入您的投诉 {{ id }}，由同一位专员一并处理。"
    "您发给我们的内容都在那里，请在那里给我们留言。",
    "merged_open_survivor": "打开投诉 {{ id }}",
    "merged_from_notice": "我们已将您的投诉 {{ ids }} 并入本投诉。它的留言显示在本页，"
    "并标注了该投诉编号。",
    "evidence_title": "您提交的照片和文件",
    "evidence_none": "您还没有提交照片。",
    "evidence_add": "添加照片",
    "evidence_hint": "商品、包裹或面单的照片对我们最有帮助。每张照片不超过 {{ file_mb }} 兆。",
    "evidence_send": "上传",
    "evidence_open": "打开 {{ name }}",
    "sent_evidence": "照片已添加，谢谢。",
    "evidence_closed": "该{{ case }}已结束，不再接收照片。",
    "problem_evidence_too_large": "文件过大：每张照片不超过 {{ file_mb }} 兆，请换一张较小的照片。"
    "未保存任何内容。",
    "problem_evidence_case_full": "该{{ case }}的文件已达上限（合计 {{ case_mb }} 兆）。"
    "未保存任何内容。",
    "problem_evidence_type_not_accepted": "无法接收该文件，我们接收：{{ types }}。请选择一张照片。"
    "未保存任何内容。",
    "problem_evidence_empty": "文件是空的，请选择一张照片。未保存任何内容。",
    "problem_body_too_large": "文件太大，无法发送，请选择较小的照片。未保存任何内容。",
    "done_for_you": "已为您办理",
    "refunded": "已退款",
    "store_credit": "账户余额",
    "survey_invite": "请花一分钟评价我们的服务。",
    "survey_link": "填写问卷",
    "plan_title": "我们的处理方案",
    "plan_answer_by": "请在 {{ at }} 前答复。",
    "consent_note": "给我们的备注（选填）",
    "accept_plan": "接受",
    "decline_plan": "拒绝",
    "sent_consent": "已收到您的答复，谢谢。",
    "plan_accepted": "您已接受该方案。",
    "plan_declined": "您已拒绝该方案。",
    "parcel_title": "寄回商品",
    "carrier": "承运商",
    "tracking_number": "运单号",
    "print_label": "打印退货面单",
    "pickup_booked": "快递员将上门取件。",
    "drop_off": "请将包裹送至承运商的任一网点。",
    "ship_by": "请在 {{ at }} 前寄出。",
    "exchange_title": "您的换货",
    "rejected_title": "未通过的原因",
    "next_complaint_received": "我们已收到您的投诉，正在查看。",
    "next_complaint_open": "专员正在处理，会与您联系。",
    "next_complaint_waiting_on_customer": "我们需要您补充信息后才能继续处理，详见下方。",
    "next_complaint_awaiting_approval": "我们正在为您准备解决方案。",
    "next_complaint_resolving": "我们正在为您办理解决方案。",
    "next_complaint_closed": "该投诉已结案。",
    "next_return_requested": "我们正在审核您的申请。",
    "next_return_under_review": "我们的团队正在审核您的申请。",
    "next_return_awaiting_consent": "我们为您准备了处理方案，请在下方答复。",
    "next_return_awaiting_shipment": "请按下方说明寄回商品。",
    "next_return_in_transit": "您的包裹正在寄回途中。",
    "next_return_awaiting_inspection": "您的包裹已到仓，正在检验。",
    "next_return_settling": "我们正在为您办理退款或换货。",
    "next_return_exchange_in_transit": "换货商品正在寄往您处。",
    "next_return_completed": "您的退货已完成。",
    "next_return_rejected": "很抱歉，这次退货申请未能通过。",
    "next_return_cancelled": "该退货已取消。",
}

CATALOGUE = Catalogue({Locale.EN: EN, Locale.ZH_CN: ZH_CN})


def message(language: Locale, key: str, **values: object) -> str:
    """Returns the sentence `key` in `language` with `values` filled in; an unknown key
    raises KeyError (a page must fail its test, not show a key to a person)."""
    return CATALOGUE.say(language, key, **values)


def problem_key(error: str) -> str:
    """Returns the catalogue key explaining the refusal `error` (a generic one if none)."""
    key = f"problem_{error}"
    return key if key in EN else "problem_action_refused"
