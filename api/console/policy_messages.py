"""The words of the policy pages (the policy in force, its form, its versions and what each
changed, refusals naming the field), in English and Simplified Chinese; `messages` merges
them into its catalogues."""

EN: dict[str, str] = {
    "forbidden_policies": "Only admins may see and change the policy.",
    "policy_title": "Policy",
    "policy_intro": (
        "What complaints and returns run under: SLA targets, approval of compensation, "
        "auto-resolution rules, return deadlines and windows. A case keeps the version it "
        "opened under; a change applies to cases opened after it."
    ),
    "policy_in_force": "Version {{ version }} is in force",
    "policy_saved_by": "Saved by {{ who }} at {{ at }}",
    "policy_why": "Why",
    "policy_shipped_reason": "The policy Redress ships with",
    "policy_change_link": "Change the policy",
    "policy_amounts_note": "Amounts are in the order's currency.",
    "policy_on": "On",
    "policy_off": "Off",
    "policy_no_limit": "No limit",
    "policy_none": "(none)",
    # Sections and their values
    "policy_sla_title": "SLA targets per tier",
    "policy_sla_intro": (
        "Counted in the team's business hours. An agent is reminded when the share of a "
        "deadline shown is used up; a breached deadline escalates the complaint, and each "
        "level then has the escalation window."
    ),
    "policy_col_tier": "Tier",
    "policy_f_first_response": "First response",
    "policy_f_resolution": "Resolution",
    "policy_f_escalation_window": "Escalation window",
    "policy_f_reminder_fraction": "Reminder at",
    "policy_wait_title": "Waiting on the customer",
    "policy_f_reminder_after": "Reminder after",
    "policy_f_auto_close_after": "Closed unanswered after",
    "policy_approval_title": "Approval of compensation",
    "policy_approval_intro": (
        "Compensation worth more than the customer tier's threshold, or any on a critical "
        "complaint, needs a supervisor; each approver has their window before it moves up."
    ),
    "policy_col_customer_tier": "Customer tier",
    "policy_f_threshold": "Approval needed above",
    "policy_col_level": "Approver",
    "policy_f_window": "Window",
    "policy_rules_title": "Auto-resolution rules",
    "policy_rules_intro": (
        "Complaints a rule fits are resolved without an agent, in the order listed; a rule "
        "switched off sends them to an agent."
    ),
    "policy_rule": "Rule",
    "policy_f_sub_category": "Complaints about",
    "policy_f_max_tier": "At most of tier",
    "policy_f_max_paid_amount": "Orders paid at most",
    "policy_f_gives": "Gives",
    "policy_refund_duplicate": "A refund of the duplicate charge",
    "policy_f_root_cause": "Root cause recorded",
    "policy_f_enabled": "In use",
    "policy_f_message": "Message to the customer ({{ lang }})",
    "policy_f_compensation": "{{ kind }} {{ number }}",
    "policy_language_zh-CN": "Chinese",
    "policy_language_en": "English",
    "policy_returns_title": "Return deadlines",
    "policy_review_windows": "Review window",
    "policy_f_ship_within": "Customer ships within",
    "policy_f_reminder_before": "Reminder before ship-by",
    "policy_f_cancel_grace": "Cancelled after ship-by",
    "policy_f_stuck_in_transit_after": "Carrier trace after",
    "policy_f_inspection_window": "Warehouse inspects within",
    "policy_f_consent_window": "Customer answers a plan within",
    "policy_f_wrong_item_apology_coupon": "Wrong-item apology coupon",
    "policy_windows_title": "Return windows",
    "policy_windows_intro": (
        "Days after delivery a line of each product category may be returned. A return the "
        "merchant is at fault for gets at least the merchant-fault window."
    ),
    "policy_col_category": "Product category",
    "policy_col_days": "Days",
    "policy_f_default_days": "Other categories",
    "policy_f_merchant_fault_days": "Merchant at fault",
    "policy_f_non_returnable": "Never returned for a change of mind",
    # Field names in refusals and in what changed
    "policy_path_sla": "SLA, {{ tier }}: {{ field }}",
    "policy_path_wait": "Waiting on the customer: {{ field }}",
    "policy_path_threshold": "Approval threshold: {{ customer_tier }}",
    "policy_path_approval_window": "Approval window: {{ level }}",
    "policy_path_rule": "Rule {{ rule }}: {{ field }}",
    "policy_path_review_window": "Return review window: {{ level }}",
    "policy_path_return": "Returns: {{ field }}",
    "policy_path_category": "Return window: {{ category }}",
    "policy_path_reason": "Why",
    # Units, and a name with its unit or code beside it
    "policy_with_unit": "{{ name }} ({{ unit }})",
    "policy_unit_hours": "hours",
    "policy_unit_days": "days",
    "policy_unit_percent": "% of the deadline",
    "policy_unit_amount": "amount",
    # The form
    "policy_edit_title": "Change the policy",
    "policy_edit_intro": (
        "The form starts from version {{ version }}. Saving writes version {{ next }}, which "
        "complaints and returns opened from then on run under; open ones keep theirs."
    ),
    "policy_hours_hint": "Hours, such as 4 or 1.5.",
    "policy_days_hint": "Days, such as 7 or 0.5.",
    "policy_percent_hint": "1 to 99.",
    "policy_amount_hint": "Empty: no limit.",
    "policy_categories_hint": (
        "A category is its code as platforms send it (lower-case letters, digits, _ or -); "
        "clear a row's category to remove it, fill an empty row to add one."
    ),
    "policy_non_returnable_hint": "Category codes, separated by commas or spaces.",
    "policy_row_category": "Product category, row {{ number }}",
    "policy_row_days": "Days, row {{ number }}",
    "policy_reason": "Why (required, kept with the version and on the audit trail)",
    "policy_save": "Save as a new version",
    "policy_back": "Back to the policy",
    # Versions
    "policy_versions_title": "Versions",
    "policy_col_version": "Version",
    "policy_col_saved_by": "Saved by",
    "policy_col_saved_at": "Saved at",
    "policy_view_version": "Version {{ version }}",
    "policy_current_badge": "In force",
    "policy_version_title": "Policy version {{ version }}",
    "policy_changes_title": "What changed from version {{ previous }}",
    "policy_changes_none": "The first version: the policy Redress ships with.",
    "policy_changes_heading": "What changed",
    "policy_col_field": "Value",
    "policy_col_before": "Before",
    "policy_col_after": "After",
    "policy_no_such_version": "There is no such version of the policy.",
    # Answers and refusals
    "admin_action_policy_changed": "Saved policy {{ subject }}",
    "admin_done_policy_changed": (
        "Saved {{ subject }}: complaints and returns opened from now on run under it."
    ),
    "policy_form_refused": "Nothing was saved. Fix what is named below and save again.",
    "policy_form_refused_stale": (
        "Version {{ version }} was saved by {{ who }} while you had this form open, so nothing was "
        "saved. Your values are kept below, now on version {{ version }}: saving them replaces it."
    ),
    "policy_form_refused_unchanged": (
        "The form changes no value of version {{ version }}: nothing was saved."
    ),
    "policy_problem_missing": "a value is required",
    "policy_problem_not_positive": "must be more than zero",
    "policy_problem_too_long": "must be at most 365 days",
    "policy_problem_fraction": "must be from 1 to 99",
    "policy_problem_not_longer": "must be longer than “{{ other }}”",
    "policy_problem_negative": "must be 0 or more",
    "policy_problem_days_range": "must be a whole number of days from 1 to 365",
    "policy_problem_duplicate": "{{ value }} is there twice",
    "policy_problem_empty": "must not be empty",
    "policy_problem_text_too_long": "must be at most {{ max }} characters",
    "policy_problem_category_name": (
        "“{{ value }}” is not a category code: 1 to 40 lower-case letters, digits, _ or -"
    ),
    "policy_problem_rule_name": "“{{ value }}” is not a rule name",
    "policy_problem_too_many": "at most {{ max }}",
    "policy_problem_no_compensation": "the rule gives nothing",
    "policy_problem_control_characters": "must not hold control characters",
    "policy_problem_number_invalid": "“{{ value }}” is not a number",
    "policy_problem_amount_invalid": (
        "“{{ value }}” is not an amount: a number with at most two decimal places"
    ),
    "policy_problem_whole_days_invalid": "“{{ value }}” is not a whole number of days",
    "policy_problem_category_missing": "a row with days needs its category",
    "policy_problem_choice_invalid": "“{{ value }}” is not one of the choices",
    # Names of the product categories Redress ships windows for (others show their code)
    "policy_category_general": "General",
    "policy_category_apparel": "Apparel",
    "policy_category_shoes": "Shoes",
    "policy_category_electronics": "Electronics",
    "policy_category_appliances": "Appliances",
    "policy_category_home": "Home",
    "policy_category_books": "Books",
    "policy_category_toys": "Toys",
    "policy_category_cosmetics": "Cosmetics",
    "policy_category_jewelry": "Jewellery",
    "policy_category_food": "Food",
    "policy_category_perishables": "Perishables",
    "policy_category_underwear": "Underwear",
    "policy_category_custom_made": "Made to order",
    "policy_category_digital": "Digital goods",
}

