"""The analytics page's returns section on the known returns (`tests.return_analytics_seed`):
the figures people read off its charts and tables, in English and in Chinese, and which
filters it follows."""

import re
from html import unescape

import httpx
import pytest

from domain.access import Role
from tests.analytics_seed import CONSOLE_WINDOW
from tests.api.support import Api
from tests.console.support import signed_in
from tests.console.test_words import ALLOWED_LATIN
from tests.return_analytics_seed import seed_known_returns

PAGE = "/console/analytics"
_TITLE = re.compile(r"<title>([^<]*)</title>")
_LABELLED = re.compile(r'aria-label="([^"]*)"')
# Data the seeded returns carry (SKUs, carriers) and the US dollar's sign in Chinese.
SEEDED_WORDS = {"S", "SF", "ZTO", "US"}


async def _returns_section(client: httpx.AsyncClient, **params: str) -> str:
    response = await client.get(PAGE, params=CONSOLE_WINDOW | params)
    assert response.status_code == 200, response.text
    return response.text.split('<section id="returns"')[1].split("</section>")[0]


def _hovers(html: str) -> list[str]:
    return [unescape(title) for title in _TITLE.findall(html)]


def _chart(section: str, title: str) -> list[str]:
    """Returns the hover texts of the chart titled `title`."""
    return _hovers(section.split(f"<h3>{title}</h3>")[1].split("</figure>")[0])


