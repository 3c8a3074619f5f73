"""One chaos run from start to verdict: start the stack, drive the cases under fire, let
the dust settle, check, stop the stack."""

import asyncio
import random
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import col, select

from chaos.api_client import ApiClient
from chaos.checks import check_run, count_workflows, read_outcomes
from chaos.credentials import api_requires_keys, issue_api_keys
from chaos.deliveries import Outside
from chaos.drivers import Desk, drive
from chaos.history_checks import check_provider_deadlines, check_replay, fetch_histories
from chaos.monkey import Monkey
from chaos.plan import ChaosPlan
from chaos.processes import ChaosStack
from chaos.report import ChaosReport
from chaos.scenarios import Case, plan_cases
from chaos.snapshot import read_snapshot
from core.temporal import connect
from store.db import SessionFactory, make_engine, session_factory
from store.tables.couriers import SandboxParcelEvent

# After the last case is final, the couriers' last events may still be on their way.
SETTLE_SECONDS = 60.0


async def run_chaos(
    plan: ChaosPlan, work_dir: Path, log: Callable[[str], None] = print
) -> ChaosReport:
    """Runs the plan in `work_dir` (the stack's data and logs stay there) and returns the
    figures; the stack is stopped whatever happens."""
    began = time.monotonic()

    def say(message: str) -> None:
        log(f"[chaos {time.monotonic() - began:7.1f}s] {message}")

    work_dir.mkdir(parents=True, exist_ok=True)
    outside = Outside(plan, work_dir, lambda: stack.worker_pids())
    stack = ChaosStack(work_dir, plan.fault_settings() | outside.stack_settings())
    engine = make_engine(stack.settings.effective_database_url)
    try:
        say(f"starting the stack in {work_dir}, with a mail server and a webhook endpoint")
        outside.start()
        await asyncio.to_thread(stack.start)
        started = time.monotonic()
        keys = await asyncio.to_thread(issue_api_keys, stack) if api_requires_keys() else {}
        temporal = await connect(stack.settings)
        sessions = session_factory(engine)
        cases = plan_cases(plan.cases)
        rng = random.Random(plan.seed)
        api = ApiClient(stack.api_url, keys, rng)
        await outside.subscribe(api)
        desk = Desk(
            api=api,
            sessions=sessions,
            rng=rng,
            deadline=asyncio.get_running_loop().time() + plan.deadline_seconds,
            signed_by_key=bool(keys),
        )
        monkey = Monkey(
            stack,
            plan,
            temporal,
            sessions,
            lambda: desk.finished / len(cases),
            rng,
            say,
            mail=outside.mail,
        )
        say(f"driving {len(cases)} cases, at most {plan.max_active_cases} at a time")
        await _drive_under_fire(cases, desk, monkey, plan.max_active_cases, say)
        driven = time.monotonic()
        await api.aclose()
        await _settle(sessions, say)
        say("checking the store and the workflows")
        outcomes = await read_outcomes(cases, temporal)
        await outside.settle(sessions, say)
        # Quiet from here on: what the checks read is all there will be.
        await asyncio.to_thread(stack.stop_workers)
        snapshot = await asyncio.to_thread(read_snapshot, sessions)
        findings = check_run(cases, outcomes, snapshot)
        delivered = outside.check(snapshot, monkey.violence.kills, findings)
        histories = await fetch_histories(cases, temporal)
        check_provider_deadlines(histories, findings)
        await check_replay(histories, stack.settings.codec_keys, findings)
        workflows = await count_workflows(temporal)
        checked = time.monotonic()
    finally:
        say("stopping the stack")
        await asyncio.to_thread(stack.stop)
        outside.stop()
        engine.dispose()
    return ChaosReport(
        plan=plan,
        complaints=sum(not case.is_return for case in cases),
        returns=sum(case.is_return for case in cases),
        violence=monkey.violence,
        calls=api.figures,
        findings=findings,
        delivered=delivered,
        workflows=workflows,
        start_seconds=started - began,
        drive_seconds=driven - started,
        check_seconds=checked - driven,
        wall_seconds=time.monotonic() - began,
        work_dir=str(work_dir),
    )


async def _drive_under_fire(
    cases: list[Case], desk: Desk, monkey: Monkey, max_active: int, say: Callable[[str], None]
) -> None:
    """Drives every case while the monkey works; the monkey stops when the cases do."""
    limit = asyncio.Semaphore(max(1, max_active))
    stop = asyncio.Event()
    violence = asyncio.create_task(monkey.run(stop))

    async def one(case: Case) -> None:
        async with limit:
            await drive(case, desk)
            if desk.finished % 25 == 0 or desk.finished == len(cases):
                say(f"{desk.finished}/{len(cases)} cases done")

    try:
        await asyncio.gather(*(one(case) for case in cases))
    finally:
        stop.set()
        await violence


async def _settle(sessions: SessionFactory, say: Callable[[str], None]) -> None:
    """Waits until the sandbox courier has posted every tracking event (or gives up)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        pending = await asyncio.to_thread(_undelivered_events, sessions)
        if pending == 0:
            return
        await asyncio.sleep(1.0)
    say(f"{pending} courier events still undelivered after {SETTLE_SECONDS:.0f} s")


def _undelivered_events(sessions: SessionFactory) -> int:
    with sessions() as session:
        rows = session.exec(
            select(SandboxParcelEvent.event_id).where(
                col(SandboxParcelEvent.delivered_to_webhook).is_(False)
            )
        ).all()
    return len(rows)
