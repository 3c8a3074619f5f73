"""The complaint workspace's words (its forms, the policy's answer, what is not offered and
why, refusals naming a field), in English and Simplified Chinese; `messages` merges them
into its catalogues."""

EN: dict[str, str] = {
    "workspace_title": "Work on this complaint",
    "not_offered_title": "Not offered now",
    "typed_kept": "What you typed in “{{ form }}”, so nothing is lost:",
    "workspace_status_changed": "The complaint's status changed since this page was "
    "loaded; the actions it allows may have changed too.",
    "workspace_reload": "Show the actions it allows now",
    "workspace_closed": "This complaint is closed: nothing more can be done on it. A "
    "customer who writes again opens a new complaint.",
    "workspace_received": "This complaint is still being classified and routed; its "
    "actions appear in a moment (reload the page).",
    "workspace_not_yours": "This complaint is assigned to {{ assignee }}: only they or a "
    "supervisor may act on it. Ask a supervisor to reassign it to you.",
    "forbidden_not_yours": "This complaint is assigned to another agent: only they or a "
    "supervisor may act on it. Nothing was sent.",
    # The forms
    "form_reply": "Reply to the customer",
    "form_request_info": "Ask the customer for information",
    "form_note": "Internal note",
    "form_propose": "Propose a resolution",
    "form_close": "Close as resolved",
    "form_reclassify": "Reclassify",
    "form_reassign": "Reassign or transfer",
    "hidden_reassign_role": "only supervisors reassign complaints or move them to another team.",
    "hidden_request_info_waiting": "the complaint already waits for the customer's answer "
    "to “{{ question }}”; its deadlines are paused until they answer.",
    "hidden_resolution_awaiting": "a proposal waits for approval; no second proposal "
    "until a supervisor approves or rejects it.",
    "hidden_resolution_resolving": "the accepted resolution is being carried out.",
    "hidden_status": "not while the complaint is “{{ status }}”.",
    "done_reply": "Sent: the customer gets your reply and sees it on their page.",
    "done_request_info": "Asked: the complaint waits for the customer's answer and its "
    "deadlines are paused.",
    "done_note": "Noted: the note is on the timeline for staff only.",
    "done_propose": "Accepted: the resolution is being carried out.",
    "done_propose_awaiting": "Sent for approval: the proposal waits in the approvals inbox.",
    "done_close": "Accepted: the complaint closes as resolved once the customer is told.",
    "done_reclassify": "Reclassified: the deadlines follow the new tier.",
    "done_reassign": "Reassigned: the timeline shows the new owner.",
    # Fields and their hints
    "field_reply_message": "Message to the customer",
    "hint_reply": "Sent to the customer in their own channel and shown on their page; "
    "answering stops the first-response clock.",
    "submit_reply": "Send reply",
    "field_question": "Question for the customer",
    "hint_request_info": "Ask for what you need (a photo, an order number). The "
    "deadlines pause until the customer answers; without an answer the complaint closes "
    "after the policy's waiting time.",
    "submit_request_info": "Ask the customer",
    "field_note": "Note for staff",
    "hint_note": "Only staff see notes: never sent to the customer, never on their page, "
    "never sent to the platform.",
    "submit_note": "Add note",
    "field_sub_category": "Sub-category",
    "field_tier": "Severity",
    "field_reason": "Reason",
    "hint_reclassify": "Why the classification changes, up to 1,000 characters; a new "
    "category moves the complaint to that category's team.",
    "submit_reclassify": "Reclassify",
    "field_agent": "Agent",
    "field_team": "Team",
    "hint_reassign": "Now with team {{ team }}, agent {{ agent }}. An agent of another team "
    "moves the complaint to that team; a team alone gives it to the team's least-loaded "
    "agent.",
    "agent_least_loaded": "(the team's least-loaded agent)",
    "team_named": "Team {{ team }}",
    "submit_reassign": "Reassign",
    "field_compensation": "Compensation (in {{ currency }})",
    "hint_rows": "Up to {{ n }} rows; leave a row empty to skip it. None at all, and no goods "
    "below, resolves with an apology only.",
    "field_kind_row": "Kind, row {{ row }}",
    "kind_none": "(none)",
    "field_amount_row": "Amount, row {{ row }}",
    "remove_row": "Remove row {{ row }}",
    "add_row": "Add a row",
    "field_resolution_message": "Message to the customer",
    "hint_resolution_message": "Sent with the outcome once it is carried out.",
    "field_root_cause": "Root cause",
    "root_cause_none": "(choose)",
    "hint_root_cause": "Required when the resolution closes the complaint.",
    "field_final": "Close the complaint once this is carried out",
    "submit_check": "Check with the policy",
    "submit_propose": "Propose",
    "field_closing_message": "Closing message to the customer",
    "hint_close": "Closes the complaint as resolved with no compensation.",
    "submit_close": "Close as resolved",
    # The policy's answer
    "policy_hint": "Enter the compensation and check it: the policy says whether you may "
    "give it yourself or who must approve it.",
    "policy_refused": "The complaint would refuse this proposal.",
    "policy_within": "Within your authority: {{ total }} is carried out as soon as you "
    "propose it ({{ customers }} customers: up to {{ limit }} without approval).",
    "policy_critical": "Needs approval by {{ approver }} ({{ level }}): on a critical complaint "
    "any compensation ({{ total }}) waits for a supervisor.",
    "policy_above": "Needs approval by {{ approver }} ({{ level }}): {{ total }} is above the "
    "{{ limit }} "
    "an agent may give {{ customers }} customers.",
    "approver_team": "a supervisor of team {{ team }}",
    # Refusals naming a field
    "field_required": "“{{ field }}” is required.",
    "field_too_long": "“{{ field }}” can be at most {{ max }} characters long.",
    "field_choose": "“{{ field }}”: choose one of the listed values.",
    "field_invalid": "“{{ field }}” is not valid.",
    "row_kind_missing": "Row {{ row }}: choose the kind of compensation.",
    "row_amount_invalid": "Row {{ row }}: the amount must be a number above 0 with at most "
    "two decimals, such as 25.00.",
    "rows_too_many": "A resolution has at most {{ n }} compensation rows.",
    "root_cause_required": "“Root cause” is required: a complaint that closes resolved "
    "must say what caused it.",
    "reassign_nobody": "Choose an agent, or another team than the complaint's own.",
    "agent_not_in_team": "{{ agent }} is not in team {{ team }}: choose an agent of that team, or "
    "the team's least-loaded agent.",
}

