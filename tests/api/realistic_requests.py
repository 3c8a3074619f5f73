"""Generated valid requests, made valid the way a real client's are.

The schema says what each field may hold, not everything the API checks: that amounts
have at most two decimal places, that a report's `since` comes before its `until`, that
an `Idempotency-Key` is reused only to retry the same body, that a rejection gives a
reason, that the codec takes Temporal payloads, that a courier signs its events. Nor can
it name the cases that exist, or a list cursor the API gave out. A Schemathesis
`map_case` hook fills that in for the parts of a case generated as valid (positive);
parts generated as invalid (negative) go out as generated, so every error path is still
tried.
"""

import base64
import hashlib
import json
import zlib
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

import schemathesis
from fastapi.exceptions import RequestValidationError
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase
from schemathesis.hooks import HookContext

from api.routes.analytics import date_range
from core.webhooks import signed_headers
from domain.money import CENT
from tests.api.seeded_cases import SeededCases

# Fields holding money (`domain.money.Amount`): the schema says "a number or a string".
MONEY_FIELDS = frozenset({"price", "paid_amount", "amount"})
# Amount's `max_digits=14, decimal_places=2`.
MAX_AMOUNT = Decimal("999999999999.99")
# Routes that open a case under a client's `Idempotency-Key`.
OPENING_ROUTES = frozenset({"/complaints", "/returns"})
IDEMPOTENCY_KEY = "Idempotency-Key"
COURIER_WEBHOOK = "/webhooks/courier"
REPORT_DAYS = timedelta(days=30)


class RealisticRequests:
    """The `map_case` hook, knowing the cases opened before the run."""

    def __init__(self, seeded: SeededCases, courier_secret: str) -> None:
        self.seeded = seeded
        self.courier_secret = courier_secret
        # The body each key opened a case with, by route: a new body needs a new key.
        self._bodies_by_key: dict[tuple[str, str], str] = {}

    def register(self, schema: schemathesis.BaseSchema) -> None:
        """Applies the hook to every case generated from `schema` (and nowhere else), the
        schema's own examples included."""
        schema.hooks.register_hook_with_name(self.map_case, "map_case")
        schema.hooks.register_hook_with_name(self.before_add_examples, "before_add_examples")

    def before_add_examples(
        self, context: HookContext, examples: list[schemathesis.Case[Any]]
    ) -> None:
        """Makes the examples phase's cases valid as `map_case` does the generated ones."""
        for case in examples:
            self.map_case(context, case)

    def map_case(self, context: HookContext, case: schemathesis.Case[Any]) -> Any:
        """Returns `case` with its valid parts made valid as a real client's would be."""
        if _is_positive(case, ParameterLocation.PATH):
            self._name_existing_cases(case)
        if _is_positive(case, ParameterLocation.QUERY):
            self._valid_query(case)
        if _is_positive(case, ParameterLocation.BODY):
            _valid_body(case)
            if case.path == COURIER_WEBHOOK and not _is_negative(case, ParameterLocation.HEADER):
                self._sign_courier_event(case)
        if _is_positive(case, ParameterLocation.HEADER) and case.path in OPENING_ROUTES:
            self._fresh_key_for_new_body(case)
        return case

    def _name_existing_cases(self, case: schemathesis.Case[Any]) -> None:
        # Ids Schemathesis took from earlier responses name real cases already.
        drawn = {draw.parameter_name for draw in case.meta.pool_draws} if case.meta else set()
        seeded = {"complaint_id": self.seeded.complaint_ids, "return_id": self.seeded.return_ids}
        for name, ids in seeded.items():
            value = case.path_parameters.get(name)
            if value is not None and name not in drawn and value not in ids:
                case.path_parameters[name] = ids[zlib.crc32(str(value).encode()) % len(ids)]

    def _valid_query(self, case: schemathesis.Case[Any]) -> None:
        if case.query.get("after") is not None:
            case.query["after"] = self.seeded.complaints_cursor
        if case.path.startswith("/analytics/") and ("since" in case.query or "until" in case.query):
            _valid_report_days(case.query)

    def _sign_courier_event(self, case: schemathesis.Case[Any]) -> None:
        if not isinstance(case.body, dict):
            return
        case.body["parcel_id"] = self.seeded.parcel.parcel_id
        case.body["tracking_number"] = self.seeded.parcel.tracking_number
        # The bytes `requests` sends for a `json=` body.
        sent = json.dumps(case.body, allow_nan=False).encode()
        case.headers.update(signed_headers(self.courier_secret, sent, datetime.now(UTC)))

    def _fresh_key_for_new_body(self, case: schemathesis.Case[Any]) -> None:
        key = case.headers.get(IDEMPOTENCY_KEY)
        if not isinstance(key, str):
            return
        body = hashlib.sha256(json.dumps(case.body, sort_keys=True, default=str).encode())
        first = self._bodies_by_key.setdefault((case.path, key), body.hexdigest())
        if first != body.hexdigest():
            fresh = hashlib.sha256(f"{key}\n{body.hexdigest()}".encode()).hexdigest()
            case.headers[IDEMPOTENCY_KEY] = fresh[: min(max(len(key), 16), len(fresh))]