def _rows(section: str, table_id: str) -> list[list[str]]:
    """Returns the text of each row's cells of a table, its total row last."""
    table = section.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        [unescape(re.sub(r"<svg.*?</svg>|<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows)
    ]


@pytest.mark.both_stores
async def test_a_supervisor_reads_the_returns_figures(api: Api) -> None:
    seed_known_returns(api.sessions)

    async with signed_in(api, "sup-ret", Role.SUPERVISOR) as supervisor:
        section = await _returns_section(supervisor)

    labels = set(_LABELLED.findall(section))
    assert {
        "Return rate: 4.7%",
        "Carrier claims filed: 66.7%",
        "Accepted in full at inspection: 60%",
    } <= {unescape(text) for text in labels}
    assert "9 units returned of 190 sold" in section
    assert "2 of 3 claims due; recovered CN¥150.00, $20.00." in unescape(section)
    assert _chart(section, "Return rate by product (SKU)") == [
        "Return rate by product (SKU)",
        "S1: 3 returns, 4 units of 150 sold (2.7%)",
        "S2: 3 returns, 3 units of 40 sold (7.5%)",
        "S3: 2 returns, 2 units (units sold not reported)",
    ]
    assert "Damaged in transit: 2 returns, 3 units of 190 sold (1.6%)" in _chart(
        section, "Returns by reason"
    )
    assert "Handling: 2 returns, 3 units of 190 sold (1.6%)" in _chart(
        section, "Returns by root cause"
    )
    assert _chart(section, "Inspection outcomes")[1:] == [
        "Accepted in full: 3 (60%)",
        "Partly accepted: 1 (20%)",
        "Damaged by the customer: 0 (0%)",
        "Wrong item returned: 1 (20%)",
    ]
    assert _rows(section, "return-settlements") == [
        ["Changed mind", "2", "0", "–", "1", "0", "–"],
        ["Damaged in transit", "2", "1", "CN¥80.00", "0", "1", "CN¥150.00"],
        ["Defective", "2", "2", "CN¥200.00, $20.00", "0", "0", "–"],
        ["Wrong item", "1", "0", "–", "0", "0", "–"],
        ["All reasons", "7", "3", "CN¥280.00, $20.00", "1", "1", "CN¥150.00"],
    ]
    assert _rows(section, "return-claims") == [
        ["ZTO", "2", "1", "50%", "CN¥150.00", "CN¥230.00"],
        ["SF", "1", "1", "100%", "$20.00", "$20.00"],
        ["All carriers", "3", "2", "66.7%", "CN¥150.00, $20.00", "CN¥230.00, $20.00"],
    ]


async def test_the_chinese_section_carries_no_english_ui_words(api: Api) -> None:
    seed_known_returns(api.sessions)

    async with signed_in(api, "sup-tui", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        section = await _returns_section(supervisor)

    shown = [*_LABELLED.findall(section), *_hovers(section), re.sub(r"<[^>]+>", " ", section)]
    words = set(re.findall(r"[A-Za-z]+", unescape(" ".join(shown))))
    assert words <= ALLOWED_LATIN | SEEDED_WORDS, words - ALLOWED_LATIN - SEEDED_WORDS
    assert "<h2>退货</h2>" in section
    assert "运输损坏：2 件退货，售出 190 件中退回 3 件（1.6%）" in _hovers(section)
    assert ["全部原因", "7", "3", "¥280.00、US$20.00", "1", "1", "¥150.00"] in _rows(
        section, "return-settlements"
    )


async def test_the_customer_tier_filter_applies_and_the_others_do_not(api: Api) -> None:
    seed_known_returns(api.sessions)

    async with signed_in(api, "sup-tier", Role.SUPERVISOR) as supervisor:
        vip = await _returns_section(supervisor, customer_tier="vip")
        logistics = await _returns_section(supervisor, category="logistics")
        empty = await _returns_section(supervisor, first_day="2026-01-05", last_day="2026-01-11")

    assert "Returns opened in these days by VIP customers" in vip
    assert '<div class="figure-value">1</div>' in vip
    assert 'aria-label="Return rate: –"' in vip  # units sold are not known per tier
    assert "the complaint filters above do not apply to them" in logistics
    assert '<div class="figure-value">7</div>' in logistics
    assert empty.count("No returns in these days.") >= 4
    assert "No claims were due in these days." in empty


@pytest.mark.both_stores
async def test_returns_over_time_are_stacked_by_outcome_in_both_languages(api: Api) -> None:
    seed_known_returns(api.sessions)

    async with signed_in(api, "sup-ret-trend", Role.SUPERVISOR) as supervisor:
        section = await _returns_section(supervisor)
        weekly = await _returns_section(supervisor, bucket="week")
        chinese = await _returns_section(supervisor, lang="zh-CN")

    hovers = _chart(section, "Returns opened over time, by outcome")
    assert hovers[0] == "Returns opened over time, by outcome"
    days = {hover.split(":")[0].removeprefix("Returns opened on "): hover for hover in hovers[1:]}
    assert len(days) == 14, "one column a day of the page's fortnight, empty ones too"
    assert days["2026-03-02"] == "Returns opened on 2026-03-02: 2 (Refund 1, Store credit 1)"
    # R3 opened at 00:30 in Shanghai: the 3rd, as every return report counts it.
    assert days["2026-03-03"] == "Returns opened on 2026-03-03: 1 (Refund 1)"
    assert days["2026-03-04"] == "Returns opened on 2026-03-04: 0"
    assert days["2026-03-09"] == "Returns opened on 2026-03-09: 1 (Exchange 1)"
    # R5 completed with nothing to settle, R7 was rejected.
    assert days["2026-03-10"] == "Returns opened on 2026-03-10: 1 (Not settled 1)"
    assert days["2026-03-12"] == "Returns opened on 2026-03-12: 1 (Not settled 1)"
    assert "7 returns; the busiest day was 2026-03-02 with 2." in unescape(section)
    legend = section.split("Returns opened over time, by outcome</h3>")[1].split("</figure>")[0]
    assert [
        name for name in ("Refund", "Exchange", "Store credit", "Not settled") if name in legend
    ]

    week_hovers = _chart(weekly, "Returns opened over time, by outcome")[1:]
    assert week_hovers == [
        "Returns opened in the week of 2026-03-02: 3 (Refund 2, Store credit 1)",
        "Returns opened in the week of 2026-03-09: 4 (Refund 1, Exchange 1, Not settled 2)",
    ]
    zh = _chart(chinese, "退货趋势（按处理结果）")
    assert "2026-03-02 发起的退货：2 件（退款 1、店铺余额 1）" in zh
