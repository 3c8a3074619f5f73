"""The resolution form's words for goods (a replacement, goods taken back and what the
customer gets for them, refusals naming the item and field), in English and Simplified
Chinese; `messages` merges them into its catalogues."""

EN: dict[str, str] = {
    "field_replacement": "Send a replacement",
    "field_take_back": "Take goods back",
    "goods_no_order": "The complaint names no order: a replacement or a return needs one.",
    "take_back_no_items": "The order lists no items, so none can be taken back.",
    "hint_replace_items": "How many of each item to ship again, at most what was bought; "
    "leave 0 or empty to send none (up to {{ n }} different items).",
    "hint_replace_typed": "The order lists no items: type each SKU and how many to ship "
    "(up to {{ n }} different items); leave a row empty to skip it.",
    "hint_take_back": "How many of each item the customer sends back, at most what was "
    "bought. A return starts for them and the complaint closes when it closes, so the "
    "proposal must close the complaint.",
    "hint_exchange_sku": "For an exchange, the SKU to send instead (another size or "
    "colour); empty sends the same item again.",
    "col_sku": "SKU",
    "col_item": "Item",
    "col_bought": "Bought",
    "col_send": "To send",
    "col_take_back": "To take back",
    "col_exchange_sku": "Exchange for SKU",
    "field_replace_quantity": "Quantity of {{ sku }} to send",
    "field_replace_sku_row": "SKU, item {{ row }}",
    "field_replace_quantity_row": "Quantity, item {{ row }}",
    "remove_item_row": "Remove item {{ row }}",
    "add_item_row": "Add an item",
    "field_return_quantity": "Quantity of {{ sku }} to take back",
    "field_exchange_sku": "Exchange {{ sku }} for SKU",
    "field_return_outcome": "What the customer gets for the goods",
    # Refusals naming the item and the field
    "replace_sku_missing": "Replacement, item {{ row }}: type the SKU to send.",
    "replace_sku_invalid": "Replacement: “{{ sku }}” is not a SKU (letters, digits and . _ : - "
    "only, at most 64).",
    "replace_sku_unknown": "Replacement: {{ sku }} is not an item of order {{ order }}.",
    "replace_quantity_invalid": "Replacement of {{ sku }}: the quantity must be a whole number "
    "from 1 to {{ max }}.",
    "replace_sku_twice": "Replacement: {{ sku }} is listed twice; give it once with the total.",
    "replace_too_many": "A replacement ships at most {{ n }} different items.",
    "replace_needs_order": "A replacement needs the complaint's order, and this complaint "
    "names none.",
    "return_needs_items": "Goods can be taken back only from an order that lists its items.",
    "return_sku_unknown": "Take back: {{ sku }} is not an item of order {{ order }}.",
    "return_quantity_invalid": "Take back {{ sku }}: the quantity must be a whole number from 0 "
    "to {{ max }} (what was bought).",
    "return_sku_twice": "Take back: {{ sku }} is listed twice; give it once with the total.",
    "return_too_many": "A return takes back at most {{ n }} different items.",
    "exchange_sku_invalid": "Exchange: “{{ sku }}” is not a SKU (letters, digits and . _ : - "
    "only, at most 64).",
    "exchange_sku_unused": "Exchange for {{ sku }}: an exchange SKU needs a quantity of {{ sku }} "
    "to take back and the outcome “Exchange”.",
    "return_outcome_invalid": "“What the customer gets for the goods”: choose one of the "
    "listed outcomes.",
    "return_needs_final": "Taking goods back closes the complaint when the return closes: "
    "tick “Close the complaint once this is carried out”.",
    # The policy's answer to a proposal giving no money (goods alone, or an apology)
    "policy_within_no_money": "Within your authority: it gives no money, so it is carried "
    "out as soon as you propose it.",
    # The complaint's returns, on its page
    "complaint_returns": "Returns",
}

ZH_CN: dict[str, str] = {
    "field_replacement": "补发商品",
    "field_take_back": "退回商品",
    "goods_no_order": "该投诉未关联订单：补发或退货都需要订单。",
    "take_back_no_items": "该订单没有列出商品，无法退回。",
    "hint_replace_items": (
        "每件商品补发的数量，不超过购买数量；填 0 或留空则不补发（最多 {{ n }} 种商品）。"
    ),
    "hint_replace_typed": (
        "该订单没有列出商品：请填写每个 SKU 及补发数量（最多 {{ n }} 种商品）；空行会被忽略。"
    ),
    "hint_take_back": (
        "客户寄回的每件商品数量，不超过购买数量。将为其发起退货，"
        "退货结束时投诉随之结案，因此方案必须结案。"
    ),
    "hint_exchange_sku": "换货时改发的 SKU（其他尺码或颜色）；留空则发同款。",
    "col_sku": "SKU",
    "col_item": "商品",
    "col_bought": "购买数量",
    "col_send": "补发数量",
    "col_take_back": "退回数量",
    "col_exchange_sku": "换成 SKU",
    "field_replace_quantity": "{{ sku }} 的补发数量",
    "field_replace_sku_row": "第 {{ row }} 件 SKU",
    "field_replace_quantity_row": "第 {{ row }} 件数量",
    "remove_item_row": "删除第 {{ row }} 件",
    "add_item_row": "添加一件商品",
    "field_return_quantity": "{{ sku }} 的退回数量",
    "field_exchange_sku": "{{ sku }} 换成的 SKU",
    "field_return_outcome": "客户退回商品后获得",
    "replace_sku_missing": "补发第 {{ row }} 件：请填写要补发的 SKU。",
    "replace_sku_invalid": (
        "补发：“{{ sku }}”不是有效的 SKU（仅限字母、数字及 . _ : -，最多 64 个字符）。"
    ),
    "replace_sku_unknown": "补发：{{ sku }} 不是订单 {{ order }} 中的商品。",
    "replace_quantity_invalid": "补发 {{ sku }}：数量须为 1 到 {{ max }} 的整数。",
    "replace_sku_twice": "补发：{{ sku }} 填写了两次，请合并为一行填写总数。",
    "replace_too_many": "一次补发最多 {{ n }} 种商品。",
    "replace_needs_order": "补发需要投诉关联的订单，而该投诉未关联订单。",
    "return_needs_items": "只有列出商品的订单才能退回商品。",
    "return_sku_unknown": "退回：{{ sku }} 不是订单 {{ order }} 中的商品。",
    "return_quantity_invalid": "退回 {{ sku }}：数量须为 0 到 {{ max }}（购买数量）的整数。",
    "return_sku_twice": "退回：{{ sku }} 填写了两次，请合并为一行填写总数。",
    "return_too_many": "一次退货最多退回 {{ n }} 种商品。",
    "exchange_sku_invalid": (
        "换货：“{{ sku }}”不是有效的 SKU（仅限字母、数字及 . _ : -，最多 64 个字符）。"
    ),
    "exchange_sku_unused": "{{ sku }} 的换货 SKU：需要填写 {{ sku }} 的退回数量，并选择“换货”。",
    "return_outcome_invalid": "“客户退回商品后获得”：请从所列选项中选择。",
    "return_needs_final": "退回商品会在退货结束时结案：请勾选“执行后结案”。",
    "policy_within_no_money": "在您的权限内：此方案不涉及金额，提出后立即执行。",
    "complaint_returns": "退货",
}
