"""The analytics page on a read model whose answers are known (`tests.analytics_seed`):
the figures people read off the charts, filters, who may see it, Chinese pages, escaping,
and the CSV downloads it links to."""

import csv
import io
import re
from html import unescape

import httpx

from domain.access import Role
from tests.analytics_seed import (
    CONSOLE_WINDOW,
    add_rows,
    at,
    complaint_row,
    seed_known_answers,
)
from tests.api.support import Api
from tests.console.support import signed_in
from tests.console.test_words import ALLOWED_LATIN

PAGE = "/console/analytics"
# Words the seeded rows carry (regions, SKUs, agents, teams): data, not the console's words.
SEEDED_WORDS = {"Zhejiang", "Jiangsu", "S", "a", "quality", "logistics"}
_TITLE = re.compile(r"<title>([^<]*)</title>")
_LABELLED = re.compile(r'(?:aria-label|placeholder)="([^"]*)"')


async def _page(client: httpx.AsyncClient, **params: str) -> str:
    response = await client.get(PAGE, params=CONSOLE_WINDOW | params)
    assert response.status_code == 200, response.text
    return response.text


def _hover_texts(html: str) -> list[str]:
    """Returns every `<title>` of the page's charts, unescaped: what hovering shows."""
    return [unescape(title) for title in _TITLE.findall(html.split("<main>")[1])]


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def _chart(html: str, title: str) -> list[str]:
    """Returns the hover texts of the breakdown chart titled `title`."""
    figure = html.split(f"<h3>{title}</h3>")[1].split("</figure>")[0]
    return _hover_texts("<main>" + figure)


async def test_a_supervisor_sees_the_seeded_figures_in_the_charts(api: Api) -> None:
    seed_known_answers(api.sessions)

    async with signed_in(api, "sup-ana", Role.SUPERVISOR) as supervisor:
        html = await _page(supervisor)
        nav = html.split("</nav>")[0]

    assert 'href="/console/analytics"' in nav
    assert re.search(r'data-figure="total">\s*<div[^>]*>[^<]*</div>\s*<div[^>]*>4<', html)
    hovers = _hover_texts(html)
    assert {"Complaints on 2026-03-02: 2 (Critical 1, General 1)",
            "Complaints on 2026-03-03: 1 (Serious 1)",
            "Complaints on 2026-03-04: 0"} <= set(hovers)  # fmt: skip
    assert _chart(html, "By category") == [
        "By category",
        "Logistics: 2 (50%)",
        "Product quality: 2 (50%)",
    ]
    assert "Jiangsu: 2 (50%)" in _chart(html, "By region")
    assert "S1: 2 (50%)" in _chart(html, "Top 10 products (SKU)")
    assert "Supplier defect: 1 (25%)" in _chart(html, "By root cause")
    assert "App: 2 (50%)" in _chart(html, "By channel")
    # Service levels: first responses 1, 2, 3, 5 h; resolutions 10, 20, 30 h.
    service = _section(html, "service-levels")
    for figure in (
        "First response within SLA: 75%",
        "Resolved within SLA: 66.7%",
        "SLA breached: 50%",
        "Escalated: 75%",
        "Resolved automatically: 25%",
    ):
        assert f'aria-label="{figure}"' in service, figure  # fmt: skip
    assert {"Median 2 h", "90th percentile 5 h", "Median 20 h", "90th percentile 30 h"} <= set(
        _hover_texts("<main>" + service)
    )
    satisfaction = _section(html, "satisfaction")
    assert 'aria-label="CSAT average: 3.5 / 5"' in satisfaction
    assert 'aria-label="Net promoter score (NPS): +0"' in satisfaction
    assert "5 of 5: 1 (50%)" in _hover_texts("<main>" + satisfaction)
    agent_row = html.split('<tr data-key="a1">')[1].split("</tr>")[0]
    assert [unescape(cell) for cell in re.findall(r"<span>([^<]*)</span>", agent_row)] == [
        "2", "50%", "5 (1)", "100%",
    ]  # fmt: skip
    assert "10 h" in agent_row


async def test_the_csv_links_download_with_the_console_session(api: Api) -> None:
    seed_known_answers(api.sessions)

    async with signed_in(api, "sup-bo", Role.SUPERVISOR) as supervisor:
        html = await _page(supervisor, channel="app")
        links = dict(re.findall(r'href="([^"]+)" download data-export="(\w+)"', html))
        by_kind = {kind: unescape(href) for href, kind in links.items()}
        complaints = await supervisor.get(by_kind["complaints"])
        audit = await supervisor.get(by_kind["audit"])

    assert by_kind["complaints"] == (
        "/analytics/complaints.csv?since=2026-03-02&until=2026-03-16&channel=app"
    )
    assert complaints.status_code == 200, complaints.text
    rows = list(csv.DictReader(io.StringIO(complaints.text)))
    assert [row["complaint_id"] for row in rows] == ["B", "C"]
    assert audit.status_code == 200
    assert [row["actor"] for row in csv.DictReader(io.StringIO(audit.text))] == ["system", "sup-1"]