ZH_CN: dict[str, str] = {
    "forbidden_policies": "只有管理员可以查看和修改服务政策。",
    "policy_title": "服务政策",
    "policy_intro": (
        "投诉和退货所遵循的规则：SLA 时限、补偿审批、自动处理规则、退货时限与退货期。"
        "每个案件沿用其创建时的版本；修改只对之后创建的案件生效。"
    ),
    "policy_in_force": "当前生效：第 {{ version }} 版",
    "policy_saved_by": "由 {{ who }} 于 {{ at }} 保存",
    "policy_why": "原因",
    "policy_shipped_reason": "系统自带的初始政策",
    "policy_change_link": "修改政策",
    "policy_amounts_note": "金额以订单币种计。",
    "policy_on": "启用",
    "policy_off": "停用",
    "policy_no_limit": "不限",
    "policy_none": "（无）",
    "policy_sla_title": "各级别 SLA 时限",
    "policy_sla_intro": (
        "按团队工作时间计算。时限用到所示比例时提醒客服；超时后投诉升级，"
        "此后每一级都有一个升级时限。"
    ),
    "policy_col_tier": "级别",
    "policy_f_first_response": "首次响应",
    "policy_f_resolution": "解决",
    "policy_f_escalation_window": "升级时限",
    "policy_f_reminder_fraction": "提醒时点",
    "policy_wait_title": "等待客户回复",
    "policy_f_reminder_after": "提醒客户于",
    "policy_f_auto_close_after": "未回复自动结案于",
    "policy_approval_title": "补偿审批",
    "policy_approval_intro": (
        "补偿金额超过该客户等级的门槛，或严重级别投诉的任何补偿，都需主管审批；"
        "每一级审批人在各自时限内未处理则上移一级。"
    ),
    "policy_col_customer_tier": "客户等级",
    "policy_f_threshold": "超过此金额需审批",
    "policy_col_level": "审批人",
    "policy_f_window": "时限",
    "policy_rules_title": "自动处理规则",
    "policy_rules_intro": (
        "符合规则的投诉无需客服即按顺序自动处理；停用的规则不再处理，投诉转交客服。"
    ),
    "policy_rule": "规则",
    "policy_f_sub_category": "适用投诉",
    "policy_f_max_tier": "最高级别",
    "policy_f_max_paid_amount": "订单实付不超过",
    "policy_f_gives": "给予",
    "policy_refund_duplicate": "退还重复扣款",
    "policy_f_root_cause": "记录的根本原因",
    "policy_f_enabled": "启用",
    "policy_f_message": "给客户的消息（{{ lang }}）",
    "policy_f_compensation": "{{ kind }} {{ number }}",
    "policy_language_zh-CN": "中文",
    "policy_language_en": "英文",
    "policy_returns_title": "退货时限",
    "policy_review_windows": "审核时限",
    "policy_f_ship_within": "客户寄回期限",
    "policy_f_reminder_before": "寄回截止前提醒",
    "policy_f_cancel_grace": "寄回截止后取消",
    "policy_f_stuck_in_transit_after": "发起物流查询于",
    "policy_f_inspection_window": "仓库验货期限",
    "policy_f_consent_window": "客户答复方案期限",
    "policy_f_wrong_item_apology_coupon": "发错货致歉优惠券",
    "policy_windows_title": "退货期",
    "policy_windows_intro": (
        "各商品类别自签收起可退货的天数。商家责任的退货至少享有商家责任退货期。"
    ),
    "policy_col_category": "商品类别",
    "policy_col_days": "天数",
    "policy_f_default_days": "其他类别",
    "policy_f_merchant_fault_days": "商家责任",
    "policy_f_non_returnable": "不支持无理由退货",
    "policy_path_sla": "SLA（{{ tier }}）：{{ field }}",
    "policy_path_wait": "等待客户回复：{{ field }}",
    "policy_path_threshold": "审批门槛：{{ customer_tier }}",
    "policy_path_approval_window": "审批时限：{{ level }}",
    "policy_path_rule": "规则 {{ rule }}：{{ field }}",
    "policy_path_review_window": "退货审核时限：{{ level }}",
    "policy_path_return": "退货：{{ field }}",
    "policy_path_category": "退货期：{{ category }}",
    "policy_path_reason": "原因",
    "policy_with_unit": "{{ name }}（{{ unit }}）",
    "policy_unit_hours": "小时",
    "policy_unit_days": "天",
    "policy_unit_percent": "% 时限",
    "policy_unit_amount": "金额",
    "policy_edit_title": "修改服务政策",
    "policy_edit_intro": (
        "表单以第 {{ version }} 版为基础。保存后生成第 {{ next }} "
        "版，之后创建的投诉和退货按新版执行；"
        "进行中的案件保持原版本。"
    ),
    "policy_hours_hint": "小时数，如 4 或 1.5。",
    "policy_days_hint": "天数，如 7 或 0.5。",
    "policy_percent_hint": "1 至 99。",
    "policy_amount_hint": "留空表示不限。",
    "policy_categories_hint": (
        "类别即平台发送的类别代码（小写字母、数字、_ 或 -）；清空某行的类别即删除该行，"
        "填写空行即新增类别。"
    ),
    "policy_non_returnable_hint": "类别代码，以逗号或空格分隔。",
    "policy_row_category": "商品类别，第 {{ number }} 行",
    "policy_row_days": "天数，第 {{ number }} 行",
    "policy_reason": "原因（必填，随版本保存并记入审计日志）",
    "policy_save": "保存为新版本",
    "policy_back": "返回服务政策",
    "policy_versions_title": "历史版本",
    "policy_col_version": "版本",
    "policy_col_saved_by": "保存人",
    "policy_col_saved_at": "保存时间",
    "policy_view_version": "第 {{ version }} 版",
    "policy_current_badge": "生效中",
    "policy_version_title": "服务政策第 {{ version }} 版",
    "policy_changes_title": "与第 {{ previous }} 版相比的改动",
    "policy_changes_none": "第一个版本：系统自带的初始政策。",
    "policy_changes_heading": "改动内容",
    "policy_col_field": "项目",
    "policy_col_before": "修改前",
    "policy_col_after": "修改后",
    "policy_no_such_version": "服务政策没有这个版本。",
    "admin_action_policy_changed": "保存了服务政策 {{ subject }}",
    "admin_done_policy_changed": "已保存 {{ subject }}：此后创建的投诉和退货按此版本执行。",
    "policy_form_refused": "未保存任何内容。请修正下列各项后再保存。",
    "policy_form_refused_stale": (
        "在您打开此表单期间，{{ who }} 保存了第 {{ version }} 版，因此本次未保存。"
        "您填写的内容保留在下方，现以第 {{ version }} 版为基础：再次保存将取代该版本。"
    ),
    "policy_form_refused_unchanged": "表单未改动第 {{ version }} 版的任何数值：未保存。",
    "policy_problem_missing": "必须填写",
    "policy_problem_not_positive": "必须大于零",
    "policy_problem_too_long": "不能超过 365 天",
    "policy_problem_fraction": "必须在 1 至 99 之间",
    "policy_problem_not_longer": "必须长于“{{ other }}”",
    "policy_problem_negative": "不能小于 0",
    "policy_problem_days_range": "必须是 1 至 365 的整数天",
    "policy_problem_duplicate": "{{ value }} 出现了两次",
    "policy_problem_empty": "不能为空",
    "policy_problem_text_too_long": "不能超过 {{ max }} 个字符",
    "policy_problem_category_name": "“{{ value }}”不是类别代码：1 至 40 个小写字母、数字、_ 或 -",
    "policy_problem_rule_name": "“{{ value }}”不是有效的规则名称",
    "policy_problem_too_many": "最多 {{ max }} 项",
    "policy_problem_no_compensation": "该规则没有给予任何补偿",
    "policy_problem_control_characters": "不能包含控制字符",
    "policy_problem_number_invalid": "“{{ value }}”不是数字",
    "policy_problem_amount_invalid": "“{{ value }}”不是金额：最多两位小数的数字",
    "policy_problem_whole_days_invalid": "“{{ value }}”不是整数天数",
    "policy_problem_category_missing": "填写了天数的行必须填写类别",
    "policy_problem_choice_invalid": "“{{ value }}”不是可选项",
    "policy_category_general": "通用",
    "policy_category_apparel": "服装",
    "policy_category_shoes": "鞋类",
    "policy_category_electronics": "数码电子",
    "policy_category_appliances": "家用电器",
    "policy_category_home": "家居",
    "policy_category_books": "图书",
    "policy_category_toys": "玩具",
    "policy_category_cosmetics": "美妆",
    "policy_category_jewelry": "珠宝首饰",
    "policy_category_food": "食品",
    "policy_category_perishables": "生鲜易腐",
    "policy_category_underwear": "贴身衣物",
    "policy_category_custom_made": "定制商品",
    "policy_category_digital": "数字商品",
}
