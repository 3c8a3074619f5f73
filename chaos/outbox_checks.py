"""Notifications, per case: every timeline event that tells someone something has its
message in the outbox, once, and no message exists for an event the case never had.

A case's message keys are `<case ref>/<event seq>/<template>/<recipient>`: the event that
caused a message is in its key, so a lost message and a duplicate are both exact.
"""

from collections import Counter

from chaos.findings import Findings
from chaos.scenarios import Case
from chaos.snapshot import Event, StoreSnapshot

# Timeline events that always notify, and the message they send (what the workflows do).
COMPLAINT_MESSAGES = {
    "acknowledged": "acknowledgement",
    "replied": "agent_reply",
    "info_requested": "info_request",
    "approval_requested": "approval_requested",
    "rejected": "approval_rejected",
    "compensation_undone": "resolution_failed",
    "resolved": "resolution_outcome",
}
RETURN_MESSAGES = {
    "review_requested": "return_review_requested",
    "plan_proposed": "return_plan_proposed",
    "label_created": "return_label",
    "pickup_booked": "return_label",
    "inspection_requested": "return_inspection_requested",
    "inspection_escalated": "return_inspection_requested",
    "store_credited": "return_store_credited",
    "exchange_shipped": "exchange_shipped",
    "claim_filed": "return_claim_filed",
    "completed": "return_completed",
}
FAILED = "notification_failed"


def expected_messages(case: Case, timeline: list[Event]) -> set[tuple[int, str]]:
    """Returns (event seq, template) of every message the case's timeline implies."""
    table = RETURN_MESSAGES if case.is_return else COMPLAINT_MESSAGES
    expected = {(e.seq, table[e.kind]) for e in timeline if e.kind in table}
    if case.is_return:
        for index, event in enumerate(timeline):
            following = timeline[index + 1].kind if index + 1 < len(timeline) else None
            if event.kind == "eligibility" and not event.detail.startswith("rejected"):
                expected.add((event.seq, "return_received"))
            if event.kind == "review_requested" and event.detail.startswith("supervisor"):
                expected.add((event.seq, "return_under_review"))
            # One refund message per settlement that paid all its refunds, on the last one.
            if event.kind == "refunded" and following not in ("refunded", "step_failed"):
                expected.add((event.seq, "return_refunded"))
    return expected


def check_messages(
    case: Case, timeline_total: int, snapshot: StoreSnapshot, findings: Findings
) -> None:
    ref = case.ledger_case
    timeline = snapshot.timelines.get(ref, [])
    seqs = [event.seq for event in timeline]
    if seqs != list(range(1, timeline_total + 1)):
        missing = sorted(set(range(1, timeline_total + 1)) - set(seqs))
        findings.lose("timeline event", ref, f"the read model lacks events {missing[:10]}")
    for event in timeline:
        if event.kind == FAILED:
            findings.lose("notification", ref, f"the workflow gave up on one: {event.detail}")
    expected = expected_messages(case, timeline)
    tracked = {template for _, template in expected} | set(
        (RETURN_MESSAGES if case.is_return else COMPLAINT_MESSAGES).values()
    )
    sent: Counter[tuple[int, str]] = Counter()
    for message in snapshot.outbox.get(ref, []):
        cause = _cause_of(message.idempotency_key, ref)
        if cause is None:
            # Filed under the case by another workflow (its survey): once per template.
            sent[(0, message.template)] += 1
            continue
        sent[(cause, message.template)] += 1
        if cause not in seqs:
            findings.duplicate(
                "notification",
                ref,
                f"{message.template} for event {cause}, which the case never had",
            )
        elif (cause, message.template) not in expected and message.template in tracked:
            findings.duplicate(
                "notification", ref, f"{message.template} for event {cause}, which sends none"
            )
    for (seq, template), count in sent.items():
        if count > 1:
            findings.duplicate(
                "notification", ref, f"{template} (event {seq}) sent {count} times", count - 1
            )
    for seq, template in sorted(expected - set(sent)):
        findings.lose("notification", ref, f"{template} for event {seq} was never sent")
    findings.made["notifications"] += sum(sent.values())


def _cause_of(key: str, ref: str) -> int | None:
    """Returns the event seq in a message key of this case, or None for another's key."""
    if not key.startswith(f"{ref}/"):
        return None
    seq = key.removeprefix(f"{ref}/").split("/", 1)[0]
    return int(seq) if seq.isdigit() else None
