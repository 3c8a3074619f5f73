"""Read-model benchmark: analytics, complaint lists and the console's queues (with
free-text search) over a million complaints, and return analytics over a million returns.

    python -m benchmarks.read_model --rows 1000000                    # SQLite
    python -m benchmarks.read_model --rows 1000000 --postgres URL     # and PostgreSQL

Seeds the read model (in a temporary SQLite file, and in the PostgreSQL database at URL,
which it wipes) with complaints, returns and a year of units sold (`--returns` sets how
many returns; as many as complaints by default), rebuilds the daily and monthly roll-ups
from the rows as an import would, then calls each endpoint through the real app (its
lifespan, auth and serialisation; a Temporal dev server is started because the app
connects to one) and reports p50/p99 latency per endpoint and backend. Figures go to
stdout and, as a markdown table, to `--out`.
"""

import argparse
import asyncio
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine, text
from temporalio.testing import WorkflowEnvironment

from api.auth import SESSION_COOKIE, issue_session_token
from api.main import create_app
from benchmarks.load import percentile
from benchmarks.read_model_returns import seed_returns
from benchmarks.read_model_rows import seed_read_model
from core.settings import Settings
from domain.access import Role
from domain.policy import STAFF_TIMEZONE
from store.db import make_engine, session_factory
from store.migrate import upgrade_database
from store.return_rollups import rebuild_return_rollups
from store.rollups import rebuild_rollups
from store.staff import active_user, create_user, issue_key
from store.teams import seed_default_teams

REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("analytics", "/analytics/breakdown", {"dimension": "category"}),
    # `days=365`: the whole seeded year.
    ("analytics", "/analytics/breakdown", {"dimension": "sku", "days": "365"}),
    ("analytics", "/analytics/trend", {"bucket": "day"}),
    ("analytics", "/analytics/trend", {"bucket": "week", "split_by": "tier", "days": "365"}),
    ("analytics", "/analytics/service-levels", {}),
    ("analytics", "/analytics/service-levels", {"days": "365"}),
    ("analytics", "/analytics/satisfaction", {"days": "365"}),
    ("analytics", "/analytics/scoreboard", {"scope": "agent", "days": "365"}),
    ("analytics", "/analytics/scoreboard", {"scope": "team", "region": "Zhejiang"}),
    # Returns: rates per SKU against the units sold, the other reports, and a SKU and a
    # grouping at once (two dimensions: read from the return facts, not the roll-ups).
    ("analytics", "/analytics/returns/rates", {"dimension": "sku", "days": "365"}),
    ("analytics", "/analytics/returns/rates", {"dimension": "reason"}),
    ("analytics", "/analytics/returns/rates", {"dimension": "reason", "sku": "SKU-00007"}),
    ("analytics", "/analytics/returns/settlements", {"days": "365"}),
    ("analytics", "/analytics/returns/claims", {"days": "365"}),
    ("analytics", "/analytics/returns/inspections", {"dimension": "root_cause", "days": "365"}),
    (
        "analytics",
        "/analytics/returns/trend",
        {"bucket": "week", "split_by": "reason", "days": "365"},
    ),
    # Returns over time by outcome: the analytics page's chart (a day a column over its
    # four weeks), and a year of weeks.
    (
        "analytics",
        "/analytics/returns/trend",
        {"bucket": "day", "split_by": "outcome", "days": "28"},
    ),
    (
        "analytics",
        "/analytics/returns/trend",
        {"bucket": "week", "split_by": "outcome", "days": "365"},
    ),
    ("list", "/complaints", {"limit": "50"}),
    ("list", "/complaints", {"status": "open", "limit": "50"}),
    ("list", "/complaints", {"category": "logistics", "tier": "critical"}),
    ("list", "/complaints", {"assignee": "agent-quality-3"}),
    ("list", "/complaints", {"customer_id": "cust-123"}),
    ("list", "/complaints", {"breached": "true", "offset": "500"}),
    # The console's queues, as the agent `QUEUE_AGENT` (of the quality team) and a
    # supervisor see them: whole pages, rendered.
    ("agent", "/console/queue", {}),
    ("agent", "/console/queue/team", {}),
    ("agent", "/console/queue/team", {"page": "40"}),
    ("agent", "/console/queue/team", {"q": "包裹可能丢失"}),
    ("agent", "/console/queue/team", {"q": "丢失"}),
    ("agent", "/console/queue/team", {"q": "motor x1234"}),
    ("agent", "/console/queue/team", {"tier": "critical", "waiting": "hide"}),
    ("supervisor", "/console/queue/team", {}),
    ("supervisor", "/console/queue/team", {"q": "x4321"}),
    ("supervisor", "/console/queue/team", {"q": "ord-123456"}),
    # Searching every closed complaint: most of the million rows.
    ("supervisor", "/console/queue/team", {"status": "closed", "q": "cust-4242"}),
    # The analytics page, complaints and returns, over its default four weeks.
    ("supervisor", "/console/analytics", {}),
]
# Seeded assignees are agent-<team>-<0..24>; seed_default_teams puts this one in quality.
QUEUE_AGENT = "agent-quality-3"


@dataclass
class Figure:
    backend: str
    request: str
    p50_ms: float
    p99_ms: float


def _params(params: dict[str, str]) -> dict[str, str]:
    """Returns the query string, with `days=N` turned into a `since` N days back."""
    chosen = dict(params)
    days = chosen.pop("days", None)
    if days:
        today = datetime.now(ZoneInfo(STAFF_TIMEZONE)).date()
        chosen["since"] = str(today - timedelta(days=int(days)))
    return chosen


