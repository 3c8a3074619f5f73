"""A complaint detector learnt from labelled posts (scikit-learn, CPU, seconds to train).

Two stages. A logistic regression on word and character n-grams gives a first
probability; a second, small logistic regression weighs that probability (as a logit,
taken out-of-fold so it is not over-confident) with a few dense signals: VADER's
sentiment, the rule classifier's topic and severity, and the post's shape (a reply,
a question, a link, first person, negation).

Nothing learnt ships with Redress: the public labelled tweets may not be redistributed,
and the n-gram weights would carry fragments of them. The operator points
`REDRESS_MENTION_TRAINING_DATA` at a CSV (`text`, `is_complaint`) and the model is
trained from it at first use.
"""

import csv
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from activities.classifier import ClassifierContext, RuleBasedClassifier
from activities.mentions.base import MentionDetector, MentionVerdict, is_chinese
from domain.taxonomy import SubCategory, Tier

DETECTOR_NAME = "mention-model"

_URL = re.compile(r"https?://\S+")
# Handles stay: whom a post addresses (a brand's support account) is a real signal.
_TOKEN = r"(?u)[@#]?\b\w[\w']*\b|[!?]"
_FIRST_PERSON = re.compile(r"\b(i|my|me|we|our|us)\b")
_NEGATION = re.compile(r"\b(not|no|never|still|cannot|can't|won't|don't|didn't|doesn't|isn't)\b")
# Out-of-fold probabilities for the second stage.
_INNER_FOLDS = 5
_NGRAM_C = 10.0
_STACK_C = 1.0
_PROBABILITY_CLIP = 1e-4
# Picking the cut-off by F1 on out-of-fold training predictions was tried: no better.
COMPLAINT_AT = 0.5


def _normalize(text: str) -> str:
    return _URL.sub(" httpurl ", text).lower()


def _logit(probability: float) -> float:
    p = min(max(probability, _PROBABILITY_CLIP), 1 - _PROBABILITY_CLIP)
    return math.log(p / (1 - p))


class _NgramModel:
    """The first stage: TF-IDF word 1-2-grams and character 2-5-grams, then a logistic model."""

    def __init__(self) -> None:
        self._words = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=_TOKEN
        )
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True
        )
        self._model = LogisticRegression(C=_NGRAM_C, class_weight="balanced", max_iter=3000)

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> "_NgramModel":
        features = hstack([self._words.fit_transform(texts), self._chars.fit_transform(texts)])
        self._model.fit(csr_matrix(features), list(labels))
        return self

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        features = hstack([self._words.transform(texts), self._chars.transform(texts)])
        return [float(p) for p in self._model.predict_proba(csr_matrix(features))[:, 1]]


class LearnedMentionDetector:
    """Detects complaints in English posts with the two-stage model; other text goes to
    the fallback (the rules), since the model learnt English only."""

    def __init__(self, fallback: MentionDetector) -> None:
        self._fallback = fallback
        self._classifier = RuleBasedClassifier()
        self._sentiment = SentimentIntensityAnalyzer()
        self._ngrams = _NgramModel()
        self._stack = LogisticRegression(C=_STACK_C, class_weight="balanced", max_iter=3000)

    def fit(self, texts: Sequence[str], labels: Sequence[bool]) -> "LearnedMentionDetector":
        """Trains both stages on `texts`; returns self."""
        normalized = [_normalize(text) for text in texts]
        label_array = np.array(labels, dtype=bool)
        out_of_fold = np.zeros(len(texts))
        folds = StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=0)
        for train, held in folds.split(normalized, label_array):
            inner = _NgramModel().fit([normalized[i] for i in train], [labels[i] for i in train])
            out_of_fold[held] = inner.probabilities([normalized[i] for i in held])
        self._ngrams.fit(normalized, labels)
        self._stack.fit(self._dense(texts, list(out_of_fold)), label_array)
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

    def _signals(self, text: str) -> list[float]:
        sentiment = self._sentiment.polarity_scores(text)
        classification = self._classifier.classify(text, ClassifierContext())
        keywords = sum(1 for r in classification.reasons if "keyword" in r and "negated" not in r)
        lowered = text.lower()
        return [
            sentiment["neg"],
            sentiment["pos"],
            sentiment["compound"],
            float(classification.sub_category is not SubCategory.OTHER),
            classification.confidence,
            float(classification.tier is not Tier.GENERAL),
            float(keywords),
            float(text.startswith("@")),
            float("?" in text),
            float(_URL.search(text) is not None),
            len(text) / 280,
            float(_FIRST_PERSON.search(lowered) is not None),
            float(_NEGATION.search(lowered) is not None),
        ]


def read_training_csv(path: Path) -> tuple[list[str], list[bool]]:
    """Returns the texts and labels of a CSV with `text` and `is_complaint` (0/1) columns."""
    texts: list[str] = []
    labels: list[bool] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["text"])
            labels.append(row["is_complaint"].strip() == "1")
    return texts, labels
