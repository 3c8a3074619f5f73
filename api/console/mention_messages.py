"""The mentions page's words (the list, its two forms, their refusals), in English and
Simplified Chinese; `messages` merges them into its catalogues."""

EN: dict[str, str] = {
    "nav_mentions": "Mentions",
    "mentions_title": "Mentions",
    "mentions_intro": (
        "Public posts about the shop, the newest first, with what the complaint detector "
        "decided and how sure it was. Open a complaint from a post it passed over, or mark "
        "one it opened as not a complaint."
    ),
    "mentions_labels_intro": (
        "Each choice is kept as a label for training the detector, with who made it and "
        "when; a post keeps its first label. “Not a complaint” leaves the complaint the "
        "post opened as it is, since an agent may already have answered its author: close "
        "it from its page if nobody needs to answer."
    ),
    "forbidden_mentions": "Only agents, supervisors and admins may see and label mentions.",
    "mentions_decision": "Decision",
    "mentions_every_decision": "Every decision",
    "mentions_decision_opened": "Opened a complaint",
    "mentions_decision_passed_over": "Passed over",
    "mentions_decision_labelled": "Labelled by staff",
    "mentions_decision_invalid": (
        "“Decision” must be one of the list: opened a complaint, passed over or labelled by staff."
    ),
    "mentions_total": "{{ total }} mentions match.",
    "mentions_empty": "No mention matches.",
    "mentions_col_received": "Received",
    "mentions_col_post": "Post",
    "mentions_col_detector": "Detector",
    "mentions_col_complaint": "Complaint",
    "mentions_col_label": "Staff label",
    "mentions_posted_at": "Posted {{ at }}",
    "mentions_source": "On {{ channel }} by {{ author }}",
    "mentions_open_post": "Open the post on {{ channel }}",
    "mentions_score": "Score {{ score }}",
    "mentions_detector_mention-rules": "Rules",
    "mentions_detector_mention-model": "Learned model",
    "mentions_no_complaint": "None",
    "mentions_label_complaint": "A complaint",
    "mentions_label_not_complaint": "Not a complaint",
    "mentions_labelled_by": "By {{ who }}, {{ at }}",
    "mentions_complaint_stays": (
        "The complaint it opened was left as it is: close it from its page if nobody needs "
        "to answer."
    ),
    "mentions_open_complaint": "Open a complaint",
    "mentions_open_again": "Open its complaint",
    "mentions_not_a_complaint": "Not a complaint",
    "mentions_done_opened": "Labelled {{ id }} a complaint. Its complaint:",
    "mentions_done_not_complaint": "Labelled {{ id }} not a complaint.",
    "refused_mention_labelled_complaint": (
        "{{ who }} already labelled this mention a complaint, at {{ at }}; a mention keeps its "
        "first label, so nothing was changed."
    ),
    "refused_mention_labelled_not_complaint": (
        "{{ who }} already labelled this mention not a complaint, at {{ at }}; a mention keeps its "
        "first label, so nothing was changed."
    ),
    "refused_mention_not_found": "There is no such mention.",
    "refused_idempotency_key_reused": (
        "This form was already used for another label; reload the page and try again."
    ),
}

ZH_CN: dict[str, str] = {
    "nav_mentions": "社媒提及",
    "mentions_title": "社媒提及",
    "mentions_intro": (
        "关于本店的公开帖子，最新的排在前面，附投诉检测器的判定和把握程度。"
        "可以为检测器漏掉的帖子开启投诉，或把它开启了投诉的帖子标注为不是投诉。"
    ),
    "mentions_labels_intro": (
        "每次选择都会连同操作人和时间保存为标注，用于训练检测器；每条帖子只保留第一次标注。"
        "“不是投诉”不会改动该帖子已开启的投诉，因为客服可能已经回复了作者："
        "如无需回复，请在投诉页面关闭它。"
    ),
    "forbidden_mentions": "只有客服、主管和管理员可以查看和标注社媒提及。",
    "mentions_decision": "判定",
    "mentions_every_decision": "全部判定",
    "mentions_decision_opened": "已开启投诉",
    "mentions_decision_passed_over": "未开启投诉",
    "mentions_decision_labelled": "已人工标注",
    "mentions_decision_invalid": "“判定”必须从列表中选择：已开启投诉、未开启投诉或已人工标注。",
    "mentions_total": "共 {{ total }} 条提及符合条件。",
    "mentions_empty": "没有符合条件的提及。",
    "mentions_col_received": "收到时间",
    "mentions_col_post": "帖子",
    "mentions_col_detector": "检测器",
    "mentions_col_complaint": "投诉",
    "mentions_col_label": "人工标注",
    "mentions_posted_at": "发布于 {{ at }}",
    "mentions_source": "{{ author }} 发布于 {{ channel }}",
    "mentions_open_post": "在 {{ channel }} 查看原帖",
    "mentions_score": "得分 {{ score }}",
    "mentions_detector_mention-rules": "规则",
    "mentions_detector_mention-model": "学习模型",
    "mentions_no_complaint": "无",
    "mentions_label_complaint": "是投诉",
    "mentions_label_not_complaint": "不是投诉",
    "mentions_labelled_by": "由 {{ who }} 于 {{ at }} 标注",
    "mentions_complaint_stays": "已开启的投诉保持不变：如无需回复，请在投诉页面关闭它。",
    "mentions_open_complaint": "开启投诉",
    "mentions_open_again": "开启其投诉",
    "mentions_not_a_complaint": "不是投诉",
    "mentions_done_opened": "已将 {{ id }} 标注为投诉。对应的投诉：",
    "mentions_done_not_complaint": "已将 {{ id }} 标注为不是投诉。",
    "refused_mention_labelled_complaint": (
        "{{ who }} 已于 {{ at }} 将这条提及标注为投诉；每条提及只保留第一次标注，未做任何更改。"
    ),
    "refused_mention_labelled_not_complaint": (
        "{{ who }} 已于 {{ at }} 将这条提及标注为不是投诉；每条提及只保留第一次标注，未做任何更改。"
    ),
    "refused_mention_not_found": "没有这条提及。",
    "refused_idempotency_key_reused": "该表单已用于其他标注，请刷新页面后重试。",
}
