"""Which evidence notices a return takes in which state (`domain.return_rules`)."""

from datetime import UTC, datetime

import pytest

from domain.complaint_rules import ActionNotAllowed, InvalidAction
from domain.evidence import EvidenceFile, EvidenceNotice, EvidenceSource, RefusalReason, RefusedFile
from domain.return_rules import check_return_evidence_notice
from domain.returns import ReturnStatus, ReturnView
from tests.workflows.test_return_workflow import return_request

AT = datetime(2026, 3, 8, tzinfo=UTC)
KEPT = EvidenceFile(sha256="a" * 64, filename="sole.jpg", content_type="image/jpeg", size=9)


def view(status: ReturnStatus) -> ReturnView:
    return ReturnView(
        return_id="R1", status=status, created_at=AT, updated_at=AT, request=return_request()
    )


@pytest.mark.parametrize(
    "status", [s for s in ReturnStatus if s not in {"completed", "rejected", "cancelled"}]
)
def test_an_open_return_takes_the_customers_files(status: ReturnStatus) -> None:
    for source in (EvidenceSource.API, EvidenceSource.CUSTOMER_PAGE):
        check_return_evidence_notice(view(status), EvidenceNotice(source=source, added=[KEPT]))


@pytest.mark.parametrize(
    "status", [ReturnStatus.COMPLETED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED]
)
def test_a_closed_return_takes_no_file(status: ReturnStatus) -> None:
    notice = EvidenceNotice(source=EvidenceSource.API, added=[KEPT])
    with pytest.raises(ActionNotAllowed, match=f"the return is closed \\({status.value}\\)"):
        check_return_evidence_notice(view(status), notice)


@pytest.mark.parametrize(
    ("notice", "refusal"),
    [
        (EvidenceNotice(source=EvidenceSource.API), "names no file"),
        (
            EvidenceNotice(
                source=EvidenceSource.CUSTOMER_PAGE,
                added=[KEPT],
                refused=[RefusedFile(filename="x.exe", size=3, reason=RefusalReason.EMPTY)],
            ),
            "only of the files it kept",
        ),
        (EvidenceNotice(source=EvidenceSource.WAREHOUSE, added=[KEPT]), "inspection"),
    ],
)
def test_a_notice_that_is_not_the_customers_kept_files_is_invalid(
    notice: EvidenceNotice, refusal: str
) -> None:
    with pytest.raises(InvalidAction, match=refusal):
        check_return_evidence_notice(view(ReturnStatus.UNDER_REVIEW), notice)
