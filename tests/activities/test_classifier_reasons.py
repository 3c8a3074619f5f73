"""The rules classifier's reasons read back to codes and values: every reason it gives
for the Chinese and English complaints of its own tests, under every kind of context,
reads back and is written again word for word, so a page can word any complaint's
reasons, old or new, in the reader's language (domain.classification_reasons)."""

from collections.abc import Iterator

import pytest

from activities.classifier import ClassifierContext, RuleBasedClassifier
from activities.classifier.lexicon import TopicCues
from domain.classification_reasons import (
    ClassificationReason,
    ReasonCode,
    english,
    headline,
    read,
    read_headline,
)
from domain.policy import SEVERITY
from domain.taxonomy import CustomerTier, SubCategory, Tier
from tests.activities.test_classifier import CHINESE, ENGLISH, ORDINARY

CLASSIFIER = RuleBasedClassifier()
TEXTS = [text for text, _, _ in CHINESE + ENGLISH] + ["It's not fake, I only want a warranty"]


def contexts() -> Iterator[ClassifierContext]:
    yield ORDINARY
    for change in (
        {"paid_amount": SEVERITY.serious_amount},
        {"paid_amount": SEVERITY.critical_amount},
        {"customer_tier": CustomerTier.VIP},
        {"prior_complaints": SEVERITY.repeat_complaints_for_serious},
    ):
        yield ORDINARY.model_copy(update=change)


def every_reason_given() -> list[str]:
    return [
        reason
        for context in contexts()
        for text in TEXTS
        for reason in CLASSIFIER.classify(text, context).reasons
    ]


def test_every_reason_reads_back_and_is_written_again_word_for_word() -> None:
    given = every_reason_given()
    unread = [reason for reason in given if read(reason) is None]
    assert unread == []
    assert [english(said) for said in map(read, given) if said] == given


def test_the_corpus_gives_every_kind_of_reason_but_a_weak_topic() -> None:
    codes = {said.code for said in map(read, every_reason_given()) if said}
    assert set(ReasonCode) - codes == {ReasonCode.TOPIC_TOO_WEAK}


def test_a_topic_too_weak_to_choose_reads_back() -> None:
    faint = {SubCategory.DEFECT: TopicCues(zh={0.5: "有点怪"}, en={0.5: "a bit odd"})}
    result = RuleBasedClassifier(topics=faint).classify("It is a bit odd", ORDINARY)
    said = read(result.reasons[-1])
    assert said == ClassificationReason(
        code=ReasonCode.TOPIC_TOO_WEAK,
        values={"sub_category": "defect", "score": "0.5", "minimum": "1", "fallback": "other"},
    )


def test_a_phrase_with_quotes_and_brackets_reads_back_whole() -> None:
    text = "keyword 'don't (ever)' -> critical (safety hazard)"
    said = read(text)
    assert said is not None and said.values["phrase"] == "don't (ever)"
    assert english(said) == text


def test_the_timeline_headline_reads_back() -> None:
    result = CLASSIFIER.classify("收到的鞋子是假货，孩子差点受伤", ORDINARY)
    recorded = headline(result.sub_category, result.tier, result.confidence, result.reasons)

    said = read_headline(recorded)

    assert said is not None
    assert (said.sub_category, said.tier) == (SubCategory.COUNTERFEIT, Tier.CRITICAL)
    assert said.confidence == f"{result.confidence:.2f}"
    assert said.reasons == result.reasons
    assert all(read(reason) is not None for reason in said.reasons)
    empty = read_headline("other / general (0.10): ")
    assert empty is not None and empty.reasons == []


@pytest.mark.parametrize(
    "text",
    ["the model said so", "keyword 'x' -> not_a_sub_category", "vip customer -> urgent", ""],
)
def test_another_text_reads_as_none(text: str) -> None:
    assert read(text) is None
