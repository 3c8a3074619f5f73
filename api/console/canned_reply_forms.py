"""How the canned reply forms word a refusal: each refused input named, in the page's
language, from the API model's validation errors and the API calls' refusals."""

import dataclasses
from dataclasses import dataclass

from pydantic import ValidationError

from api.errors import ApiError
from store.tables.canned_replies import CannedReply

# Each rendered form for a new template carries a key of its own (see the page module).
FORM_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
# pydantic's error types per input, as the page words them.
_KEYS: dict[str, dict[str, str]] = {
    "title": {"string_too_long": "canned_title_too_long"},
    "body": {"string_too_long": "canned_body_too_long"},
}
# What an input's other errors (missing, empty, not on the list) are called.
_OTHERWISE = {
    "title": "canned_title_required",
    "language": "canned_language_choose",
    "sub_category": "canned_sub_category_choose",
    "body": "canned_body_required",
}
# The template checks' refusals (`core.wording.canned_replies.CannedReplyRefused`).
_BODY_PROBLEMS = {"syntax", "unknown_placeholder", "not_allowed", "unknown_filter", "unknown_test"}
_STORE_KEYS = {
    "canned_reply_title_taken": ("title", "canned_title_taken"),
    "canned_reply_edited_meanwhile": ("", "canned_edited_meanwhile"),
    "canned_reply_retired": ("", "canned_retired_refused"),
    "idempotency_key_reused": ("", "canned_form_used"),
}


@dataclass(frozen=True)
class FieldRefusal:
    """Why a form came back: the input at fault (`field`, "" for the whole form), the
    catalogue's sentence and its values."""

    field: str
    message_key: str
    values: dict[str, object] = dataclasses.field(default_factory=dict)


def field_refusals(invalid: ValidationError) -> list[FieldRefusal]:
    """Returns one refusal per refused input, in the form's order."""
    refusals: dict[str, FieldRefusal] = {}
    for error in invalid.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        if name in refusals:
            continue
        if name not in _OTHERWISE:
            # A hidden field tampered with (the version), or none at all.
            refusals[name] = FieldRefusal("", "invalid_form")
            continue
        kind = error["type"]
        if name == "body" and kind in _BODY_PROBLEMS:
            refusals[name] = _body_refusal(kind, error.get("ctx") or {})
            continue
        refusals[name] = FieldRefusal(name, _KEYS.get(name, {}).get(kind, _OTHERWISE[name]))
    return list(refusals.values())


def _body_refusal(problem: str, context: dict[str, object]) -> FieldRefusal:
    names = context.get("names") or ()
    assert isinstance(names, tuple)
    values: dict[str, object] = {"line": context.get("line") or 1}
    if problem == "unknown_placeholder":
        values["names"] = ", ".join(f"{{{{ {name} }}}}" for name in names)
    elif problem == "not_allowed":
        values["construct"] = names[0] if names else ""
    elif problem in ("unknown_filter", "unknown_test"):
        values["name"] = names[0] if names else ""
    return FieldRefusal("body", f"canned_body_{problem}", values)


def store_refusal(
    refused: ApiError, title: str, current: CannedReply | None = None
) -> FieldRefusal:
    """Returns how the form shows a refusal of the API's calls (a title taken, an edit made
    on a version a colleague replaced, a retired template)."""
    name, key = _STORE_KEYS.get(refused.error, ("", "invalid_form"))
    values: dict[str, object] = {"title": title}
    if current is not None:
        values |= {"who": current.updated_by, "version": current.version}
    return FieldRefusal(name, key, values)
