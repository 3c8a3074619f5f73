"""The Jinja2 environments every message is rendered with, and the filters they share.

Two environments over the same templates (package data under `templates/`): plain text
(e-mail bodies and subjects, catalogue sentences) and HTML (e-mail, where every value is
escaped). Both use `StrictUndefined`, so a template asking for a value nobody gave fails
loudly instead of printing a blank.

The filters format typed values in the reader's locale, which each render passes as the
`locale` variable:

- `moment`: a `domain.notifications.Moment` as a date and time in its time zone;
- `money`: a `domain.notifications.Money` in its currency.

Both pass text through unchanged: notifications queued by workflows started before typed
values carry their deadlines and amounts as finished text.
"""

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from core.wording.formats import format_moment, format_money
from domain.notifications import Moment, Money
from domain.taxonomy import Locale


@pass_context
def _moment(context: Context, value: Moment | str) -> str:
    if isinstance(value, str):
        return value
    return format_moment(value.at, value.timezone, Locale(context["locale"]))


@pass_context
def _money(context: Context, value: Money | str) -> str:
    if isinstance(value, str):
        return value
    return format_money(value.amount, value.currency, Locale(context["locale"]))


# The filters of typed values, shared with the sandbox canned replies render in
# (`core.wording.canned_replies`).
TYPED_VALUE_FILTERS: dict[str, Any] = {"moment": _moment, "money": _money}


def _environment(*, html: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("core.wording", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters.update(TYPED_VALUE_FILTERS)
    return environment


TEXT = _environment(html=False)
HTML = _environment(html=True)
