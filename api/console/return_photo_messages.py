"""The words of a return's files on its page: the customer's files, the inspection form's
photos and their refusals, in English and Simplified Chinese; `messages` merges them."""

EN: dict[str, str] = {
    "return_files": "Files the customer sent with the return:",
    "inspection_photos": "Photos of the parcel (optional)",
    "inspection_photos_hint": "Up to {{ most }} photos, {{ types }}, at most {{ max_file_mb }} MB "
    "each. "
    "If the form is refused, choose them again.",
    "inspection_photos_taken": "Photos taken at the inspection",
    "inspection_photos_too_many": "“Photos of the parcel” takes at most {{ most }} photos, not "
    "{{ n }}: nothing was recorded.",
    "inspection_photo_too_large": "“Photos of the parcel”: {{ name }} is over {{ max_file_mb }} "
    "MB. "
    "Nothing was recorded; choose a smaller photo.",
    "inspection_photo_case_full": "“Photos of the parcel”: {{ name }} would take the return's "
    "files past {{ max_case_mb }} MB. Nothing was recorded; choose fewer photos.",
    "inspection_photo_type_not_accepted": "“Photos of the parcel”: {{ name }} is not a photo "
    "({{ types }}). Nothing was recorded.",
    "inspection_photo_empty": "“Photos of the parcel”: {{ name }} is empty. Nothing was recorded.",
    "form_too_large": "The files sent with the form are too large in all: nothing was "
    "recorded. Go back and send fewer or smaller photos.",
}

ZH_CN: dict[str, str] = {
    "return_files": "客户为退货提交的文件：",
    "inspection_photos": "包裹照片（可选）",
    "inspection_photos_hint": "最多 {{ most }} 张照片，格式为 {{ types }}，每张不超过 "
    "{{ max_file_mb }} 兆。"
    "如果表单被退回，请重新选择照片。",
    "inspection_photos_taken": "检验时拍摄的照片",
    "inspection_photos_too_many": "“包裹照片”最多 {{ most }} 张，而不是 {{ n }} "
    "张，未记录任何内容。",
    "inspection_photo_too_large": "“包裹照片”：{{ name }} 超过 {{ max_file_mb }} "
    "兆，未记录任何内容；"
    "请选择较小的照片。",
    "inspection_photo_case_full": "“包裹照片”：加上 {{ name }} 后，该退货的文件将超过 "
    "{{ max_case_mb }} 兆，未记录任何内容；请少选几张。",
    "inspection_photo_type_not_accepted": "“包裹照片”：{{ name }} 不是照片（{{ types }}），"
    "未记录任何内容。",
    "inspection_photo_empty": "“包裹照片”：{{ name }} 是空文件，未记录任何内容。",
    "form_too_large": "随表单提交的文件总量过大，未记录任何内容。请返回并少选或选择较小的照片。",
}
