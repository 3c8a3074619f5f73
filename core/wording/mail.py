"""Renders a notification as e-mail: subject, plain text and HTML, in the recipient's
language, from its template code and values.

Each code has one template per locale, `templates/mail/<locale>/<code>.txt`: a `subject`
block and a `message` block, inside the customer's or staff's letter layout. The same
template gives the plain text (`environment.TEXT`) and, with every value escaped
(`environment.HTML`), the paragraphs of `templates/mail/layout.html`. Values a template
asks for and the notification lacks raise `MessageNotRenderable`.

Notifications queued by workflows started before typed values (docs/wording.md, "Running
cases") carry deadlines as finished text, an amount and its currency as two texts, and a
resolution's outcome as one line, the return policy's reasons and a return's plan as
finished text: they render through the same templates, those values shown as they came.
"""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from jinja2 import Template, TemplateNotFound, UndefinedError, meta
from markupsafe import Markup

from core.wording.environment import HTML, TEXT
from core.wording.return_words import describe_plan, describe_reasons
from domain.complaints import CompensationRecord
from domain.notifications import CompensationLine, Money, Notification, NotificationTemplate
from domain.taxonomy import Locale

# Bidirectional overrides and isolates can make text read differently from what it says.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


class MessageNotRenderable(ValueError):
    """The notification lacks a value its template needs (or names no template)."""


class RenderedMessage(NamedTuple):
    subject: str
    text: str
    html: str


def template_name(template: NotificationTemplate, locale: Locale) -> str:
    """Returns the file of `template` in `locale`, relative to `templates/`."""
    return f"mail/{locale.value}/{template.value}.txt"


def render_notification(notification: Notification) -> RenderedMessage:
    """Returns `notification` rendered in its locale.

    Its `case_url` parameter, when the notifier could make one, is the customer's own
    page: the messages that have a place for it point there."""
    context = _context(notification)
    name = template_name(notification.template, notification.locale)
    try:
        text_template = TEXT.get_template(name)
        subject = " ".join(_block(text_template, "subject", context).split())
        text = _tidy(text_template.render(context))
        paragraphs = [
            Markup(paragraph)
            for paragraph in _BLANK_LINES.split(_tidy(HTML.get_template(name).render(context)))
        ]
    except (UndefinedError, TemplateNotFound) as error:
        raise MessageNotRenderable(
            f"template {notification.template.value} in {notification.locale.value} "
            f"cannot be rendered: {error}"
        ) from error
    html = HTML.get_template("mail/layout.html").render(
        locale=notification.locale.value, subject=subject, paragraphs=paragraphs
    )
    return RenderedMessage(subject=subject, text=text, html=html)


def _context(notification: Notification) -> dict[str, Any]:
    locale = notification.locale
    values: dict[str, Any] = {"case_url": None}
    values |= {name: _clean(value) for name, value in notification.params.items()}
    if "currency" in values and isinstance(values.get("amount"), str):
        # From a workflow started before typed values: the amount and its currency as text.
        values["amount"] = f"{values['amount']} {values.pop('currency')}"
    values |= notification.moments | notification.amounts | notification.compensations
    # Sentences of their own, worded before the template prints them; notifications
    # queued before these were data carry them in `params` as finished text.
    values |= {
        name: _clean(describe_reasons(reasons, locale))
        for name, reasons in notification.eligibility_reasons.items()
    }
    values |= {
        name: _clean(describe_plan(plan, locale)) for name, plan in notification.plans.items()
    }
    return values | {"locale": locale.value, "words": _words(locale)}


# What every render provides itself, besides the notification's values.
_PROVIDED = frozenset({"locale", "words", "case_url"})


def template_values(template: NotificationTemplate, locale: Locale) -> frozenset[str]:
    """Returns the names of the values `template` asks for in `locale`, its letter's
    layout included: the contract with the workflows that send it."""
    names: set[str] = set()
    pending = [template_name(template, locale)]
    while pending:
        source = TEXT.loader.get_source(TEXT, pending.pop())[0] if TEXT.loader else ""
        parsed = TEXT.parse(source)
        names |= meta.find_undeclared_variables(parsed)
        pending += [name for name in meta.find_referenced_templates(parsed) if name]
    return frozenset(names - _PROVIDED)


def sender_name(locale: Locale) -> str:
    """Returns the name e-mail comes from when `REDRESS_MAIL_FROM` gives none: the team
    the letters sign as."""
    return str(_words(locale).sender_name)


def describe_outcome(records: Sequence[CompensationRecord], currency: str, locale: Locale) -> str:
    """Returns one line on the compensation carried out (undone steps left out), as the
    outcome e-mail words it, standing as a sentence of its own on the customer's page."""
    done = [
        CompensationLine(
            kind=record.kind,
            amount=Money(amount=record.amount, currency=currency),
            reference=record.reference,
        )
        for record in records
        if not record.undone
    ]
    line = str(_words(locale).outcome(done, None)).strip()
    return line[:1].upper() + line[1:]


def _words(locale: Locale) -> Any:
    """Returns the locale's shared words (`templates/mail/<locale>/_words.txt`) as a module
    whose filters know the locale."""
    return TEXT.get_template(f"mail/{locale.value}/_words.txt").make_module(
        {"locale": locale.value}
    )


def _block(template: Template, block: str, context: dict[str, Any]) -> str:
    return "".join(template.blocks[block](template.new_context(context)))


def _tidy(text: str) -> str:
    """Returns a letter with at most one blank line between paragraphs, and none around."""
    return _BLANK_LINES.sub("\n\n", text).strip()


def _clean(value: str) -> str:
    """Returns `value` without control characters (line breaks and tabs stay)."""
    value = value.replace("\r\n", "\n").strip()
    return "".join(
        char
        for char in value
        if char in "\n\t" or (unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS)
    )
