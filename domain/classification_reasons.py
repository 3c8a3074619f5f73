"""Why the rules classifier chose a sub-category and a tier, as codes with values.

The classifier states each reason in one fixed English form (`english`), which is what
`Classification.reasons` holds, the API returns and the complaint's timeline records.
`read` takes such a text back to its code and values, so a page can word the reasons of
any complaint, recorded before this module or after, in the reader's language. A text
of no form here (another classifier's) reads as None and is shown as it was written.
"""

import re
from enum import StrEnum

from pydantic import BaseModel

from domain.taxonomy import Category, SubCategory, Tier


class ReasonCode(StrEnum):
    # Choosing the sub-category
    TOPIC_KEYWORD = "topic_keyword"
    KEYWORD_NEGATED = "keyword_negated"
    NO_KEYWORD = "no_keyword"
    TOPIC_TOO_WEAK = "topic_too_weak"
    TOPIC_AHEAD = "topic_ahead"
    # Grading the tier
    SIGNAL_KEYWORD = "signal_keyword"
    CATEGORY_MINIMUM = "category_minimum"
    SUB_CATEGORY_MINIMUM = "sub_category_minimum"
    AMOUNT = "amount"
    VIP = "vip"
    REPEATED = "repeated"


class ClassificationReason(BaseModel):
    """One reason: its code and the values its wording needs, as text (`phrase`,
    `sub_category`, `runner_up`, `category`, `tier`, `signal`, `score`, `runner_up_score`,
    `minimum`, `amount`, `threshold`, `count`, `days`, as the code needs)."""

    code: ReasonCode
    values: dict[str, str]


_SUB = "|".join(re.escape(s.value) for s in SubCategory)
_CATEGORY = "|".join(re.escape(c.value) for c in Category)
_TIER = "|".join(re.escape(t.value) for t in Tier)
_NUMBER = r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?"

# Each code's English form, and the pattern that reads it back (most specific first:
# a signal keyword's form extends a topic keyword's).
_FORMS: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.SIGNAL_KEYWORD: (
        "keyword '{phrase}' -> {tier} ({signal})",
        rf"keyword '(?P<phrase>.+)' -> (?P<tier>{_TIER}) \((?P<signal>[^()]+)\)",
    ),
    ReasonCode.TOPIC_KEYWORD: (
        "keyword '{phrase}' -> {sub_category}",
        rf"keyword '(?P<phrase>.+)' -> (?P<sub_category>{_SUB})",
    ),
    ReasonCode.KEYWORD_NEGATED: (
        "keyword '{phrase}' negated, ignored",
        r"keyword '(?P<phrase>.+)' negated, ignored",
    ),
    ReasonCode.NO_KEYWORD: (
        "no keyword matched -> {sub_category}",
        rf"no keyword matched -> (?P<sub_category>{_SUB})",
    ),
    ReasonCode.TOPIC_TOO_WEAK: (
        "{sub_category} scored only {score} < {minimum} -> {fallback}",
        rf"(?P<sub_category>{_SUB}) scored only (?P<score>{_NUMBER}) < "
        rf"(?P<minimum>{_NUMBER}) -> (?P<fallback>{_SUB})",
    ),
    ReasonCode.TOPIC_AHEAD: (
        "{sub_category} scored {score}, ahead of {runner_up} at {runner_up_score}",
        rf"(?P<sub_category>{_SUB}) scored (?P<score>{_NUMBER}), ahead of "
        rf"(?P<runner_up>{_SUB}) at (?P<runner_up_score>{_NUMBER})",
    ),
    ReasonCode.CATEGORY_MINIMUM: (
        "{category} complaint -> {tier}",
        rf"(?P<category>{_CATEGORY}) complaint -> (?P<tier>{_TIER})",
    ),
    ReasonCode.SUB_CATEGORY_MINIMUM: (
        "{sub_category} -> {tier}",
        rf"(?P<sub_category>{_SUB}) -> (?P<tier>{_TIER})",
    ),
    ReasonCode.AMOUNT: (
        "amount {amount} >= {threshold} -> {tier}",
        rf"amount (?P<amount>{_NUMBER}) >= (?P<threshold>{_NUMBER}) -> (?P<tier>{_TIER})",
    ),
    ReasonCode.VIP: ("vip customer -> {tier}", rf"vip customer -> (?P<tier>{_TIER})"),
    ReasonCode.REPEATED: (
        "{count} other complaints in {days} days >= {threshold} -> {tier}",
        rf"(?P<count>\d+) other complaints in (?P<days>\d+) days >= (?P<threshold>\d+) -> "
        rf"(?P<tier>{_TIER})",
    ),
}
_PATTERNS = [(code, re.compile(pattern)) for code, (_, pattern) in _FORMS.items()]
_HEADLINE = re.compile(
    rf"(?P<sub_category>{_SUB}) / (?P<tier>{_TIER}) \((?P<confidence>[01]\.\d+)\)"
    r"(?:: (?P<reasons>.*))?",
    re.S,
)
# Between the reasons of a timeline entry (`headline`).
REASON_SEPARATOR = "; "


def reason(code: ReasonCode, **values: object) -> str:
    """Returns the English form of a reason with `values` (the classifier's words)."""
    return english(ClassificationReason(code=code, values={k: str(v) for k, v in values.items()}))


def english(said: ClassificationReason) -> str:
    """Returns the reason in its English form."""
    return _FORMS[said.code][0].format_map(said.values)


def read(text: str) -> ClassificationReason | None:
    """Returns the code and values of a reason in its English form, or None."""
    for code, pattern in _PATTERNS:
        if match := pattern.fullmatch(text):
            return ClassificationReason(code=code, values=match.groupdict())
    return None


class Headline(BaseModel):
    """A classification as the complaint's timeline records it: sub-category, tier,
    confidence, and its reasons as written (each read back with `read`)."""

    sub_category: SubCategory
    tier: Tier
    confidence: str
    reasons: list[str]


def headline(sub_category: str, tier: str, confidence: float, reasons: list[str]) -> str:
    """Returns the timeline's text of a classification."""
    return f"{sub_category} / {tier} ({confidence:.2f}): {REASON_SEPARATOR.join(reasons)}"


def read_headline(text: str) -> Headline | None:
    """Returns a timeline entry's classification read back, or None for another text."""
    match = _HEADLINE.fullmatch(text)
    if match is None:
        return None
    listed = match["reasons"]
    return Headline(
        sub_category=SubCategory(match["sub_category"]),
        tier=Tier(match["tier"]),
        confidence=match["confidence"],
        reasons=listed.split(REASON_SEPARATOR) if listed else [],
    )
