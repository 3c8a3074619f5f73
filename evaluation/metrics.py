"""Accuracy and per-label precision, recall and F1, and a plain-text table of them."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    per_label: list[LabelScore]
    total: int


def f1_of(precision: float, recall: float) -> float:
    """Returns the harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def binary_scores(gold: Sequence[bool], predicted: Sequence[bool]) -> LabelScore:
    """Returns precision, recall and F1 of the positive class."""
    true_positive = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    predicted_positive = sum(predicted)
    actual_positive = sum(gold)
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / actual_positive if actual_positive else 0.0
    return LabelScore("positive", precision, recall, f1_of(precision, recall), actual_positive)


def score(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> Scores:
    """Returns accuracy, macro F1 and per-label scores over the labels in `gold`."""
    labels = sorted({str(label) for label in gold})
    per_label = []
    for label in labels:
        as_bools = [str(g) == label for g in gold], [str(p) == label for p in predicted]
        result = binary_scores(*as_bools)
        per_label.append(
            LabelScore(label, result.precision, result.recall, result.f1, result.support)
        )
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    accuracy = correct / len(gold) if gold else 0.0
    macro_f1 = sum(s.f1 for s in per_label) / len(per_label) if per_label else 0.0
    return Scores(accuracy, macro_f1, per_label, len(gold))


def table(scores: Scores, *, title: str) -> str:
    """Returns the scores as an aligned text table."""
    lines = [
        f"{title}: n={scores.total}  accuracy={scores.accuracy:.3f}  "
        f"macro-F1={scores.macro_f1:.3f}",
        f"  {'label':<22}{'precision':>10}{'recall':>8}{'F1':>8}{'n':>7}",
    ]
    for row in scores.per_label:
        lines.append(
            f"  {row.label:<22}{row.precision:>10.3f}{row.recall:>8.3f}{row.f1:>8.3f}"
            f"{row.support:>7}"
        )
    return "\n".join(lines)
