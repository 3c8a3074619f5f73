"""Scores the mention detectors: `python -m evaluation.mentions`.

English: the labelled tweets of Preotiuc-Pietro et al. (ACL 2019), with their protocol,
stratified 10-fold cross-validation: the model is trained on nine folds and scored on
the tenth, ten times, and the predictions pooled. The model sees only the nine: what it
picks (its regularisation) it picks from them, by inner cross-validation. The rules need
no training and are scored on every tweet. Chinese: the rules on a seeded, balanced
sample of online_shopping_10_cats reviews, a negative review standing for a complaint.
"""

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from activities.mentions.base import MentionDetector
from activities.mentions.rules import RuleBasedMentionDetector
from evaluation.datasets import DEFAULT_DATA_DIR, load_online_shopping, load_twitter_complaints
from evaluation.metrics import LabelScore, binary_scores

PAPER_F1 = 0.79
CHINESE_SAMPLE_PER_CLASS = 1000


def cross_validated_predictions(
    texts: Sequence[str], labels: Sequence[bool], *, folds: int, seed: int
) -> list[bool]:
    """Returns each text's prediction by a model trained on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    from activities.mentions.learned import LearnedMentionDetector

    predictions = [False] * len(texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(list(texts), list(labels)):
        detector = LearnedMentionDetector(fallback=RuleBasedMentionDetector()).fit(
            [texts[i] for i in train], [labels[i] for i in train]
        )
        for i in test:
            predictions[i] = detector.detect(texts[i]).is_complaint
    return predictions


def detector_scores(
    detector: MentionDetector, pairs: Sequence[tuple[str, bool]]
) -> tuple[LabelScore, float]:
    """Returns the detector's complaint precision/recall/F1 and its accuracy."""
    predictions = [detector.detect(text).is_complaint for text, _ in pairs]
    gold = [label for _, label in pairs]
    accuracy = sum(p == g for p, g in zip(predictions, gold, strict=True)) / len(gold)
    return binary_scores(gold, predictions), accuracy


def _line(name: str, result: LabelScore, accuracy: float, n: int) -> str:
    return (
        f"  {name:<44} n={n:<5} P={result.precision:.3f} R={result.recall:.3f} "
        f"F1={result.f1:.3f} accuracy={accuracy:.3f}"
    )


def _stratified_sample(
    pairs: list[tuple[str, bool]], per_class: int, seed: int
) -> list[tuple[str, bool]]:
    rng = random.Random(seed)
    sample: list[tuple[str, bool]] = []
    for label in (True, False):
        members = [pair for pair in pairs if pair[1] is label]
        sample += rng.sample(members, min(per_class, len(members)))
    return sample


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.mentions", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=1, help="repeat the CV with new shuffles")
    parser.add_argument("--limit", type=int, help="use a seeded sample of this many per class")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"no data directory at {args.data_dir}: pass --data-dir", file=sys.stderr)
        return 2

    tweets = load_twitter_complaints(args.data_dir)
    if args.limit is not None:
        tweets = _stratified_sample(tweets, args.limit, seed=0)
    texts = [text for text, _ in tweets]
    labels = [label for _, label in tweets]
    print(f"[en] complaints_twitter (reference: {PAPER_F1:.0%} F1, 10-fold CV in the paper)")
    f1s = []
    for seed in range(args.seeds):
        predicted = cross_validated_predictions(texts, labels, folds=args.folds, seed=seed)
        result = binary_scores(labels, predicted)
        accuracy = sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)
        f1s.append(result.f1)
        name = f"model, stratified {args.folds}-fold CV, seed {seed}"
        print(_line(name, result, accuracy, len(labels)))
    if len(f1s) > 1:
        print(
            f"  model F1 over {len(f1s)} shuffles: mean {sum(f1s) / len(f1s):.3f}, "
            f"min {min(f1s):.3f}, max {max(f1s):.3f}"
        )
    rules = RuleBasedMentionDetector()
    print(_line("rules (no training), every tweet", *detector_scores(rules, tweets), len(tweets)))

    reviews = load_online_shopping(args.data_dir)
    sample = _stratified_sample(reviews, args.limit or CHINESE_SAMPLE_PER_CLASS, seed=0)
    print("[zh] online_shopping_10_cats, negative review = complaint, balanced sample")
    print(_line("rules (no training)", *detector_scores(rules, sample), len(sample)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
