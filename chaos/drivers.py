"""Each case driven through the API until it is final, the way its people would: the
platform opens it, an agent or supervisor acts, the warehouse inspects, the customer
answers. The driver decides from the case's current view every time, so an action whose
answer was lost in a restart is never assumed, only observed.
"""

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from chaos.api_client import ApiClient, ApiGaveUp
from chaos.scenarios import (
    Case,
    GatewayCharge,
    Scenario,
    complaint_proposal,
    inspection_findings,
)
from store.db import SessionFactory
from store.tables.ledger import record_charge

# How often a case's view is read: a little jitter keeps the cases from polling in step.
POLL_SECONDS = (1.0, 2.5)
# While a parcel travels nobody has anything to do: look less often.
TRAVEL_POLL_SECONDS = (2.5, 5.0)
TRAVELLING = {"awaiting_shipment", "in_transit", "exchange_in_transit"}
# Every step of every case here takes seconds (a kill adds a task timeout or two): a case
# whose view has not changed for this long is stuck, and waiting longer shows nothing new.
STALLED_AFTER_SECONDS = 300.0
FINAL_RETURN_STATUSES = {"completed", "rejected", "cancelled"}
# Who acts when the API has no authentication (it then takes the actor from the body).
UNSIGNED_ACTORS = {
    "actor": "agent-quality-1",
    "approver": "supervisor-quality",
    "reviewer": "returns-supervisor",
    "inspector": "warehouse-chaos",
}


@dataclass
class Desk:
    """What every driver shares: the API, the sandbox gateway's store and the clock."""

    api: ApiClient
    sessions: SessionFactory
    rng: random.Random
    # The event loop time at which drivers stop and leave their case as it is.
    deadline: float
    # True when the API signs actions with the caller's key instead of a body field.
    signed_by_key: bool
    finished: int = 0


async def drive(case: Case, desk: Desk) -> None:
    """Drives one case to its final state, or notes where it stopped and why."""
    try:
        if case.is_return:
            await _drive_return(case, desk)
        else:
            await _drive_complaint(case, desk)
    except ApiGaveUp as error:
        case.notes.append(f"gave up: {error}")
    finally:
        desk.finished += 1


async def _open(case: Case, desk: Desk) -> None:
    await asyncio.to_thread(_record_charges, desk.sessions, case.charges)
    path = "/returns" if case.is_return else "/complaints"
    response = await desk.api.post(path, case.body, idempotency_key=case.idempotency_key)
    if response.status_code not in (200, 201):
        raise ApiGaveUp(f"opening was refused: HTTP {response.status_code} {response.text}")
    case.case_id = str(response.json()["return_id" if case.is_return else "complaint_id"])


async def _views(case: Case, desk: Desk) -> AsyncIterator[dict[str, Any]]:
    """Yields the case's view every few seconds until the run's deadline, or until the
    case has not moved for STALLED_AFTER_SECONDS (it is stuck: the checks say why)."""
    loop = asyncio.get_running_loop()
    status, updated_at, moved_at = "", "", loop.time()
    while loop.time() < desk.deadline:
        response = await desk.api.get(case.path)
        if response.status_code == 200:
            view: dict[str, Any] = response.json()
            status = str(view["status"])
            if view["updated_at"] != updated_at:
                updated_at, moved_at = view["updated_at"], loop.time()
            yield view
        else:
            case.notes.append(f"read refused: HTTP {response.status_code} {response.text[:200]}")
        if loop.time() - moved_at > STALLED_AFTER_SECONDS:
            case.notes.append(f"stuck {status} since {updated_at}")
            return
        await asyncio.sleep(
            desk.rng.uniform(*(TRAVEL_POLL_SECONDS if status in TRAVELLING else POLL_SECONDS))
        )
    case.notes.append(f"not final by the deadline: last seen {status or 'nothing'}")


async def _drive_complaint(case: Case, desk: Desk) -> None:
    await _open(case, desk)
    talked = False
    async for view in _views(case, desk):
        status = view["status"]
        if status == "closed":
            case.final_status = f"closed:{view['close_reason']}"
            return
        if status == "awaiting_approval":
            choice = {"approved": True, "reason": "checked during the chaos run"}
            await _act(case, desk, "approval", choice, role="supervisor", signer="approver")
        elif status == "open" and case.scenario is not Scenario.DOUBLE_CHARGE_AUTO_REFUND:
            if not talked:
                # A little conversation first, as a real case has: more updates under fire.
                talked = True
                await _say_something(case, desk)
                continue
            proposal = complaint_proposal(case, after_failure=view["resolutions_run"] > 0)
            await _act(
                case, desk, "actions", {"action": proposal}, role="supervisor", signer="actor"
            )


async def _say_something(case: Case, desk: Desk) -> None:
    # Complaints have odd numbers: every other one hears from the agent, the rest from
    # the customer.
    if (case.number // 2) % 2:
        reply = {"type": "reply", "message": "Sorry about this; we are looking into it now."}
        await _act(case, desk, "actions", {"action": reply}, role="supervisor", signer="actor")
    else:
        message = {"message": "It still does not work, I would like this sorted please."}
        await _act(case, desk, "messages", message, role="service")


async def _drive_return(case: Case, desk: Desk) -> None:
    await _open(case, desk)
    async for view in _views(case, desk):
        status = view["status"]
        if status in FINAL_RETURN_STATUSES:
            case.final_status = status
            return
        if status == "under_review":
            choice = {"approved": True, "reason": "looked at the order history"}
            await _act(case, desk, "review", choice, role="supervisor", signer="reviewer")
        elif status == "awaiting_consent":
            answer = {"accepted": False, "note": "I would rather have my money back"}
            await _act(case, desk, "consent", answer, role="service")
        elif status == "awaiting_inspection":
            findings = inspection_findings(case)
            await _act(case, desk, "inspection", findings, role="warehouse", signer="inspector")
        elif status == "settling" and view["needs_person"]:
            # A person has the card fixed at the gateway, then retries the settlement.
            await asyncio.to_thread(_record_charges, desk.sessions, case.fixed_charges)
            choice = {"approved": True, "reason": "the card was fixed"}
            await _act(case, desk, "settlement-retry", choice, role="supervisor", signer="reviewer")


async def _act(
    case: Case,
    desk: Desk,
    route: str,
    body: dict[str, Any],
    *,
    role: str,
    signer: str | None = None,
) -> None:
    """Posts one decision; a refusal is noted, since the next view shows what really holds."""
    if signer is not None and not desk.signed_by_key:
        body = body | {signer: UNSIGNED_ACTORS[signer]}
    response = await desk.api.post(f"{case.path}/{route}", body, role=role)
    if response.status_code == 409:
        return  # already done (an answer lost in a restart) or overtaken: read again
    if response.status_code != 200:
        case.notes.append(f"{route} refused: HTTP {response.status_code} {response.text[:200]}")


def _record_charges(sessions: SessionFactory, charges: list[GatewayCharge]) -> None:
    """Writes the sandbox gateway's own record of payments (what it captured), as a real
    gateway would have it before Redress ever asks."""
    if not charges:
        return
    with sessions() as session:
        for charge in charges:
            record_charge(
                session,
                payment_id=charge.payment_id,
                order_id=charge.order_id,
                amount=charge.amount,
                currency="CNY",
                captures=charge.captures,
            )
        session.commit()
