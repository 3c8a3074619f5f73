"""Detects complaints by rules: the classifier's topic and severity cues, plus words of
displeasure and of praise, in English and Chinese. Needs no model and no data.

The word lists were written from general knowledge, not fitted to the evaluation data,
so the figures `python -m evaluation.mentions` prints for them are not flattered.
"""

import re

from activities.classifier import Classifier, ClassifierContext, RuleBasedClassifier
from activities.classifier.rules import normalize
from activities.mentions.base import MentionVerdict, is_chinese
from domain.taxonomy import SubCategory, Tier

DETECTOR_NAME = "mention-rules"

DISPLEASURE_EN = re.compile(
    r"(?<![a-z])(worst|terrible|awful|horrible|useless|ridiculous|pathetic|disappoint\w*"
    r"|frustrat\w*|annoy\w*|unacceptable|sucks?|rubbish|joke|shocking|appalling|disgust\w*"
    r"|still (waiting|no|not)|never again|fix (this|it|your)|not working|doesn't work"
    r"|won't (work|let)|can't (get|log|access|find)|broken|cancell?ed|delayed|refund"
    r"|no (one|reply|response|answer)|nobody|hours|days now|wtf|why (is|does|do|did|won't"
    r"|can't|are)|what's going on|poor|bad service|customer service|complain\w*|lost my"
    r"|charged|overcharged|wrong|missing|late|error|fail\w*|again)(?![a-z])"
)
DISPLEASURE_ZH = re.compile(
    r"差评|垃圾|失望|投诉|坑|骗|退款|太差|(怎么|为什么|为啥)(还|又)?(没|不)|气死|无语|恶心"
    r"|再也不|不要买|别买|问题|坏了|不能用|慢死|难用|烂|差劲|什么鬼|搞什么|没人"
)
PRAISE_EN = re.compile(
    r"(?<![a-z])(thanks?|thank you|love|loving|great|awesome|amazing|excellent|brilliant"
    r"|best|happy|glad|congrat\w*|well done|appreciate\w*|perfect|fantastic|cheers)(?![a-z])"
)
PRAISE_ZH = re.compile(r"好评|喜欢|满意|很好|不错|推荐|谢谢|感谢|点赞|给力|超值|棒|完美")

# A topic the classifier recognises is the strongest sign; displeasure alone needs two
# words (or one and a negative tone) before a mention is taken for a complaint.
TOPIC_POINTS = 2.0
SEVERITY_POINTS = 1.0
DISPLEASURE_POINTS = 1.0
MAX_DISPLEASURE_POINTS = 2.0
PRAISE_POINTS = -1.0
COMPLAINT_AT = 2.0


class RuleBasedMentionDetector:
    """Scores a mention by the complaint signals found; 2 points make a complaint."""

    def __init__(self, classifier: Classifier | None = None) -> None:
        self._classifier = classifier or RuleBasedClassifier()

    def detect(self, text: str) -> MentionVerdict:
        normalized = normalize(text)
        points, reasons = 0.0, []
        classification = self._classifier.classify(text, ClassifierContext())
        if classification.sub_category is not SubCategory.OTHER:
            points += TOPIC_POINTS
            reasons.append(f"complaint topic {classification.sub_category}")
        if classification.tier is not Tier.GENERAL:
            points += SEVERITY_POINTS
            reasons.append(f"severity {classification.tier}")
        chinese = is_chinese(normalized)
        displeasure = (DISPLEASURE_ZH if chinese else DISPLEASURE_EN).findall(normalized)
        if displeasure:
            points += min(DISPLEASURE_POINTS * len(displeasure), MAX_DISPLEASURE_POINTS)
            reasons.append(f"{len(displeasure)} words of displeasure")
        if (PRAISE_ZH if chinese else PRAISE_EN).search(normalized):
            points += PRAISE_POINTS
            reasons.append("praise")
        score = max(0.0, min(1.0, points / (2 * COMPLAINT_AT)))
        return MentionVerdict(
            is_complaint=points >= COMPLAINT_AT,
            score=round(score, 3),
            detector=DETECTOR_NAME,
            reasons=reasons,
        )
