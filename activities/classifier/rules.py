"""Classifies complaints by weighted keyword rules: deterministic, bilingual, explainable."""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from activities.classifier.base import ClassifierContext
from activities.classifier.lexicon import (
    GAP_MARK,
    GAP_ZH,
    NEGATION_WINDOW_WORDS,
    NEGATORS_EN,
    NEGATORS_ZH,
    QUESTION_FORMS_ZH,
    RHETORICAL_PARTICLE_ZH,
    SEVERITY_SIGNALS,
    Cues,
    SeveritySignal,
    TopicCues,
)
from activities.classifier.lexicon_everyday import ALL_TOPIC_CUES
from domain.classification_reasons import ReasonCode, reason
from domain.complaints import Classification
from domain.policy import SEVERITY
from domain.taxonomy import TIER_RANK, CustomerTier, SubCategory, Tier, category_of

CLASSIFIER_NAME = "rules"

# What a complaint is about can make it urgent whatever its wording: someone else inside
# a customer's account can spend their money until it is locked.

# Below this score the words found only hint at a topic (a lone "told me"), and a wrong
# topic does harm: it can route the complaint to the wrong team or trigger an automatic
# resolution. Such complaints stay OTHER for an agent to read.
MINIMUM_TOPIC_SCORE = 1.0
# With no keyword the OTHER label is a guess, and says so.
NO_MATCH_CONFIDENCE = 0.1
# Keyword rules never deserve certainty.
MAX_CONFIDENCE = 0.95
# The score at which the weight of evidence counts as half convincing: one suggestive
# phrase (1) is half way, one decisive phrase (3) three quarters of the way.
HALF_CONVINCING_SCORE = 1.0

# Ties between equal scores go to the sub-category declared first, so results never
# depend on dictionary order.
_DECLARED_ORDER = {sub_category: index for index, sub_category in enumerate(SubCategory)}
_CLAUSE_BREAK = re.compile(r"[,.;:!?\n。；！？]|\bbut\b")

Label = TypeVar("Label")


@dataclass(frozen=True)
class _Cue(Generic[Label]):
    label: Label
    weight: float
    pattern: re.Pattern[str]
    english: bool


@dataclass(frozen=True)
class _Hit(Generic[Label]):
    label: Label
    weight: float
    phrase: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "_Hit[Label]") -> bool:
        return self.start < other.end and other.start < self.end


