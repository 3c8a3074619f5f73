"""Waiting work at scale: many open complaints on SLA timers, and what they cost.

    python -m benchmarks.waiting [--complaints 10000] [--cache-sizes 2000,12000]

Opens N complaints that wait for an agent (their SLA timers and reminders pending), then,
for each workflow cache size, restarts the worker with it and, for a random sample of
complaints, twice (cold, right after the restart, and warm):
- reads each through `GET /complaints/{id}`, which the read model answers;
- assigns each to an agent through `POST /complaints/{id}/actions`, an update the worker
  must run: cold, every update replays its workflow's history first; warm, a cached
  workflow takes it at once, if the cache holds it.
It reports the worker's resident memory after each pass and the p50/p99 of the calls, so
the cache size can be chosen: a bigger cache answers from memory, at a cost in RSS.
"""

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from benchmarks.load import open_complaints, percentile
from benchmarks.stack import admin_key, embedded_stack
from core.stack import ROOT, Stack

SAMPLE = 500
READERS = 10
WORKER_STOP_SECONDS = 60
SETTLED_POLL_SECONDS = 1


def rss_mib(pid: int) -> float:
    """Returns a process's resident set size in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _worker(stack: Stack) -> int:
    return next(c.process.pid for c in stack.children if c.name == "worker")


def restart_worker(stack: Stack, cache_size: int) -> int:
    """Replaces the worker process with one whose cache holds `cache_size` workflows."""
    for child in [c for c in stack.children if c.name == "worker"]:
        child.process.terminate()
        try:
            # A worker drains its in-flight tasks first; with thousands of workflows that
            # can take a while, and what is left is retried by the next worker anyway.
            child.process.wait(WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()
        stack.children.remove(child)
    stack.env["REDRESS_WORKFLOW_CACHE_SIZE"] = str(cache_size)
    return stack.spawn("worker", [sys.executable, str(ROOT / "worker.py")]).process.pid


async def until_all_open(http: httpx.AsyncClient, count: int, timeout: float) -> float:
    """Returns the seconds until the read model shows `count` open complaints: every
    complaint taken in, classified, routed and acknowledged, now only waiting."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        page = await http.get("/complaints", params={"status": "open", "limit": 1})
        page.raise_for_status()
        if page.json()["total"] >= count:
            return time.perf_counter() - started
        await asyncio.sleep(SETTLED_POLL_SECONDS)
    raise TimeoutError(f"fewer than {count} complaints open after {timeout:.0f} s")


async def read_sample(http: httpx.AsyncClient, ids: list[str]) -> list[float]:
    """Returns the latency (ms) of reading each complaint, READERS at a time."""
    return await _timed(ids, lambda complaint_id: http.get(f"/complaints/{complaint_id}"))


async def assign_sample(http: httpx.AsyncClient, ids: list[str], agent: str) -> list[float]:
    """Returns the latency (ms) of assigning each complaint to `agent`, READERS at a time."""
    action = {"action": {"type": "assign", "agent_id": agent}}
    return await _timed(
        ids, lambda complaint_id: http.post(f"/complaints/{complaint_id}/actions", json=action)
    )


async def _timed(ids: list[str], call: Callable[[str], Awaitable[httpx.Response]]) -> list[float]:
    latencies: list[float] = []
    queue = list(ids)

    async def caller() -> None:
        while queue:
            complaint_id = queue.pop()
            started = time.perf_counter()
            response = await call(complaint_id)
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(caller() for _ in range(READERS)))
    return latencies


async def run(args: argparse.Namespace) -> list[list[str]]:
    console = Console(width=160)
    rows: list[list[str]] = []
    with (
        tempfile.TemporaryDirectory(prefix="redress-waiting-") as scratch,
        embedded_stack(Path(scratch) / "var") as (settings, stack),
    ):
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{settings.api_port}",
            headers={"Authorization": f"Bearer {admin_key(settings)}"},
            timeout=120,
        ) as http:
            with Progress(console=console, transient=True) as progress:
                opened = await open_complaints(
                    http, count=args.complaints, concurrency=50, kind="open", progress=progress
                )
            console.print(f"opened {len(opened.complaint_ids)} in {opened.wall_seconds:.0f} s")
            settled = await until_all_open(http, len(opened.complaint_ids), args.settle_timeout)
            console.print(f"all taken in and waiting after another {settled:.0f} s")
            await asyncio.sleep(args.settle)
            baseline = rss_mib(_worker(stack))
            rows.append(["after opening", "default", f"{baseline:.0f}", "", ""])
            sample = random.Random(5).sample(
                opened.complaint_ids, min(SAMPLE, len(opened.complaint_ids))
            )
            for cache_size in args.cache_sizes:
                pid = restart_worker(stack, cache_size)
                await asyncio.sleep(3)
                for phase in ("cold", "warm"):
                    calls = {
                        "GET /complaints/{id}": await read_sample(http, sample),
                        "POST /complaints/{id}/actions": await assign_sample(
                            http, sample, f"agent-{phase}-{cache_size}"
                        ),
                    }
                    for call, latencies in calls.items():
                        rows.append(
                            [
                                f"{call} {phase}",
                                str(cache_size),
                                f"{rss_mib(pid):.0f}",
                                f"{statistics.median(latencies):.0f}",
                                f"{percentile(latencies, 0.99):.0f}",
                            ]
                        )
    table = Table(title=f"{args.complaints:,} open complaints waiting on timers")
    for header in ("measure", "cache size", "worker RSS MiB", "p50 ms", "p99 ms"):
        table.add_column(header, justify="left" if header == "measure" else "right")
    for row in rows:
        table.add_row(*row)
    console.print(table)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="Open complaints waiting on timers.")
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument(
        "--cache-sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[2000, 12000],
        help="workflow cache sizes to compare, comma-separated",
    )
    parser.add_argument(
        "--settle", type=float, default=10, help="seconds to wait once all are open"
    )
    parser.add_argument(
        "--settle-timeout", type=float, default=1800, help="longest wait until all are open"
    )
    parser.add_argument("--out", type=Path, help="write the table here as markdown")
    args = parser.parse_args()
    rows = asyncio.run(run(args))
    if args.out:
        lines = [
            "| measure | cache size | worker RSS MiB | p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
