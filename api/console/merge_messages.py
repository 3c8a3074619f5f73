"""The duplicates panel's words (the links between complaints, the merge form and its
refusals), in English and Simplified Chinese; `messages` merges them into its catalogues."""

EN: dict[str, str] = {
    "duplicates_title": "Duplicates",
    "link_merged_into": "Merged into",
    "link_merged_from": "Merged from",
    "link_duplicate_of": "Possible duplicate of",
    "link_duplicates": "Possible duplicates",
    "merge_into_legend": "Merge {{ id }} into",
    "merge_hint": "{{ id }} closes as merged. The complaint you choose takes its description, "
    "messages, notes and files (each marked {{ id }}) and whichever deadlines come first; the "
    "customer's link to {{ id }} opens it.",
    "merge_submit": "Merge",
    "merge_done": "Complaint {{ id }} was merged into this one: its messages and files are "
    "on the timeline, marked {{ id }}.",
    "merge_not_now": "A complaint is merged while it is open or waiting on the customer, "
    "not while a resolution waits for approval or is being carried out.",
    "merge_not_yours": "Only the agent assigned to both complaints, or a supervisor, may "
    "merge them.",
    "merge_none_open": "The linked complaints are closed: there is none to merge into.",
    "forbidden_merge": "Only the agent assigned to both complaints, or a supervisor, may "
    "merge them.",
    "merge_choose": "Choose the complaint to merge into.",
    "merge_refused_itself": "A complaint cannot be merged into itself; choose another.",
    "merge_refused_unknown": "There is no complaint {{ id }}; choose one from the list.",
    "merge_refused_other_customer": "Complaint {{ id }} is another customer's: only one "
    "customer's complaints are merged.",
    "merge_refused_already_merged": "This complaint was already merged into {{ id }}; nothing "
    "was changed.",
    "merge_refused_closed": "This complaint is closed; nothing was changed.",
    "merge_refused_busy": "This complaint waits for an approval or is being resolved; "
    "merge it once that is done.",
    "merge_refused_survivor_merged": "Complaint {{ id }} took it in: the complaint you chose "
    "was merged into {{ id }}. Merge into {{ id }} instead.",
    "merge_refused_survivor_closed": "Complaint {{ id }} is closed; merge into an open complaint.",
    "merge_refused_survivor_received": "Complaint {{ id }} is still being classified; try again "
    "in a moment.",
}

ZH_CN: dict[str, str] = {
    "duplicates_title": "重复投诉",
    "link_merged_into": "已并入",
    "link_merged_from": "并入自",
    "link_duplicate_of": "疑似重复于",
    "link_duplicates": "疑似重复投诉",
    "merge_into_legend": "将 {{ id }} 并入",
    "merge_hint": "{{ id }} 将以“已合并”结案。所选投诉将接收它的描述、留言、备注和文件（均标注 "
    "{{ id }}），"
    "并采用两者中更早的时限；客户打开 {{ id }} 的链接将进入所选投诉。",
    "merge_submit": "合并",
    "merge_done": "投诉 {{ id }} 已并入本投诉：它的留言和文件已在时间线上，标注为 {{ id }}。",
    "merge_not_now": "投诉在处理中或等待客户回复时才能合并；等待审批或正在执行补偿时不能合并。",
    "merge_not_yours": "只有同时负责这两个投诉的客服或主管才能合并它们。",
    "merge_none_open": "关联的投诉均已结案，没有可并入的投诉。",
    "forbidden_merge": "只有同时负责这两个投诉的客服或主管才能合并它们。",
    "merge_choose": "请选择要并入的投诉。",
    "merge_refused_itself": "投诉不能并入自身，请选择另一个。",
    "merge_refused_unknown": "没有投诉 {{ id }}，请从列表中选择。",
    "merge_refused_other_customer": "投诉 {{ id }} 属于另一位客户：只能合并同一客户的投诉。",
    "merge_refused_already_merged": "此投诉已并入 {{ id }}，未做任何更改。",
    "merge_refused_closed": "此投诉已结案，未做任何更改。",
    "merge_refused_busy": "此投诉正在等待审批或执行补偿，完成后再合并。",
    "merge_refused_survivor_merged": "所选投诉已并入 {{ id }}，请改为并入 {{ id }}。",
    "merge_refused_survivor_closed": "投诉 {{ id }} 已结案，请并入一个未结案的投诉。",
    "merge_refused_survivor_received": "投诉 {{ id }} 仍在分类中，请稍后再试。",
}
