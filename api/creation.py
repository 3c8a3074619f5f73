"""Opening a case (complaint or return) once per `Idempotency-Key`.

A key maps to one case id: the same key with the same body replays the first answer, the
same key with another body is refused, and concurrent requests race on the key's row so
exactly one wins. Replays start the workflow again too (an id-reuse policy makes that a
no-op), in case the first request stopped between claiming the key and starting it.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.ids import request_hash
from store.idempotency import KeyClaim

# Claims a key: (key, request hash, case id derived from the key, now) -> the winning row.
KeyClaimer = Callable[[str, str, str, datetime], KeyClaim]


async def case_id_for(
    body: BaseModel,
    idempotency_key: str | None,
    *,
    new_id: Callable[[], str],
    id_for_key: Callable[[str], str],
    claim: KeyClaimer,
    reused: ApiError,
) -> tuple[str, bool]:
    """Returns the id of the case this request opens, and whether it replays an earlier one."""
    if idempotency_key is None:
        return new_id(), False
    body_hash = request_hash(body.model_dump_json())
    won = await run_in_threadpool(
        claim, idempotency_key, body_hash, id_for_key(idempotency_key), datetime.now(UTC)
    )
    if won.record.request_hash != body_hash:
        raise reused
    # The shared key table names its id column after complaints; it holds either kind.
    return won.record.complaint_id, not won.created


def answer_created(response: Response, status_url: str, replayed: bool) -> None:
    """Sets 201 + Location, or 200 + `Idempotent-Replayed` for a replay."""
    response.headers["Location"] = status_url
    if replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
