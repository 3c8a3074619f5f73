"""Runs every benchmark and writes their tables to one file:

    python -m benchmarks [--quick] [--postgres URL] [--out benchmarks/RESULTS.md]

`--quick` uses small sizes (a smoke run, a few minutes); the full run takes about an hour
on a 2-core machine. Each benchmark can also run alone (`python -m benchmarks.<name>`).
"""

import argparse
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

FULL = {
    "throughput": ["--complaints", "500", "--rounds", "3"],
    "waiting": ["--complaints", "10000"],
    "read_model": ["--rows", "1000000", "--rounds", "30"],
}
QUICK = {
    "throughput": ["--complaints", "30", "--rounds", "1"],
    "waiting": ["--complaints", "60", "--cache-sizes", "20,100", "--settle", "3"],
    "read_model": ["--rows", "5000", "--rounds", "5"],
}
TITLES = {
    "throughput": "Redress against bare Temporal",
    "waiting": "Open complaints waiting on timers",
    "read_model": "The read model at scale",
}


def machine() -> str:
    """Returns a line describing where the figures were measured."""
    cpus = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Runs every benchmark.")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--postgres", help="also measure the read model on this database")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/RESULTS.md"))
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    sections = [
        f"# Benchmark results\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.\n"
    ]
    with tempfile.TemporaryDirectory() as scratch:
        for name, options in plan.items():
            table = Path(scratch) / f"{name}.md"
            extra = ["--postgres", args.postgres] if name == "read_model" and args.postgres else []
            command = [
                sys.executable,
                "-m",
                f"benchmarks.{name}",
                *options,
                *extra,
                "--out",
                str(table),
            ]
            print("$", " ".join(command[1:]), flush=True)
            subprocess.run(command, check=True)
            sections.append(
                f"## {TITLES[name]}\n\n`python {' '.join(command[1:-2])}`\n\n{table.read_text()}"
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(sections))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
