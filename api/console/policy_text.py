"""The policy as the console shows it: each value in its unit (hours, days, a share of the
deadline, an amount) as the page's language writes it, each value's name from its path in
the document (`complaints.sla.critical.first_response` is "SLA, Critical: First
response"), product categories by name, and refusals as sentences naming the field.

The units here are also the form's (`policy_form`): a value is typed in the unit it is
shown in.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from api.console.labels import label
from api.console.messages import CATALOGUES, message
from core.wording.formats import BABEL_LOCALES
from domain.complaint_policy import AutoResolutionRule
from domain.policy_diff import Leaf
from domain.policy_document import PolicyDocument, PolicyProblem
from domain.taxonomy import Locale


class Unit(StrEnum):
    HOURS = "hours"
    DAYS = "days"
    PERCENT = "percent"
    AMOUNT = "amount"
    WHOLE_DAYS = "whole_days"


# The unit of each number in the document, by its path: what the form takes and the pages
# show. A path matching none is not a number.
UNITS: list[tuple[re.Pattern[str], Unit]] = [
    (re.compile(pattern), unit)
    for pattern, unit in [
        (r"complaints\.sla\.[^.]+\.(first_response|resolution|escalation_window)", Unit.HOURS),
        (r"complaints\.sla\.[^.]+\.reminder_fraction", Unit.PERCENT),
        (r"complaints\.customer_wait\.reminder_after", Unit.HOURS),
        (r"complaints\.customer_wait\.auto_close_after", Unit.DAYS),
        (r"complaints\.approval_threshold\.[^.]+", Unit.AMOUNT),
        (r"complaints\.approval_windows\.[^.]+", Unit.HOURS),
        (r"complaints\.auto_resolution_rules\.\d+\.max_paid_amount", Unit.AMOUNT),
        (r"complaints\.auto_resolution_rules\.\d+\.compensations\.\d+\.amount", Unit.AMOUNT),
        (r"returns\.review_windows\.[^.]+", Unit.HOURS),
        (r"returns\.shipping\.[^.]+", Unit.DAYS),
        (r"returns\.(inspection_window|consent_window)", Unit.DAYS),
        (r"returns\.wrong_item_apology_coupon", Unit.AMOUNT),
        (
            r"returns\.windows\.(days_by_category\.[^.]+|default_days|merchant_fault_days)",
            Unit.WHOLE_DAYS,
        ),
    ]
]
# Values that name a member of a family the console already names (`labels`).
FAMILIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r".*\.max_tier"), "tier"),
    (re.compile(r".*\.sub_category"), "sub_category"),
    (re.compile(r".*\.root_cause"), "root_cause"),
    (re.compile(r".*\.compensations\.\d+\.kind"), "compensation"),
]
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def unit_of(path: str) -> Unit | None:
    """Returns the unit of the number at `path`, or None when it holds no number."""
    return next((unit for pattern, unit in UNITS if pattern.fullmatch(path)), None)


@dataclass(frozen=True)
class PolicyText:
    """What the policy pages get as `policy`: values and names in the page's language."""

    language: Locale
    # The document whose rules name the rule paths (`auto_resolution_rules.0` is its name).
    document: PolicyDocument

    def t(self, key: str, **values: object) -> str:
        return message(self.language, key, **values)

    def _field(self, name: str) -> str:
        key = f"policy_f_{name}"
        return self.t(key) if key in CATALOGUES[self.language] else name

    def hours(self, value: timedelta) -> str:
        return self._unit(value / HOUR, "duration-hour")

    def days(self, value: timedelta | int) -> str:
        count = value / DAY if isinstance(value, timedelta) else value
        return self._unit(count, "duration-day")

    def _unit(self, count: float, unit: str) -> str:
        amount = Decimal(str(round(count, 2))).normalize()
        return format_unit(amount, unit, length="long", locale=BABEL_LOCALES[self.language])

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=BABEL_LOCALES[self.language])

    def amount(self, value: Decimal) -> str:
        return format_decimal(value, format="#,##0.00", locale=BABEL_LOCALES[self.language])

    def category(self, code: str) -> str:
        """Returns a product category by its name and code, or its code alone."""
        key = f"policy_category_{code}"
        if key not in CATALOGUES[self.language]:
            return code
        return self.t("policy_with_unit", name=self.t(key), unit=code)

    def value(self, path: str, leaf: Leaf) -> str:
        """Returns the value at `path` as the page shows it."""
        if leaf is None:
            return self.t("policy_no_limit" if path.endswith("max_paid_amount") else "policy_none")
        if isinstance(leaf, bool):
            return self.t("policy_on" if leaf else "policy_off")
        match unit_of(path), leaf:
            case Unit.HOURS, timedelta():
                return self.hours(leaf)
            case Unit.DAYS, timedelta():
                return self.days(leaf)
            case Unit.WHOLE_DAYS, int():
                return self.days(leaf)
            case Unit.PERCENT, float() | int():
                return self.percent(leaf)
            case Unit.AMOUNT, Decimal():
                return self.amount(leaf)
        if path == "returns.windows.non_returnable" and isinstance(leaf, str):
            return ", ".join(self.category(code) for code in leaf.split(", ") if code)
        family = next((name for pattern, name in FAMILIES if pattern.fullmatch(path)), None)
        return label(self.language, family, leaf) if family else str(leaf)

    def name(self, path: str) -> str:
        """Returns what the value at `path` is called, as refusals and changes name it."""
        match path.split("."):
            case ["reason"]:
                return self.t("policy_path_reason")
            case ["complaints", "sla", tier, field]:
                return self.t("policy_path_sla", tier=self._tier(tier), field=self._field(field))
            case ["complaints", "customer_wait", field]:
                return self.t("policy_path_wait", field=self._field(field))
            case ["complaints", "approval_threshold", tier]:
                tier_name = label(self.language, "customer_tier", tier)
                return self.t("policy_path_threshold", customer_tier=tier_name)
            case ["complaints", "approval_windows", level]:
                level_name = label(self.language, "level", level)
                return self.t("policy_path_approval_window", level=level_name)
            case ["complaints", "auto_resolution_rules", number, *rest]:
                rule = self._rule(number)
                name = rule.name if rule else f"#{number}"
                return self.t("policy_path_rule", rule=name, field=self._rule_field(rule, rest))
            case ["returns", "review_windows", level]:
                level_name = label(self.language, "level", level)
                return self.t("policy_path_review_window", level=level_name)
            case ["returns", "windows", "days_by_category"]:
                return self.t("policy_path_category", category=self.t("policy_col_category"))
            case ["returns", "windows", "days_by_category", category]:
                return self.t("policy_path_category", category=self.category(category))
            case ["returns", "windows", "non_returnable", *_]:
                return self.t("policy_path_return", field=self._field("non_returnable"))
            case ["returns", "windows", field]:
                return self.t("policy_path_category", category=self._field(field))
            case ["returns", "shipping", field] | ["returns", field]:
                return self.t("policy_path_return", field=self._field(field))
        return path

    def _tier(self, tier: str) -> str:
        return label(self.language, "tier", tier)

    def _rule(self, number: str) -> AutoResolutionRule | None:
        rules = self.document.complaints.auto_resolution_rules
        index = int(number) if number.isdigit() else -1
        return rules[index] if 0 <= index < len(rules) else None

    def _rule_field(self, rule: AutoResolutionRule | None, rest: list[str]) -> str:
        match rest:
            case ["message", locale, *_]:
                return self.t("policy_f_message", lang=self._language(locale))
            case ["compensations", index, *_] if index.isdigit():
                steps = rule.compensations if rule else []
                number = int(index)
                kind = (
                    label(self.language, "compensation", steps[number].kind)
                    if number < len(steps)
                    else self._field("gives")
                )
                return self.t("policy_f_compensation", kind=kind, number=number + 1)
            case ["compensations"]:
                return self._field("gives")
            case ["refund_duplicate_charge"]:
                return self.t("policy_refund_duplicate")
            case ["name"] | []:
                return self.t("policy_rule")
            case [field, *_]:
                return self._field(field)
        return ""

    def _language(self, locale: str) -> str:
        key = f"policy_language_{locale}"
        return self.t(key) if key in CATALOGUES[self.language] else locale

    def problem(self, problem: PolicyProblem) -> str:
        """Returns a refusal as a sentence naming the field, in the page's language."""
        values = dict(problem.values)
        if "other" in values:
            values["other"] = self._field(values["other"])
        what = self.t(f"policy_problem_{problem.code}", **values)
        return f"{self.name(problem.path)}{self.t('colon')}{what}"
