"""The canned replies pages' words (the list, the form, the placeholders, their refusals,
the picker on the reply form), in English and Simplified Chinese; `messages` merges them
into its catalogues."""

EN: dict[str, str] = {
    "nav_canned_replies": "Canned replies",
    "canned_title": "Canned replies",
    "canned_intro": (
        "Reply templates agents start from on a complaint: its sub-category's first, then the "
        "general ones, in the customer's language. Placeholders are filled in from the "
        "complaint, and the agent edits the text before sending."
    ),
    "canned_new": "New canned reply",
    "canned_new_title": "New canned reply",
    "canned_edit_title": "Edit “{{ title }}”",
    "canned_retired_title": "“{{ title }}” (retired)",
    "canned_back": "Back to the canned replies",
    "canned_total": "{{ total }} templates match.",
    "canned_empty": "No canned reply matches these filters.",
    "canned_language": "Language",
    "canned_sub_category": "Sub-category",
    "canned_status": "Status",
    "canned_status_active": "Active",
    "canned_status_retired": "Retired",
    "canned_status_all": "Active and retired",
    "canned_all_languages": "All languages",
    "canned_all_sub_categories": "All sub-categories",
    "canned_general": "General (any sub-category)",
    "canned_col_template": "Template",
    "canned_col_for": "Suggested for",
    "canned_col_uses": "Replies sent",
    "canned_col_updated": "Last changed",
    "canned_updated": "{{ at }} by {{ who }}",
    "canned_retired_on": "Retired {{ at }} by {{ who }}",
    "canned_edit": "Edit",
    "canned_read_only": "Supervisors may read the templates; admins write them.",
    "canned_created": "Created “{{ title }}”.",
    "canned_saved": "Saved “{{ title }}”.",
    "canned_retired_notice": (
        "Retired “{{ title }}”: it is no longer suggested, and kept with its usage."
    ),
    # The form
    "canned_field_title": "Title",
    "canned_field_title_hint": "What agents pick it by; up to 120 characters.",
    "canned_field_language": "Language of the reply",
    "canned_field_sub_category": "Suggested for",
    "canned_field_body": "Reply",
    "canned_field_body_hint": "Up to 4,000 characters. A placeholder in double braces:",
    "canned_field_body_hint_if": "Leaving out what a complaint may lack:",
    "canned_save": "Save",
    "canned_create": "Create",
    "canned_retire": "Retire this template",
    "canned_retire_hint": (
        "A retired template is no longer suggested; it stays here, with its usage, for the "
        "replies sent from it."
    ),
    "canned_retired_note": "This template was retired {{ at }} by {{ who }}; it can no longer be "
    "edited.",
    "canned_version": "Version {{ version }}, used {{ uses }} times.",
    # Placeholders
    "canned_placeholders": "Placeholders",
    "canned_placeholders_intro": (
        "A reply may name these; anything else is refused when it is saved. A complaint that "
        "lacks a value cannot use a template that names it unguarded."
    ),
    "canned_col_placeholder": "Placeholder",
    "canned_col_holds": "What it holds",
    "canned_col_shown": "Shown as",
    "canned_filters": "Filters",
    "canned_tests": "Tests after “is”",
    "placeholder_customer_name": "The customer's name (their id when the platform gave none)",
    "placeholder_customer_id": "The customer's id on the platform",
    "placeholder_complaint_id": "The complaint's id",
    "placeholder_order_id": "The order's id, when the complaint names one",
    "placeholder_tracking_number": "The parcel's tracking number, when the order has one",
    "placeholder_paid_amount": "What the customer paid for the order",
    "placeholder_refunded_total": "What was refunded so far, once something was",
    "placeholder_first_response_due": "When the first response is due, while it is unanswered",
    "placeholder_resolution_due": "When the resolution is due, while the clock runs",
    "placeholder_agent_name": "The name of the agent replying",
    # What a template needs and a complaint lacks, inside a sentence.
    "placeholder_short_customer_name": "the customer's name",
    "placeholder_short_customer_id": "the customer's id",
    "placeholder_short_complaint_id": "the complaint's id",
    "placeholder_short_order_id": "an order id",
    "placeholder_short_tracking_number": "a tracking number",
    "placeholder_short_paid_amount": "the amount paid",
    "placeholder_short_refunded_total": "a refund",
    "placeholder_short_first_response_due": "a first-response deadline",
    "placeholder_short_resolution_due": "a resolution deadline",
    "placeholder_short_agent_name": "the agent's name",
    "placeholder_kind_text": "Text",
    "placeholder_kind_money": "Money in the customer's currency and locale",
    "placeholder_kind_moment": "Date and time in the customer's time zone",
    # Refusals
    "forbidden_canned_replies": "Only supervisors and admins may see the canned replies.",
    "forbidden_canned_manage": "Only admins may create, edit or retire canned replies.",
    "canned_title_required": "“Title” is required.",
    "canned_title_too_long": "“Title” can be at most 120 characters long.",
    "canned_title_taken": (
        "Another active template in this language is already called “{{ title }}”: choose another "
        "title, or edit that one."
    ),
    "canned_language_choose": "Choose the reply's language from the list.",
    "canned_sub_category_choose": "Choose a sub-category from the list, or General.",
    "canned_body_required": "“Reply” is required.",
    "canned_body_too_long": "“Reply” can be at most 4,000 characters long.",
    "canned_body_unknown_placeholder": (
        "“Reply” names a placeholder that does not exist: {{ names }}. Use the placeholders listed "
        "on this page."
    ),
    "canned_body_not_allowed": (
        "“Reply” uses {{ construct }} (line {{ line }}), which a canned reply may not: use "
        "placeholders, filters and if."
    ),
    "canned_body_unknown_filter": (
        "“Reply” uses a filter that does not exist: {{ name }} (line {{ line }}). The filters are "
        "listed on this page."
    ),
    "canned_body_unknown_test": (
        "“Reply” uses a test that does not exist: {{ name }} (line {{ line }}). The tests are "
        "listed "
        "on this page."
    ),
    "canned_body_syntax": "“Reply” cannot be read at line {{ line }}: check its braces and tags.",
    "canned_edited_meanwhile": (
        "{{ who }} changed this template while you were editing it (it is now version "
        "{{ version }}); "
        "nothing was saved. Their version is shown above yours: bring the two together, then "
        "save again."
    ),
    "canned_their_version": "The template as {{ who }} saved it",
    "canned_retired_refused": "This template is retired and can no longer be edited.",
    "canned_form_used": (
        "This form already created a template, with other words; reload the page to create another."
    ),
    "canned_not_found": "There is no such canned reply.",
    # The picker on the complaint's reply form
    "canned_pick": "Start from a canned reply",
    "canned_pick_none": "— write from scratch —",
    "canned_use": "Use this template",
    "canned_pick_hint": (
        "Fills the reply below with the template, filled in for this complaint; edit it before "
        "sending."
    ),
    "canned_pick_missing": "{{ title }} (needs {{ placeholder }}, which this complaint lacks)",
    "canned_pick_empty": "No canned reply suits this complaint yet.",
    "canned_pick_chosen": "The reply below starts from “{{ title }}”: edit it, then send it.",
    "canned_pick_unusable": (
        "“{{ title }}” cannot be used on this complaint: it needs {{ placeholder }}, which the "
        "complaint lacks."
    ),
    "canned_pick_invalid": "Choose a canned reply from the list.",
}

