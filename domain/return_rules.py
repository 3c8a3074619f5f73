"""What may be done to a return in which state: pure checks shared by the return
workflow's update validators and handlers (a handler checks again, as a complaint's does,
because two updates can pass their validators before either handler runs)."""

from domain.complaint_rules import ActionNotAllowed, InvalidAction
from domain.evidence import EvidenceNotice, EvidenceSource
from domain.return_queues import CLOSED_STATUSES
from domain.returns import ReturnView


def check_return_evidence_notice(view: ReturnView, notice: EvidenceNotice) -> None:
    """Raises ActionNotAllowed once the return is closed, and InvalidAction for a notice
    that names no kept file, names refused ones (the page and the API answer a refusal at
    once, and a return takes no mail), or carries the warehouse's photos (its inspection
    records those)."""
    if view.status in CLOSED_STATUSES:
        raise ActionNotAllowed(f"the return is closed ({view.status.value})")
    if not notice.added:
        raise InvalidAction("the notice names no file kept for the return")
    if notice.refused:
        raise InvalidAction("a return is told only of the files it kept")
    if notice.source is EvidenceSource.WAREHOUSE:
        raise InvalidAction("the warehouse's photos are recorded by the inspection")
