"""Text out of mail parts and headers, in whatever charset Chinese mail clients declare.

Clients label GBK text `gb2312` and Big5 with Hong Kong characters `big5`: decoding with
the declared (narrower) codec would turn such characters into replacement marks, so each
label is widened to the superset that decodes every byte sequence the narrower one does.
"""

import codecs
from email.header import decode_header
from email.message import Message
from html.parser import HTMLParser

# Declared charset -> the superset decoded instead.
_WIDER_CHARSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}


def wider_charset(declared: str | None) -> str:
    """Returns the codec to decode text declared as `declared` with (UTF-8 when unknown)."""
    name = (declared or "utf-8").strip().strip('"').lower()
    name = _WIDER_CHARSETS.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def decode_bytes(data: bytes, declared: str | None, defects: list[str]) -> str:
    """Returns `data` decoded; a byte the charset cannot decode becomes U+FFFD and is
    noted in `defects`."""
    charset = wider_charset(declared)
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        defects.append(f"text not valid {declared or 'utf-8'}: {error.reason}")
        return data.decode(charset, errors="replace")


def decode_header_value(raw: str, defects: list[str]) -> str:
    """Returns a header's value with its RFC 2047 encoded words decoded."""
    pieces = []
    for chunk, charset in decode_header(raw):
        if isinstance(chunk, str):
            pieces.append(chunk)
        else:
            pieces.append(decode_bytes(chunk, charset, defects))
    return "".join(pieces).strip()


def raw_header(message: Message, name: str) -> str | None:
    """Returns the header's value as the mail carries it (encoded words undecoded)."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def part_text(part: Message, defects: list[str]) -> str:
    """Returns a text part's content, transfer encoding and charset decoded."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset(), defects)


class _TextOfHtml(HTMLParser):
    """Collects what a reader sees of an HTML body: text, with lines where blocks end."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})
    _HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.pieces.append(data)


def text_of_html(html: str) -> str:
    """Returns the text an HTML body shows, one line per block."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.pieces).splitlines())
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
