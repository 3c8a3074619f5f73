"""Complaint classifiers behind one interface; `RuleBasedClassifier` is the default."""

from activities.classifier.base import Classifier, ClassifierContext
from activities.classifier.rules import RuleBasedClassifier

__all__ = ["Classifier", "ClassifierContext", "RuleBasedClassifier"]
