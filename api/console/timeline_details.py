"""The details of a complaint's timeline in the page's language.

A workflow records some steps' details as text of a fixed shape built from codes and
amounts ("refund 99.00, coupon 20.00", "supervisor: 99.00", "team quality, agent a-1",
"first_response deadline passed"). Histories keep that text, so the console reads the
codes back out of it and words them like the rest of the page; a detail of another
shape (an older workflow's, or a person's words) is shown as it was written.
"""

import re
from collections.abc import Callable
from decimal import Decimal

from api.console.classification_words import classified_detail
from api.console.labels import event_detail, label
from api.console.messages import message
from core.wording.formats import format_money
from domain.complaints import TimelineEvent, TimelineKind
from domain.taxonomy import Locale

_KIND = r"(refund|coupon|store_credit|replacement)"
_AMOUNT = r"(\d+(?:\.\d+)?)"
_CLOCK = r"(first_response|resolution)"
_LEVEL = r"(agent|supervisor|manager)"

_PROPOSED_LINE = re.compile(rf"{_KIND} {_AMOUNT}")
_DONE = re.compile(rf"{_KIND} {_AMOUNT} \((.+)\)")
_APPROVAL = re.compile(rf"{_LEVEL}: {_AMOUNT}")
_ROUTED = re.compile(r"team (\S+), agent (\S+)")
_DUE_SOON = re.compile(rf"{_CLOCK} due soon")
_PASSED = re.compile(rf"{_CLOCK} deadline passed")
_ESCALATED = re.compile(rf"{_CLOCK} breached: now with the {_LEVEL}")
# The cause is the provider's own words, kept as they came.
_FAILED = re.compile(rf"{_KIND}: (.+)", re.S)
_RECLASSIFIED = re.compile(r"([a-z_]+)/([a-z]+) -> ([a-z_]+)/([a-z]+): (.*)", re.S)
_RETURN_CLOSED = re.compile(r"(\S+): ([a-z_]+)")


class _Words:
    """Words one page's details are put in: its language and the complaint's currency."""

    def __init__(self, language: Locale, currency: str | None) -> None:
        self.language = language
        self.currency = currency

    def t(self, key: str, **values: object) -> str:
        return message(self.language, key, **values)

    def money(self, amount: str) -> str:
        return format_money(Decimal(amount), self.currency, self.language)

    def name(self, family: str, value: str) -> str:
        return label(self.language, family, value)

    def kind(self, kind: str) -> str:
        return label(self.language, "compensation", kind)

    def level(self, level: str) -> str:
        return label(self.language, "level", level)

    def clock(self, clock: str) -> str:
        return self.t(f"detail_clock_{clock}")


def _proposed(words: _Words, detail: str) -> str | None:
    if detail == "apology":
        return words.t("detail_apology")
    lines = [_PROPOSED_LINE.fullmatch(line) for line in detail.split(", ")]
    if not all(lines):
        return None
    return words.t("detail_lines_joiner").join(
        words.t("detail_compensation", kind=words.kind(m[1]), amount=words.money(m[2]))
        for m in lines
        if m is not None
    )


def _done(words: _Words, detail: str) -> str | None:
    if (m := _DONE.fullmatch(detail)) is None:
        return None
    return words.t(
        "detail_compensation_done", kind=words.kind(m[1]), amount=words.money(m[2]), reference=m[3]
    )


def _approval(words: _Words, detail: str) -> str | None:
    if (m := _APPROVAL.fullmatch(detail)) is None:
        return None
    return words.t("detail_approval", level=words.level(m[1]), amount=words.money(m[2]))


def _routed(words: _Words, detail: str) -> str | None:
    if (m := _ROUTED.fullmatch(detail)) is None:
        return None
    if m[2] == "None":  # the team had nobody free to take it
        return words.t("detail_routed_no_agent", team=m[1])
    return words.t("detail_routed", team=m[1], agent=m[2])


def _due_soon(words: _Words, detail: str) -> str | None:
    if (m := _DUE_SOON.fullmatch(detail)) is None:
        return None
    return words.t("detail_clock_due_soon", clock=words.clock(m[1]))


def _passed(words: _Words, detail: str) -> str | None:
    if (m := _PASSED.fullmatch(detail)) is None:
        return None
    return words.t("detail_clock_passed", clock=words.clock(m[1]))


def _escalated(words: _Words, detail: str) -> str | None:
    if (m := _ESCALATED.fullmatch(detail)) is None:
        return None
    return words.t("detail_escalated", clock=words.clock(m[1]), level=words.level(m[2]))


def _failed(words: _Words, detail: str) -> str | None:
    if (m := _FAILED.fullmatch(detail)) is None:
        return None
    return words.t("detail_compensation_failed", kind=words.kind(m[1]), cause=m[2])


def _reclassified(words: _Words, detail: str) -> str | None:
    if (m := _RECLASSIFIED.fullmatch(detail)) is None:
        return None
    return words.t(
        "detail_reclassified",
        before_sub_category=words.name("sub_category", m[1]),
        before_tier=words.name("tier", m[2]),
        sub_category=words.name("sub_category", m[3]),
        tier=words.name("tier", m[4]),
        reason=m[5],
    )


def _return_closed(words: _Words, detail: str) -> str | None:
    if (m := _RETURN_CLOSED.fullmatch(detail)) is None:
        return None
    return words.t("detail_return_closed", return_id=m[1], status=words.name("return_status", m[2]))


def _classified(words: _Words, detail: str) -> str | None:
    return classified_detail(words.language, words.currency, detail)


_SHAPES: dict[TimelineKind, Callable[[_Words, str], str | None]] = {
    TimelineKind.CLASSIFIED: _classified,
    TimelineKind.RESOLUTION_PROPOSED: _proposed,
    TimelineKind.COMPENSATION_DONE: _done,
    TimelineKind.COMPENSATION_FAILED: _failed,
    TimelineKind.RECLASSIFIED: _reclassified,
    TimelineKind.RETURN_CLOSED: _return_closed,
    TimelineKind.APPROVAL_REQUESTED: _approval,
    TimelineKind.ROUTED: _routed,
    TimelineKind.ASSIGNED: _routed,
    TimelineKind.SLA_REMINDER: _due_soon,
    TimelineKind.SLA_BREACHED: _passed,
    TimelineKind.ESCALATED: _escalated,
}


def timeline_detail(event: TimelineEvent, language: Locale, currency: str | None) -> str:
    """Returns what `event` says in `language`: its codes named, its amounts in
    `currency`; a detail of no known shape as it was written."""
    shape = _SHAPES.get(event.kind)
    worded = shape(_Words(language, currency), event.detail) if shape else None
    return worded if worded is not None else event_detail(language, event.kind, event.detail)
