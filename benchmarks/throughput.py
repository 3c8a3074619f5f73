"""Redress against bare Temporal, side by side on one dev server: starts, end-to-end
throughput and history cost.

    python -m benchmarks.throughput [--complaints 500] [--rounds 3] [--out FILE]

It runs the embedded stack exactly as `make run` does (dev server on SQLite with WAL,
the worker process, the API under uvicorn, payloads encrypted) in a scratch directory,
plus a worker for the baseline workflow in its own process. Each round measures, in turn:
1. starts: N `POST /complaints` from 50 and from 200 concurrent clients, against N
   `client.start_workflow` calls of a one-activity workflow at the same concurrency;
2. end to end: N auto-resolvable complaints (a coupon under the approval threshold) until
   all are closed, against N bare workflows running as many no-op activities as such a
   complaint runs;
3. history cost: events and bytes of an auto-resolved complaint, and of a complaint taken
   through an agent, a customer reply, an approval and a refund;
4. where the CPU goes: CPU milliseconds per completed case of each process (the dev
   server, the worker, the API; the bare worker), during the end-to-end measure.
Each measure starts from an idle stack: the worker finishes what a start measure opened
before the next measure begins. Medians of the rounds are reported with their ratio to
the baseline. `REDRESS_WORKER_PROCESSES` and `REDRESS_API_PROCESSES` set how many worker
and API processes the stack runs, as for `make run`.
"""

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from benchmarks.bare import BareSteps, BareWorkflow
from benchmarks.cpu import cpu_seconds, spent
from benchmarks.history import complaint_history_cost, drive_worst_path
from benchmarks.load import LoadResult, open_complaints, wait_until_closed
from benchmarks.stack import admin_key, embedded_stack
from core.codec import data_converter

ROOT = Path(__file__).resolve().parents[1]
CONCURRENCY = (50, 200)
LOCAL_ACTIVITY_MARKER = "core_local_activity"
# The start benchmark's baseline: a one-activity workflow.
ONE_ACTIVITY = BareSteps(activities=1)


@dataclass
class Figures:
    """Per-round samples of each metric, Redress and baseline side by side."""

    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.samples.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])


async def _bare_starts(client: Client, queue: str, count: int, concurrency: int) -> LoadResult:
    result = LoadResult()
    pending = list(range(count))

    async def starter() -> None:
        while pending:
            pending.pop()
            started = time.perf_counter()
            handle = await client.start_workflow(
                BareWorkflow.run,
                BareSteps(activities=1),
                id=f"bare-{uuid.uuid4()}",
                task_queue=queue,
            )
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.complaint_ids.append(handle.id)

    began = time.perf_counter()
    await asyncio.gather(*(starter() for _ in range(concurrency)))
    result.wall_seconds = time.perf_counter() - began
    return result


async def _bare_end_to_end(
    client: Client, queue: str, count: int, steps: BareSteps, concurrency: int
) -> float:
    """Returns bare workflows of `steps` completed per second."""
    began = time.perf_counter()
    handles = []
    pending = list(range(count))

    async def starter() -> None:
        while pending:
            pending.pop()
            handles.append(
                await client.start_workflow(
                    BareWorkflow.run, steps, id=f"bare-{uuid.uuid4()}", task_queue=queue
                )
            )

    await asyncio.gather(*(starter() for _ in range(concurrency)))
    await asyncio.gather(*(handle.result() for handle in handles))
    return count / (time.perf_counter() - began)


