"""The customer's own words in a reply: quoted history and signature stripped.

`mail-parser-reply` knows the English and many European clients, and Chinese headers with
an ASCII colon. Chinese clients write their quote headers in forms it misses (its pattern
for "...写道：" can never match, and Foxmail, QQ Mail and Outlook in Chinese use full-width
colons and a "原始邮件" separator), so those are cut here first.
"""

import re

from mailparser_reply import EmailMessage

# Lines that start the quoted history in Chinese mail clients (simplified and traditional).
_CHINESE_QUOTE_STARTS = re.compile(
    r"^\s*(?:"
    # Gmail, Apple Mail, NetEase: "在 2026年12月1日 周二 10:15，客服 <a@b> 写道："
    r"(?:在|於|于)?.{0,120}?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,160}?(?:写道|寫道)\s*[：:]"
    # QQ Mail / Foxmail / Outlook: "------------------ 原始邮件 ------------------"
    r"|-{2,}\s*(?:原始邮件|原始郵件|原邮件|回复的原邮件)\s*-{2,}"
    # Outlook without a separator: "发件人：..." followed by the other header lines.
    r"|(?:发件人|寄件者|發件人)\s*[：:].*\n\s*(?:发送时间|發送時間|寄件日期|日期|时间|收件人|主题)\s*[：:]"
    r")",
    re.MULTILINE,
)

_LANGUAGES = ["en", "zh", "de", "fr", "es", "ja"]


def customer_words(text: str) -> str:
    """Returns the newest part of a mail's text, without quoted history or signature;
    the whole text when stripping would leave nothing."""
    cut = _CHINESE_QUOTE_STARTS.search(text)
    newest = text[: cut.start()] if cut else text
    # A customer's list of what is wrong ("- no light") is not a signature.
    replies = EmailMessage(newest, languages=_LANGUAGES, keep_hyphen_lists=True).read().replies
    stripped = replies[0].body.strip() if replies else ""
    return stripped or newest.strip() or text.strip()
