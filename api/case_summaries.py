"""The rows of the complaint and return lists as the API publishes them.

The read model keeps enumerations as plain strings (no database enum types, so a new
member needs no migration). The API types them again, so that the published schema
lists each field's values and a generated client gets enums rather than bare strings.
A row the read model holds always carries a value its enum knows: workflows write them.
"""

from domain.complaints import CloseReason, ComplaintStatus
from domain.returns import ReturnOutcome, ReturnReason, ReturnStatus
from domain.taxonomy import (
    Category,
    Channel,
    CustomerTier,
    EscalationLevel,
    Locale,
    RootCause,
    SubCategory,
    Tier,
)
from store.tables.complaints import ComplaintSummary as StoredComplaintSummary
from store.tables.returns import ReturnSummary as StoredReturnSummary


class ComplaintSummary(StoredComplaintSummary):
    """Returns the columns of a complaint that lists and filters show."""

    status: ComplaintStatus
    close_reason: CloseReason | None = None
    category: Category | None = None
    sub_category: SubCategory | None = None
    tier: Tier | None = None
    channel: Channel
    customer_tier: CustomerTier
    locale: Locale
    escalation_level: EscalationLevel
    root_cause: RootCause | None = None


class ReturnSummary(StoredReturnSummary):
    """Returns the columns of a return that lists and filters show."""

    status: ReturnStatus
    reason: ReturnReason
    preferred_outcome: ReturnOutcome
    outcome: ReturnOutcome | None = None
    customer_tier: CustomerTier
    root_cause: RootCause | None = None
