"""Turning a template into a console page: the language, the words, times in the staff's
time zone, countdowns, and the headers every console page carries.

Templates are rendered with autoescaping on: descriptions, messages and reasons come from
customers and staff, and are always shown as text, never as markup.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from api.console.classification_words import worded_reasons
from api.console.labels import actor_name, label
from api.console.messages import message
from api.console.queue_counts import QueueCounts, open_recovery_tasks, queue_counts
from api.console.return_timeline_details import return_event_detail
from api.console.session import ConsoleUser, form_token
from api.console.timeline_details import timeline_detail
from api.deps import get_app_settings
from core.wording.formats import format_money, format_time_of_day
from domain.access import Permission
from domain.complaints import TimelineEvent, complaint_workflow_id
from domain.policy import STAFF_LOCALE, STAFF_TIMEZONE
from domain.returns import ReturnEvent, ReturnView
from domain.taxonomy import Locale

TEMPLATES_DIR = Path(__file__).parent / "templates"
LANGUAGE_COOKIE = "redress_console_lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
LANGUAGES = {locale.value: locale for locale in Locale}

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Pages hold customers' personal data: never cached, never framed, scripts only from here.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


def choose_language(request: Request, user: ConsoleUser | None) -> tuple[Locale, bool]:
    """Returns the page's language and whether `?lang=` chose it (then it is remembered).

    In order: `?lang=`, the language cookie, the user's own locale, the browser's
    Accept-Language, then the staff's default language.
    """
    asked = LANGUAGES.get(request.query_params.get("lang", ""))
    if asked is not None:
        return asked, True
    remembered = LANGUAGES.get(request.cookies.get(LANGUAGE_COOKIE, ""))
    if remembered is not None:
        return remembered, False
    if user is not None and user.principal.locale in LANGUAGES:
        return LANGUAGES[user.principal.locale], False
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return Locale.ZH_CN, False
        if tag.startswith("en"):
            return Locale.EN, False
    return STAFF_LOCALE, False


def countdown_span(language: Locale, seconds: float) -> str:
    """Returns a duration as people read it on a board: "2d 3h", "3h 20m", "45m"."""
    minutes = int(abs(seconds)) // 60
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        parts = [("unit_day", days), ("unit_hour", hours)]
    elif hours:
        parts = [("unit_hour", hours), ("unit_minute", mins)]
    elif mins:
        parts = [("unit_minute", mins)]
    else:
        return message(language, "under_a_minute")
    return " ".join(message(language, key, n=n) for key, n in parts if n or key == parts[0][0])


@dataclass(frozen=True)
class Page:
    """What every template gets as `page`: the words, the user, and formatting helpers."""

    request: Request
    language: Locale
    user: ConsoleUser | None
    csrf_token: str
    now: datetime
    temporal_ui_url: str
    namespace: str

    def t(self, key: str, **values: object) -> str:
        """Returns the catalogue's sentence `key` in the page's language."""
        return message(self.language, key, **values)

    def label(self, family: str, value: object) -> str:
        """Returns the name of a domain value (status, tier, ...) in the page's language."""
        return label(self.language, family, value)

    def event_detail(self, event: TimelineEvent, currency: str | None = None) -> str:
        """Returns what a timeline event says, codes named in the page's language and
        amounts in the complaint's `currency`."""
        return timeline_detail(event, self.language, currency)

    def return_event_detail(self, event: ReturnEvent, view: ReturnView) -> str:
        """Returns what a return's timeline event says, codes named in the page's language."""
        return return_event_detail(event, view, self.language)

    def reasons(self, reasons: list[str], currency: str | None = None) -> list[str]:
        """Returns a classification's reasons in the page's language."""
        return worded_reasons(self.language, currency, reasons)

    def actor(self, actor: str) -> str:
        """Returns who did something, in the page's language."""
        return actor_name(self.language, actor)

    def time(self, at: datetime | None) -> str:
        """Returns `at` in the staff's time zone, to the minute, as the page's language
        writes a date and time in a table (Babel's CLDR formats, as e-mail uses)."""
        if at is None:
            return ""
        return format_time_of_day(at, STAFF_TIMEZONE, self.language)

    def zone(self) -> str:
        """Returns the staff's time zone with its current UTC offset."""
        offset = self.now.astimezone(ZoneInfo(STAFF_TIMEZONE)).strftime("%z")
        return f"{STAFF_TIMEZONE} (UTC{offset[:3]}:{offset[3:]})"

    def countdown(self, due: datetime) -> str:
        """Returns the time left until `due`, or how long it is overdue."""
        seconds = (due - self.now).total_seconds()
        key = "time_left" if seconds >= 0 else "time_overdue"
        return self.t(key, span=countdown_span(self.language, seconds))

    def overdue(self, due: datetime | None) -> bool:
        """Returns whether `due` has passed."""
        return due is not None and due <= self.now

    def money(self, amount: Decimal, currency: str | None = "CNY") -> str:
        """Returns an amount in its currency as the page's language writes it."""
        return format_money(amount, currency, self.language)

    def may(self, permission: str) -> bool:
        """Returns whether the signed-in user holds the permission named `permission`."""
        return self.user is not None and self.user.may(Permission(permission))

    def language_url(self, language: str) -> str:
        """Returns this page's URL in `language`."""
        params = dict(self.request.query_params) | {"lang": language}
        return f"{self.request.url.path}?{urlencode(params)}"

    @cached_property
    def queue_counts(self) -> QueueCounts | None:
        """Returns the open complaints in the user's queues, for the navigation."""
        return queue_counts(self.request, self.user) if self.user else None

    @cached_property
    def open_recovery_tasks(self) -> int:
        """Returns how many recovery tasks wait for a supervisor, for the navigation."""
        return open_recovery_tasks(self.request)

    def workflow_url(self, complaint_id: str) -> str:
        """Returns the complaint's workflow in the Temporal Web UI."""
        workflow_id = complaint_workflow_id(complaint_id)
        return f"{self.temporal_ui_url}/namespaces/{self.namespace}/workflows/{workflow_id}"


def render(
    request: Request,
    template: str,
    *,
    user: ConsoleUser | None,
    status_code: int = 200,
    csrf_token: str | None = None,
    **values: Any,
) -> HTMLResponse:
    """Returns the page made from `template` with `values`, in the chosen language."""
    settings = get_app_settings(request)
    language, from_query = choose_language(request, user)
    if csrf_token is None:
        csrf_token = form_token(settings.secret_key, user.session_token) if user else ""
    page = Page(
        request=request,
        language=language,
        user=user,
        csrf_token=csrf_token,
        now=datetime.now(UTC),
        temporal_ui_url=settings.effective_temporal_ui_url,
        namespace=settings.temporal_namespace,
    )
    html = _environment.get_template(template).render(page=page, **values)
    response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
    if from_query:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language.value,
            max_age=LANGUAGE_COOKIE_SECONDS,
            path="/console",
            samesite="strict",
            httponly=True,
        )
    return response
