"""The customer pages' words: both languages complete, Chinese free of English, every
status named with a line on what happens next, and the business's own steps kept off the
customer's timeline."""

import re
from datetime import UTC, datetime

from api.customer.credentials import form_nonce, form_nonce_valid
from api.customer.labels import COMPLAINT, RETURN, unnamed_statuses, visible_steps
from api.customer.messages import EN, ZH_CN
from domain.complaints import ComplaintStatus, TimelineEvent, TimelineKind
from domain.returns import ReturnStatus

# Latin a Chinese page may carry: what a customer types into a link field.
ALLOWED_LATIN = {"http", "https"}
SECRET = "s" * 40


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    assert EN.keys() == ZH_CN.keys()
    for key, english in EN.items():
        placeholders = set(re.findall(r"\{(\w+)\}", english))
        assert placeholders == set(re.findall(r"\{(\w+)\}", ZH_CN[key])), key


def test_chinese_words_hold_no_english() -> None:
    for key, chinese in ZH_CN.items():
        words = set(re.findall(r"[A-Za-z]+", re.sub(r"\{\w+\}", "", chinese)))
        assert words <= ALLOWED_LATIN, (key, chinese)


def test_every_status_is_named_and_says_what_happens_next() -> None:
    assert unnamed_statuses() == []
    for kind, statuses in ((COMPLAINT, ComplaintStatus), (RETURN, ReturnStatus)):
        for status in statuses:
            assert f"next_{kind}_{status.value}" in EN


def test_the_business_own_steps_stay_off_the_customers_timeline() -> None:
    at = datetime(2026, 3, 8, tzinfo=UTC)
    events = [
        TimelineEvent(seq=n, at=at, kind=kind, actor="redress", detail=f"detail {n}")
        for n, kind in enumerate(
            [
                TimelineKind.RECEIVED,
                TimelineKind.CLASSIFIED,
                TimelineKind.SLA_BREACHED,
                TimelineKind.ESCALATED,
                TimelineKind.APPROVAL_REQUESTED,
                TimelineKind.REPLIED,
            ]
        )
    ]

    shown = visible_steps(COMPLAINT, events)

    # Newest first; the agent's reply keeps its words, the receipt shows none.
    assert [(event.kind, step.detail) for event, step in shown] == [
        (TimelineKind.REPLIED, True),
        (TimelineKind.RECEIVED, False),
    ]


def test_a_form_nonce_is_bound_to_its_link_and_expires() -> None:
    now = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    nonce = form_nonce(SECRET, "link-a", now=now)

    assert form_nonce_valid(SECRET, "link-a", nonce, now=now)
    assert not form_nonce_valid(SECRET, "link-b", nonce, now=now)
    assert not form_nonce_valid("t" * 40, "link-a", nonce, now=now)
    assert not form_nonce_valid(SECRET, "link-a", nonce, now=now.replace(day=10))
    assert not form_nonce_valid(SECRET, "link-a", "１２.abc", now=now)
    assert not form_nonce_valid(SECRET, "link-a", "", now=now)
