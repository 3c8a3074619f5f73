"""The words of the analytics page's chart of returns over time, in English and
Simplified Chinese; `messages` merges them."""

EN: dict[str, str] = {
    "returns_trend_title": "Returns opened over time, by outcome",
    "returns_trend_series": "Returns",
    "returns_day_hover": "Returns opened on {{ when }}: {{ n }}",
    "returns_week_hover": "Returns opened in the week of {{ when }}: {{ n }}",
    "returns_trend_summary": "{{ total }} returns; the busiest {{ bucket }} was {{ when }} with "
    "{{ n }}.",
    "returns_not_settled": "Not settled",
    "returns_trend_note": "Each return counts on the day it was opened, under the outcome "
    "it was settled with; those still open, rejected or cancelled are not settled.",
}

ZH_CN: dict[str, str] = {
    "returns_trend_title": "退货趋势（按处理结果）",
    "returns_trend_series": "退货数",
    "returns_day_hover": "{{ when }} 发起的退货：{{ n }} 件",
    "returns_week_hover": "{{ when }} 起的一周发起的退货：{{ n }} 件",
    "returns_trend_summary": "共 {{ total }} 件退货；最多的一{{ bucket }}是 {{ when }}，有 {{ n }} "
    "件。",
    "returns_not_settled": "未结算",
    "returns_trend_note": "每件退货计入其发起当天，按结算方式分层；仍在处理、被拒绝或已取消的退货计"
    "为未结算。",
}
