"""The policy as one document: the shipped one passes its check and is a copy; each kind of
bad value is named by its path; the diff lists what changed; a switched-off auto-resolution
rule resolves nothing; the return windows a return carries judge its eligibility."""

from datetime import timedelta
from decimal import Decimal

from domain.complaint_policy import AutoResolutionRule
from domain.policy import SLA_POLICIES
from domain.policy_diff import change_summary, policy_changes
from domain.policy_document import policy_problems, shipped_policy
from domain.return_policy import assess_return
from domain.returns import EligibilityDecision
from domain.taxonomy import CustomerTier, EscalationLevel, Locale, Tier
from tests.factories import make_classification, make_intake, make_order
from tests.return_factories import DELIVERED_AT, make_return_request


def problems_of(document: object) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in policy_problems(document)]  # type: ignore[arg-type]


def test_the_shipped_policy_passes_and_changing_a_copy_leaves_it_alone() -> None:
    document = shipped_policy()
    document.complaints.sla[Tier.CRITICAL].first_response = timedelta(hours=5)

    assert policy_problems(shipped_policy()) == []
    assert SLA_POLICIES[Tier.CRITICAL].first_response == timedelta(hours=1)


def test_each_bad_value_is_named_by_its_path() -> None:
    document = shipped_policy()
    complaints, returns = document.complaints, document.returns
    complaints.sla[Tier.GENERAL].reminder_fraction = 1.0
    complaints.sla[Tier.SERIOUS].escalation_window = timedelta(days=400)
    del complaints.approval_threshold[CustomerTier.VIP]
    complaints.approval_threshold[CustomerTier.NEW] = Decimal("-1")
    complaints.approval_windows.pop(EscalationLevel.MANAGER)
    complaints.customer_wait.auto_close_after = timedelta(hours=1)
    rules = complaints.auto_resolution_rules
    rules[1].name = rules[0].name
    rules[0].message[Locale.EN] = "Sorry\x07"
    rules[0].compensations[0].amount = Decimal("0")
    returns.shipping.reminder_before = returns.shipping.ship_within
    returns.windows.default_days = 0
    returns.windows.non_returnable.append("food")

    assert problems_of(document) == [
        ("complaints.sla.general.reminder_fraction", "fraction"),
        ("complaints.sla.serious.escalation_window", "too_long"),
        ("complaints.customer_wait.auto_close_after", "not_longer"),
        ("complaints.approval_threshold.new", "negative"),
        ("complaints.approval_threshold.vip", "missing"),
        ("complaints.approval_windows.manager", "missing"),
        ("complaints.auto_resolution_rules.0.compensations.0.amount", "not_positive"),
        ("complaints.auto_resolution_rules.0.message.en", "control_characters"),
        ("complaints.auto_resolution_rules.1.name", "duplicate"),
        ("returns.shipping.ship_within", "not_longer"),
        ("returns.windows.default_days", "days_range"),
        ("returns.windows.non_returnable.5", "duplicate"),
    ]


def test_the_diff_lists_each_value_changed_added_and_removed() -> None:
    before = shipped_policy()
    after = shipped_policy()
    after.complaints.sla[Tier.CRITICAL].first_response = timedelta(hours=2)
    after.complaints.approval_threshold[CustomerTier.VIP] = Decimal("800")
    after.returns.windows.days_by_category["garden"] = 10
    del after.returns.windows.days_by_category["books"]
    after.returns.windows.non_returnable.remove("digital")

    changes = policy_changes(before, after)

    assert [(c.path, c.before, c.after) for c in changes] == [
        ("complaints.sla.critical.first_response", timedelta(hours=1), timedelta(hours=2)),
        ("complaints.approval_threshold.vip", Decimal("500"), Decimal("800")),
        ("returns.windows.days_by_category.garden", None, 10),
        (
            "returns.windows.non_returnable",
            "custom_made, digital, food, perishables, underwear",
            "custom_made, food, perishables, underwear",
        ),
        ("returns.windows.days_by_category.books", 7, None),
    ]
    assert not changes[2].present_before and not changes[4].present_after
    assert change_summary(changes, 500).startswith(
        "complaints.sla.critical.first_response: 1h -> 2h; "
        "complaints.approval_threshold.vip: 500 -> 800; "
        "returns.windows.days_by_category.garden: (none) -> 10"
    )
    assert change_summary(changes, 120) == (
        "complaints.sla.critical.first_response: 1h -> 2h; "
        "complaints.approval_threshold.vip: 500 -> 800; and 3 more"
    )


def test_a_switched_off_rule_resolves_nothing() -> None:
    policy = shipped_policy().complaints
    rule: AutoResolutionRule = policy.auto_resolution_rules[0]
    classification = make_classification(sub_category=rule.sub_category, tier=Tier.GENERAL)
    intake = make_intake(order=make_order(paid_amount=Decimal("50")))

    assert policy.matching_auto_rule(classification, intake) == rule
    rule.enabled = False
    assert policy.matching_auto_rule(classification, intake) is None


def test_a_return_is_judged_by_the_windows_it_carries() -> None:
    request = make_return_request()
    category = request.lines[0].product_category
    windows = shipped_policy().returns.windows
    requested_at = DELIVERED_AT + timedelta(days=40)

    shipped = assess_return(request, requested_at=requested_at, prior_returns=0)
    windows.days_by_category[category] = 60
    longer = assess_return(request, requested_at=requested_at, prior_returns=0, windows=windows)

    assert shipped.decision is EligibilityDecision.REJECTED
    assert longer.decision is EligibilityDecision.APPROVED
