"""The benchmarks run end to end at small sizes, so the full runs keep working.

These check that each benchmark completes and reports every figure; the figures
themselves are only printed (speed is never asserted in tests).
"""

import subprocess
import sys
from pathlib import Path

from benchmarks.read_model import REQUESTS

ROOT = Path(__file__).resolve().parents[2]


def _run(module: str, out: Path, *options: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *options, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    print(finished.stdout[-4000:])
    return out.read_text()


def _cells(table: str, measure: str) -> list[str]:
    row = next(line for line in table.splitlines() if line.startswith(f"| {measure}"))
    return [cell.strip() for cell in row.strip("|").split("|")]


def test_throughput_against_bare_temporal_reports_every_measure(tmp_path: Path) -> None:
    table = _run("throughput", tmp_path / "t.md", "--complaints", "8", "--rounds", "1")

    for measure in ("starts/s c=50", "starts/s c=200", "start p99 ms c=200", "completed/s"):
        _, ours, theirs, ratio = _cells(table, measure)
        assert float(ours) > 0 and float(theirs) > 0 and ratio.endswith("x")
    _, worker, bare_worker, _ = _cells(table, "CPU ms per case, worker")
    _, total, bare_total, _ = _cells(table, "CPU ms per case, total")
    assert 0 < float(worker) < float(total) and 0 < float(bare_worker) < float(bare_total)
    events = _cells(table, "happy path (auto-resolved)")[1]
    assert int(events.split()[0]) > 10, "an auto-resolved complaint's history was read"
    assert "events" in _cells(table, "agent, reply, approval, refund")[1]


def test_waiting_work_reports_memory_and_read_latency(tmp_path: Path) -> None:
    table = _run(
        "waiting", tmp_path / "w.md",
        "--complaints", "20", "--cache-sizes", "5,50", "--settle", "2",
    )  # fmt: skip

    rows = [line for line in table.splitlines() if line.startswith(("| GET", "| POST"))]
    assert len(rows) == 8, table  # reads and updates, cold and warm, for each cache size
    for row in rows:
        _, cache, rss, p50, p99 = (cell.strip() for cell in row.strip("|").split("|"))
        assert float(rss) > 0 and float(p50) > 0 and float(p99) >= float(p50)


def test_read_model_benchmark_times_every_request(tmp_path: Path) -> None:
    table = _run("read_model", tmp_path / "r.md", "--rows", "1500", "--rounds", "3")

    timed = [line for line in table.splitlines() if line.startswith("| `GET")]
    assert len(timed) == len(REQUESTS), table
    assert all(float(cell) > 0 for line in timed for cell in line.strip("|").split("|")[1:])
