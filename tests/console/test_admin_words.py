"""The admin pages' words: every role, audit action, refusal code, day kind, weekday and
month the pages name has a sentence in both languages."""

from api.console.admin_messages import EN, ZH_CN
from api.console.messages import CATALOGUES, message
from domain.access import Role
from domain.calendar_month import DayKind
from domain.taxonomy import Locale
from store.admin_changes import ChangeAction

# The codes `store.staff.StaffError` and `store.team_members.MemberError` carry.
REFUSAL_CODES = {
    "user_exists", "no_user", "email_invalid", "password_too_short", "no_active_user",
    "no_key", "no_agent", "agent_exists", "capacity_invalid", "unknown_team",
}  # fmt: skip


def test_every_value_the_admin_pages_name_has_words_in_both_languages() -> None:
    keys = (
        {f"role_{role.value}" for role in Role}
        | {f"admin_action_{action.value}" for action in ChangeAction}
        | {f"admin_refused_{code}" for code in REFUSAL_CODES}
        | {f"day_kind_{kind.value}" for kind in DayKind}
        | {f"weekday_{n}" for n in range(1, 8)}
        | {f"weekday_short_{n}" for n in range(1, 8)}
        | {f"month_{n}" for n in range(1, 13)}
        | {f"admin_member_{state}" for state in ("taking", "away", "full", "disabled")}
        | {f"admin_key_{state}" for state in ("working", "revoked", "expired")}
    )
    # The pages look them up in the console's catalogue, which merges the admin pages'
    # words with those of the policy and webhook pages (whose changes are audited too).
    assert keys - CATALOGUES[Locale.EN].keys() == set()
    assert EN.keys() == ZH_CN.keys()
    assert message(Locale.EN, "admin_action_calendar_set", subject="quality") == (
        "Set the business calendar of quality"
    )
    assert ZH_CN["weekday_short_7"] == "周日" and ZH_CN["month_10"] == "10月"
