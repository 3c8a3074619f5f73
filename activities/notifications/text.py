"""The shape of a template's text, shared by the template tables of each domain."""

from typing import NamedTuple


class MessageText(NamedTuple):
    subject: str
    body: str
