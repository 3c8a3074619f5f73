"""What a complaint costs in history: events and bytes, for the cheapest and a long path.

    python -m benchmarks.history --url http://127.0.0.1:8000 --key rdk_... \\
        --temporal 127.0.0.1:7233

drives one auto-resolved complaint and one taken through an agent's reply, a question to
the customer and their answer, a refund proposal that needs a supervisor, the approval
and the refund; then reads both histories from Temporal. The throughput benchmark calls
the same functions.
"""

import argparse
import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from temporalio.client import Client

from benchmarks.load import auto_coupon
from core.codec import data_converter

POLL_SECONDS = 0.2
TIMEOUT_SECONDS = 120.0


@dataclass
class HistoryCost:
    events: int
    bytes: int


async def complaint_history_cost(client: Client, complaint_id: str) -> HistoryCost:
    """Returns the events and serialised bytes of a complaint's history (all its runs are
    counted only from the current one: a continued-as-new complaint starts afresh)."""
    history = await client.get_workflow_handle(f"complaint-{complaint_id}").fetch_history()
    return HistoryCost(
        events=len(history.events), bytes=sum(event.ByteSize() for event in history.events)
    )


async def _wait_for(http: httpx.AsyncClient, complaint_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        view: dict[str, Any] = (await http.get(f"/complaints/{complaint_id}")).json()
        if view.get("status") == status:
            return view
        await asyncio.sleep(POLL_SECONDS)
    raise TimeoutError(f"complaint {complaint_id} did not reach {status}")


async def _post(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> None:
    response = await http.post(path, json=body)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text}")


async def drive_worst_path(http: httpx.AsyncClient) -> str:
    """Returns the id of a complaint taken through every person-driven step to a refund.

    `http` must carry an admin's key: the same caller acts as agent and supervisor.
    """
    body = {
        "channel": "web",
        "customer": {"id": f"bench-{uuid.uuid4().hex[:10]}", "tier": "regular", "locale": "en"},
        "order": {
            "order_id": f"ord-{uuid.uuid4().hex[:10]}",
            "items": [{"sku": "HEAT-1", "name": "Heater", "price": "399.00", "quantity": 1}],
            "paid_amount": "399.00",
            "payment_id": f"pay-{uuid.uuid4().hex[:10]}",
        },
        "description": "The heater caught fire and burned the carpet: it is a safety hazard.",
        "desired_outcome": "refund",
    }
    created = await http.post("/complaints", json=body)
    created.raise_for_status()
    complaint_id: str = created.json()["complaint_id"]
    path = f"/complaints/{complaint_id}"
    await _wait_for(http, complaint_id, "open")
    await _post(http, f"{path}/actions", {"action": {"type": "reply", "message": "So sorry."}})
    question = {"type": "request_info", "question": "Could you send a photo?"}
    await _post(http, f"{path}/actions", {"action": question})
    await _post(http, f"{path}/messages", {"message": "Here it is.", "evidence_urls": []})
    proposal = {
        "compensations": [{"kind": "refund", "amount": "399.00"}],
        "message": "A full refund, with our apologies.",
        "root_cause": "supplier_defect",
    }
    await _post(
        http, f"{path}/actions", {"action": {"type": "propose_resolution", "proposal": proposal}}
    )
    await _wait_for(http, complaint_id, "awaiting_approval")
    await _post(http, f"{path}/approval", {"approved": True, "reason": "Safety issue"})
    await _wait_for(http, complaint_id, "closed")
    return complaint_id


async def run(args: argparse.Namespace) -> None:
    client = await Client.connect(args.temporal, data_converter=data_converter(None))
    async with httpx.AsyncClient(
        base_url=args.url, headers={"Authorization": f"Bearer {args.key}"}, timeout=60
    ) as http:
        created = await http.post("/complaints", json=auto_coupon(0))
        created.raise_for_status()
        happy = created.json()["complaint_id"]
        await _wait_for(http, happy, "closed")
        worst = await drive_worst_path(http)
    for name, complaint_id in (("auto-resolved", happy), ("agent+approval+refund", worst)):
        cost = await complaint_history_cost(client, complaint_id)
        print(f"{name}: {cost.events} events, {cost.bytes:,} bytes ({complaint_id})")


def main() -> None:
    parser = argparse.ArgumentParser(description="History cost of a complaint.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True, help="an admin key (acts as every role)")
    parser.add_argument("--temporal", default="127.0.0.1:7233")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
