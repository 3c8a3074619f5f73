"""The console's words: both languages complete, Chinese pages free of English, every
domain value named, durations worded as a board shows them."""

import re

import pytest
from jinja2 import UndefinedError

from api.console import labels
from api.console.labels import label, unnamed_values
from api.console.messages import CATALOGUE, EN, ZH_CN
from api.console.rendering import countdown_span
from api.console.session import safe_next
from domain.taxonomy import Locale, Tier
from tests.catalogue_checks import assert_every_sentence_renders

# Latin words a Chinese page may carry: names and abbreviations Chinese staff use as they are.
ALLOWED_LATIN = {"Redress", "Temporal", "ID", "VIP", "SLA", "CSAT", "NPS", "SKU", "CSV"}


def test_both_languages_have_the_same_keys_asking_for_the_same_values() -> None:
    assert CATALOGUE.mismatches() == []


def test_every_sentence_renders_and_none_is_left_in_another_syntax() -> None:
    assert_every_sentence_renders(CATALOGUE, {Locale.EN: EN, Locale.ZH_CN: ZH_CN})


def test_a_value_left_out_fails_instead_of_showing_a_blank() -> None:
    with pytest.raises(UndefinedError, match="name"):
        CATALOGUE.say(Locale.EN, "signed_in_as")


def test_chinese_words_hold_no_english() -> None:
    for key, chinese in ZH_CN.items():
        words = set(re.findall(r"[A-Za-z]+", re.sub(r"\{\{ \w+ \}\}", "", chinese)))
        assert words <= ALLOWED_LATIN, (key, chinese)


def test_both_languages_name_the_same_values() -> None:
    assert labels.NAMES.mismatches() == []
    assert_every_sentence_renders(labels.NAMES, {Locale.EN: labels.EN, Locale.ZH_CN: labels.ZH_CN})


def test_chinese_names_hold_no_english() -> None:
    for key, chinese in labels.ZH_CN.items():
        assert set(re.findall(r"[A-Za-z]+", chinese)) <= ALLOWED_LATIN, (key, chinese)


def test_every_domain_value_has_a_name_in_both_languages() -> None:
    assert unnamed_values() == []
    assert label(Locale.ZH_CN, "tier", Tier.CRITICAL) == "严重"
    assert label(Locale.EN, "tier", "critical") == "Critical"
    # "closed" is both a status and a timeline event; each family keeps its own name.
    assert label(Locale.EN, "status", "closed") == "Closed"
    assert label(Locale.EN, "event", "received") == "Received"
    # A value without a name shows as stored; a family nobody names is a mistake.
    assert label(Locale.ZH_CN, "tier", "urgent") == "urgent"
    with pytest.raises(KeyError):
        label(Locale.EN, "actor", "redress")


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (30, "<1m", "不到 1 分钟"),
        (45 * 60, "45m", "45分钟"),
        (3 * 3600 + 20 * 60, "3h 20m", "3小时 20分钟"),
        (3 * 3600, "3h", "3小时"),
        (2 * 86400 + 3 * 3600 + 59, "2d 3h", "2天 3小时"),
        (-(90 * 60), "1h 30m", "1小时 30分钟"),
    ],
)
def test_countdowns_read_like_a_board(seconds: int, english: str, chinese: str) -> None:
    assert countdown_span(Locale.EN, seconds) == english
    assert countdown_span(Locale.ZH_CN, seconds) == chinese


@pytest.mark.parametrize(
    ("target", "followed"),
    [
        ("/console/escalations", "/console/escalations"),
        ("/console/complaints/CAAAAAAAAAAAA?lang=en", "/console/complaints/CAAAAAAAAAAAA?lang=en"),
        ("https://evil.example/console/", None),
        ("//evil.example/console/", None),
        ("/console\\..\\evil", None),
        ("/docs", None),
        ("", None),
    ],
)
def test_only_console_paths_are_followed_after_sign_in(target: str, followed: str | None) -> None:
    assert safe_next(target) == followed