def _is_positive(case: schemathesis.Case[Any], location: ParameterLocation) -> bool:
    """Whether this part of the case is meant as valid input: generated so, or one of the
    schema's examples (which the examples phase sends whole, with no part marked)."""
    meta = case.meta
    if meta is None:
        return False
    if location in meta.components:
        return not meta.is_negative_at(location)
    return meta.phase.name is TestPhase.EXAMPLES


def _is_negative(case: schemathesis.Case[Any], location: ParameterLocation) -> bool:
    return case.meta is not None and case.meta.is_negative_at(location)


def _valid_body(case: schemathesis.Case[Any]) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    _valid_amounts(body)
    # A decision against (a rejection, a denial) needs a reason.
    if body.get("approved") is False and not str(body.get("reason", "")).strip():
        body["reason"] = "The photos show wear, not a defect"
    payloads = body.get("payloads")
    if case.path.startswith("/codec/") and isinstance(payloads, list):
        body["payloads"] = [_as_payload(value) for value in payloads]


def _valid_amounts(value: Any) -> None:
    """Makes every amount in `value` one `domain.money.Amount` takes, near the one drawn."""
    if isinstance(value, list):
        for item in value:
            _valid_amounts(item)
    if not isinstance(value, dict):
        return
    for name, item in value.items():
        if name in MONEY_FIELDS and isinstance(item, int | float | str):
            value[name] = _amount(item)
        else:
            _valid_amounts(item)


def _amount(drawn: int | float | str) -> int | float | str:
    try:
        amount = Decimal(str(drawn))
    except InvalidOperation:
        return "10.00"
    if not amount.is_finite():
        return "10.00"
    if 0 <= amount <= MAX_AMOUNT and amount == amount.quantize(CENT):
        return drawn
    return str(min(abs(amount), MAX_AMOUNT).quantize(CENT, rounding=ROUND_DOWN))


def _valid_report_days(query: dict[str, Any]) -> None:
    """Keeps the day asked for and makes the range around it one a report covers."""
    since, until = _day(query.get("since")), _day(query.get("until"))
    candidates = [(since, until)]
    if since is not None and since < date.max - REPORT_DAYS:
        candidates.append((since, since + REPORT_DAYS))
    if until is not None and until > date.min + REPORT_DAYS:
        candidates.append((until - REPORT_DAYS, until))
    for first, after_last in candidates:
        try:
            date_range(first, after_last)
        except (RequestValidationError, OverflowError):
            continue
        _set_day(query, "since", first)
        _set_day(query, "until", after_last)
        return
    query.pop("since", None)
    query.pop("until", None)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _set_day(query: dict[str, Any], name: str, day: date | None) -> None:
    if day is None:
        query.pop(name, None)
    else:
        query[name] = day.isoformat()


def _as_payload(value: Any) -> dict[str, Any]:
    """Returns `value` as a Temporal payload in the protobuf JSON form, as a worker writes it."""
    data = json.dumps(value, default=str).encode()
    return {
        "metadata": {"encoding": base64.b64encode(b"json/plain").decode()},
        "data": base64.b64encode(data).decode(),
    }
