"""The customer pages' words: both languages complete, Chinese free of English, every
status named with a line on what happens next, and the business's own steps kept off the
customer's timeline."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from jinja2 import UndefinedError

from api.customer import labels, names
from api.customer.credentials import form_nonce, form_nonce_valid
from api.customer.labels import COMPLAINT, RETURN, unnamed_statuses, visible_steps
from api.customer.messages import CATALOGUE, EN, ZH_CN
from domain.complaints import ComplaintStatus, TimelineEvent, TimelineKind
from domain.returns import ReturnEvent, ReturnEventKind, ReturnStatus
from domain.taxonomy import Locale
from tests.catalogue_checks import assert_every_sentence_renders

# Latin a Chinese page may carry: what a customer types into a link field.
ALLOWED_LATIN = {"http", "https"}
SECRET = "s" * 40


def test_both_languages_have_the_same_keys_asking_for_the_same_values() -> None:
    assert CATALOGUE.mismatches() == []


def test_every_sentence_renders_and_none_is_left_in_another_syntax() -> None:
    assert_every_sentence_renders(CATALOGUE, {Locale.EN: EN, Locale.ZH_CN: ZH_CN})


def test_both_languages_name_the_same_values() -> None:
    assert labels.NAMES.mismatches() == []
    assert_every_sentence_renders(labels.NAMES, {Locale.EN: names.EN, Locale.ZH_CN: names.ZH_CN})


def test_chinese_names_hold_no_english() -> None:
    for key, chinese in names.ZH_CN.items():
        assert not re.findall(r"[A-Za-z]+", chinese), (key, chinese)


def test_a_value_left_out_fails_instead_of_showing_a_blank() -> None:
    with pytest.raises(UndefinedError, match="ref"):
        CATALOGUE.say(Locale.ZH_CN, "complaint_title")


def test_chinese_words_hold_no_english() -> None:
    for key, chinese in ZH_CN.items():
        words = set(re.findall(r"[A-Za-z]+", re.sub(r"\{\{ \w+ \}\}", "", chinese)))
        assert words <= ALLOWED_LATIN, (key, chinese)


def test_every_status_is_named_and_says_what_happens_next() -> None:
    assert unnamed_statuses() == []
    for kind, statuses in ((COMPLAINT, ComplaintStatus), (RETURN, ReturnStatus)):
        for status in statuses:
            assert f"next_{kind}_{status.value}" in EN


def timeline(event: type[Any], *kinds: object) -> list[Any]:
    """Returns events of `kinds` (complaint or return events), oldest first."""
    at = datetime(2026, 3, 8, tzinfo=UTC)
    return [
        event(seq=n, at=at, kind=kind, actor="redress", detail=f"detail {n}")
        for n, kind in enumerate(kinds)
    ]


def test_the_business_own_steps_stay_off_the_customers_timeline() -> None:
    events = timeline(
        TimelineEvent,
        TimelineKind.RECEIVED,
        TimelineKind.CLASSIFIED,
        TimelineKind.SLA_BREACHED,
        TimelineKind.ESCALATED,
        TimelineKind.APPROVAL_REQUESTED,
        TimelineKind.REPLIED,
    )

    shown = visible_steps(COMPLAINT, events)

    # Newest first; the agent's reply keeps its words, the receipt shows none.
    assert [(event.kind, step.detail) for event, step in shown] == [
        (TimelineKind.REPLIED, True),
        (TimelineKind.RECEIVED, False),
    ]


def test_a_return_shows_the_customer_their_own_file_but_not_the_review() -> None:
    events = timeline(
        ReturnEvent,
        ReturnEventKind.RECEIVED,
        ReturnEventKind.REVIEW_REQUESTED,
        ReturnEventKind.EVIDENCE_ADDED,
    )

    shown = visible_steps(RETURN, events)

    assert [(event.kind, step.detail) for event, step in shown] == [
        (ReturnEventKind.EVIDENCE_ADDED, True),
        (ReturnEventKind.REVIEW_REQUESTED, False),
        (ReturnEventKind.RECEIVED, False),
    ]
    assert labels.event_name(Locale.ZH_CN, RETURN, ReturnEventKind.EVIDENCE_ADDED) == "您已提交文件"


def test_a_form_nonce_is_bound_to_its_link_and_expires() -> None:
    now = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    nonce = form_nonce(SECRET, "link-a", now=now)

    assert form_nonce_valid(SECRET, "link-a", nonce, now=now)
    assert not form_nonce_valid(SECRET, "link-b", nonce, now=now)
    assert not form_nonce_valid("t" * 40, "link-a", nonce, now=now)
    assert not form_nonce_valid(SECRET, "link-a", nonce, now=now.replace(day=10))
    assert not form_nonce_valid(SECRET, "link-a", "１２.abc", now=now)
    assert not form_nonce_valid(SECRET, "link-a", "", now=now)
