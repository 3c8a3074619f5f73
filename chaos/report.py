"""The figures of a chaos run, what makes it fail, and how they are printed."""

from dataclasses import dataclass, field

from chaos.api_client import CallFigures
from chaos.checks import CASE_WORKFLOWS
from chaos.deliveries import DeliveryFigures
from chaos.findings import PROBLEMS_SHOWN, Findings
from chaos.monkey import Violence
from chaos.plan import ChaosPlan


@dataclass
class ChaosReport:
    plan: ChaosPlan
    complaints: int
    returns: int
    violence: Violence
    calls: CallFigures
    findings: Findings
    delivered: DeliveryFigures
    workflows: dict[str, int] = field(default_factory=dict)
    start_seconds: float = 0.0
    drive_seconds: float = 0.0
    check_seconds: float = 0.0
    wall_seconds: float = 0.0
    work_dir: str = ""

    @property
    def case_workflows_started(self) -> int:
        return sum(n for key, n in self.workflows.items() if key.split()[0] in CASE_WORKFLOWS)

    @property
    def case_workflows_completed(self) -> int:
        return sum(
            n
            for key, n in self.workflows.items()
            if key.split()[0] in CASE_WORKFLOWS and key.endswith(" COMPLETED")
        )

    def failures(self) -> list[str]:
        """Returns why the run failed: a loss, a duplicate, or less violence than planned."""
        failures = []
        findings = self.findings
        if findings.lost:
            failures.append(f"lost: {dict(findings.lost)}")
        if findings.duplicates:
            failures.append(f"duplicated: {dict(findings.duplicates)}")
        if findings.half_done:
            failures.append(f"{findings.half_done} compensations left half done")
        if findings.disordered:
            failures.append(f"{findings.disordered} events taken out of their case's order")
        if findings.unsafe:
            failures.append(f"unsafe: {dict(findings.unsafe)}")
        if findings.unexpected_outcomes:
            failures.append(f"{findings.unexpected_outcomes} cases ended other than planned")
        if self.case_workflows_completed != self.plan.cases:
            failures.append(
                f"{self.case_workflows_completed} of {self.plan.cases} case workflows completed"
            )
        violence, plan = self.violence, self.plan
        if violence.worker_kills < plan.min_worker_kills:
            failures.append(f"only {violence.worker_kills} worker kills of {plan.min_worker_kills}")
        if violence.temporal_restarts < plan.temporal_restarts:
            failures.append(
                f"only {violence.temporal_restarts} dev-server restarts of {plan.temporal_restarts}"
            )
        if violence.api_restarts < plan.api_restarts:
            failures.append(f"only {violence.api_restarts} API restarts of {plan.api_restarts}")
        return failures

    def render(self) -> str:
        """Returns the figures as the lines the command prints."""
        plan, violence, findings, calls = self.plan, self.violence, self.findings, self.calls
        others = {k: n for k, n in self.workflows.items() if k.split()[0] not in CASE_WORKFLOWS}
        server_errors = sum(calls.server_errors.values())
        lines = [
            f"cases:         {plan.cases} ({self.complaints} complaints, {self.returns} returns)",
            f"faults:        payments {plan.payments_transient_failure_rate:.0%} fail, "
            f"{plan.payments_lost_response_rate:.0%} lose their answer, answers take "
            f"{plan.payments_response_delay_seconds} s; courier loses "
            f"{plan.courier_loss_rate:.0%} of parcels, {plan.courier_exception_rate:.0%} hit "
            f"an exception, {plan.courier_step_seconds} s a step",
            f"kills:         {violence.worker_kills} worker SIGKILLs "
            f"({violence.kills_during_refund} while the worker was paying out a refund, "
            f"{violence.kills_during_send} while it sent an e-mail), "
            f"{violence.worker_restarts} worker restarts",
            f"restarts:      {violence.temporal_restarts} Temporal dev server, "
            f"{violence.api_restarts} API; crashed on their own: {len(violence.crashes)}"
            + (f" ({', '.join(violence.crashes)})" if violence.crashes else ""),
            f"workflows:     {self.case_workflows_completed}/{self.case_workflows_started} "
            "complaint and return workflows completed" + (f"; also {others}" if others else ""),
            f"lost:          {sum(findings.lost.values())} {dict(findings.lost) or ''}".rstrip(),
            f"duplicates:    {sum(findings.duplicates.values())} "
            f"{dict(findings.duplicates) or ''}".rstrip(),
            f"e-mail:        {self.delivered.mail.summary()}",
            f"webhooks:      {self.delivered.webhooks.summary()}; "
            f"{findings.disordered} out of their case's order",
            f"half-done:     {findings.half_done} compensations; "
            f"{findings.unexpected_outcomes} cases ended other than planned",
            f"unsafe:        {sum(findings.unsafe.values())} {dict(findings.unsafe) or ''} "
            "(provider keys not made of case and step, deadlines past half the idempotency "
            "window, histories that do not replay, webhook requests that do not verify)",
            f"tally:         {dict(sorted(findings.made.items()))}",
            f"API calls:     {calls.calls} ({calls.retries} retries across restarts, "
            f"{calls.replays} creations replayed by Idempotency-Key, "
            f"{server_errors} answered 500)"
            + (f" {dict(calls.server_errors)}" if server_errors else ""),
            f"wall time:     {self.wall_seconds:.0f} s (start {self.start_seconds:.0f} s, "
            f"drive {self.drive_seconds:.0f} s, checks {self.check_seconds:.0f} s)",
        ]
        lines += [f"  {problem}" for problem in findings.problems[:PROBLEMS_SHOWN]]
        if len(findings.problems) > PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(findings.problems) - PROBLEMS_SHOWN} more problems")
        failures = self.failures()
        lines.append(
            "result:        " + ("PASS" if not failures else "FAIL: " + "; ".join(failures))
        )
        return "\n".join(lines)