async def _activities_of(client: Client, workflow_id: str) -> BareSteps:
    """Returns how many activities and local activities the workflow ran."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    scheduled = EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    marker = EventType.EVENT_TYPE_MARKER_RECORDED
    return BareSteps(
        activities=sum(1 for event in history.events if event.event_type == scheduled),
        # Local activities leave a marker each (patches leave markers of another name).
        local_activities=sum(
            1
            for event in history.events
            if event.event_type == marker
            and event.marker_recorded_event_attributes.marker_name == LOCAL_ACTIVITY_MARKER
        ),
    )


async def measure(args: argparse.Namespace, console: Console) -> tuple[Figures, dict[str, str]]:
    figures = Figures()
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="redress-throughput-") as scratch:
        with embedded_stack(Path(scratch) / "var") as (settings, stack):
            key = admin_key(settings)
            client = await Client.connect(
                settings.temporal_address, data_converter=data_converter(None)
            )
            queue = f"bare-{uuid.uuid4().hex[:8]}"
            bare = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.bare_worker", "--address",
                 settings.temporal_address, "--task-queue", queue],
                cwd=ROOT,
                env=stack.env,  # as Redress's worker runs, bytecode cache included
                process_group=0,  # its CPU time is counted by process group
            )  # fmt: skip
            groups = {child.name: child.process.pid for child in stack.children}
            groups["bare worker"] = bare.pid
            try:
                async with httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{settings.api_port}",
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=120,
                    limits=httpx.Limits(max_connections=max(CONCURRENCY)),
                ) as http:
                    await _rounds(args, console, figures, notes, http, client, queue, groups)
            finally:
                bare.terminate()
                bare.wait(10)
    return figures, notes


async def _rounds(
    args: argparse.Namespace,
    console: Console,
    figures: Figures,
    notes: dict[str, str],
    http: httpx.AsyncClient,
    client: Client,
    queue: str,
    groups: dict[str, int],
) -> None:
    with Progress(console=console, transient=True) as progress:
        closed_ids: list[str] = []
        for round_number in range(1, args.rounds + 1):
            console.print(f"round {round_number} of {args.rounds}")
            for concurrency in CONCURRENCY:
                await _starts(args, figures, http, client, queue, concurrency, progress)
            closed_ids = await _end_to_end(
                args, figures, notes, http, client, queue, groups, progress
            )
    await _history_costs(notes, http, client, closed_ids[0])


async def _starts(
    args: argparse.Namespace,
    figures: Figures,
    http: httpx.AsyncClient,
    client: Client,
    queue: str,
    concurrency: int,
    progress: Progress,
) -> None:
    n = args.complaints
    opened_since = datetime.now(UTC)
    redress = await open_complaints(http, count=n, concurrency=concurrency, progress=progress)
    # The complaints just opened are auto-resolvable: let the worker finish them before
    # the next measure, which would otherwise share the CPU with their backlog (the bare
    # workflows' backlog is one no-op activity each).
    await wait_until_closed(
        http, redress.complaint_ids, opened_since=opened_since, timeout=args.timeout,
        progress=progress,
    )  # fmt: skip
    baseline = await _bare_starts(client, queue, n, concurrency)
    await asyncio.gather(
        *(client.get_workflow_handle(id).result() for id in baseline.complaint_ids)
    )
    for name, result in (("redress", redress), ("bare", baseline)):
        figures.add(f"starts/s c={concurrency} {name}", result.per_second)
        for q in (50, 95, 99):
            latency = result.latency(q / 100)
            figures.add(f"start p{q} ms c={concurrency} {name}", latency)


async def _end_to_end(
    args: argparse.Namespace,
    figures: Figures,
    notes: dict[str, str],
    http: httpx.AsyncClient,
    client: Client,
    queue: str,
    groups: dict[str, int],
    progress: Progress,
) -> list[str]:
    """Measures auto-resolved complaints and bare workflows completed per second, and the
    CPU time each process spent per case; returns the complaints' ids."""
    n = args.complaints
    opened_since = datetime.now(UTC)
    cpu_before = cpu_seconds(groups)
    began = time.perf_counter()
    closing = await open_complaints(http, count=n, concurrency=50, progress=progress)
    await wait_until_closed(
        http,
        closing.complaint_ids,
        opened_since=opened_since,
        timeout=args.timeout,
        progress=progress,
    )
    figures.add("completed/s redress", n / (time.perf_counter() - began))
    redress_cpu = spent(cpu_before, cpu_seconds(groups))
    steps = await _activities_of(client, f"complaint-{closing.complaint_ids[0]}")
    notes["activities per auto-resolved complaint"] = (
        f"{steps.activities} + {steps.local_activities} local"
    )
    cpu_before = cpu_seconds(groups)
    figures.add("completed/s bare", await _bare_end_to_end(client, queue, n, steps, 50))
    bare_cpu = spent(cpu_before, cpu_seconds(groups))
    _add_cpu_per_case(figures, n, redress_cpu, bare_cpu)
    return closing.complaint_ids


def _add_cpu_per_case(
    figures: Figures, n: int, redress: dict[str, float], bare: dict[str, float]
) -> None:
    """Adds the CPU milliseconds per case of each process, Redress's beside bare's."""

    def per_case(cpu: dict[str, float], names: list[str]) -> float:
        return 1000 * sum(cpu[name] for name in names) / n

    workers = [name for name in redress if name.startswith("worker")]
    rows = {
        "dev server": (["temporal"], ["temporal"]),
        "worker": (workers, ["bare worker"]),
        "API": (["api"], []),
        "total": (["temporal", *workers, "api"], ["temporal", "bare worker"]),
    }
    for row, (ours, theirs) in rows.items():
        figures.add(f"CPU ms per case, {row} redress", per_case(redress, ours))
        figures.add(f"CPU ms per case, {row} bare", per_case(bare, theirs))


async def _history_costs(
    notes: dict[str, str], http: httpx.AsyncClient, client: Client, happy_id: str
) -> None:
    happy = await complaint_history_cost(client, happy_id)
    notes["happy path (auto-resolved)"] = f"{happy.events} events, {happy.bytes:,} bytes"
    worst = await complaint_history_cost(client, await drive_worst_path(http))
    notes["agent, reply, approval, refund"] = f"{worst.events} events, {worst.bytes:,} bytes"


def _table(figures: Figures, notes: dict[str, str], args: argparse.Namespace) -> tuple[Table, str]:
    title = f"Redress vs bare Temporal, {args.complaints} per run, median of {args.rounds} rounds"
    table = Table(title=title)
    header = ["measure", "Redress", "bare Temporal", "Redress / bare"]
    for name in header:
        table.add_column(name, justify="left" if name == "measure" else "right")
    lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|"]
    measures = [f"starts/s c={c}" for c in CONCURRENCY]
    measures += [f"start p{q} ms c={c}" for c in CONCURRENCY for q in (50, 95, 99)]
    measures.append("completed/s")
    measures += [f"CPU ms per case, {row}" for row in ("dev server", "worker", "API", "total")]
    for measure in measures:
        ours, theirs = figures.median(f"{measure} redress"), figures.median(f"{measure} bare")
        ratio = f"{ours / theirs:.2f}x" if theirs else ""
        row = [measure, f"{ours:.1f}", f"{theirs:.1f}", ratio]
        table.add_row(*row)
        lines.append("| " + " | ".join(row) + " |")
    for name, value in notes.items():
        table.add_row(name, value, "", "")
        lines.append(f"| {name} | {value} | | |")
    return table, "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Redress against bare Temporal.")
    parser.add_argument("--complaints", type=int, default=500, help="complaints per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for closes")
    parser.add_argument("--out", type=Path, help="write the table here as markdown")
    args = parser.parse_args()
    console = Console(width=160)
    figures, notes = asyncio.run(measure(args, console))
    table, markdown = _table(figures, notes, args)
    console.print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown)
        console.print(f"written to {args.out}")


if __name__ == "__main__":
    main()