async def test_filters_change_what_the_charts_count_and_stay_in_the_links(api: Api) -> None:
    seed_known_answers(api.sessions)

    async with signed_in(api, "sup-cy", Role.SUPERVISOR) as supervisor:
        critical = await _page(supervisor, tier="critical")
        jiangsu = await _page(supervisor, region="Jiangsu", bucket="week", split="none")
        nothing = await _page(supervisor, category="payment")

    assert _chart(critical, "By category") == ["By category", "Product quality: 1 (100%)"]
    assert '<option value="critical" selected>' in critical
    assert "tier=critical" in critical.split('data-export="complaints"')[0].rsplit("href=", 1)[1]
    seven_days = re.search(r'href="([^"]*days=7[^"]*)"', critical)
    assert seven_days is not None and "tier=critical" in seven_days.group(1)
    assert _chart(jiangsu, "By category") == ["By category", "Logistics: 2 (100%)"]
    assert "Complaints in the week of 2026-03-02: 2" in _hover_texts(jiangsu)
    assert 'value="Jiangsu"' in jiangsu
    # Nothing matches: every chart says so instead of drawing empty axes.
    assert nothing.count("No complaints match these filters.") >= 8
    assert "Nobody handled complaints in this period." in nothing


async def test_agents_get_the_403_page_and_no_link(api: Api) -> None:
    async with signed_in(api, "agent-quality-1", Role.AGENT) as agent:
        refused = await agent.get(PAGE)
        queue = await agent.get("/console/queue")

    assert refused.status_code == 403
    assert "Only supervisors and admins may see analytics." in refused.text
    assert 'href="/console/analytics"' not in queue.text


async def test_values_the_form_never_offers_are_a_422_page(api: Api) -> None:
    async with signed_in(api, "sup-dee", Role.SUPERVISOR) as supervisor:
        for params in (
            {"category": "weather"},
            {"split": "mood"},
            {"first_day": "2026-03-16", "last_day": "2026-03-02"},
            {"first_day": "2020-01-01", "last_day": "2026-03-02"},
            {"first_day": "yesterday"},
            {"days": "0"},
        ):
            answer = await supervisor.get(PAGE, params=params)
            assert answer.status_code == 422, params
            assert "The form was incomplete or invalid" in answer.text


async def test_the_default_page_covers_the_last_four_weeks(api: Api) -> None:
    async with signed_in(api, "sup-eve", Role.SUPERVISOR) as supervisor:
        answer = await supervisor.get(PAGE)

    assert answer.status_code == 200
    assert re.search(r"\(28 days\)", answer.text)
    assert re.search(r'href="[^"]*days=28"[^>]*aria-current="true"', answer.text)


async def test_the_chinese_page_carries_no_english_ui_words(api: Api) -> None:
    seed_known_answers(api.sessions)

    async with signed_in(api, "sup-fu", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        html = await _page(supervisor)

    main = html.split("<main>")[1].split("</main>")[0]
    shown = [*_LABELLED.findall(main), *_hover_texts(html), re.sub(r"<[^>]+>", " ", main)]
    words = set(re.findall(r"[A-Za-z]+", unescape(" ".join(shown))))
    assert words <= ALLOWED_LATIN | SEEDED_WORDS, words - ALLOWED_LATIN - SEEDED_WORDS
    assert "投诉数据分析" in main and "物流：2 件（50%）" in _hover_texts(html)


async def test_data_in_the_charts_is_shown_as_text_never_as_markup(api: Api) -> None:
    seed_known_answers(api.sessions)
    add_rows(
        api.sessions,
        complaint_row(
            "X", at(4, 10), category="logistics", region="<b>x</b>",
            primary_sku='<script>alert("sku")</script>', assignee='a"><img src=x>',
        ),
    )  # fmt: skip

    async with signed_in(api, "sup-gil", Role.SUPERVISOR) as supervisor:
        html = await _page(supervisor)
        filtered = await _page(supervisor, region="<b>x</b>")

    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "<script>alert" not in html and html.count("<script") == 1
    assert "<img src=x>" not in html
    assert "<b>x</b>: 1 (20%)" in _chart(html, "By region")
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in filtered
    assert _chart(filtered, "By region") == ["By region", "<b>x</b>: 1 (100%)"]
