"""Money and goods, per case: every refund, coupon, credit and replacement the workflow
says it gave exists exactly once at the provider, nothing else does, and each attempt at a
resolution or settlement was either kept whole or undone whole."""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from chaos.findings import Findings
from chaos.scenarios import Case, Scenario
from chaos.snapshot import StoreSnapshot
from domain.complaints import ComplaintView
from domain.returns import ReturnView
from store.tables.fulfillment import ReplacementStatus

REVERSAL_OF = {
    "refund_reversal": "refund",
    "coupon_void": "coupon",
    "store_credit_revoke": "store_credit",
}
# What each complaint scenario must end in (compensations kept, by kind).
COMPLAINT_ENDS: dict[Scenario, list[str]] = {
    Scenario.DOUBLE_CHARGE_AUTO_REFUND: ["refund"],
    Scenario.AGENT_REFUND: ["refund"],
    Scenario.APPROVED_REFUND_AND_COUPON: ["coupon", "refund"],
    Scenario.REPLACEMENT: ["replacement"],
    Scenario.STORE_CREDIT: ["store_credit"],
    Scenario.REFUND_REFUSED_THEN_STORE_CREDIT: ["store_credit"],
}


# A run id (or any UUID) in a key would change when the workflow's run does, and pay again.
RUN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Given:
    """One thing a provider gave: its kind, reference, amount, attempt, and how often undone."""

    kind: str
    reference: str
    amount: Decimal
    attempt: str
    undone: int = 0


def attempt_of(key: str, case_ref: str) -> str:
    """Returns which resolution or settlement of the case an idempotency key belongs to."""
    rest = key.removeprefix(f"{case_ref}/").removesuffix("/undo")
    first = rest.split("/", 1)[0]
    # A return's first settlement keeps the keys it always had: no attempt in them.
    return first if first.startswith(("resolution-", "settlement-")) else "settlement-1"


def given_for(case: Case, snapshot: StoreSnapshot, findings: Findings) -> list[Given]:
    """Returns what the providers gave for the case, each marked with how often undone."""
    ref = case.ledger_case
    given: dict[str, Given] = {}
    entries = snapshot.ledger.get(ref, [])
    for key in [e.idempotency_key for e in entries] + [
        o.idempotency_key for o in snapshot.replacements.get(ref, [])
    ]:
        if not key.startswith(f"{ref}/") or RUN_ID.search(key):
            findings.risk("idempotency key", ref, f"{key} is not made of the case and step")
    for entry in entries:
        if entry.kind not in REVERSAL_OF:
            attempt = attempt_of(entry.idempotency_key, ref)
            given[entry.reference] = Given(entry.kind, entry.reference, entry.amount, attempt)
    for entry in entries:
        if entry.kind in REVERSAL_OF:
            original = given.get(entry.reverses_reference or "")
            if original is None:
                findings.half(
                    ref, f"{entry.reference} reverses {entry.reverses_reference}, unknown"
                )
                continue
            original.undone += 1
    for order in snapshot.replacements.get(ref, []):
        item = Given(
            "replacement", order.reference, Decimal("0"), attempt_of(order.idempotency_key, ref)
        )
        item.undone = int(order.status == ReplacementStatus.CANCELLED)
        given[order.reference] = item
    for item in given.values():
        if item.undone > 1:
            findings.duplicate(
                f"{item.kind} reversal", ref, f"{item.reference} undone {item.undone} times"
            )
    attempts: dict[str, set[bool]] = {}
    for item in given.values():
        attempts.setdefault(item.attempt, set()).add(item.undone > 0)
    for attempt, undone in sorted(attempts.items()):
        if len(undone) > 1:
            findings.half(ref, f"{attempt} was partly undone: {_describe(given.values(), attempt)}")
    return list(given.values())


