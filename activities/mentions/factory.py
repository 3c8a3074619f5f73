"""Picks the mention detector: the learnt model when it can be trained, else the rules."""

import logging
from functools import lru_cache
from pathlib import Path

from activities.mentions.base import MentionDetector
from activities.mentions.rules import RuleBasedMentionDetector

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def load_mention_detector(training_data: Path | None) -> MentionDetector:
    """Returns a detector trained on `training_data` (a CSV), or the rules when there is no
    file or scikit-learn is not installed. Cached: training takes a few seconds, once."""
    rules = RuleBasedMentionDetector()
    if training_data is None:
        return rules
    if not training_data.is_file():
        log.warning("mention training data %s not found: using the rules", training_data)
        return rules
    try:
        from activities.mentions.learned import LearnedMentionDetector, read_training_csv
    except ImportError as missing:  # the model's libraries are optional at run time
        log.warning("mention model unavailable (%s): using the rules", missing)
        return rules
    texts, labels = read_training_csv(training_data)
    return LearnedMentionDetector(fallback=rules).fit(texts, labels)
