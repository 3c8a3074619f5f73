"""How sandbox parcels move on their own: the route of each fate, and each step's wait."""

import random
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from domain.returns import ParcelDirection, TrackingStatus
from store.tables.couriers import ParcelFate

if TYPE_CHECKING:
    from core.settings import Settings

DEFAULT_STEP = timedelta(seconds=30)

_S = TrackingStatus
_ROUTES: dict[ParcelFate, tuple[TrackingStatus, ...]] = {
    ParcelFate.DELIVER: (_S.LABEL_CREATED, _S.PICKED_UP, _S.IN_TRANSIT, _S.DELIVERED),
    ParcelFate.LOSE: (_S.LABEL_CREATED, _S.PICKED_UP, _S.IN_TRANSIT, _S.LOST),
    ParcelFate.EXCEPTION_THEN_DELIVER: (
        _S.LABEL_CREATED,
        _S.PICKED_UP,
        _S.IN_TRANSIT,
        _S.EXCEPTION,
        _S.DELIVERED,
    ),
    ParcelFate.NEVER_SHIPPED: (_S.LABEL_CREATED,),
}


def route(fate: ParcelFate) -> tuple[TrackingStatus, ...]:
    """Returns the statuses a parcel of `fate` goes through, LABEL_CREATED first."""
    return _ROUTES[fate]


def next_status(fate: ParcelFate, events_sent: int) -> TrackingStatus | None:
    """Returns the status a parcel reaches next after `events_sent` events, or None at the end."""
    statuses = route(fate)
    return statuses[events_sent] if events_sent < len(statuses) else None


class CourierPlan(BaseModel):
    """How the sandbox courier moves parcels; the default delivers everything, 30s a step.

    - Step delays: the wait before a parcel reaches each status. A drop-off label waits
      `label_to_picked_up` for the customer to hand it in, a pickup as long for the van.
      An EXCEPTION (a failed delivery attempt) and the delivery after it each wait
      `in_transit_to_delivered`; a lost parcel sits in transit `in_transit_to_lost`
      before the courier gives up on it.
    - `loss_rate`, `exception_rate`: shares of parcels drawn to be lost, or delivered
      only after an exception.
    - `never_shipped_return_ids`, `never_ship_rate`: return parcels the customer never
      hands in (for tests of ship-by deadlines); outbound parcels always ship.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    label_to_picked_up: timedelta = Field(default=DEFAULT_STEP, ge=timedelta(0))
    picked_up_to_in_transit: timedelta = Field(default=DEFAULT_STEP, ge=timedelta(0))
    in_transit_to_delivered: timedelta = Field(default=DEFAULT_STEP, ge=timedelta(0))
    in_transit_to_lost: timedelta = Field(default=2 * DEFAULT_STEP, ge=timedelta(0))
    loss_rate: float = Field(default=0.0, ge=0, le=1)
    exception_rate: float = Field(default=0.0, ge=0, le=1)
    never_ship_rate: float = Field(default=0.0, ge=0, le=1)
    never_shipped_return_ids: set[str] = Field(default_factory=set)
    # Where the printable labels are said to be (the sandbox serves none).
    label_base_url: str = "https://labels.sandbox-courier.invalid"
    # Seed it (`random.Random(7)`) for reproducible fates.
    rng: random.Random = Field(default_factory=random.Random, exclude=True)

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @model_validator(mode="after")
    def _rates_fit(self) -> Self:
        if self.loss_rate + self.exception_rate > 1:
            raise ValueError(
                f"loss_rate {self.loss_rate} and exception_rate {self.exception_rate} add up "
                "to more than 1; lower one of them"
            )
        return self

    @classmethod
    def every(cls, step: timedelta, **fields: object) -> "CourierPlan":
        """Returns a plan whose every step waits `step` (a lost parcel two steps)."""
        delays = {
            "label_to_picked_up": step,
            "picked_up_to_in_transit": step,
            "in_transit_to_delivered": step,
            "in_transit_to_lost": 2 * step,
        }
        return cls.model_validate({**delays, **fields})

    @classmethod
    def from_settings(cls, settings: "Settings") -> "CourierPlan":
        """Returns the plan configured by `REDRESS_SANDBOX_COURIER_*` settings."""
        return cls.every(
            timedelta(seconds=settings.sandbox_courier_step_seconds),
            loss_rate=settings.sandbox_courier_loss_rate,
            exception_rate=settings.sandbox_courier_exception_rate,
        )

    def draw_fate(self, *, return_id: str, direction: ParcelDirection) -> ParcelFate:
        """Returns the fate of a new parcel (reproducible with a seeded `rng`)."""
        with self._lock:
            if direction is ParcelDirection.RETURN and (
                return_id in self.never_shipped_return_ids or self._roll(self.never_ship_rate)
            ):
                return ParcelFate.NEVER_SHIPPED
            if self.loss_rate == 0 and self.exception_rate == 0:
                return ParcelFate.DELIVER
            roll = self.rng.random()
        if roll < self.loss_rate:
            return ParcelFate.LOSE
        if roll < self.loss_rate + self.exception_rate:
            return ParcelFate.EXCEPTION_THEN_DELIVER
        return ParcelFate.DELIVER

    def delay_before(self, status: TrackingStatus) -> timedelta:
        """Returns how long a parcel waits before it reaches `status`."""
        match status:
            case TrackingStatus.PICKED_UP:
                return self.label_to_picked_up
            case TrackingStatus.IN_TRANSIT:
                return self.picked_up_to_in_transit
            case TrackingStatus.DELIVERED | TrackingStatus.EXCEPTION:
                return self.in_transit_to_delivered
            case TrackingStatus.LOST:
                return self.in_transit_to_lost
            case _:
                raise ValueError(f"no parcel moves on to {status} by itself")

    def label_url(self, parcel_id: str) -> str:
        """Returns the address of a parcel's printable label."""
        return f"{self.label_base_url.rstrip('/')}/{parcel_id}.pdf"

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate
