"""Activity names and call options used by workflows.

Workflows call activities by name so that no activity module (and so no store, HTTP or
provider code) is imported into the workflow sandbox.
"""

from datetime import timedelta

from temporalio.common import RetryPolicy

from domain.compensation import CompensationKind

CLASSIFY = "classify_complaint"
ROUTE = "route_complaint"
PROJECT = "project_complaint"
NOTIFY = "send_notification"
FIND_DUPLICATE_CHARGE = "find_duplicate_charge"
FIND_OPEN_DUPLICATE = "find_open_duplicate"
READ_CARRIED_TIMELINE = "read_carried_timeline"
COPY_MERGED_EVIDENCE = "copy_merged_evidence"

ASSESS_RETURN = "assess_return"
PROJECT_RETURN = "project_return"
RESTOCK = "restock_items"
RESERVE_STOCK = "reserve_stock"
CREATE_RETURN_LABEL = "create_return_label"
CREATE_OUTBOUND_SHIPMENT = "create_outbound_shipment"
CANCEL_PARCEL = "cancel_parcel"
OPEN_TRACE = "open_trace"
FILE_CLAIM = "file_claim"

MAKE_SURVEY_LINK = "make_survey_link"
PROJECT_SURVEY = "project_survey"
PROJECT_SERVICE_RECOVERY = "project_service_recovery"

# Each compensation kind: the activity that carries it out and the one that undoes it.
DO_COMPENSATION: dict[CompensationKind, str] = {
    CompensationKind.REFUND: "refund_payment",
    CompensationKind.COUPON: "issue_coupon",
    CompensationKind.STORE_CREDIT: "issue_store_credit",
    CompensationKind.REPLACEMENT: "create_replacement",
}
UNDO_COMPENSATION: dict[CompensationKind, str] = {
    CompensationKind.REFUND: "reverse_refund",
    CompensationKind.COUPON: "void_coupon",
    CompensationKind.STORE_CREDIT: "revoke_store_credit",
    CompensationKind.REPLACEMENT: "cancel_replacement",
}

# Business refusals from providers: retrying cannot help, the saga must react.
PERMANENT_PROVIDER_ERRORS = [
    "PaymentDeclined",
    "RefundExceedsPaid",
    "UnknownPayment",
    "ReplacementDeclined",
    "UnknownReference",
    "InvalidProviderRequest",
    "IdempotencyKeyReused",
    "ReversalRefused",
]

LOCAL_STEP_TIMEOUT = timedelta(seconds=30)
NOTIFY_TIMEOUT = timedelta(seconds=30)
NOTIFY_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=5))
# Minting a link fails only for want of a secret: retried until an operator sets one.
SURVEY_LINK_TIMEOUT = timedelta(seconds=10)
SURVEY_LINK_RETRY = RetryPolicy(maximum_interval=timedelta(minutes=10))

PROVIDER_START_TO_CLOSE = timedelta(seconds=30)
# Well inside the providers' idempotency window (the sandbox keeps keys for ever; real
# payment providers keep them for at least 24 hours).
PROVIDER_SCHEDULE_TO_CLOSE = timedelta(hours=6)
PROVIDER_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=2),
    non_retryable_error_types=PERMANENT_PROVIDER_ERRORS,
)
# Undoing must eventually happen: no schedule-to-close, retried until it succeeds.
UNDO_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5)
)

# Couriers' business refusals; anything else (timeouts, 5xx) is retried.
PERMANENT_COURIER_ERRORS = ["ParcelAlreadyMoving", "UnknownParcel", "CourierRefused"]
COURIER_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(minutes=5),
    non_retryable_error_types=PERMANENT_COURIER_ERRORS,
)
COURIER_START_TO_CLOSE = timedelta(seconds=60)
COURIER_SCHEDULE_TO_CLOSE = timedelta(hours=12)
