"""A return's timeline details in the page's language: the code that opens a detail is
named, the policy's reasons are worded from the verdict the return keeps, and what people
and couriers wrote stays as written, as does a detail of any other shape."""

from datetime import UTC, datetime

import pytest

from api.console.return_timeline_details import return_event_detail
from core.wording.return_words import policy_reasons
from domain.return_reasons import EligibilityReason, EligibilityReasonCode, ReturnReason
from domain.returns import Eligibility, EligibilityDecision, ReturnEvent, ReturnEventKind
from domain.taxonomy import Locale
from tests.return_factories import make_return_view

AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
MISSING = [
    EligibilityReason(
        code=EligibilityReasonCode.EVIDENCE_MISSING, params={"reason": ReturnReason.DEFECTIVE}
    )
]
VERDICT = Eligibility(
    decision=EligibilityDecision.MANUAL_REVIEW, reasons=policy_reasons(MISSING), details=MISSING
)
VIEW = make_return_view(eligibility=VERDICT)
REASONS = "; ".join(VERDICT.reasons)


def _worded(kind: ReturnEventKind, detail: str, language: Locale) -> str:
    event = ReturnEvent(seq=1, at=AT, kind=kind, actor="redress", detail=detail)
    return return_event_detail(event, VIEW, language)


@pytest.mark.parametrize(
    ("kind", "detail", "english", "chinese"),
    [
        (ReturnEventKind.RECEIVED, "defective", "Defective", "质量问题"),
        (
            ReturnEventKind.ELIGIBILITY,
            f"manual_review: {REASONS}",
            'Sent to review: The reason "defective" needs photos or video, but none were attached.',
            "需人工审核：以“商品质量问题”为由退货需要提供照片或视频，但未上传任何凭证。",
        ),
        (
            ReturnEventKind.REVIEW_REQUESTED,
            f"supervisor: {REASONS}",
            'Supervisor: The reason "defective" needs photos or video, but none were attached.',
            "主管：以“商品质量问题”为由退货需要提供照片或视频，但未上传任何凭证。",
        ),
        (ReturnEventKind.ELIGIBILITY, "approved: ", "Approved by the policy", "符合退货政策"),
        (
            # Reasons that are not the verdict the return keeps stay as recorded.
            ReturnEventKind.ELIGIBILITY,
            "rejected: some older wording",
            "Rejected by the policy: some older wording",
            "不符合退货政策：some older wording",
        ),
        (
            ReturnEventKind.INSPECTED,
            "partial: one shoe is scuffed",
            "Partly accepted: one shoe is scuffed",
            "部分验收：one shoe is scuffed",
        ),
        (
            ReturnEventKind.TRACKING,
            "in_transit: left the depot (SBX000000001)",
            "In transit: left the depot (SBX000000001)",
            "运输中：left the depot (SBX000000001)",
        ),
        (
            ReturnEventKind.REVIEWED,
            "denied: worn for a month",
            "Denied: worn for a month",
            "已驳回：worn for a month",
        ),
        (
            ReturnEventKind.CONSENT,
            "accepted: thanks",
            "Accepted: thanks",
            "已接受：thanks",
        ),
    ],
)
def test_a_recorded_shape_is_worded_in_each_language(
    kind: ReturnEventKind, detail: str, english: str, chinese: str
) -> None:
    assert _worded(kind, detail, Locale.EN) == english
    assert _worded(kind, detail, Locale.ZH_CN) == chinese


@pytest.mark.parametrize(
    ("kind", "detail"),
    [
        (ReturnEventKind.NEEDS_PERSON, "review overdue"),
        (ReturnEventKind.REVIEWED, "retry"),
        (ReturnEventKind.STEP_FAILED, "refund: card declined"),
    ],
)
def test_any_other_detail_is_shown_as_written(kind: ReturnEventKind, detail: str) -> None:
    assert _worded(kind, detail, Locale.ZH_CN) == detail
