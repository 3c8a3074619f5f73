"""Who may do what: staff roles and the permissions each one holds.

Routes ask for a permission, never for a role, so changing what a role may do is a change
to this table alone. Customers hold no role: their signed link grants a few permissions on
one case only (see `CUSTOMER_LINK_PERMISSIONS`).
"""

from enum import StrEnum


class Role(StrEnum):
    # The platform's backend: opens cases, reads them, relays what customers say.
    SERVICE = "service"
    # Works the complaints assigned to them.
    AGENT = "agent"
    # Approves and rejects compensation, reviews returns, reassigns, watches the queue.
    SUPERVISOR = "supervisor"
    # Reports what the returns warehouse found in a parcel.
    WAREHOUSE = "warehouse"
    # Manages staff and keys; may do anything the other roles may.
    ADMIN = "admin"
    # Reads the API's metrics and nothing else: the key Prometheus scrapes with.
    MONITORING = "monitoring"


class Permission(StrEnum):
    OPEN_CASES = "cases:open"
    READ_CASES = "cases:read"
    # Customer replies and consent, whether relayed by the platform or sent by the customer.
    SPEAK_FOR_CUSTOMER = "cases:speak-for-customer"
    # Reply, request information, reclassify, propose: on complaints assigned to oneself,
    # unless the role also holds WORK_ANY_COMPLAINT.
    WORK_COMPLAINTS = "complaints:work"
    WORK_ANY_COMPLAINT = "complaints:work-any"
    ASSIGN_COMPLAINTS = "complaints:assign"
    DECIDE_APPROVALS = "approvals:decide"
    REVIEW_RETURNS = "returns:review"
    INSPECT_RETURNS = "returns:inspect"
    REPORT_MENTIONS = "mentions:report"
    # Reading mentions with the detector's decision, and labelling them: opening a
    # complaint from one it passed over, or marking one it opened as not a complaint.
    REVIEW_MENTIONS = "mentions:review"
    # Downloading every label staff gave mentions, as the detector's training data.
    EXPORT_MENTION_LABELS = "mentions:export-labels"
    VIEW_ANALYTICS = "analytics:view"
    # Units sold per SKU and day, the platform's to report: return rates divide by them.
    REPORT_SALES = "sales:report"
    # Seeing service-recovery tasks and reporting them done.
    RECOVER_SERVICE = "recovery:complete"
    # Reading decrypted workflow histories through the codec endpoint.
    DECODE_HISTORY = "history:decode"
    MANAGE_STAFF = "staff:manage"
    # Teams' members, agents' capacity and availability, and teams' business calendars.
    MANAGE_TEAMS = "teams:manage"
    # Platforms' webhook subscriptions: their endpoints, secrets and delivery logs.
    MANAGE_WEBHOOKS = "webhooks:manage"
    # The console's Mail page: every message sent, to whom, and inbound mail for a person.
    READ_MAIL_LOG = "mail:read"
    # The API's Prometheus metrics (`GET /metrics`).
    READ_METRICS = "metrics:read"
    # Canned replies: the console's list of them with their usage, and writing them
    # (agents use them through WORK_COMPLAINTS).
    READ_CANNED_REPLIES = "canned-replies:read"
    MANAGE_CANNED_REPLIES = "canned-replies:manage"
    # The policy cases run under (SLA targets, approval thresholds, return windows...):
    # reading its versions, and saving a new one.
    READ_POLICIES = "policies:read"
    MANAGE_POLICIES = "policies:manage"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SERVICE: frozenset(
        {
            Permission.OPEN_CASES,
            Permission.READ_CASES,
            Permission.SPEAK_FOR_CUSTOMER,
            Permission.REPORT_MENTIONS,
            Permission.REVIEW_MENTIONS,
            Permission.REPORT_SALES,
        }
    ),
    Role.AGENT: frozenset(
        {Permission.READ_CASES, Permission.WORK_COMPLAINTS, Permission.REVIEW_MENTIONS}
    ),
    Role.SUPERVISOR: frozenset(
        {
            Permission.READ_CASES,
            Permission.WORK_COMPLAINTS,
            Permission.WORK_ANY_COMPLAINT,
            Permission.ASSIGN_COMPLAINTS,
            Permission.DECIDE_APPROVALS,
            Permission.REVIEW_RETURNS,
            Permission.VIEW_ANALYTICS,
            Permission.DECODE_HISTORY,
            Permission.RECOVER_SERVICE,
            Permission.READ_CANNED_REPLIES,
            Permission.REVIEW_MENTIONS,
            Permission.READ_POLICIES,
        }
    ),
    Role.WAREHOUSE: frozenset({Permission.READ_CASES, Permission.INSPECT_RETURNS}),
    Role.ADMIN: frozenset(Permission),
    Role.MONITORING: frozenset({Permission.READ_METRICS}),
}

# What a customer's signed case link allows, on its one case.
CUSTOMER_LINK_PERMISSIONS = frozenset({Permission.READ_CASES, Permission.SPEAK_FOR_CUSTOMER})

# Roles that staff sign in to the console with (the warehouse to its inspection queue).
CONSOLE_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.WAREHOUSE, Role.ADMIN})


def role_allows(role: Role, permission: Permission) -> bool:
    """Returns whether `role` holds `permission`."""
    return permission in ROLE_PERMISSIONS[role]