ZH_CN: dict[str, str] = {
    "workspace_title": "处理此投诉",
    "not_offered_title": "当前不可用的操作",
    "typed_kept": "您在“{{ form }}”中填写的内容，以免丢失：",
    "workspace_status_changed": "页面打开后投诉状态已变化，可用的操作可能也已改变。",
    "workspace_reload": "显示当前可用的操作",
    "workspace_closed": "此投诉已结案，不能再做任何操作。客户再次来信会开启新的投诉。",
    "workspace_received": "此投诉仍在分类和分派中，稍后即可操作（请刷新页面）。",
    "workspace_not_yours": "此投诉已指派给 {{ assignee }}：只有该客服或主管可以处理。"
    "如需处理，请主管改派给您。",
    "forbidden_not_yours": "此投诉已指派给其他客服：只有该客服或主管可以处理。未发送任何内容。",
    "form_reply": "回复客户",
    "form_request_info": "请客户补充信息",
    "form_note": "内部备注",
    "form_propose": "提出解决方案",
    "form_close": "以已解决结案",
    "form_reclassify": "重新分类",
    "form_reassign": "改派或转交",
    "hidden_reassign_role": "只有主管可以改派投诉或转交给其他团队。",
    "hidden_request_info_waiting": "投诉正在等待客户回答“{{ question }}”，客户回答前时限暂停。",
    "hidden_resolution_awaiting": "已有方案等待审批；主管批准或驳回前不能再提出方案。",
    "hidden_resolution_resolving": "已接受的方案正在执行。",
    "hidden_status": "投诉处于“{{ status }}”状态时不可用。",
    "done_reply": "已发送：客户会收到您的回复，并可在其页面上看到。",
    "done_request_info": "已询问：投诉等待客户回答，时限已暂停。",
    "done_note": "已备注：备注仅员工可见，已记入时间线。",
    "done_propose": "已接受：解决方案正在执行。",
    "done_propose_awaiting": "已提交审批：方案在审批收件箱中等待。",
    "done_close": "已接受：通知客户后投诉将以已解决结案。",
    "done_reclassify": "已重新分类：时限按新的严重程度计算。",
    "done_reassign": "已改派：时间线上可以看到新的负责人。",
    "field_reply_message": "给客户的回复",
    "hint_reply": "通过客户自己的渠道发送，并显示在客户的页面上；回复后首次响应计时停止。",
    "submit_reply": "发送回复",
    "field_question": "向客户提出的问题",
    "hint_request_info": "写明需要什么（照片、订单号等）。客户回答前时限暂停；"
    "超过政策规定的等待时间未回答，投诉将自动结案。",
    "submit_request_info": "询问客户",
    "field_note": "给员工的备注",
    "hint_note": "备注仅员工可见：不会发给客户，不会出现在客户页面上，也不会发给平台。",
    "submit_note": "添加备注",
    "field_sub_category": "子类别",
    "field_tier": "严重程度",
    "field_reason": "原因",
    "hint_reclassify": "说明为什么更改分类，最多 1,000 个字符；类别改变时投诉会转到该类别的团队。",
    "submit_reclassify": "重新分类",
    "field_agent": "客服",
    "field_team": "团队",
    "hint_reassign": "当前团队 {{ team }}，客服 {{ agent }}。选择其他团队的客服会把投诉转到该团队；"
    "只选团队则交给该团队当前负担最轻的客服。",
    "agent_least_loaded": "（团队中负担最轻的客服）",
    "team_named": "团队 {{ team }}",
    "submit_reassign": "改派",
    "field_compensation": "补偿（{{ currency }}）",
    "hint_rows": "最多 {{ n }} 行；空行会被忽略。既无补偿也无下方商品则仅致歉解决。",
    "field_kind_row": "第 {{ row }} 行类型",
    "kind_none": "（无）",
    "field_amount_row": "第 {{ row }} 行金额",
    "remove_row": "删除第 {{ row }} 行",
    "add_row": "添加一行",
    "field_resolution_message": "给客户的说明",
    "hint_resolution_message": "方案执行后随结果一起发给客户。",
    "field_root_cause": "根本原因",
    "root_cause_none": "（请选择）",
    "hint_root_cause": "方案会结案时必填。",
    "field_final": "执行后结案",
    "submit_check": "按政策检查",
    "submit_propose": "提出方案",
    "field_closing_message": "给客户的结案说明",
    "hint_close": "不做补偿，以已解决结案。",
    "submit_close": "以已解决结案",
    "policy_hint": "填写补偿后点击检查：政策会说明您能否自行决定，或需要谁审批。",
    "policy_refused": "投诉会拒绝此方案。",
    "policy_within": "在您的权限内：提出后立即执行 {{ total }}（{{ customers }}不超过 {{ limit }} "
    "无需审批）。",
    "policy_critical": "需要 {{ approver }}（{{ level }}）审批："
    "严重投诉的任何补偿（{{ total }}）都需主管审批。",
    "policy_above": "需要 {{ approver }}（{{ level }}）审批：{{ total }} "
    "超过客服对{{ customers }}可给的 {{ limit }}。",
    "approver_team": "团队 {{ team }} 的主管",
    "field_required": "“{{ field }}”为必填项。",
    "field_too_long": "“{{ field }}”最多 {{ max }} 个字符。",
    "field_choose": "“{{ field }}”：请从列表中选择。",
    "field_invalid": "“{{ field }}”无效。",
    "row_kind_missing": "第 {{ row }} 行：请选择补偿类型。",
    "row_amount_invalid": "第 {{ row }} 行：金额须为大于 0 的数字，最多两位小数，例如 25.00。",
    "rows_too_many": "一个方案最多 {{ n }} 行补偿。",
    "root_cause_required": "“根本原因”为必填项：以已解决结案的投诉必须说明原因。",
    "reassign_nobody": "请选择一位客服，或选择投诉当前团队以外的团队。",
    "agent_not_in_team": "{{ agent }} 不在团队 {{ team }} 中："
    "请选择该团队的客服，或交给团队中负担最轻的客服。",
}
