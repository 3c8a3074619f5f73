"""The policy as one versioned document: everything a complaint and a return run under that
an admin may change (SLA targets per tier, approval thresholds and windows, auto-resolution
rules, waiting and return deadlines, return windows).

The policy store (`store.policies`) keeps each version whole; a case takes the newest when
it opens and carries it in its input. `policy_problems` is the one check a document passes
before it is saved, whether it came from the console's form or `PUT /policies`: each
problem names the value at fault by its dotted path in the document
(`complaints.sla.critical.first_response`).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from domain.compensation import CompensationKind
from domain.complaint_policy import AutoResolutionRule, ComplaintPolicy
from domain.policy import complaint_policy
from domain.return_deadlines import ReturnCasePolicy
from domain.return_policy import return_case_policy
from domain.return_windows import ReturnWindows
from domain.taxonomy import CustomerTier, EscalationLevel, Locale, Tier

# No deadline or window of the policy may be longer than this (a year).
MAX_DURATION = timedelta(days=365)
MAX_WINDOW_DAYS = 365
# Bounds that keep a complaint's start input, which carries the policy beside the
# complaint, within Temporal's payload limits (tests/api/test_payload_limits.py).
MAX_AUTO_RULES = 8
MAX_RULE_COMPENSATIONS = 3
# A rule's name: the timeline and the read model show it.
RULE_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_RULE_MESSAGE_CHARS = 500
MAX_CATEGORIES = 100
# As the audit trail keeps a reason (`store.tables.admin_changes.MAX_REASON_CHARS`).
MAX_REASON_CHARS = 500
# A product category as return windows name it: `domain.return_windows.category_key`.
CATEGORY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
# The levels an approval and a return review move through, each with a window.
APPROVER_LEVELS = (EscalationLevel.SUPERVISOR, EscalationLevel.MANAGER)


class PolicyDocument(BaseModel):
    """The whole policy, as one version of it is kept: what complaints and returns opened
    under that version run under."""

    # A misspelt part would otherwise be dropped silently and its values left as they were.
    model_config = ConfigDict(extra="forbid")

    complaints: ComplaintPolicy
    returns: ReturnCasePolicy


class PolicyVersion(BaseModel):
    """Returns one saved version of the policy: the whole document, its number, who saved
    it, when and why."""

    version: int
    document: PolicyDocument
    changed_by: str
    changed_at: datetime
    reason: str


def shipped_policy() -> PolicyDocument:
    """Returns the policy Redress ships with (`domain.policy`, `domain.return_policy`): the
    policy store's first version. A copy: changing it leaves the shipped values alone."""
    shipped = PolicyDocument(complaints=complaint_policy(), returns=return_case_policy())
    return shipped.model_copy(deep=True)


@dataclass(frozen=True)
class PolicyProblem:
    """One value of a document that cannot be saved: where it is, what is wrong (a code
    the console words in each language) and the values that sentence names."""

    path: str
    code: str
    values: dict[str, str] = field(default_factory=dict)

    def sentence(self) -> str:
        """Returns what is wrong, in English (the API's `fields[].problem`)."""
        return _SENTENCES[self.code].format(**self.values)


_SENTENCES = {
    "missing": "a value is required here",
    "not_positive": "must be more than zero",
    "too_long": "must be at most 365 days",
    "fraction": "must be more than 0 and less than 1",
    "not_longer": "must be longer than {other}",
    "negative": "must be 0 or more",
    "days_range": "must be a whole number of days from 1 to 365",
    "duplicate": "repeats {value}",
    "empty": "must not be empty",
    "text_too_long": "must be at most {max} characters",
    "rule_name": "{value} is not a rule name: 1 to 64 letters, digits, '.', '_' or '-'",
    "category_name": ("{value} is not a category name: 1 to 40 lower-case letters, digits, _ or -"),
    "too_many": "at most {max} entries",
    "control_characters": "must not hold control characters (line breaks are fine)",
    "no_compensation": "a rule must give compensation or refund the duplicate charge",
}


