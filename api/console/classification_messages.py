"""How the console words the rules classifier's reasons (`api.console.classification_words`),
in English and Simplified Chinese; `messages` merges them into its catalogues."""

EN: dict[str, str] = {
    "classification_why": "Why",
    "classified_headline": "{{ sub_category }}, {{ tier }} (confidence {{ confidence }})",
    "classified_with_reasons": "{{ headline }}: {{ reasons }}",
    "why_separator": "; ",
    "why_topic_keyword": "“{{ phrase }}” points to {{ sub_category }}",
    "why_keyword_negated": "“{{ phrase }}” is negated, so not counted",
    "why_no_keyword": "No keyword matched, so {{ sub_category }}",
    "why_topic_too_weak": (
        "{{ sub_category }} scored only {{ score }} ({{ minimum }} needed), so {{ fallback }}"
    ),
    "why_topic_ahead": (
        "{{ sub_category }} scored {{ score }}, ahead of {{ runner_up }} at {{ runner_up_score }}"
    ),
    "why_signal_keyword": "“{{ phrase }}” ({{ signal }}) makes it {{ tier }}",
    "why_category_minimum": "{{ category }} complaints are at least {{ tier }}",
    "why_sub_category_minimum": "{{ sub_category }} is at least {{ tier }}",
    "why_amount": "Paid {{ amount }} ({{ threshold }} or more): {{ tier }}",
    "why_vip": "VIP customer: at least {{ tier }}",
    "why_repeated": (
        "{{ count }} other complaints in {{ days }} days ({{ threshold }} or more): {{ tier }}"
    ),
    "signal_safety_hazard": "safety hazard",
    "signal_legal_threat": "legal threat",
    "signal_media_threat": "media threat",
    "signal_fraud": "fraud",
    "signal_strong_displeasure": "strong displeasure",
    "signal_escalation_threat": "threat to escalate",
    "signal_repeated_problem": "repeated problem",
}

ZH_CN: dict[str, str] = {
    "classification_why": "分类依据",
    "classified_headline": "{{ sub_category }}，{{ tier }}（置信度 {{ confidence }}）",
    "classified_with_reasons": "{{ headline }}：{{ reasons }}",
    "why_separator": "；",
    "why_topic_keyword": "“{{ phrase }}”指向{{ sub_category }}",
    "why_keyword_negated": "“{{ phrase }}”为否定说法，未计入",
    "why_no_keyword": "未匹配到关键词，归为{{ sub_category }}",
    "why_topic_too_weak": (
        "{{ sub_category }}得分仅 {{ score }}（需达 {{ minimum }}），归为{{ fallback }}"
    ),
    "why_topic_ahead": (
        "{{ sub_category }}得分 {{ score }}，高于{{ runner_up }}的 {{ runner_up_score }}"
    ),
    "why_signal_keyword": "“{{ phrase }}”（{{ signal }}）：定为{{ tier }}",
    "why_category_minimum": "{{ category }}类投诉至少为{{ tier }}",
    "why_sub_category_minimum": "{{ sub_category }}至少为{{ tier }}",
    "why_amount": "支付 {{ amount }}（满 {{ threshold }}）：定为{{ tier }}",
    "why_vip": "VIP 客户：至少为{{ tier }}",
    "why_repeated": (
        "{{ days }} 天内另有 {{ count }} 次投诉（满 {{ threshold }} 次）：定为{{ tier }}"
    ),
    "signal_safety_hazard": "安全隐患",
    "signal_legal_threat": "法律威胁",
    "signal_media_threat": "媒体曝光威胁",
    "signal_fraud": "欺诈",
    "signal_strong_displeasure": "强烈不满",
    "signal_escalation_threat": "扬言升级投诉",
    "signal_repeated_problem": "问题反复出现",
}
