"""Runs the bare baseline's worker in its own process until SIGTERM or SIGINT.

The workflow lives in `benchmarks.bare`, not here: the workflow sandbox re-imports a
workflow's module, and a module run as `__main__` cannot be re-imported.
"""

import argparse
import asyncio
import signal

from temporalio.client import Client
from temporalio.worker import Worker

from benchmarks.bare import BareWorkflow, bare_step
from core.codec import data_converter


async def serve(address: str, task_queue: str) -> None:
    """Polls `task_queue` for the baseline workflow and its activity until told to stop."""
    # The same converter Redress uses (pydantic JSON), so payload costs match.
    client = await Client.connect(address, data_converter=data_converter(None))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Worker(
        client, task_queue=task_queue, workflows=[BareWorkflow], activities=[bare_step]
    ):
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="Runs the bare baseline's worker.")
    parser.add_argument("--address", default="127.0.0.1:7233")
    parser.add_argument("--task-queue", required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.address, args.task_queue))


if __name__ == "__main__":
    main()
