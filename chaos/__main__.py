"""`python -m chaos`: the full chaos run (500 cases), or a smaller one with `--cases`.

It prints what it does as it goes, then the figures, and exits 1 if anything was lost,
duplicated or left half done, or if it did less violence than planned.
"""

import argparse
import asyncio
import sys
import tempfile
from dataclasses import fields
from pathlib import Path

from chaos.plan import ChaosPlan
from chaos.run import run_chaos


def _parser() -> argparse.ArgumentParser:
    defaults = ChaosPlan()
    parser = argparse.ArgumentParser(
        prog="python -m chaos",
        description="Drive complaints and returns through Redress while killing its "
        "workers and restarting its server and API; check that nothing was lost or paid twice.",
    )
    parser.add_argument("--cases", type=int, default=defaults.cases, help="complaints and returns")
    parser.add_argument(
        "--kills", type=int, default=defaults.min_worker_kills, help="worker SIGKILLs, at least"
    )
    parser.add_argument("--temporal-restarts", type=int, default=defaults.temporal_restarts)
    parser.add_argument("--api-restarts", type=int, default=defaults.api_restarts)
    parser.add_argument("--max-active", type=int, default=defaults.max_active_cases)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument(
        "--work-dir", type=Path, default=None, help="keep the stack's data and logs here"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    plan = ChaosPlan(
        cases=args.cases,
        min_worker_kills=args.kills,
        temporal_restarts=args.temporal_restarts,
        api_restarts=args.api_restarts,
        max_active_cases=args.max_active,
        seed=args.seed,
    )
    work_dir = args.work_dir or Path(tempfile.mkdtemp(prefix="redress-chaos-"))
    report = asyncio.run(run_chaos(plan, work_dir))
    print(f"\nchaos run ({', '.join(f'{f.name}={getattr(plan, f.name)}' for f in fields(plan))})")
    print(report.render())
    print(f"stack data and logs: {work_dir}")
    return 1 if report.failures() else 0


if __name__ == "__main__":
    sys.exit(main())