def _label(caller: str, path: str, params: dict[str, str]) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    signed_in = f" ({caller})" if caller in ("agent", "supervisor") else ""
    return f"GET {path}" + (f"?{query}" if query else "") + signed_in


def _prepare(url: str, rows: int, returns: int, console: Console) -> Engine:
    upgrade_database(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in (
            "survey_responses",
            "complaint_items",
            "timeline_events",
            "complaint_search",
            "complaints",
            "return_line_facts",
            "return_facts",
            "return_events",
            "returns",
            "units_sold",
        ):
            connection.execute(text(f"DELETE FROM {table}"))
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"seeding {rows:,} complaints", total=rows)
        seed_read_model(engine, rows, progress=lambda n: progress.advance(task, n))
        task = progress.add_task(f"seeding {returns:,} returns", total=returns)
        seed_returns(engine, returns, progress=lambda n: progress.advance(task, n))
    # The rows went in without the projections, which keep the roll-ups as they write.
    for name, rebuild in (("complaint", rebuild_rollups), ("return", rebuild_return_rollups)):
        started = time.perf_counter()
        with session_factory(engine)() as session:
            rebuild(session)
            session.commit()
        console.print(f"{name} roll-ups rebuilt in {time.perf_counter() - started:.0f} s")
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return engine


async def _measure(
    backend: str, url: str, temporal: WorkflowEnvironment, rounds: int, data_dir: Path
) -> list[Figure]:
    secret_key = secrets.token_hex(32)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        seed_default_teams(session)
        staff = {"bench-admin": Role.ADMIN, QUEUE_AGENT: Role.AGENT, "bench-sup": Role.SUPERVISOR}
        for user_id, role in staff.items():
            if active_user(session, user_id) is None:
                create_user(session, user_id=user_id, display_name="bench", role=role)
        key = issue_key(session, user_id="bench-admin").token
        # The console takes its session cookie, not keys.
        cookies = {
            kind: issue_session_token(secret_key, user)
            for kind, user_id in (("agent", QUEUE_AGENT), ("supervisor", "bench-sup"))
            if (user := active_user(session, user_id)) is not None
        }
    engine.dispose()
    client = temporal.client
    settings = Settings(
        data_dir=data_dir,
        database_url=url,
        temporal_address=client.service_client.config.target_host,
        secret_key=secret_key,
    )
    app = create_app(settings)
    figures = []
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        ) as http,
    ):
        for caller, path, params in REQUESTS:
            query = _params(params)
            signed_in = (
                {"Cookie": f"{SESSION_COOKIE}={cookies[caller]}"} if caller in cookies else {}
            )
            samples = []
            for round_number in range(rounds + 2):
                started = time.perf_counter()
                response = await http.get(path, params=query, headers=signed_in)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{path} {query}: {response.status_code} {response.text}")
                if round_number >= 2:  # two warm-up calls fill the caches
                    samples.append(elapsed)
            figures.append(
                Figure(
                    backend=backend,
                    request=_label(caller, path, params),
                    p50_ms=statistics.median(samples),
                    p99_ms=percentile(samples, 0.99),
                )
            )
    return figures


def _table(figures: list[Figure], rows: int, returns: int, rounds: int) -> tuple[Table, str]:
    backends = sorted({f.backend for f in figures}, key=lambda b: b != "sqlite")
    title = f"Read model with {rows:,} complaints and {returns:,} returns ({rounds} calls each)"
    table = Table(title=title)
    table.add_column("request")
    header = ["request"]
    for backend in backends:
        table.add_column(f"{backend} p50 ms", justify="right")
        table.add_column(f"{backend} p99 ms", justify="right")
        header += [f"{backend} p50 ms", f"{backend} p99 ms"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for caller, path, params in REQUESTS:
        label = _label(caller, path, params)
        cells = []
        for backend in backends:
            figure = next(f for f in figures if f.backend == backend and f.request == label)
            cells += [f"{figure.p50_ms:.1f}", f"{figure.p99_ms:.1f}"]
        table.add_row(label, *cells)
        lines.append(f"| `{label}` | " + " | ".join(cells) + " |")
    return table, "\n".join(lines) + "\n"


async def run(
    rows: int, returns: int, rounds: int, postgres: str | None, out: Path | None
) -> list[Figure]:
    """Seeds each backend, measures every request, prints and writes the table."""
    console = Console(width=160)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="redress-bench-") as scratch:
        backends = [("sqlite", f"sqlite:///{Path(scratch) / 'read-model.db'}")]
        if postgres:
            backends.append(("postgresql", postgres))
        async with await WorkflowEnvironment.start_local(
            dev_server_existing_path=shutil.which("temporal")
        ) as temporal:
            for backend, url in backends:
                started = time.perf_counter()
                _prepare(url, rows, returns, console).dispose()
                console.print(f"{backend}: seeded in {time.perf_counter() - started:.0f} s")
                figures += await _measure(backend, url, temporal, rounds, Path(scratch))
    table, markdown = _table(figures, rows, returns, rounds)
    console.print(table)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown)
        console.print(f"written to {out}")
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="complaints")
    parser.add_argument("--returns", type=int, help="returns (default: as many as --rows)")
    parser.add_argument("--rounds", type=int, default=30, help="calls per request")
    parser.add_argument("--postgres", help="PostgreSQL URL (its read model is wiped)")
    parser.add_argument("--out", type=Path, help="write the table here as markdown")
    args = parser.parse_args(argv)
    returns = args.rows if args.returns is None else args.returns
    asyncio.run(run(args.rows, returns, args.rounds, args.postgres, args.out))


if __name__ == "__main__":
    main()
