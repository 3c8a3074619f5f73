"""The words of presence on a complaint page (who else has it open, who is writing) and of
a reply held back because a message arrived meanwhile, in English and Simplified Chinese;
`messages` merges them into its catalogues."""

EN: dict[str, str] = {
    "presence_title": "Also on this complaint now",
    "presence_alone": "Nobody else has this complaint open.",
    "presence_viewing": "reading",
    "presence_writing": "writing a reply",
    "presence_state_invalid": "The page reported an unknown presence “state”: it must be "
    "viewing, writing or left. Reload the page.",
    "presence_page_key_invalid": "The page reported itself without a valid “page_key”. "
    "Reload the page.",
    "collision_review": "Not sent: {{ count }} new message(s) arrived since you opened this "
    "page, shown below. Read them first; your text is kept. Edit it if needed, then send "
    "anyway.",
    "collision_arrived_title": "Arrived since you opened this page",
    "submit_reply_anyway": "Send reply anyway",
    "submit_request_info_anyway": "Ask the customer anyway",
}

ZH_CN: dict[str, str] = {
    "presence_title": "此刻也在处理此投诉",
    "presence_alone": "目前没有其他同事打开此投诉。",
    "presence_viewing": "正在查看",
    "presence_writing": "正在撰写回复",
    "presence_state_invalid": "页面上报的“状态”无效：只能是查看、撰写或离开。请刷新页面。",
    "presence_page_key_invalid": "页面上报时缺少有效的“页面标识”。请刷新页面。",
    "collision_review": "尚未发送：您打开此页面后又收到 {{ count }} 条新消息（见下方）。请先阅读；"
    "您填写的内容已保留，如有需要请修改，然后仍然发送。",
    "collision_arrived_title": "打开此页面后收到的消息",
    "submit_reply_anyway": "仍然发送回复",
    "submit_request_info_anyway": "仍然询问客户",
}
