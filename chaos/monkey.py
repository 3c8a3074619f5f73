"""The violence: a worker SIGKILLed every few seconds (aimed at one paying out a refund
when it can find one, or now and then at one handing an e-mail to the mail server), the
dev server and the API restarted as the cases progress, and
any program that died on its own started again."""

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client
from temporalio.service import RPCError

from chaos.mail_sink import MailSink
from chaos.plan import ChaosPlan
from chaos.processes import ChaosStack, StackProcess
from store.db import SessionFactory
from store.tables.ledger import LedgerEntry, LedgerKind

REFUND_ACTIVITY = "refund_payment"
TICK_SECONDS = 0.2
HUNT_POLL_SECONDS = 0.1
# A killed worker stays dead this long before it is started again.
DEAD_FOR_SECONDS = (0.2, 2.0)


@dataclass(frozen=True)
class WorkerKill:
    """One SIGKILL: which process, and when (just before the signal went)."""

    worker: str
    pid: int
    at: datetime


@dataclass
class Violence:
    """What the monkey did, and what died without being asked to."""

    worker_kills: int = 0
    kills_during_refund: int = 0
    # Aimed at a worker whose e-mail the mail server had taken but not yet answered.
    kills_during_send: int = 0
    kills: list[WorkerKill] = field(default_factory=list)
    worker_restarts: int = 0
    temporal_restarts: int = 0
    api_restarts: int = 0
    crashes: list[str] = field(default_factory=list)


class Monkey:
    """Kills and restarts the stack's programs while the drivers work."""

    def __init__(
        self,
        stack: ChaosStack,
        plan: ChaosPlan,
        temporal: Client,
        sessions: SessionFactory,
        progress: Callable[[], float],
        rng: random.Random,
        log: Callable[[str], None],
        mail: MailSink | None = None,
    ) -> None:
        self._stack = stack
        self._mail = mail
        self._plan = plan
        self._temporal = temporal
        self._sessions = sessions
        self._progress = progress
        self._rng = rng
        self._log = log
        self.violence = Violence()

    async def run(self, stop: asyncio.Event) -> None:
        """Works until `stop` is set, then leaves every program running."""
        restarts = self._plan.restart_points()
        next_kill = time.monotonic() + self._rng.uniform(*self._plan.kill_every)
        while not stop.is_set():
            await self._revive_crashed()
            if restarts and self._progress() >= restarts[0][0]:
                _, what = restarts.pop(0)
                await (self._restart_temporal() if what == "temporal" else self._restart_api())
            elif time.monotonic() >= next_kill and self._may_kill():
                await self._kill_a_worker()
                next_kill = time.monotonic() + self._next_pause()
            await asyncio.sleep(TICK_SECONDS)
        await self._revive_crashed()

    def _may_kill(self) -> bool:
        most = self._plan.max_worker_kills
        return most is None or self.violence.worker_kills < most

    def _next_pause(self) -> float:
        # Behind on the minimum number of kills for the progress made: hurry up, so the
        # minimum is reached before the cases run out.
        due = self._plan.min_worker_kills * min(1.0, self._progress() / 0.8 + 0.1)
        low, high = self._plan.kill_every
        if self.violence.worker_kills < due:
            return low / 2
        return self._rng.uniform(low, high)

    async def _kill_a_worker(self) -> None:
        target, what = None, ""
        if (
            self._mail is not None
            and self.violence.worker_kills % self._plan.kill_mid_send_every == 0
        ):
            target, what = await self._hunt_send_in_flight(self._mail)
            self.violence.kills_during_send += target is not None
        if target is None:
            target, what = await self._hunt_refund_in_flight()
            self.violence.kills_during_refund += target is not None
        if target is None:
            target = self._rng.choice([w for w in self._stack.workers if w.running()])
            what = "at random"
        self._log(f"SIGKILL {target.name} (pid {target.pid}) {what}")
        assert target.pid is not None
        self.violence.kills.append(WorkerKill(target.name, target.pid, datetime.now(UTC)))
        await asyncio.to_thread(self._stack.kill_worker, target)
        self.violence.worker_kills += 1
        await asyncio.sleep(self._rng.uniform(*DEAD_FOR_SECONDS))
        await asyncio.to_thread(self._stack.restart_worker, target)
        self.violence.worker_restarts += 1

    async def _hunt_send_in_flight(self, mail: MailSink) -> tuple[StackProcess | None, str]:
        """Returns the worker that hands the mail server its next e-mail, whose answer
        the server holds back until the kill has landed."""
        pid = await mail.next_sender(within=self._plan.send_hunt_seconds)
        for worker in self._stack.workers:
            if worker.running() and worker.pid == pid:
                return worker, "while it sends an e-mail"
        return None, ""

    async def _hunt_refund_in_flight(self) -> tuple[StackProcess | None, str]:
        """Returns a worker that is paying out a refund right now, watching the ledger for
        fresh refunds and asking Temporal which worker runs their activity."""
        deadline = time.monotonic() + self._plan.refund_hunt_seconds
        window = timedelta(seconds=self._plan.payments_response_delay_seconds + 1.0)
        while time.monotonic() < deadline:
            for workflow_id in await asyncio.to_thread(self._fresh_refunds, window):
                worker = await self._worker_refunding(workflow_id)
                if worker is not None:
                    return worker, f"while it refunds for {workflow_id}"
            await asyncio.sleep(HUNT_POLL_SECONDS)
        return None, ""

    def _fresh_refunds(self, window: timedelta) -> list[str]:
        since = datetime.now(UTC) - window
        with self._sessions() as session:
            cases = session.exec(
                select(LedgerEntry.complaint_id).where(
                    LedgerEntry.kind == LedgerKind.REFUND, col(LedgerEntry.created_at) >= since
                )
            ).all()
        # Return refunds are filed as "return-<id>", the return's workflow id already.
        return [case if case.startswith("return-") else f"complaint-{case}" for case in cases]

    async def _worker_refunding(self, workflow_id: str) -> StackProcess | None:
        try:
            described = await self._temporal.get_workflow_handle(workflow_id).describe()
        except RPCError:
            return None
        by_pid = {f"{w.pid}@": w for w in self._stack.workers if w.running()}
        for pending in described.raw_description.pending_activities:
            if (
                pending.activity_type.name == REFUND_ACTIVITY
                and pending.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            ):
                for prefix, worker in by_pid.items():
                    if pending.last_worker_identity.startswith(prefix):
                        return worker
        return None

    async def _restart_temporal(self) -> None:
        self._log("restarting the Temporal dev server (SIGTERM, same SQLite file)")
        await asyncio.to_thread(self._stack.restart_temporal)
        self.violence.temporal_restarts += 1
        self._log("the Temporal dev server is serving again")

    async def _restart_api(self) -> None:
        self._log("restarting the API (SIGKILL mid-request)")
        await asyncio.to_thread(self._stack.restart_api)
        self.violence.api_restarts += 1
        self._log("the API is healthy again")

    async def _revive_crashed(self) -> None:
        for name in await asyncio.to_thread(self._stack.revive_crashed):
            self._log(f"{name} had exited on its own: started it again")
            self.violence.crashes.append(name)