def reason_problems(reason: str) -> list[PolicyProblem]:
    """Returns what is wrong with the reason a change is saved with (it is required)."""
    if not reason.strip():
        return [PolicyProblem("reason", "empty")]
    if len(reason.strip()) > MAX_REASON_CHARS:
        return [PolicyProblem("reason", "text_too_long", {"max": str(MAX_REASON_CHARS)})]
    return []


def policy_problems(document: PolicyDocument) -> list[PolicyProblem]:
    """Returns what keeps `document` from being saved, in the document's order (none when
    it may be saved)."""
    problems: list[PolicyProblem] = []
    _complaint_problems(document.complaints, problems)
    _return_problems(document.returns, problems)
    return problems


def _complaint_problems(policy: ComplaintPolicy, problems: list[PolicyProblem]) -> None:
    for tier in Tier:
        path = f"complaints.sla.{tier.value}"
        sla = policy.sla.get(tier)
        if sla is None:
            problems.append(PolicyProblem(path, "missing"))
            continue
        _duration(problems, f"{path}.first_response", sla.first_response)
        _duration(problems, f"{path}.resolution", sla.resolution)
        _longer(
            problems, f"{path}.resolution", sla.resolution, sla.first_response, "first_response"
        )
        _duration(problems, f"{path}.escalation_window", sla.escalation_window)
        if not 0 < sla.reminder_fraction < 1:
            problems.append(PolicyProblem(f"{path}.reminder_fraction", "fraction"))
    wait = policy.customer_wait
    _duration(problems, "complaints.customer_wait.reminder_after", wait.reminder_after)
    _duration(problems, "complaints.customer_wait.auto_close_after", wait.auto_close_after)
    _longer(
        problems,
        "complaints.customer_wait.auto_close_after",
        wait.auto_close_after,
        wait.reminder_after,
        "reminder_after",
    )
    for customer_tier in CustomerTier:
        path = f"complaints.approval_threshold.{customer_tier.value}"
        threshold = policy.approval_threshold.get(customer_tier)
        if threshold is None:
            problems.append(PolicyProblem(path, "missing"))
        elif threshold < 0:
            problems.append(PolicyProblem(path, "negative"))
    _level_windows(problems, "complaints.approval_windows", policy.approval_windows)
    rules = policy.auto_resolution_rules
    if len(rules) > MAX_AUTO_RULES:
        problems.append(
            PolicyProblem(
                "complaints.auto_resolution_rules", "too_many", {"max": str(MAX_AUTO_RULES)}
            )
        )
    names: list[str] = []
    for number, rule in enumerate(rules):
        _rule_problems(problems, f"complaints.auto_resolution_rules.{number}", rule, names)


def _rule_problems(
    problems: list[PolicyProblem], path: str, rule: AutoResolutionRule, names: list[str]
) -> None:
    name = rule.name
    if RULE_NAME_PATTERN.fullmatch(name) is None:
        problems.append(PolicyProblem(f"{path}.name", "rule_name", {"value": name[:80]}))
    elif name in names:
        problems.append(PolicyProblem(f"{path}.name", "duplicate", {"value": name}))
    names.append(name)
    if rule.max_paid_amount is not None and rule.max_paid_amount < 0:
        problems.append(PolicyProblem(f"{path}.max_paid_amount", "negative"))
    if len(rule.compensations) > MAX_RULE_COMPENSATIONS:
        problems.append(
            PolicyProblem(f"{path}.compensations", "too_many", {"max": str(MAX_RULE_COMPENSATIONS)})
        )
    for index, compensation in enumerate(rule.compensations):
        # A replacement gives goods, not an amount.
        if compensation.kind is not CompensationKind.REPLACEMENT and compensation.amount <= 0:
            problems.append(PolicyProblem(f"{path}.compensations.{index}.amount", "not_positive"))
    if not rule.compensations and not rule.refund_duplicate_charge:
        problems.append(PolicyProblem(f"{path}.compensations", "no_compensation"))
    for locale in Locale:
        text = rule.message.get(locale, "").strip()
        where = f"{path}.message.{locale.value}"
        if not text:
            problems.append(PolicyProblem(where, "empty"))
        elif len(text) > MAX_RULE_MESSAGE_CHARS:
            problems.append(
                PolicyProblem(where, "text_too_long", {"max": str(MAX_RULE_MESSAGE_CHARS)})
            )
        elif any(unicodedata.category(char) == "Cc" and char != "\n" for char in text):
            problems.append(PolicyProblem(where, "control_characters"))


