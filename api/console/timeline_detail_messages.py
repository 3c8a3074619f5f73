"""How the console words the details a complaint's workflow records as text of a fixed
shape (`api.console.timeline_details`), in English and Simplified Chinese; `messages`
merges them into its catalogues."""

EN: dict[str, str] = {
    "detail_apology": "Apology only",
    "detail_lines_joiner": ", ",
    "detail_compensation": "{{ kind }} {{ amount }}",
    "detail_compensation_done": "{{ kind }} {{ amount }} ({{ reference }})",
    "detail_approval": "{{ level }}: {{ amount }}",
    "detail_routed": "Team {{ team }}, agent {{ agent }}",
    "detail_routed_no_agent": "Team {{ team }}, no agent free",
    "detail_clock_first_response": "First response",
    "detail_clock_resolution": "Resolution",
    "detail_clock_due_soon": "{{ clock }} due soon",
    "detail_clock_passed": "{{ clock }} deadline passed",
    "detail_escalated": "{{ clock }} deadline passed: now with the {{ level }}",
    "detail_compensation_failed": "{{ kind }} failed: {{ cause }}",
    "detail_reclassified": (
        "{{ before_sub_category }}, {{ before_tier }} → {{ sub_category }}, {{ tier }}: "
        "{{ reason }}"
    ),
    "detail_return_closed": "Return {{ return_id }}: {{ status }}",
    "detail_code_and_text": "{{ code }}: {{ text }}",
    "detail_approved": "Approved",
    "detail_denied": "Denied",
    "detail_accepted": "Accepted",
    "detail_declined": "Declined",
}

ZH_CN: dict[str, str] = {
    "detail_apology": "仅致歉",
    "detail_lines_joiner": "，",
    "detail_compensation": "{{ kind }} {{ amount }}",
    "detail_compensation_done": "{{ kind }} {{ amount }}（{{ reference }}）",
    "detail_approval": "{{ level }}：{{ amount }}",
    "detail_routed": "团队 {{ team }}，专员 {{ agent }}",
    "detail_routed_no_agent": "团队 {{ team }}，暂无空闲专员",
    "detail_clock_first_response": "首次响应",
    "detail_clock_resolution": "解决时限",
    "detail_clock_due_soon": "{{ clock }}即将到期",
    "detail_clock_passed": "{{ clock }}已超时",
    "detail_escalated": "{{ clock }}已超时，现由{{ level }}处理",
    "detail_compensation_failed": "{{ kind }}未能完成：{{ cause }}",
    "detail_reclassified": (
        "{{ before_sub_category }}，{{ before_tier }} → {{ sub_category }}，{{ tier }}："
        "{{ reason }}"
    ),
    "detail_return_closed": "退货 {{ return_id }}：{{ status }}",
    "detail_code_and_text": "{{ code }}：{{ text }}",
    "detail_approved": "已批准",
    "detail_denied": "已驳回",
    "detail_accepted": "已接受",
    "detail_declined": "已拒绝",
}
