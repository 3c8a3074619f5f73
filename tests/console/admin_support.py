"""Helpers for the admin pages' tests: the hidden fields of one form on a page (its CSRF
token and its own key), sending a form as a browser would, and the audit trail."""

import html as markup
import re

import httpx

from store.admin_changes import recent_changes
from store.tables.admin_changes import AdminChange
from tests.api.support import Api

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def form_of(page: str, action: str, index: int = 0) -> dict[str, str]:
    """Returns the hidden fields of the `index`th form on `page` posting to `action`."""
    forms = page.split(f'<form method="post" action="{action}"')[1:]
    assert len(forms) > index, f"no form posting to {action} on the page"
    body = forms[index].split("</form>")[0]
    return {name: markup.unescape(value) for name, value in _HIDDEN.findall(body)}


async def send_form(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str], index: int = 0
) -> httpx.Response:
    """Opens `page`, then sends its form posting to `action` with `fields` filled in."""
    shown = await client.get(page)
    assert shown.status_code == 200, shown.text
    return await client.post(action, data=form_of(shown.text, action, index) | fields)


def trail(api: Api, limit: int = 50) -> list[AdminChange]:
    """Returns the audit trail, newest first."""
    with api.sessions() as session:
        return recent_changes(session, limit=limit)


def secret_on(page: str) -> str:
    """Returns the password or key a page shows once."""
    found = re.search(r'<code class="secret-value">([^<]+)</code>', page)
    assert found is not None, "the page shows no secret"
    return markup.unescape(found.group(1))


def problem_on(page: str) -> str:
    """Returns the message key of the refusal a page shows."""
    found = re.search(r'data-problem="([a-z_]+)"', page)
    assert found is not None, "the page shows no refusal"
    return found.group(1)
