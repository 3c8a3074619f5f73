"""What changed between two versions of the policy: each value by its dotted path in the
document (`complaints.sla.critical.first_response`), before and after.

Lists of categories are compared as sets (their order means nothing); the auto-resolution
rules by their position, each rule's values on their own.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from domain.policy_document import PolicyDocument

# One value of the document as the diff and the console show it.
Leaf = timedelta | Decimal | int | float | str | bool | None
# Lists whose order means nothing: shown and compared as one sorted value.
SET_VALUED = {"returns.windows.non_returnable"}


@dataclass(frozen=True)
class PolicyChange:
    """One value that differs; `before` or `after` is absent (`present_*` False) when the
    value was added or removed (a category, a rule)."""

    path: str
    before: Leaf
    after: Leaf
    present_before: bool = True
    present_after: bool = True


def flat_values(document: PolicyDocument) -> dict[str, Leaf]:
    """Returns every value of `document` by its dotted path, in the document's order."""
    values: dict[str, Leaf] = {}
    _flatten(document, "", values)
    return values


def policy_changes(before: PolicyDocument, after: PolicyDocument) -> list[PolicyChange]:
    """Returns the values that differ between two documents, in `after`'s order, then the
    values `after` no longer has."""
    old, new = flat_values(before), flat_values(after)
    changes = [
        PolicyChange(path, old.get(path), value, present_before=path in old)
        for path, value in new.items()
        if path not in old or old[path] != value
    ]
    changes += [
        PolicyChange(path, value, None, present_after=False)
        for path, value in old.items()
        if path not in new
    ]
    return changes


def change_summary(changes: list[PolicyChange], limit: int) -> str:
    """Returns the changes as the audit trail keeps them (`path: before -> after`, joined
    by `; `), cut to `limit` characters with a count of what was left out."""
    parts = [
        f"{c.path}: {_text(c.before) if c.present_before else '(none)'} -> "
        f"{_text(c.after) if c.present_after else '(none)'}"
        for c in changes
    ]
    summary = "; ".join(parts)
    if len(summary) <= limit:
        return summary
    kept: list[str] = []
    for index, part in enumerate(parts):
        tail = f"; and {len(parts) - index} more"
        if len("; ".join([*kept, part])) + len(tail) > limit:
            return ("; ".join(kept) + tail)[:limit]
        kept.append(part)
    return summary[:limit]


def _text(value: Leaf) -> str:
    if isinstance(value, timedelta):
        hours = value.total_seconds() / 3600
        return f"{hours:g}h"
    return "-" if value is None else str(value)


def _flatten(value: Any, path: str, into: dict[str, Leaf]) -> None:
    if path in SET_VALUED and isinstance(value, list):
        into[path] = ", ".join(sorted(str(item) for item in value))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _flatten(getattr(value, name), _join(path, name), into)
    elif isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, _join(path, _key(key)), into)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, _join(path, str(index)), into)
    elif isinstance(value, Enum):
        into[path] = str(value.value)
    else:
        into[path] = value


def _key(key: object) -> str:
    return str(key.value) if isinstance(key, Enum) else str(key)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
