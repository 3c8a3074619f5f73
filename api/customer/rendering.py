"""Turning a template into a page for a customer: the language, the words, times in the
customer's time zone, and the headers every customer page carries.

Like the console (`api.console.rendering`), templates are autoescaped: descriptions,
replies and plans are shown as text, never as markup. Unlike the console, nothing is
remembered in a cookie: the link in the address is all a customer has, so the language
travels as `?lang=` from link to link and form to form.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from api.console.rendering import LANGUAGES
from api.console.rendering import PAGE_HEADERS as CONSOLE_PAGE_HEADERS
from api.customer.labels import case_kind_name, event_name, status_name, tracking_name
from api.customer.messages import message, problem_key
from core.wording.formats import format_moment, format_money
from domain.policy import CUSTOMER_TIMEZONE
from domain.taxonomy import Locale

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_PATH = "/static/customer"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Where a file's name may break: after a separator a phone's camera or a chat app puts in
# it, and before the dot of its extension ("IMG_0042" / ".HEIC", never "IMG_0042.HEI" / "C").
_NAME_BREAKS = re.compile(r"(?<=[_\-])|(?<=.)(?=\.[^.]*$)")

# The console's headers, stricter: the pages run no script at all, and a search engine
# that ever sees a link must not index a customer's case. "same-origin" keeps the token in
# the address from reaching the courier's label site or an evidence link's host, yet lets
# the page's own forms send their Origin header (checked in `api.customer.credentials`).
PAGE_HEADERS = {
    **CONSOLE_PAGE_HEADERS,
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


def choose_language(request: Request, case_locale: Locale | None) -> tuple[Locale, bool]:
    """Returns the page's language and whether `?lang=` chose it.

    In order: `?lang=`, the case's own locale (the language the customer wrote in), the
    browser's Accept-Language, then Chinese.
    """
    asked = LANGUAGES.get(request.query_params.get("lang", ""))
    if asked is not None:
        return asked, True
    if case_locale is not None:
        return case_locale, False
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return Locale.ZH_CN, False
        if tag.startswith("en"):
            return Locale.EN, False
    return Locale.ZH_CN, False


def sends_json(request: Request) -> bool:
    """Returns whether the request's body is JSON (by its Content-Type, which a page on
    another site cannot set to this without a CORS preflight)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json"


def wants_json(request: Request) -> bool:
    """Returns whether the caller is a program: it sent JSON, or asks for JSON, not HTML."""
    if sends_json(request):
        return True
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


@dataclass(frozen=True)
class CustomerPage:
    """What every template gets as `page`: the words, and formatting in the customer's way."""

    request: Request
    language: Locale
    # Set when `?lang=` chose the language: links and forms carry it on.
    chosen: bool
    timezone: str

    def t(self, key: str, **values: object) -> str:
        """Returns the catalogue's sentence `key` in the page's language."""
        return message(self.language, key, **values)

    def problem(self, error: str, **values: object) -> str:
        """Returns what the refusal `error` means for the customer, in the page's language."""
        return message(self.language, problem_key(error), **values)

    def status(self, kind: str, value: object) -> str:
        """Returns a complaint's or a return's status as a customer reads it."""
        return status_name(self.language, kind, value)

    def event(self, kind: str, value: object) -> str:
        """Returns a timeline step as a customer reads it."""
        return event_name(self.language, kind, value)

    def tracking(self, detail: str) -> str:
        """Returns the courier status a tracking step's detail names, or ""."""
        return tracking_name(self.language, detail)

    def case_kind(self, kind: object) -> str:
        """Returns "complaint" or "return" in the page's language."""
        return case_kind_name(self.language, kind)

    def time(self, at: datetime | None) -> str:
        """Returns a moment as a date and time in the customer's time zone, as their
        messages write it (Babel's CLDR formats)."""
        return format_moment(at, self.timezone, self.language) if at is not None else ""

    def money(self, amount: Decimal, currency: str | None) -> str:
        """Returns an amount in its currency as the page's language writes it."""
        return format_money(amount, currency, self.language)

    def file_name(self, name: str) -> Markup:
        """Returns a file's name, escaped, with line-break opportunities (`<wbr>`) where it
        reads well broken: before its extension and after `_` or `-` (and, as ever, at spaces)."""
        return Markup("<wbr>").join(escape(part) for part in _NAME_BREAKS.split(name))

    def here(self, path: str, **params: str) -> str:
        """Returns `path` with `params`, and the chosen language when one was chosen."""
        if self.chosen:
            params = {"lang": self.language.value, **params}
        return f"{path}?{urlencode(params)}" if params else path

    def language_url(self, language: str) -> str:
        """Returns this page in `language` (without one-off parameters such as `?sent=`)."""
        return f"{self.request.url.path}?{urlencode({'lang': language})}"


def render(
    request: Request,
    template: str,
    *,
    case_locale: Locale | None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """Returns the page made from `template` with `values`, in the chosen language; times
    are shown in the zone of the case's locale (of the page's, without a case)."""
    language, chosen = choose_language(request, case_locale)
    page = CustomerPage(
        request=request,
        language=language,
        chosen=chosen,
        timezone=CUSTOMER_TIMEZONE[case_locale or language],
    )
    html = _environment.get_template(template).render(page=page, **values)
    return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
