"""Scores the default complaint classifier on the labelled data: `python -m evaluation.classifier`.

Prints accuracy and per-category precision/recall/F1 for Chinese (zhijiang2019 negative
reviews) and English (bitext support requests), the sub-category where the data names
one, and how often the classifier finds any topic in real negative Chinese reviews
(online_shopping_10_cats, which has no topic labels). Tiers are not scored: no data set
says how serious a complaint is.
"""

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from activities.classifier import Classifier, ClassifierContext, default_classifier
from domain.taxonomy import Category
from evaluation.datasets import (
    DEFAULT_DATA_DIR,
    LabelledSet,
    is_held_out,
    load_bitext,
    load_online_shopping,
    load_zhijiang,
)
from evaluation.metrics import Scores, score, table

SPLITS = ("held-out", "tuning", "all")
# Bitext has 2,000+ mapped rows; a seeded sample of negatives keeps the zh coverage quick.
COVERAGE_SAMPLE = 2000
_CONTEXT = ClassifierContext()


def _select(labelled: LabelledSet, split: str, limit: int | None) -> LabelledSet:
    keep = [
        item
        for item in labelled.items
        if split == "all" or is_held_out(item.key) == (split == "held-out")
    ]
    if limit is not None:
        keep = random.Random(0).sample(keep, min(limit, len(keep)))
    return LabelledSet(labelled.name, labelled.language, keep, labelled.left_out)


def evaluate_set(classifier: Classifier, labelled: LabelledSet) -> tuple[Scores, Scores | None]:
    """Returns category scores, and sub-category scores over rows that name a sub-category."""
    results = [classifier.classify(item.text, _CONTEXT) for item in labelled.items]
    categories = score(
        [item.category for item in labelled.items], [result.category for result in results]
    )
    with_sub = [
        (item.sub_category, result.sub_category)
        for item, result in zip(labelled.items, results, strict=True)
        if item.sub_category is not None
    ]
    if not with_sub:
        return categories, None
    gold, predicted = zip(*with_sub, strict=True)
    return categories, score(gold, predicted)


def topic_coverage(classifier: Classifier, texts: Sequence[str]) -> Counter[str]:
    """Returns how many texts got each category."""
    return Counter(str(classifier.classify(text, _CONTEXT).category) for text in texts)


def _report_set(classifier: Classifier, labelled: LabelledSet, split: str) -> None:
    categories, subs = evaluate_set(classifier, labelled)
    print(table(categories, title=f"[{labelled.language}] {labelled.name}, {split}, category"))
    if subs is not None:
        print(table(subs, title="  sub-category, rows whose label names one"))
    left_out = sum(labelled.left_out.values())
    print(f"  left out: {left_out} rows")
    for reason, count in labelled.left_out.most_common():
        print(f"    {count:>5}  {reason}")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.classifier", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--split", choices=SPLITS, default="held-out")
    parser.add_argument("--limit", type=int, help="score a seeded sample of this many rows")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"no data directory at {args.data_dir}: pass --data-dir", file=sys.stderr)
        return 2

    classifier = default_classifier()
    print(f"classifier: {type(classifier).__name__}, split: {args.split}\n")
    for labelled in (load_zhijiang(args.data_dir), load_bitext(args.data_dir)):
        _report_set(classifier, _select(labelled, args.split, args.limit), args.split)

    negatives = [text for text, negative in load_online_shopping(args.data_dir) if negative]
    sample = random.Random(0).sample(negatives, min(args.limit or COVERAGE_SAMPLE, len(negatives)))
    coverage = topic_coverage(classifier, sample)
    found = 1 - coverage[str(Category.OTHER)] / len(sample)
    print(f"[zh] online_shopping_10_cats negative reviews (no topic labels), n={len(sample)}")
    print(f"  given a topic (not other): {found:.3f}")
    for category, count in coverage.most_common():
        print(f"    {count:>5}  {category}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
