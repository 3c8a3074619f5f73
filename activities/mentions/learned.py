"""A complaint detector learnt from labelled posts (scikit-learn, CPU, seconds to train).

Two stages. The first is an NB-LR (Wang and Manning, 2012): which word 1-2-grams and
character 2-5-grams a post contains, each weighted by its log-count ratio (how much more
often it occurs in complaints than in other posts), then a logistic regression. Its
regularisation is picked inside the training data, by the log loss of 5-fold
out-of-fold predictions. A second, small logistic regression weighs the first stage's
out-of-fold probability (as a logit, so it is not over-confident) with the dense signals
of `activities.mentions.signals`: VADER's sentiment, the rule classifier's topic and
severity, and the post's shape (a reply, a question, a link, first person, negation,
shouting, exclamation marks, accounts and hashtags).

Nothing learnt ships with Redress: the public labelled tweets may not be redistributed,
and the n-gram weights would carry fragments of them. The operator points
`REDRESS_MENTION_TRAINING_DATA` at a CSV (`text`, `is_complaint`) and the model is
trained from it at first use.
"""

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, diags, hstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold

from activities.mentions.base import MentionDetector, MentionVerdict, is_chinese
from activities.mentions.signals import URL, PostSignals

DETECTOR_NAME = "mention-model"

# Handles stay: whom a post addresses (a brand's support account) is a real signal.
_TOKEN = r"(?u)[@#]?\b\w[\w']*\b|[!?]"
# Out-of-fold probabilities, for picking the first stage's C and training the second.
_INNER_FOLDS = 5
_NGRAM_C_GRID = (0.03, 0.1, 0.3)
# Additive smoothing of the n-gram counts behind the log-count ratios.
_RATIO_SMOOTHING = 1.0
_STACK_C = 1.0
_PROBABILITY_CLIP = 1e-4
# Picking the cut-off by F1 on out-of-fold training predictions was tried: no better.
COMPLAINT_AT = 0.5


def _normalize(text: str) -> str:
    return URL.sub(" httpurl ", text).lower()


def _logit(probability: float) -> float:
    p = min(max(probability, _PROBABILITY_CLIP), 1 - _PROBABILITY_CLIP)
    return math.log(p / (1 - p))


def _logistic(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000)


def _log_count_ratios(present: csr_matrix, labels: np.ndarray) -> Any:
    """Returns, as a diagonal matrix, log(share among complaints / share among the rest) of
    each n-gram, from counts of the posts that contain it."""
    complaints = _RATIO_SMOOTHING + np.asarray(present[labels].sum(axis=0)).ravel()
    others = _RATIO_SMOOTHING + np.asarray(present[~labels].sum(axis=0)).ravel()
    return diags(np.log((complaints / complaints.sum()) / (others / others.sum())))


class _NgramModel:
    """The first stage: n-gram presence scaled by log-count ratios, then a logistic model."""

    def __init__(self) -> None:
        self._words = CountVectorizer(
            ngram_range=(1, 2), min_df=2, binary=True, token_pattern=_TOKEN
        )
        self._chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, binary=True)
        self._ratios: Any = None
        self._model = _logistic(1.0)
        self.c = 1.0

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> np.ndarray:
        """Trains on `texts`, with the C of `_NGRAM_C_GRID` whose out-of-fold predictions
        have the lowest log loss; returns those out-of-fold probabilities."""
        present = csr_matrix(
            hstack([self._words.fit_transform(texts), self._chars.fit_transform(texts)]),
            dtype=float,
        )
        label_array = np.array(labels, dtype=bool)
        out_of_fold = {c: np.zeros(len(texts)) for c in _NGRAM_C_GRID}
        folds = StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=0)
        for train, held in folds.split(present, label_array):
            ratios = _log_count_ratios(present[train], label_array[train])
            for c in _NGRAM_C_GRID:
                model = _logistic(c).fit(present[train] @ ratios, label_array[train])
                out_of_fold[c][held] = model.predict_proba(present[held] @ ratios)[:, 1]
        self.c = min(_NGRAM_C_GRID, key=lambda c: log_loss(label_array, out_of_fold[c]))
        self._ratios = _log_count_ratios(present, label_array)
        self._model = _logistic(self.c).fit(present @ self._ratios, label_array)
        return out_of_fold[self.c]

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        present = csr_matrix(
            hstack([self._words.transform(texts), self._chars.transform(texts)]), dtype=float
        )
        return [float(p) for p in self._model.predict_proba(present @ self._ratios)[:, 1]]


class LearnedMentionDetector:
    """Detects complaints in English posts with the two-stage model; other text goes to
    the fallback (the rules), since the model learnt English only."""

    def __init__(self, fallback: MentionDetector) -> None:
        self._fallback = fallback
        self._signals = PostSignals()
        self._ngrams = _NgramModel()
        self._stack = _logistic(_STACK_C)

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> "LearnedMentionDetector":
        """Trains both stages on `texts`; returns self."""
        out_of_fold = self._ngrams.fit([_normalize(text) for text in texts], labels)
        self._stack.fit(self._dense(texts, list(out_of_fold)), np.array(labels, dtype=bool))
        return self

    def detect(self, text: str) -> MentionVerdict:
        if is_chinese(text):
            return self._fallback.detect(text)
        first_stage = self._ngrams.probabilities([_normalize(text)])
        probability = float(self._stack.predict_proba(self._dense([text], first_stage))[0, 1])
        return MentionVerdict(
            is_complaint=probability >= COMPLAINT_AT,
            score=round(probability, 3),
            detector=DETECTOR_NAME,
            reasons=[f"n-gram model {first_stage[0]:.2f}, combined {probability:.2f}"],
        )

    def _dense(self, texts: Sequence[str], first_stage: Sequence[float]) -> Any:
        return np.array(
            [
                [_logit(probability), *self._signals(text)]
                for text, probability in zip(texts, first_stage, strict=True)
            ]
        )


def read_training_csv(path: Path) -> tuple[list[str], list[bool]]:
    """Returns the texts and labels of a CSV with `text` and `is_complaint` (0/1) columns."""
    texts: list[str] = []
    labels: list[bool] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["text"])
            labels.append(row["is_complaint"].strip() == "1")
    return texts, labels
