"""Helpers for the policy pages' tests: every field of the policy form as a browser would
send it (inputs, the checked boxes, the chosen options, textareas)."""

import html as markup
from html.parser import HTMLParser

import httpx

POLICY = "/console/admin/policy"
EDIT = f"{POLICY}/edit"


class _FormFields(HTMLParser):
    """Collects the fields of the form posting to POLICY, as a browser sends them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form" and attr.get("action") == POLICY:
            self._in_form = True
        if not self._in_form:
            return
        name = attr.get("name")
        if tag == "input" and name:
            if attr.get("type") != "checkbox" or "checked" in attr:
                self.fields[name] = attr.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self.fields[self._select] = attr.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            # A browser drops the newline right after <textarea>.
            self.fields[self._textarea] += data.removeprefix("\n")


def policy_form_fields(page: str) -> dict[str, str]:
    """Returns what the policy form on `page` sends as it stands."""
    parser = _FormFields()
    parser.feed(page)
    return {name: markup.unescape(value) for name, value in parser.fields.items()}


async def send_policy_form(
    client: httpx.AsyncClient, changes: dict[str, str | None], page: str | None = None
) -> httpx.Response:
    """Opens the form (or takes `page`), changes its fields (None unticks a box or drops
    the field) and sends it."""
    if page is None:
        shown = await client.get(EDIT)
        assert shown.status_code == 200, shown.text
        page = shown.text
    fields = policy_form_fields(page)
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return await client.post(POLICY, data=fields)
