"""The rules classifier's reasons in the page's language: why a complaint got its
sub-category and tier, on the complaint page and in its timeline's "classified" entry.

The classifier states its reasons in fixed English forms, which histories keep; the
console reads each back to its code and values (`domain.classification_reasons`) and
words it like the rest of the page. A reason of no known form is shown as written.
"""

from decimal import Decimal

from api.console.labels import label
from api.console.messages import CATALOGUE, message
from core.wording.formats import format_money
from domain.classification_reasons import ReasonCode, read, read_headline
from domain.taxonomy import Locale

# The values of each code that are names of a family of the domain's values.
_NAMED = {"sub_category": "sub_category", "runner_up": "sub_category", "fallback": "sub_category"}
_NAMED |= {"tier": "tier", "category": "category"}


def worded_reasons(language: Locale, currency: str | None, reasons: list[str]) -> list[str]:
    """Returns each of a classification's reasons in `language` (as written when its
    form is not known), amounts in `currency`."""
    return [_worded(language, currency, text) for text in reasons]


def classified_detail(language: Locale, currency: str | None, detail: str) -> str | None:
    """Returns a timeline "classified" entry in `language`, or None for another text."""
    said = read_headline(detail)
    if said is None:
        return None
    headline = message(
        language,
        "classified_headline",
        sub_category=label(language, "sub_category", said.sub_category),
        tier=label(language, "tier", said.tier),
        confidence=said.confidence,
    )
    if not said.reasons:
        return headline
    reasons = worded_reasons(language, currency, said.reasons)
    joined = message(language, "why_separator").join(reasons)
    return message(language, "classified_with_reasons", headline=headline, reasons=joined)


def _worded(language: Locale, currency: str | None, text: str) -> str:
    reason = read(text)
    if reason is None:
        return text
    values: dict[str, str] = {}
    for name, value in reason.values.items():
        family = _NAMED.get(name)
        values[name] = label(language, family, value) if family else value
    if reason.code is ReasonCode.AMOUNT:
        for name in ("amount", "threshold"):
            values[name] = format_money(Decimal(reason.values[name]), currency, language)
    if reason.code is ReasonCode.SIGNAL_KEYWORD:
        key = "signal_" + reason.values["signal"].replace(" ", "_")
        if CATALOGUE.has(key):
            values["signal"] = message(language, key)
    return message(language, f"why_{reason.code.value}", **values)
