"""The words of the customer panel on a complaint's page (their other cases, survey
answers and what they got back), in English and Simplified Chinese; `messages` merges
them into its catalogues."""

EN: dict[str, str] = {
    "history_title": "The customer",
    "history_given_back": "Given back in the last 12 months",
    "history_refunded": "Refunded {{ amount }}",
    "history_compensated": "Other compensation {{ amount }}",
    "history_nothing_given": "Nothing refunded or compensated in the last 12 months.",
    "history_complaints": "Other complaints ({{ total }})",
    "history_no_complaints": "No other complaint.",
    "history_returns": "Returns ({{ total }})",
    "history_no_returns": "No return.",
    "history_more": "The {{ shown }} most recent of {{ total }} are listed.",
    "history_open": "Open",
    "history_surveys": "Survey answers",
    "history_no_surveys": "No survey answered.",
    "history_answer": "CSAT {{ csat }}/5, {{ at }}",
    "history_answer_nps": "NPS {{ nps }}/10",
    "history_low": "Low",
}

ZH_CN: dict[str, str] = {
    "history_title": "客户",
    "history_given_back": "近 12 个月的退款与补偿",
    "history_refunded": "退款 {{ amount }}",
    "history_compensated": "其他补偿 {{ amount }}",
    "history_nothing_given": "近 12 个月没有退款或补偿。",
    "history_complaints": "其他投诉（{{ total }}）",
    "history_no_complaints": "没有其他投诉。",
    "history_returns": "退货（{{ total }}）",
    "history_no_returns": "没有退货。",
    "history_more": "列出最近 {{ shown }} 条，共 {{ total }} 条。",
    "history_open": "进行中",
    "history_surveys": "满意度调查",
    "history_no_surveys": "尚未填写过调查。",
    "history_answer": "满意度 {{ csat }}/5，{{ at }}",
    "history_answer_nps": "NPS {{ nps }}/10",
    "history_low": "低分",
}
