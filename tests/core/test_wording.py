"""The shared wording: Babel's formats in each locale, and the modules that used to word
messages themselves no longer do."""

import ast
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.wording.formats import format_countdown, format_moment, format_money
from core.wording.mail import describe_outcome
from domain.complaints import CompensationRecord
from domain.taxonomy import Locale

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2025, 3, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timezone", "locale", "shown"),
    [
        ("Asia/Shanghai", Locale.ZH_CN, "2025年3月8日 18:00 +0800"),
        ("Asia/Shanghai", Locale.EN, "March 8, 2025, 6:00\u202fPM +0800"),
        # An English customer in UTC reads the same moment eight hours earlier.
        ("UTC", Locale.EN, "March 8, 2025, 10:00\u202fAM +0000"),
        ("America/New_York", Locale.EN, "March 8, 2025, 5:00\u202fAM -0500"),
    ],
)
def test_moments_are_shown_in_the_readers_time_zone(
    timezone: str, locale: Locale, shown: str
) -> None:
    assert format_moment(MOMENT, timezone, locale) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        ("1350.5", "CNY", Locale.ZH_CN, "¥1,350.50"),
        ("1350.5", "CNY", Locale.EN, "CN¥1,350.50"),
        ("99", "USD", Locale.ZH_CN, "US$99.00"),
        ("99", "USD", Locale.EN, "$99.00"),
        ("12", None, Locale.EN, "12.00"),
    ],
)
def test_money_is_shown_as_each_locale_writes_it(
    amount: str, currency: str | None, locale: Locale, shown: str
) -> None:
    assert format_money(Decimal(amount), currency, locale) == shown


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (30, None, None),
        (45 * 60, "45m", "45分钟"),
        (3 * 3600 + 20 * 60, "3h 20m", "3小时 20分钟"),
        (2 * 86400 + 3 * 3600 + 59, "2d 3h", "2天 3小时"),
        (-(90 * 60), "1h 30m", "1小时 30分钟"),
    ],
)
def test_durations_read_like_a_board_in_each_locale(
    seconds: int, english: str | None, chinese: str | None
) -> None:
    assert format_countdown(seconds, Locale.EN) == english
    assert format_countdown(seconds, Locale.ZH_CN) == chinese


DONE = [
    CompensationRecord(kind="refund", amount=Decimal("99.00"), reference="RF-1"),
    CompensationRecord(kind="coupon", amount=Decimal("20.00"), reference="CP-1"),
    CompensationRecord(kind="store_credit", amount=Decimal("5.00"), reference="SC-1", undone=True),
]


def test_the_outcome_line_of_the_customer_page_is_the_outcome_mail_s() -> None:
    assert (
        describe_outcome(DONE, "CNY", Locale.ZH_CN)
        == "退款 ¥99.00 已原路退回；已发放 ¥20.00 优惠券"
    )
    assert describe_outcome(DONE, "CNY", Locale.EN) == (
        "A refund of CN¥99.00 to your original payment method; a coupon worth CN¥20.00"
    )
    # Everything undone, or nothing paid: the apology is what was done.
    assert describe_outcome(DONE[2:], "CNY", Locale.EN) == "Our sincere apology"
    assert describe_outcome([], "CNY", Locale.ZH_CN) == "我们向您诚恳致歉"


# Modules that worded notifications with `string.Template` tables, `str.format` phrase
# dicts or swapped sentences, before `core.wording` took that over.
RETIRED = [
    "activities/notifications/templates.py",
    "activities/notifications/survey_templates.py",
    "activities/notifications/text.py",
    "domain/eligibility_wording.py",
    "domain/return_wording.py",
]
# Modules on the notification path that must hold no wording of their own.
NOTIFICATION_PATH = [
    "activities/notifications/case_page_links.py",
    "activities/notifications/outbox.py",
    "activities/notifications/smtp.py",
    "workflows/case_journal.py",
    "workflows/complaint_file.py",
    "workflows/return_file.py",
    "workflows/complaint_clocks.py",
    "workflows/complaint_resolution.py",
    "workflows/return_settlement.py",
    "workflows/returns.py",
]


def test_retired_wording_modules_are_gone() -> None:
    assert [path for path in RETIRED if (ROOT / path).exists()] == []


@pytest.mark.parametrize("path", NOTIFICATION_PATH)
def test_the_notification_path_words_nothing_itself(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    # No string.Template, no phrase tables of the domain, no dict keyed by locale.
    assert not imported & {
        "string",
        "Template",
        "describe_outcome",
        "describe_return_outcome",
        "describe_eligibility",
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {ast.unparse(key) for key in node.keys if key is not None}
            assert not keys & {"Locale.ZH_CN", "Locale.EN"}, (path, node.lineno)
