"""The chaos run's verdict: every case final, from the store and from its workflow, and
nothing lost or duplicated on the way (see the `*_checks` modules for each kind of thing)."""

import asyncio
import json
from dataclasses import dataclass

from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
)
from temporalio.service import RPCError

from chaos.courier_checks import check_parcels, check_stock
from chaos.findings import Findings
from chaos.money_checks import check_complaint_money, check_payments_cap, check_return_money
from chaos.outbox_checks import check_messages
from chaos.scenarios import Case
from chaos.snapshot import StoreSnapshot
from domain.complaints import ComplaintStatus, ComplaintView
from domain.returns import ReturnStatus, ReturnView
from workflows.complaints import ComplaintWorkflow
from workflows.returns import ReturnWorkflow

CASE_WORKFLOWS = ("ComplaintWorkflow", "ReturnWorkflow")
# Workflows read at once at the end: enough to be quick, few enough for the dev server.
READ_CONCURRENCY = 16
# A case its client saw final may still be finishing (its last messages, the read model,
# its survey), and a worker killed just then delays that by a task timeout or two.
FINISH_SECONDS = 90.0


@dataclass
class Outcome:
    """How a case's workflow ended: its execution status and the view it returned."""

    case: Case
    status: WorkflowExecutionStatus | None
    view: ComplaintView | ReturnView | None
    # For a workflow that did not finish: what Temporal says holds it up.
    trouble: str = ""


async def read_outcomes(cases: list[Case], temporal: Client) -> list[Outcome]:
    """Returns every opened case's workflow status and, once completed, its result."""
    limit = asyncio.Semaphore(READ_CONCURRENCY)

    async def read(case: Case) -> Outcome:
        if case.case_id is None:
            return Outcome(case, None, None)
        async with limit:
            handle = (
                temporal.get_workflow_handle_for(ReturnWorkflow.run, case.workflow_id)
                if case.is_return
                else temporal.get_workflow_handle_for(ComplaintWorkflow.run, case.workflow_id)
            )
            view: ComplaintView | ReturnView | None
            try:
                view = await asyncio.wait_for(handle.result(), timeout=FINISH_SECONDS)
            except (TimeoutError, RPCError, WorkflowFailureError):
                view = None
            try:
                described = await handle.describe()
            except RPCError:
                return Outcome(case, None, None)
            if view is None or described.status is not WorkflowExecutionStatus.COMPLETED:
                return Outcome(case, described.status, None, _trouble(described))
            return Outcome(case, described.status, view)

    return list(await asyncio.gather(*(read(case) for case in cases)))


def _trouble(described: WorkflowExecutionDescription) -> str:
    """Returns what Temporal reports as holding a workflow up (a failing task and why)."""
    raw = described.raw_description
    problems = raw.workflow_execution_info.search_attributes.indexed_fields.get(
        "TemporalReportedProblems"
    )
    said = ", ".join(json.loads(problems.data)) if problems is not None else ""
    attempt = raw.pending_workflow_task.attempt
    task = f"workflow task attempt {attempt}" if attempt > 1 else ""
    return "; ".join(part for part in (task, said) if part)


async def count_workflows(temporal: Client) -> dict[str, int]:
    """Returns how many workflows of each type ended (or wait) in each status; a workflow
    that continued as new counts once, by its newest run."""
    newest: dict[str, tuple[str, str]] = {}
    started_at: dict[str, float] = {}
    async for execution in temporal.list_workflows():
        at = execution.start_time.timestamp()
        if at >= started_at.get(execution.id, 0.0):
            started_at[execution.id] = at
            status = execution.status.name if execution.status else "UNKNOWN"
            newest[execution.id] = (execution.workflow_type, status)
    counts: dict[str, int] = {}
    for workflow_type, status in newest.values():
        counts[f"{workflow_type} {status}"] = counts.get(f"{workflow_type} {status}", 0) + 1
    return counts


def check_run(cases: list[Case], outcomes: list[Outcome], snapshot: StoreSnapshot) -> Findings:
    """Returns everything wrong with the run's cases, and the tally of what is right."""
    findings = Findings()
    for outcome in outcomes:
        view = _final_view(outcome, snapshot, findings)
        if view is None:
            continue
        case = outcome.case
        if isinstance(view, ComplaintView):
            check_complaint_money(case, view, snapshot, findings)
        else:
            check_return_money(case, view, snapshot, findings)
            check_parcels(case, view, snapshot, findings)
            check_stock(case, view, snapshot, findings)
        check_messages(case, view.timeline_total, snapshot, findings)
    check_payments_cap(snapshot, findings)
    _check_no_stray_cases(cases, snapshot, findings)
    return findings


def _final_view(
    outcome: Outcome, snapshot: StoreSnapshot, findings: Findings
) -> ComplaintView | ReturnView | None:
    """Returns the case's final view, having checked that the workflow and the read model
    both say it is final and agree; None (and a loss) when it is not."""
    case = outcome.case
    name = case.case_id or case.idempotency_key
    if case.case_id is None:
        findings.lose("case", name, f"never opened ({'; '.join(case.notes)})")
        return None
    if outcome.view is None:
        status = outcome.status.name if outcome.status else "not found"
        why = "; ".join(filter(None, [outcome.trouble, *case.notes]))
        findings.lose("case", name, f"workflow {status}, not completed ({why})")
        return None
    view = outcome.view
    record = snapshot.returns.get(name) if case.is_return else snapshot.complaints.get(name)
    final = ReturnStatus.COMPLETED if case.is_return else ComplaintStatus.CLOSED
    if view.status is not final:
        findings.lose("case", name, f"the workflow ended it {view.status}, not {final}")
    if record is None:
        findings.lose("case", name, "the read model has no row for it")
    elif record.status != view.status or record.refunded_total != view.refunded_total:
        findings.lose(
            "projection",
            name,
            f"the read model says {record.status} refunded {record.refunded_total}, "
            f"the workflow {view.status} refunded {view.refunded_total}",
        )
    findings.made["cases final"] += 1
    return view


def _check_no_stray_cases(cases: list[Case], snapshot: StoreSnapshot, findings: Findings) -> None:
    """Retried creations made no second case: every stored case is one the run opened, and
    every Idempotency-Key maps to the case its client got back."""
    opened = {case.case_id for case in cases}
    for case_id in [*snapshot.complaints, *snapshot.returns]:
        if case_id not in opened:
            findings.duplicate("case", case_id, "stored but never handed to a client")
    for case in cases:
        key = f"returns:{case.idempotency_key}" if case.is_return else case.idempotency_key
        stored = snapshot.idempotency_keys.get(key)
        if case.case_id is not None and stored != case.case_id:
            findings.duplicate("case", case.case_id, f"key {key} maps to {stored}")
