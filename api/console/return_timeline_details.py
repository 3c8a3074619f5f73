"""The details of a return's timeline in the page's language.

As a complaint's (`api.console.timeline_details`), a return's workflow records some steps'
details as text of a fixed shape: a code, then what it is about ("manual_review: <the
policy's reasons>", "partial: <the inspector's note>", "in_transit: <the courier's
words> (<tracking number>)"). The console names the code, and words the policy's reasons
from the verdict the return keeps (`view.eligibility`) when the text is that verdict's;
people's and couriers' words stay as written, as does a detail of any other shape.
"""

import re

from api.console.labels import label
from api.console.messages import message
from core.wording.return_words import describe_eligibility
from domain.returns import ReturnEvent, ReturnEventKind, ReturnView
from domain.taxonomy import Locale

# The families whose code opens a step's detail, before ": ".
_CODE_FIRST: dict[ReturnEventKind, str] = {
    ReturnEventKind.ELIGIBILITY: "eligibility",
    ReturnEventKind.REVIEW_REQUESTED: "level",
    ReturnEventKind.INSPECTED: "inspection_verdict",
    ReturnEventKind.TRACKING: "tracking_status",
}
# Steps whose code is a person's yes or no, worded by the console's catalogue.
_ANSWERS: dict[ReturnEventKind, dict[str, str]] = {
    ReturnEventKind.REVIEWED: {"approved": "detail_approved", "denied": "detail_denied"},
    ReturnEventKind.CONSENT: {"accepted": "detail_accepted", "declined": "detail_declined"},
}
_CODE_THEN_TEXT = re.compile(r"([a-z_]+): (.*)", re.S)


def return_event_detail(event: ReturnEvent, view: ReturnView, language: Locale) -> str:
    """Returns what a return's timeline event says in `language`: its code named, the
    policy's reasons worded; any other detail as it was written."""
    if event.kind is ReturnEventKind.RECEIVED:
        return label(language, "return_reason", event.detail)
    match = _CODE_THEN_TEXT.fullmatch(event.detail)
    if match is None:
        return event.detail
    code, text = match[1], match[2]
    if family := _CODE_FIRST.get(event.kind):
        named = label(language, family, code)
    elif key := _ANSWERS.get(event.kind, {}).get(code):
        named = message(language, key)
    else:
        return event.detail
    if not text:
        return named
    worded = _reasons(view, text, language)
    return message(language, "detail_code_and_text", code=named, text=worded)


def _reasons(view: ReturnView, text: str, language: Locale) -> str:
    """Returns the policy's reasons in `language` when `text` is the verdict's English."""
    verdict = view.eligibility
    if verdict is not None and verdict.details and text == "; ".join(verdict.reasons):
        return describe_eligibility(verdict, language)
    return text