def _return_problems(policy: ReturnCasePolicy, problems: list[PolicyProblem]) -> None:
    _level_windows(problems, "returns.review_windows", policy.review_windows)
    shipping = policy.shipping
    for name in ("ship_within", "reminder_before", "cancel_grace", "stuck_in_transit_after"):
        _duration(problems, f"returns.shipping.{name}", getattr(shipping, name))
    _longer(
        problems,
        "returns.shipping.ship_within",
        shipping.ship_within,
        shipping.reminder_before,
        "reminder_before",
    )
    _duration(problems, "returns.inspection_window", policy.inspection_window)
    _duration(problems, "returns.consent_window", policy.consent_window)
    if policy.wrong_item_apology_coupon < 0:
        problems.append(PolicyProblem("returns.wrong_item_apology_coupon", "negative"))
    _window_problems(policy.windows, problems)


def _window_problems(windows: ReturnWindows, problems: list[PolicyProblem]) -> None:
    path = "returns.windows"
    if len(windows.days_by_category) > MAX_CATEGORIES:
        problems.append(
            PolicyProblem(f"{path}.days_by_category", "too_many", {"max": str(MAX_CATEGORIES)})
        )
    for category, days in windows.days_by_category.items():
        where = f"{path}.days_by_category.{category}"
        if CATEGORY_PATTERN.fullmatch(category) is None:
            problems.append(PolicyProblem(where, "category_name", {"value": category}))
        _days(problems, where, days)
    _days(problems, f"{path}.default_days", windows.default_days)
    _days(problems, f"{path}.merchant_fault_days", windows.merchant_fault_days)
    if len(windows.non_returnable) > MAX_CATEGORIES:
        problems.append(
            PolicyProblem(f"{path}.non_returnable", "too_many", {"max": str(MAX_CATEGORIES)})
        )
    for index, category in enumerate(windows.non_returnable):
        where = f"{path}.non_returnable.{index}"
        if CATEGORY_PATTERN.fullmatch(category) is None:
            problems.append(PolicyProblem(where, "category_name", {"value": category}))
        elif category in windows.non_returnable[:index]:
            problems.append(PolicyProblem(where, "duplicate", {"value": category}))


def _level_windows(
    problems: list[PolicyProblem], path: str, windows: dict[EscalationLevel, timedelta]
) -> None:
    for level in APPROVER_LEVELS:
        window = windows.get(level)
        if window is None:
            problems.append(PolicyProblem(f"{path}.{level.value}", "missing"))
        else:
            _duration(problems, f"{path}.{level.value}", window)


def _duration(problems: list[PolicyProblem], path: str, value: timedelta) -> None:
    if value <= timedelta(0):
        problems.append(PolicyProblem(path, "not_positive"))
    elif value > MAX_DURATION:
        problems.append(PolicyProblem(path, "too_long"))


def _longer(
    problems: list[PolicyProblem], path: str, value: timedelta, other: timedelta, name: str
) -> None:
    # Only when both are valid on their own: one problem per value is enough.
    if timedelta(0) < other <= MAX_DURATION and timedelta(0) < value <= MAX_DURATION:
        if value <= other:
            problems.append(PolicyProblem(path, "not_longer", {"other": name}))


def _days(problems: list[PolicyProblem], path: str, days: int) -> None:
    if not 1 <= days <= MAX_WINDOW_DAYS:
        problems.append(PolicyProblem(path, "days_range"))