ZH_CN: dict[str, str] = {
    "nav_canned_replies": "快捷回复",
    "canned_title": "快捷回复",
    "canned_intro": (
        "客服在投诉页面上回复时可以套用的模板：先列出该投诉子类别的模板，再列出通用模板，"
        "语言与客户一致。占位符按投诉内容自动填写，客服发送前可以修改。"
    ),
    "canned_new": "新建快捷回复",
    "canned_new_title": "新建快捷回复",
    "canned_edit_title": "编辑“{{ title }}”",
    "canned_retired_title": "“{{ title }}”（已停用）",
    "canned_back": "返回快捷回复列表",
    "canned_total": "共 {{ total }} 个模板符合条件。",
    "canned_empty": "没有符合筛选条件的快捷回复。",
    "canned_language": "语言",
    "canned_sub_category": "子类别",
    "canned_status": "状态",
    "canned_status_active": "使用中",
    "canned_status_retired": "已停用",
    "canned_status_all": "使用中和已停用",
    "canned_all_languages": "全部语言",
    "canned_all_sub_categories": "全部子类别",
    "canned_general": "通用（适用于所有子类别）",
    "canned_col_template": "模板",
    "canned_col_for": "适用于",
    "canned_col_uses": "已发送次数",
    "canned_col_updated": "最近修改",
    "canned_updated": "{{ who }} 于 {{ at }}",
    "canned_retired_on": "{{ who }} 于 {{ at }} 停用",
    "canned_edit": "编辑",
    "canned_read_only": "主管可以查看模板，只有管理员可以编写。",
    "canned_created": "已创建“{{ title }}”。",
    "canned_saved": "已保存“{{ title }}”。",
    "canned_retired_notice": "已停用“{{ title }}”：不再推荐给客服，使用记录仍然保留。",
    "canned_field_title": "标题",
    "canned_field_title_hint": "客服按标题选择模板，最多 120 个字符。",
    "canned_field_language": "回复语言",
    "canned_field_sub_category": "适用于",
    "canned_field_body": "回复内容",
    "canned_field_body_hint": "最多 4,000 个字符。占位符写在双花括号中：",
    "canned_field_body_hint_if": "省略投诉可能缺少的内容：",
    "canned_save": "保存",
    "canned_create": "创建",
    "canned_retire": "停用此模板",
    "canned_retire_hint": "停用后不再推荐给客服；模板及其使用记录仍保留在这里，便于查看历史回复。",
    "canned_retired_note": "此模板已由 {{ who }} 于 {{ at }} 停用，不能再编辑。",
    "canned_version": "第 {{ version }} 版，已使用 {{ uses }} 次。",
    "canned_placeholders": "占位符",
    "canned_placeholders_intro": (
        "回复中可以使用以下占位符，保存时会拒绝其他名称。投诉缺少某个值时，"
        "不能使用未加条件判断就引用该值的模板。"
    ),
    "canned_col_placeholder": "占位符",
    "canned_col_holds": "内容",
    "canned_col_shown": "显示方式",
    "canned_filters": "过滤器",
    "canned_tests": "条件判断",
    "placeholder_customer_name": "客户姓名（平台未提供姓名时为客户编号）",
    "placeholder_customer_id": "客户在平台上的编号",
    "placeholder_complaint_id": "投诉编号",
    "placeholder_order_id": "订单编号（投诉关联了订单时）",
    "placeholder_tracking_number": "包裹的物流单号（订单有单号时）",
    "placeholder_paid_amount": "客户为订单实付的金额",
    "placeholder_refunded_total": "目前已退款的金额（有退款后）",
    "placeholder_first_response_due": "首次回复的截止时间（尚未回复时）",
    "placeholder_resolution_due": "解决的截止时间（计时进行中时）",
    "placeholder_agent_name": "回复客服的姓名",
    "placeholder_short_customer_name": "客户姓名",
    "placeholder_short_customer_id": "客户编号",
    "placeholder_short_complaint_id": "投诉编号",
    "placeholder_short_order_id": "订单编号",
    "placeholder_short_tracking_number": "物流单号",
    "placeholder_short_paid_amount": "实付金额",
    "placeholder_short_refunded_total": "退款金额",
    "placeholder_short_first_response_due": "首次回复截止时间",
    "placeholder_short_resolution_due": "解决截止时间",
    "placeholder_short_agent_name": "客服姓名",
    "placeholder_kind_text": "文字",
    "placeholder_kind_money": "按客户的币种和语言显示的金额",
    "placeholder_kind_moment": "按客户所在时区显示的日期和时间",
    "forbidden_canned_replies": "只有主管和管理员可以查看快捷回复。",
    "forbidden_canned_manage": "只有管理员可以新建、编辑或停用快捷回复。",
    "canned_title_required": "“标题”为必填项。",
    "canned_title_too_long": "“标题”最多 120 个字符。",
    "canned_title_taken": "该语言已有一个使用中的模板名为“{{ title }}”：请换一个标题，或编辑那个模"
    "板。",
    "canned_language_choose": "请从列表中选择回复语言。",
    "canned_sub_category_choose": "请从列表中选择子类别，或选择通用。",
    "canned_body_required": "“回复内容”为必填项。",
    "canned_body_too_long": "“回复内容”最多 4,000 个字符。",
    "canned_body_unknown_placeholder": (
        "“回复内容”使用了不存在的占位符：{{ names }}。请使用本页列出的占位符。"
    ),
    "canned_body_not_allowed": (
        "“回复内容”第 {{ line }} 行使用了 {{ construct }}，快捷回复不允许："
        "只能使用占位符、过滤器和条件判断。"
    ),
    "canned_body_unknown_filter": (
        "“回复内容”第 {{ line }} 行使用了不存在的过滤器：{{ name }}。可用的过滤器见本页说明。"
    ),
    "canned_body_unknown_test": (
        "“回复内容”第 {{ line }} 行使用了不存在的判断：{{ name }}。可用的判断见本页说明。"
    ),
    "canned_body_syntax": "“回复内容”第 {{ line }} 行无法解析：请检查花括号和标签。",
    "canned_edited_meanwhile": (
        "您编辑期间，{{ who }} 修改了此模板（现为第 {{ version }} 版），您的修改未保存。"
        "对方的版本显示在您的版本上方：请合并两者后再保存。"
    ),
    "canned_their_version": "{{ who }} 保存的版本",
    "canned_retired_refused": "此模板已停用，不能再编辑。",
    "canned_form_used": "此表单已用其他内容创建过模板；请刷新页面后再新建。",
    "canned_not_found": "没有这个快捷回复。",
    "canned_pick": "套用快捷回复",
    "canned_pick_none": "— 不使用模板 —",
    "canned_use": "套用此模板",
    "canned_pick_hint": "用模板填写下方的回复，占位符已按本投诉填好；发送前可以修改。",
    "canned_pick_missing": "{{ title }}（需要{{ placeholder }}，本投诉没有）",
    "canned_pick_empty": "暂时没有适用于本投诉的快捷回复。",
    "canned_pick_chosen": "下方回复套用了“{{ title }}”：修改后再发送。",
    "canned_pick_unusable": "“{{ title }}”不能用于本投诉：它需要{{ placeholder }}，本投诉没有。",
    "canned_pick_invalid": "请从列表中选择快捷回复。",
}
