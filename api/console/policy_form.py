"""The policy's form: the document as typed values, and typed values back into a document.

Each field is named after the value's path in the document (`complaints.sla.critical.
first_response`) and typed in its unit (`policy_text.UNITS`: hours, days, a percentage of
the deadline, an amount). Return windows are rows of a category and its days, with empty
rows to add one; the categories never taken back for a change of mind are one text.

Reading a sent form starts from the version it was opened on and replaces each value the
form holds; a value that cannot be read keeps the version's and is named as a problem,
beside what `domain.policy_document.policy_problems` finds in the rest, each tied to the
field to mark.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from api.console.policy_text import Unit, unit_of
from domain.policy_diff import flat_values
from domain.policy_document import PolicyDocument, PolicyProblem, policy_problems
from domain.return_windows import category_key
from domain.taxonomy import Locale, Tier

CATEGORY = "returns.windows.category"
CATEGORY_DAYS = "returns.windows.days"
NON_RETURNABLE = "returns.windows.non_returnable"
WINDOW_DAYS = "returns.windows.days_by_category"
RULES = "complaints.auto_resolution_rules"
# Empty rows the form offers for new categories.
NEW_CATEGORY_ROWS = 3
# More rows than any form sends: the domain allows 100 categories.
MAX_CATEGORY_ROWS = 120
# Numbers the form takes: at most two decimal places, and far below any limit the
# document checks, so the document's own check names anything out of range.
MAX_NUMBER = Decimal("1000000")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
# A rule's fields the form has beside its numbers.
RULE_FIELD = re.compile(rf"{re.escape(RULES)}\.\d+\.(enabled|max_tier|message\.[^.]+)")


@dataclass(frozen=True)
class FormProblem:
    """A problem with the sent form: the value at fault (`problem.path` names it) and the
    form field to mark (None when no one field holds it)."""

    problem: PolicyProblem
    field: str | None


def is_number_field(path: str) -> bool:
    """Returns whether the form takes the value at `path` as a number of its own (return
    windows per category are rows instead)."""
    return unit_of(path) is not None and not path.startswith(f"{WINDOW_DAYS}.")


def form_values(document: PolicyDocument) -> dict[str, str]:
    """Returns the form's fields filled in with `document`'s values, as typed."""
    values = {
        path: _typed(unit, leaf)
        for path, leaf in flat_values(document).items()
        if is_number_field(path) and (unit := unit_of(path)) is not None
    }
    for number, rule in enumerate(document.complaints.auto_resolution_rules):
        prefix = f"{RULES}.{number}"
        values[f"{prefix}.enabled"] = "on" if rule.enabled else ""
        values[f"{prefix}.max_tier"] = rule.max_tier.value
        for locale in Locale:
            values[f"{prefix}.message.{locale.value}"] = rule.message.get(locale, "")
    windows = document.returns.windows
    for row, (category, days) in enumerate(windows.days_by_category.items()):
        values[f"{CATEGORY}.{row}"] = category
        values[f"{CATEGORY_DAYS}.{row}"] = str(days)
    values[NON_RETURNABLE] = ", ".join(windows.non_returnable)
    return values


def category_rows(typed: dict[str, str]) -> int:
    """Returns how many category rows the form shows: those typed, then the empty ones."""
    filled = [row for row in range(MAX_CATEGORY_ROWS) if f"{CATEGORY}.{row}" in typed]
    return (max(filled) + 1 if filled else 0) + NEW_CATEGORY_ROWS


def _typed(unit: Unit, leaf: object) -> str:
    if leaf is None:
        return ""
    match unit, leaf:
        case Unit.HOURS, timedelta():
            return _plain(Decimal(str(leaf.total_seconds())) / 3600)
        case Unit.DAYS, timedelta():
            return _plain(Decimal(str(leaf.total_seconds())) / 86400)
        case Unit.PERCENT, float():
            return _plain(Decimal(str(leaf)) * 100)
        case Unit.AMOUNT, Decimal():
            return f"{leaf:.2f}"
    return str(leaf)


def _plain(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_form(
    base: PolicyDocument, typed: dict[str, str]
) -> tuple[PolicyDocument, list[FormProblem]]:
    """Returns the document the form describes (on `base`, the version it was opened on)
    and its problems; the document may be saved only when there are none."""
    data: dict[str, Any] = base.model_dump(mode="json")
    problems: list[FormProblem] = []
    for path, leaf in flat_values(base).items():
        if not is_number_field(path):
            continue
        optional = leaf is None or path.endswith("max_paid_amount")
        text = typed.get(path, "").strip()
        try:
            value = _number(unit_of(path), text, optional=optional)
        except ValueError as refused:
            problems.append(_at(path, str(refused), text))
            continue
        _set(data, path, value)
    _read_rules(base, typed, data, problems)
    rows = _read_windows(typed, data, problems, len(base.returns.windows.days_by_category))
    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as invalid:
        paths = [".".join(str(part) for part in error["loc"]) for error in invalid.errors()]
        return base, problems + [_at(path, "number_invalid", "") for path in paths]
    # A value the form could not read is named once, not again for the stand-in it got.
    named = {found.problem.path for found in problems}
    found = [
        FormProblem(p, _field_of(p, rows)) for p in policy_problems(document) if p.path not in named
    ]
    return document, problems + found


def _at(path: str, code: str, text: str) -> FormProblem:
    return FormProblem(PolicyProblem(path, code, {"value": text[:40]}), path)


def _number(unit: Unit | None, text: str, *, optional: bool) -> object:
    if not text:
        if optional:
            return None
        raise ValueError("missing")
    code = {
        Unit.AMOUNT: "amount_invalid",
        Unit.WHOLE_DAYS: "whole_days_invalid",
    }.get(unit or Unit.HOURS, "number_invalid")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(code) from None
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2 or abs(number) > MAX_NUMBER:
        raise ValueError(code)
    match unit:
        case Unit.HOURS:
            return float(number * 3600)
        case Unit.DAYS:
            return float(number * 86400)
        case Unit.PERCENT:
            return float(number / 100)
        case Unit.WHOLE_DAYS:
            if number != number.to_integral_value():
                raise ValueError(code)
            return int(number)
    return f"{number:f}"


def _read_rules(
    base: PolicyDocument, typed: dict[str, str], data: dict[str, Any], problems: list[FormProblem]
) -> None:
    tiers = {tier.value for tier in Tier}
    for number, rule in enumerate(data["complaints"]["auto_resolution_rules"]):
        prefix = f"{RULES}.{number}"
        rule["enabled"] = typed.get(f"{prefix}.enabled") == "on"
        tier = typed.get(f"{prefix}.max_tier", rule["max_tier"])
        if tier in tiers:
            rule["max_tier"] = tier
        else:
            problems.append(_at(f"{prefix}.max_tier", "choice_invalid", tier))
        for locale in Locale:
            name = f"{prefix}.message.{locale.value}"
            if name in typed:
                rule["message"][locale.value] = typed[name].replace("\r\n", "\n").strip()


def _read_windows(
    typed: dict[str, str], data: dict[str, Any], problems: list[FormProblem], existing: int
) -> dict[str, int]:
    """Reads the category rows and the non-returnable categories into `data`; returns the
    row each category was typed on. The first `existing` rows held the version's
    categories: clearing one's category removes it, while a new row with days and no
    category is a problem."""
    windows = data["returns"]["windows"]
    days_by_category: dict[str, int] = {}
    rows: dict[str, int] = {}
    for row in range(MAX_CATEGORY_ROWS):
        name_field, days_field = f"{CATEGORY}.{row}", f"{CATEGORY_DAYS}.{row}"
        if name_field not in typed and days_field not in typed:
            continue
        category = category_key(typed.get(name_field, ""))
        days_text = typed.get(days_field, "").strip()
        if not category:
            if days_text and row >= existing:
                missing = PolicyProblem(WINDOW_DAYS, "category_missing")
                problems.append(FormProblem(missing, name_field))
            continue
        where = f"{WINDOW_DAYS}.{category}"
        if category in rows:
            duplicate = PolicyProblem(where, "duplicate", {"value": category})
            problems.append(FormProblem(duplicate, name_field))
            continue
        rows[category] = row
        days = _whole_days(days_text)
        if days is None:
            refused = PolicyProblem(where, "whole_days_invalid", {"value": days_text[:40]})
            problems.append(FormProblem(refused, days_field))
        days_by_category[category] = days or 0
    windows["days_by_category"] = days_by_category
    if NON_RETURNABLE in typed:
        codes = [category_key(code) for code in _SEPARATORS.split(typed[NON_RETURNABLE])]
        windows["non_returnable"] = [code for code in codes if code]
    return rows


def _whole_days(text: str) -> int | None:
    """Returns the whole number of days typed, or None when it is not one."""
    try:
        number = _number(Unit.WHOLE_DAYS, text, optional=False)
    except ValueError:
        return None
    return number if isinstance(number, int) else None


def _field_of(problem: PolicyProblem, rows: dict[str, int]) -> str | None:
    """Returns the form field holding the value a problem names (None when none does)."""
    path = problem.path
    category = path.removeprefix(f"{WINDOW_DAYS}.")
    if path.startswith(f"{WINDOW_DAYS}.") and category in rows:
        field = CATEGORY if problem.code == "category_name" else CATEGORY_DAYS
        return f"{field}.{rows[category]}"
    if path.startswith(NON_RETURNABLE):
        return NON_RETURNABLE
    if is_number_field(path) or RULE_FIELD.fullmatch(path):
        return path
    return None


def _set(data: dict[str, Any], path: str, value: object) -> None:
    """Sets the value at `path` in the document's JSON form."""
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
