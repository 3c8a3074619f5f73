"""Custom search attributes: ops filter complaints by these in the Temporal UI."""

from temporalio.common import SearchAttributeKey

COMPLAINT_CATEGORY = SearchAttributeKey.for_keyword("ComplaintCategory")
COMPLAINT_TIER = SearchAttributeKey.for_keyword("ComplaintTier")
COMPLAINT_STATUS = SearchAttributeKey.for_keyword("ComplaintStatus")
CUSTOMER_TIER = SearchAttributeKey.for_keyword("CustomerTier")
ORDER_ID = SearchAttributeKey.for_keyword("OrderId")
SLA_BREACHED = SearchAttributeKey.for_bool("SlaBreached")

RETURN_STATUS = SearchAttributeKey.for_keyword("ReturnStatus")
RETURN_REASON = SearchAttributeKey.for_keyword("ReturnReason")
RETURN_OUTCOME = SearchAttributeKey.for_keyword("ReturnOutcome")
RETURN_COURIER = SearchAttributeKey.for_keyword("ReturnCourier")
RETURN_OVERDUE = SearchAttributeKey.for_bool("ReturnOverdue")

SEARCH_ATTRIBUTES = (
    COMPLAINT_CATEGORY,
    COMPLAINT_TIER,
    COMPLAINT_STATUS,
    CUSTOMER_TIER,
    ORDER_ID,
    SLA_BREACHED,
    RETURN_STATUS,
    RETURN_REASON,
    RETURN_OUTCOME,
    RETURN_COURIER,
    RETURN_OVERDUE,
)


def dev_server_flags() -> list[str]:
    """Returns the `--search-attribute` flags that register these on `temporal server`."""
    flags: list[str] = []
    for key in SEARCH_ATTRIBUTES:
        kind = "Bool" if key.value_type is bool else "Keyword"
        flags += ["--search-attribute", f"{key.name}={kind}"]
    return flags
