"""Complaint classifiers behind one interface; `RuleBasedClassifier` is the default."""

from activities.classifier.base import Classifier, ClassifierContext
from activities.classifier.rules import RuleBasedClassifier


def default_classifier() -> Classifier:
    """Returns the classifier the worker uses unless told otherwise."""
    return RuleBasedClassifier()


__all__ = ["Classifier", "ClassifierContext", "RuleBasedClassifier", "default_classifier"]