def normalize(text: str) -> str:
    """Returns `text` NFKC-normalised (full-width to half-width) and lower-cased."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded.replace("\u2019", "'").replace("\u2018", "'")


def _compile(label: Label, cues: Cues, *, english: bool) -> Iterator[_Cue[Label]]:
    for weight, alternation in cues.items():
        if english:
            # \b would treat Chinese characters as word characters, so "是fake的" would
            # not match; only Latin letters and digits bound an English word here.
            pattern = f"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])"
        else:
            pattern = alternation.replace(GAP_MARK, GAP_ZH)
        yield _Cue(label, weight, re.compile(pattern), english)


def _is_negated(text: str, start: int, end: int, *, english: bool) -> bool:
    before = text[:start]
    if english:
        clause = _CLAUSE_BREAK.split(before)[-1]
        words = clause.split()[-NEGATION_WINDOW_WORDS:]
        return any(word in NEGATORS_EN or word.endswith("n't") for word in words)
    before = before.rstrip()
    if not before.endswith(NEGATORS_ZH) or before.endswith(QUESTION_FORMS_ZH):
        return False
    rest_of_clause = _CLAUSE_BREAK.split(text[end:], maxsplit=1)[0]
    return RHETORICAL_PARTICLE_ZH not in rest_of_clause


def _find_hits(text: str, cues: Iterable[_Cue[Label]]) -> tuple[list[_Hit[Label]], list[str]]:
    """Returns the affirmed hits in text order, and the phrases found but negated."""
    affirmed: list[_Hit[Label]] = []
    negated: list[str] = []
    for cue in cues:
        for match in cue.pattern.finditer(text):
            if not match.group():
                continue
            if _is_negated(text, *match.span(), english=cue.english):
                negated.append(match.group())
                continue
            affirmed.append(_Hit(cue.label, cue.weight, match.group(), *match.span()))
    return _longest_first(affirmed), list(dict.fromkeys(negated))


def _longest_first(hits: list[_Hit[Label]]) -> list[_Hit[Label]]:
    # A phrase overlapping a longer matched phrase means what the longer one means, and
    # overlapping phrases of one topic ("摔碎" in "摔碎了") or a repeated phrase add no
    # evidence. Equally long phrases of different topics both count: the text is ambiguous.
    kept: list[_Hit[Label]] = []
    for hit in sorted(hits, key=lambda hit: (-hit.length, hit.start)):
        if not any(hit.overlaps(other) and _outweighs(other, hit) for other in kept):
            kept.append(hit)
    unique = {(hit.label, hit.phrase): hit for hit in sorted(kept, key=lambda hit: -hit.start)}
    return sorted(unique.values(), key=lambda hit: hit.start)


def _outweighs(kept: _Hit[Label], hit: _Hit[Label]) -> bool:
    return kept.length > hit.length or kept.label == hit.label


def _confidence(best: float, runner_up: float) -> float:
    """Returns confidence from the weight of evidence, halved when the runner-up ties."""
    evidence = best / (best + HALF_CONVINCING_SCORE)
    lead = (best - runner_up) / best
    certainty = evidence * (1 + lead) / 2
    return round(NO_MATCH_CONFIDENCE + (MAX_CONFIDENCE - NO_MATCH_CONFIDENCE) * certainty, 2)


def _at_least(tier: Tier, minimum: Tier) -> Tier:
    return tier if TIER_RANK[tier] >= TIER_RANK[minimum] else minimum


class RuleBasedClassifier:
    """Scores each sub-category by the weighted phrases found and picks the best.

    The tier is the highest that any signal asks for: alarming phrases, the kind of
    complaint, the amount paid, a VIP customer, repeated complaints. The desired outcome
    is not used; it is in the context for classifiers that can weigh it.
    """

    def __init__(
        self,
        topics: Mapping[SubCategory, TopicCues] = ALL_TOPIC_CUES,
        signals: Iterable[SeveritySignal] = SEVERITY_SIGNALS,
    ) -> None:
        self._topic_cues = [
            cue
            for sub_category, cues in topics.items()
            for language, english in ((cues.zh, False), (cues.en, True))
            for cue in _compile(sub_category, language, english=english)
        ]
        self._signal_cues = [
            cue
            for signal in signals
            for phrases, english in ((signal.zh, False), (signal.en, True))
            for cue in _compile(signal, {1.0: phrases}, english=english)
        ]

    def classify(self, text: str, context: ClassifierContext) -> Classification:
        normalized = normalize(text)
        sub_category, confidence, topic_reasons = self._pick_sub_category(normalized)
        tier, tier_reasons = self._grade(normalized, sub_category, context)
        return Classification(
            category=category_of(sub_category),
            sub_category=sub_category,
            tier=tier,
            confidence=confidence,
            reasons=topic_reasons + tier_reasons,
            classifier=CLASSIFIER_NAME,
        )

    def _pick_sub_category(self, text: str) -> tuple[SubCategory, float, list[str]]:
        hits, negated = _find_hits(text, self._topic_cues)
        reasons = [
            reason(ReasonCode.TOPIC_KEYWORD, phrase=hit.phrase, sub_category=hit.label)
            for hit in hits
        ]
        reasons += [reason(ReasonCode.KEYWORD_NEGATED, phrase=phrase) for phrase in negated]
        scores: dict[SubCategory, float] = defaultdict(float)
        for hit in hits:
            scores[hit.label] += hit.weight
        if not scores:
            reasons.append(reason(ReasonCode.NO_KEYWORD, sub_category=SubCategory.OTHER))
            return SubCategory.OTHER, NO_MATCH_CONFIDENCE, reasons
        ranked = sorted(scores.items(), key=lambda item: (-item[1], _DECLARED_ORDER[item[0]]))
        best, best_score = ranked[0]
        if best_score < MINIMUM_TOPIC_SCORE:
            reasons.append(
                reason(
                    ReasonCode.TOPIC_TOO_WEAK,
                    sub_category=best,
                    score=f"{best_score:g}",
                    minimum=f"{MINIMUM_TOPIC_SCORE:g}",
                    fallback=SubCategory.OTHER,
                )
            )
            return SubCategory.OTHER, NO_MATCH_CONFIDENCE, reasons
        runner_up_score = 0.0
        if len(ranked) > 1:
            runner_up, runner_up_score = ranked[1]
            reasons.append(
                reason(
                    ReasonCode.TOPIC_AHEAD,
                    sub_category=best,
                    score=f"{best_score:g}",
                    runner_up=runner_up,
                    runner_up_score=f"{runner_up_score:g}",
                )
            )
        return best, _confidence(best_score, runner_up_score), reasons

    def _grade(
        self, text: str, sub_category: SubCategory, context: ClassifierContext
    ) -> tuple[Tier, list[str]]:
        """Returns the tier the strongest signal asks for, and every signal found."""
        hits, negated = _find_hits(text, self._signal_cues)
        raised = [
            (
                hit.label.tier,
                reason(
                    ReasonCode.SIGNAL_KEYWORD,
                    phrase=hit.phrase,
                    tier=hit.label.tier,
                    signal=hit.label.name,
                ),
            )
            for hit in hits
        ]
        category = category_of(sub_category)
        if minimum := SEVERITY.minimum_tier_by_category.get(category):
            raised.append(
                (minimum, reason(ReasonCode.CATEGORY_MINIMUM, category=category, tier=minimum))
            )
        if minimum := SEVERITY.minimum_tier_by_sub_category.get(sub_category):
            raised.append(
                (
                    minimum,
                    reason(
                        ReasonCode.SUB_CATEGORY_MINIMUM, sub_category=sub_category, tier=minimum
                    ),
                )
            )
        raised += self._context_signals(context)

        tier = Tier.GENERAL
        for raised_to, _ in raised:
            tier = _at_least(tier, raised_to)
        reasons = [reason for _, reason in raised]
        reasons += [reason(ReasonCode.KEYWORD_NEGATED, phrase=phrase) for phrase in negated]
        return tier, reasons

    @staticmethod
    def _context_signals(context: ClassifierContext) -> list[tuple[Tier, str]]:
        signals: list[tuple[Tier, str]] = []
        amount = context.paid_amount
        if amount is not None and amount >= SEVERITY.critical_amount:
            threshold = SEVERITY.critical_amount
            signals.append(
                (
                    Tier.CRITICAL,
                    reason(ReasonCode.AMOUNT, amount=amount, threshold=threshold, tier="critical"),
                )
            )
        elif amount is not None and amount >= SEVERITY.serious_amount:
            threshold = SEVERITY.serious_amount
            signals.append(
                (
                    Tier.SERIOUS,
                    reason(ReasonCode.AMOUNT, amount=amount, threshold=threshold, tier="serious"),
                )
            )
        if context.customer_tier is CustomerTier.VIP:
            minimum = SEVERITY.vip_minimum_tier
            signals.append((minimum, reason(ReasonCode.VIP, tier=minimum)))
        if context.prior_complaints >= SEVERITY.repeat_complaints_for_serious:
            repeated = reason(
                ReasonCode.REPEATED,
                count=context.prior_complaints,
                days=SEVERITY.repeat_window_days,
                threshold=SEVERITY.repeat_complaints_for_serious,
                tier="serious",
            )
            signals.append((Tier.SERIOUS, repeated))
        return signals
