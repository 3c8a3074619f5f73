"""The policy a return runs under: its return windows, how long reviewers, the customer
and the warehouse have, how long the parcel may take, and the wrong-item apology coupon.
A return carries the one in force when it opened (`ReturnInput.policy`), so a later
change never changes a running return's path; `domain.return_policy.return_case_policy()`
gives the values Redress ships with, and the policy store (`store.policies`) the newest
version an admin saved."""

from datetime import timedelta

from pydantic import BaseModel, Field

from domain.money import Amount
from domain.return_windows import RETURN_WINDOWS, ReturnWindows
from domain.taxonomy import EscalationLevel


class ReturnShippingPolicy(BaseModel):
    """How long the parcel may take on its way back (wall-clock time)."""

    # From the label's creation to the latest day the customer should hand the parcel over.
    ship_within: timedelta
    # The customer is reminded this long before the ship-by moment.
    reminder_before: timedelta
    # A parcel still not handed over this long after ship-by cancels the return.
    cancel_grace: timedelta
    # A parcel picked up but not delivered this long after gets a carrier trace.
    stuck_in_transit_after: timedelta


class ReturnCasePolicy(BaseModel):
    """Everything a return's path depends on after eligibility, fixed when it opens."""

    # How long each reviewer has (wall-clock) before an undecided review moves up a level.
    review_windows: dict[EscalationLevel, timedelta]
    shipping: ReturnShippingPolicy
    # The warehouse inspects a delivered parcel within this time, or the return escalates.
    inspection_window: timedelta
    # A customer answers a proposed plan within this time.
    consent_window: timedelta
    # The coupon the wrong-item playbook sends with its apology, in the order's currency.
    wrong_item_apology_coupon: Amount
    # How long after delivery goods may be returned. Returns opened before the windows
    # were carried decode with the shipped ones; they were assessed when they opened.
    windows: ReturnWindows = Field(default_factory=lambda: RETURN_WINDOWS.model_copy(deep=True))
