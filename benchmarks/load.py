"""A load generator for any Redress deployment: opens complaints over HTTP and, if asked,
waits until they close, reporting throughput and latency.

    python -m benchmarks.load --url http://127.0.0.1:8000 --key rdk_... \\
        --complaints 1000 --concurrency 50 [--kind auto-coupon] [--wait-closed]

`--kind auto-coupon` sends late-parcel complaints that Redress resolves on its own (a small
coupon under the approval threshold), so they run from intake to close with no person;
`--kind open` sends complaints that wait for an agent. Every request carries its own
Idempotency-Key. As a well-behaved platform would, it retries with that key a request that
fails for a network reason, or that Redress answers 429 or 5xx (after the Retry-After it
names), and reports how many it retried.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from rich.console import Console
from rich.progress import Progress

KINDS: dict[str, "BodyBuilder"] = {}
RETRIES = 5
CLOSED_POLL_SECONDS = 0.5


BodyBuilder = Callable[[int], dict[str, Any]]


def _kind(name: str) -> Callable[[BodyBuilder], BodyBuilder]:
    def register(build: BodyBuilder) -> BodyBuilder:
        KINDS[name] = build
        return build

    return register


def _customer(number: int) -> dict[str, Any]:
    return {"id": f"load-{uuid.uuid4().hex[:10]}-{number}", "tier": "regular", "locale": "zh-CN"}


@_kind("auto-coupon")
def auto_coupon(number: int) -> dict[str, Any]:
    """Returns a late-parcel complaint the auto-resolution rules close with a coupon."""
    return {
        "channel": "app",
        "customer": _customer(number),
        "order": {"order_id": f"ord-load-{uuid.uuid4().hex[:12]}", "paid_amount": "59.00"},
        "description": "My parcel is late: it was due three days ago and has still not arrived.",
    }


@_kind("open")
def open_complaint(number: int) -> dict[str, Any]:
    """Returns a defective-product complaint that waits for an agent (and its SLA timers)."""
    return {
        "channel": "web",
        "customer": _customer(number),
        "description": "The blender I received is defective: the motor stops after a minute.",
        "desired_outcome": "refund",
    }


def percentile(samples: Sequence[float], q: float) -> float:
    """Returns the nearest-rank `q` percentile of `samples` (the benchmarks' one rule)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@dataclass
class LoadResult:
    """What a run measured: per-request latencies (ms), ids opened and wall time (s)."""

    latencies_ms: list[float] = field(default_factory=list)
    complaint_ids: list[str] = field(default_factory=list)
    errors: int = 0
    # Requests sent again after a 429, a 5xx or a network failure (each time counts).
    retried: int = 0
    wall_seconds: float = 0.0
    closed_seconds: float | None = None

    @property
    def per_second(self) -> float:
        return len(self.complaint_ids) / self.wall_seconds if self.wall_seconds else 0.0

    def latency(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


async def _open_one(http: httpx.AsyncClient, body: dict[str, Any], result: LoadResult) -> None:
    key = f"load-{uuid.uuid4()}"
    for attempt in range(RETRIES):
        if attempt:
            result.retried += 1
        started = time.perf_counter()
        try:
            response = await http.post("/complaints", json=body, headers={"Idempotency-Key": key})
        except httpx.TransportError:
            await asyncio.sleep(0.2 * (attempt + 1))
            continue
        if response.status_code in (200, 201):
            result.latencies_ms.append((time.perf_counter() - started) * 1000)
            result.complaint_ids.append(response.json()["complaint_id"])
            return
        if response.status_code != 429 and response.status_code < 500:
            break
        await asyncio.sleep(_retry_after(response, attempt))
    result.errors += 1


def _retry_after(response: httpx.Response, attempt: int) -> float:
    """Returns the seconds to wait before sending a refused request again: what the
    response's Retry-After says, else a short growing pause."""
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return 0.2 * (attempt + 1)


async def open_complaints(
    http: httpx.AsyncClient,
    *,
    count: int,
    concurrency: int,
    kind: str = "auto-coupon",
    progress: Progress | None = None,
) -> LoadResult:
    """Opens `count` complaints with at most `concurrency` requests in flight."""
    build = KINDS[kind]
    result = LoadResult()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count):
        queue.put_nowait(number)
    task = None
    if progress is not None:
        task = progress.add_task(f"opening {count} ({concurrency} clients)", total=count)

    async def client() -> None:
        while True:
            try:
                number = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await _open_one(http, build(number), result)
            if progress is not None and task is not None:
                progress.advance(task)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.wall_seconds = time.perf_counter() - started
    return result


async def wait_until_closed(
    http: httpx.AsyncClient,
    complaint_ids: list[str],
    *,
    opened_since: datetime,
    timeout: float,
    progress: Progress | None = None,
) -> float:
    """Returns the seconds until every complaint reads `closed` in the read model.

    Lists are newest first: paging stops at complaints opened before `opened_since`.
    """
    started = time.perf_counter()
    pending = set(complaint_ids)
    task = progress.add_task("waiting until closed", total=len(pending)) if progress else None
    while pending:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{len(pending)} complaints still open after {timeout:.0f} s")
        page = await http.get("/complaints", params={"status": "closed", "limit": 200})
        # The newest closed ones come first; walk pages until every pending id was seen.
        seen = await _closed_ids(http, page, opened_since)
        closed_now = pending & seen
        pending -= closed_now
        if progress is not None and task is not None:
            progress.advance(task, len(closed_now))
        if pending:
            await asyncio.sleep(CLOSED_POLL_SECONDS)
    return time.perf_counter() - started


async def _closed_ids(
    http: httpx.AsyncClient, first: httpx.Response, opened_since: datetime
) -> set[str]:
    seen: set[str] = set()
    page = first
    while True:
        items = page.json()["items"]
        seen.update(item["complaint_id"] for item in items)
        older = items and datetime.fromisoformat(items[-1]["created_at"]) < opened_since
        if older or not page.json().get("next"):
            return seen
        page = await http.get(page.json()["next"])


def summary(result: LoadResult) -> str:
    """Returns one line of figures for a run."""
    if not result.latencies_ms:
        return f"nothing opened ({result.errors} errors)"
    line = (
        f"{len(result.complaint_ids)} opened in {result.wall_seconds:.1f} s: "
        f"{result.per_second:.1f}/s, p50 {result.latency(0.5):.0f} ms, "
        f"p95 {result.latency(0.95):.0f} ms, p99 {result.latency(0.99):.0f} ms, "
        f"mean {statistics.fmean(result.latencies_ms):.0f} ms, {result.errors} errors, "
        f"{result.retried} sent again after a 429, 5xx or network failure"
    )
    if result.closed_seconds is not None:
        line += f"; all closed {result.closed_seconds:.1f} s after the first request"
    return line


async def run(args: argparse.Namespace) -> LoadResult:
    console = Console()
    async with httpx.AsyncClient(
        base_url=args.url,
        headers={"Authorization": f"Bearer {args.key}"},
        timeout=60,
        limits=httpx.Limits(max_connections=args.concurrency),
    ) as http:
        with Progress(console=console) as progress:
            opened_since = datetime.now(UTC)
            result = await open_complaints(
                http,
                count=args.complaints,
                concurrency=args.concurrency,
                kind=args.kind,
                progress=progress,
            )
            if args.wait_closed:
                waited = await wait_until_closed(
                    http,
                    result.complaint_ids,
                    opened_since=opened_since,
                    timeout=args.timeout,
                    progress=progress,
                )
                result.closed_seconds = result.wall_seconds + waited
    console.print(summary(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Opens complaints against a Redress API.")
    parser.add_argument("--url", required=True, help="the API's base URL")
    parser.add_argument("--key", required=True, help="an API key with the service role")
    parser.add_argument("--complaints", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--kind", choices=sorted(KINDS), default="auto-coupon")
    parser.add_argument("--wait-closed", action="store_true", help="wait until all close")
    parser.add_argument("--timeout", type=float, default=600, help="for --wait-closed")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