def check_complaint_money(
    case: Case, view: ComplaintView, snapshot: StoreSnapshot, findings: Findings
) -> None:
    """The complaint's compensation records against the ledger and replacement orders."""
    given = given_for(case, snapshot, findings)
    # References are unique per provider, so sets of (kind, reference) compare exactly.
    kept = {(g.kind, g.reference) for g in given if not g.undone}
    undone = {g.reference for g in given if g.undone}
    told_kept = {(str(r.kind), r.reference) for r in view.compensations if not r.undone}
    told_undone = {r.reference for r in view.compensations if r.undone}
    for kind, reference in sorted(told_kept - kept):
        findings.lose(
            kind,
            case.ledger_case,
            f"{reference} recorded by the workflow, not kept by the provider",
        )
    for kind, reference in sorted(kept - told_kept):
        findings.duplicate(
            kind, case.ledger_case, f"{reference} kept by the provider, unknown to the workflow"
        )
    if undone != told_undone:
        findings.half(
            case.ledger_case,
            f"undone at the provider {sorted(undone)}, in the workflow {sorted(told_undone)}",
        )
    refunded = sum((g.amount for g in given if g.kind == "refund" and not g.undone), Decimal("0"))
    if refunded != view.refunded_total:
        findings.lose(
            "refund",
            case.ledger_case,
            f"refunded {refunded}, the workflow says {view.refunded_total}",
        )
    ends = sorted(kind for kind, _ in kept)
    if ends != COMPLAINT_ENDS[case.scenario]:
        findings.unexpected(
            case.ledger_case, f"ended with {ends}, expected {COMPLAINT_ENDS[case.scenario]}"
        )
    _tally(given, findings)


def check_return_money(
    case: Case, view: ReturnView, snapshot: StoreSnapshot, findings: Findings
) -> None:
    """The return's totals against the ledger: refunds per order once, credit once."""
    given = given_for(case, snapshot, findings)
    kept = [g for g in given if not g.undone]
    for kind, total in (("refund", view.refunded_total), ("store_credit", view.store_credit_total)):
        paid = sum((g.amount for g in kept if g.kind == kind), Decimal("0"))
        if paid < total:
            findings.lose(kind, case.ledger_case, f"{paid} given, the customer was told {total}")
        elif paid > total:
            findings.duplicate(kind, case.ledger_case, f"{paid} given, the workflow counts {total}")
    refunds_per_payment = Counter(
        entry.payment_id
        for entry in snapshot.ledger.get(case.ledger_case, [])
        if entry.kind == "refund" and any(g.reference == entry.reference for g in kept)
    )
    for payment_id, count in refunds_per_payment.items():
        if count > 1:
            findings.duplicate(
                "refund",
                case.ledger_case,
                f"payment {payment_id} refunded {count} times",
                count - 1,
            )
    wants_credit = case.scenario is Scenario.RETURN_STORE_CREDIT_PICKUP
    if (view.store_credit_total > 0) != wants_credit or (view.refunded_total > 0) == wants_credit:
        findings.unexpected(
            case.ledger_case,
            f"refunded {view.refunded_total}, credited {view.store_credit_total} ({case.scenario})",
        )
    _tally(given, findings)


def check_payments_cap(snapshot: StoreSnapshot, findings: Findings) -> None:
    """No payment was refunded beyond what the gateway captured, across all cases."""
    kept_refunds: dict[str, Decimal] = defaultdict(Decimal)
    reversed_refs = {e.reverses_reference for rows in snapshot.ledger.values() for e in rows}
    for rows in snapshot.ledger.values():
        for entry in rows:
            if entry.kind == "refund" and entry.reference not in reversed_refs and entry.payment_id:
                kept_refunds[entry.payment_id] += entry.amount
    for payment_id, refunded in kept_refunds.items():
        charge = snapshot.charges.get(payment_id)
        if charge is not None and refunded > charge.captured_total:
            findings.duplicate(
                "refund beyond what was paid", payment_id, f"{refunded} of {charge.captured_total}"
            )


def _tally(given: list[Given], findings: Findings) -> None:
    for item in given:
        findings.made[f"{item.kind}s kept" if not item.undone else f"{item.kind}s undone"] += 1


def _describe(given: Iterable[Given], attempt: str) -> str:
    items = [g for g in given if g.attempt == attempt]
    return ", ".join(f"{g.kind} {g.reference}{' (undone)' if g.undone else ''}" for g in items)
