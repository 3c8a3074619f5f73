"""The dense signals the learnt mention detector weighs beside its n-gram score: VADER's
sentiment, the rule classifier's topic and severity, and the post's shape."""

import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from activities.classifier import ClassifierContext, RuleBasedClassifier
from domain.taxonomy import SubCategory, Tier

URL = re.compile(r"https?://\S+")
_FIRST_PERSON = re.compile(r"\b(i|my|me|we|our|us)\b")
_NEGATION = re.compile(r"\b(not|no|never|still|cannot|can't|won't|don't|didn't|doesn't|isn't)\b")
# Shouting: a word of two or more capitals ("NEVER", "WTF"); the n-grams see lower case only.
_SHOUTED = re.compile(r"\b[A-Z]{2,}\b")
# Counts are capped, then scaled to 0-1.
_COUNT_CAP = 5


def _count(n: int) -> float:
    return min(n, _COUNT_CAP) / _COUNT_CAP


class PostSignals:
    """Turns a post into a fixed-length list of numbers."""

    def __init__(self) -> None:
        self._classifier = RuleBasedClassifier()
        self._sentiment = SentimentIntensityAnalyzer()

    def __call__(self, text: str) -> list[float]:
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
            float(URL.search(text) is not None),
            len(text) / 280,
            float(_FIRST_PERSON.search(lowered) is not None),
            float(_NEGATION.search(lowered) is not None),
            _count(len(_SHOUTED.findall(text))),
            _count(text.count("!")),
            _count(text.count("@")),  # accounts tagged: a complaint often copies in several
            _count(text.count("#")),
        ]
