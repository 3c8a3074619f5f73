"""The mention detectors: rules without a model, the learnt model, and how one is picked."""

from pathlib import Path

import pytest

from activities.mentions import RuleBasedMentionDetector, load_mention_detector
from activities.mentions.learned import (
    _NGRAM_C_GRID,
    LearnedMentionDetector,
    _NgramModel,
    read_training_csv,
)
from activities.mentions.signals import PostSignals

RULES = RuleBasedMentionDetector()

COMPLAINTS = [
    "@ShopSupport my order still hasn't arrived after two weeks, this is ridiculous",
    "@ShopHelp the kettle you sold me stopped working after a week. Terrible quality.",
    "@Shop charged me twice for the same order and nobody answers. Fix this!",
    "@京东客服 买的手机开不了机，客服也不回复，太差了",
    "快递太慢了，等了十天还没到，差评",
]
NOT_COMPLAINTS = [
    "@ShopSupport thank you, the parcel arrived early and the shoes are great!",
    "Lovely weather for a walk in the park today",
    "@Shop do you have this jacket in blue?",
    "东西很好，物流很快，非常满意，推荐购买",
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_rules_take_complaints_for_complaints(text: str) -> None:
    verdict = RULES.detect(text)

    assert verdict.is_complaint, verdict.reasons
    assert verdict.detector == "mention-rules" and 0 < verdict.score <= 1


@pytest.mark.parametrize("text", NOT_COMPLAINTS)
def test_rules_let_praise_questions_and_chatter_pass(text: str) -> None:
    verdict = RULES.detect(text)

    assert not verdict.is_complaint, verdict.reasons


def _training_csv(path: Path) -> Path:
    rows = ["text,is_complaint"]
    for index in range(12):
        rows += [
            f'"@shop my order {index} never arrived, worst service, still waiting",1',
            f'"@shop item {index} arrived broken and nobody replies, fix it",1',
            f'"@shop thanks for order {index}, great service and fast delivery",0',
            f'"what a lovely day {index} at the beach with friends",0',
        ]
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def test_learned_detector_learns_from_labelled_posts(tmp_path: Path) -> None:
    detector = load_mention_detector(_training_csv(tmp_path / "posts.csv"))

    assert isinstance(detector, LearnedMentionDetector)
    complaint = detector.detect("@shop my parcel never arrived and nobody replies")
    praise = detector.detect("@shop thanks, great service and fast delivery")
    assert complaint.is_complaint and complaint.detector == "mention-model"
    assert not praise.is_complaint
    assert complaint.score > praise.score


def test_first_stage_picks_its_c_on_the_training_data_alone(tmp_path: Path) -> None:
    texts, labels = read_training_csv(_training_csv(tmp_path / "posts.csv"))
    model = _NgramModel()

    out_of_fold = model.fit(texts, labels)

    assert model.c in _NGRAM_C_GRID
    assert len(out_of_fold) == len(texts) and all(0 < p < 1 for p in out_of_fold)
    complaint, praise = model.probabilities(["my order never arrived", "great service thanks"])
    assert complaint > 0.5 > praise


def test_signals_see_shouting_and_exclamations_the_lowercased_n_grams_miss() -> None:
    signals = PostSignals()

    calm = signals("@shop my order has not arrived")
    loud = signals("@shop my order has NOT arrived!!! @boss #fail")

    assert len(calm) == len(loud)
    deltas = [b - a for a, b in zip(calm[-4:], loud[-4:], strict=True)]
    assert deltas == pytest.approx([0.2, 0.6, 0.2, 0.2])  # capitals, "!", "@", "#"


def test_learned_detector_leaves_chinese_to_the_rules(tmp_path: Path) -> None:
    detector = load_mention_detector(_training_csv(tmp_path / "posts.csv"))

    verdict = detector.detect("快递太慢了，等了十天还没到，差评")

    assert verdict.detector == "mention-rules" and verdict.is_complaint


def test_without_training_data_the_rules_decide(tmp_path: Path) -> None:
    assert isinstance(load_mention_detector(None), RuleBasedMentionDetector)
    missing = load_mention_detector(tmp_path / "no-such.csv")
    assert isinstance(missing, RuleBasedMentionDetector)
