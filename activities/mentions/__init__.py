"""Decides whether a public mention (a post about the shop) is a complaint.

`RuleBasedMentionDetector` works everywhere; `LearnedMentionDetector` (scikit-learn) is
trained at first use from labelled data the operator points to, and is used only for
English text, where it was measured.
"""

from activities.mentions.base import MentionDetector, MentionVerdict
from activities.mentions.factory import load_mention_detector
from activities.mentions.rules import RuleBasedMentionDetector

__all__ = [
    "MentionDetector",
    "MentionVerdict",
    "RuleBasedMentionDetector",
    "load_mention_detector",
]
