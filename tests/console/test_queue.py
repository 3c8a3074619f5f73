"""My queue and team queues: who sees what, most urgent first, every filter, search in
Chinese and English on both stores, pages, counts in the navigation, the refreshing
part, refusals of bad input, and customer text shown as text.

Most complaints here are projected straight into the read model (the queue reads only
that); the last test opens one through the API and finds it by a message sent on it.
"""

import re
from datetime import timedelta
from typing import Any

import pytest

from domain.access import Role
from domain.complaints import ComplaintStatus, ComplaintView, SlaClock, TimelineEvent, TimelineKind
from domain.taxonomy import Category, Channel, CustomerTier, Tier
from store.complaint_queue import PAGE_SIZE
from store.complaints import project_complaint
from tests.api.support import Api, eventually, intake
from tests.console.support import signed_in
from tests.factories import (
    OPENED_AT,
    make_classification,
    make_customer,
    make_intake,
    make_order,
    make_projection,
    make_routing,
    make_view,
)

AGENT = "agent-quality-1"
MINE = "/console/queue"
TEAM = "/console/queue/team"


def _listed(page: str) -> list[str]:
    """Returns the complaint ids of a queue page's rows, top to bottom."""
    return re.findall(r'<tr data-complaint="([^"]+)"', page)


def _store(api: Api, *views: ComplaintView) -> list[str]:
    with api.sessions() as session:
        for view in views:
            project_complaint(session, projection=make_projection(view))
    return [view.complaint_id for view in views]


def _complaint(
    *,
    assignee: str = AGENT,
    team: str = "quality",
    description: str = "The headphones crackle.",
    messages: tuple[str, ...] = (),
    **overrides: Any,
) -> ComplaintView:
    """Returns an open complaint of the agent's, with `messages` replied on it."""
    intake_fields = {
        name: overrides.pop(name) for name in ("channel", "customer", "order") if name in overrides
    }
    view = make_view(
        assignee=assignee,
        routing=make_routing(team=team, agent_id=assignee),
        intake=make_intake(description=description, **intake_fields),
        **overrides,
    )
    for number, text in enumerate(messages, start=len(view.timeline) + 1):
        view.timeline.append(
            TimelineEvent(
                seq=number, at=OPENED_AT, kind=TimelineKind.REPLIED, actor=assignee, detail=text
            )
        )
    view.timeline_total = len(view.timeline)
    return view


def _due_in(hours: float, name: str = "resolution") -> SlaClock:
    budget = 72 * 3600 if name == "resolution" else 24 * 3600
    return SlaClock(
        name=name,  # type: ignore[arg-type]
        budget_seconds=budget,
        due_at=OPENED_AT + timedelta(hours=hours),
        running_since=OPENED_AT,
    )


async def test_my_queue_puts_the_most_urgent_first_and_only_holds_mine(api: Api) -> None:
    late_resolution = _complaint(
        first_response=_due_in(1, "first_response").model_copy(update={"met_at": OPENED_AT}),
        resolution=_due_in(50),
    )
    # Unanswered: the first response (due in 10 h) comes before a resolution due in 50 h.
    unanswered = _complaint(first_response=_due_in(10, "first_response"), resolution=_due_in(60))
    breached = _complaint(sla_breached=True, resolution=_due_in(70))
    stuck = _complaint(needs_person=True, resolution=_due_in(71))
    waiting = _complaint(status=ComplaintStatus.WAITING_ON_CUSTOMER, resolution=_due_in(2))
    closed = _complaint(status=ComplaintStatus.CLOSED)
    someone_elses = _complaint(assignee="agent-quality-2")
    _store(api, late_resolution, unanswered, breached, stuck, waiting, closed, someone_elses)

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        page = await agent.get(MINE)

    assert page.status_code == 200, page.text
    assert _listed(page.text) == [
        stuck.complaint_id,
        breached.complaint_id,
        unanswered.complaint_id,
        late_resolution.complaint_id,
        waiting.complaint_id,
    ]
    row = page.text.split(f'data-complaint="{unanswered.complaint_id}"')[1].split("</tr>")[0]
    assert "First response" in row and 'class="countdown' in row
    assert f'href="/console/complaints/{unanswered.complaint_id}"' in row
    waiting_row = page.text.split(f'data-complaint="{waiting.complaint_id}"')[1]
    assert "Paused: waiting on the customer" in waiting_row.split("</tr>")[0]


async def test_every_filter_narrows_the_queue(api: Api) -> None:
    vip = make_customer(id="cust-vip-1", tier=CustomerTier.VIP)
    critical = _complaint(classification=make_classification(tier=Tier.CRITICAL))
    logistics = _complaint(classification=make_classification(category=Category.LOGISTICS))
    by_phone = _complaint(channel=Channel.PHONE)
    from_vip = _complaint(customer=vip)
    waiting = _complaint(status=ComplaintStatus.WAITING_ON_CUSTOMER)
    approval = _complaint(status=ComplaintStatus.AWAITING_APPROVAL)
    closed = _complaint(status=ComplaintStatus.CLOSED)
    everyone = _store(api, critical, logistics, by_phone, from_vip, waiting, approval, closed)
    open_ones = [c for c in everyone if c != closed.complaint_id]
    expected = {
        "tier=critical": [critical.complaint_id],
        "category=logistics": [logistics.complaint_id],
        "channel=phone": [by_phone.complaint_id],
        "customer_tier=vip": [from_vip.complaint_id],
        "status=awaiting_approval": [approval.complaint_id],
        "status=closed": [closed.complaint_id],
        "waiting=only": [waiting.complaint_id],
        "waiting=hide": [c for c in open_ones if c != waiting.complaint_id],
        # Empty values are "any", as the form sends them.
        "tier=&status=&q=": open_ones,
        "channel=phone&tier=critical": [],
    }

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        for query, ids in expected.items():
            page = await agent.get(f"{MINE}?{query}")
            assert page.status_code == 200, (query, page.text)
            assert sorted(_listed(page.text)) == sorted(ids), query
            if not ids:
                assert "No complaint matches these filters." in page.text
        # The form shows what was chosen.
        chosen = await agent.get(f"{MINE}?tier=critical&waiting=hide")
        assert '<option value="critical" selected>' in chosen.text
        assert '<option value="hide" selected>' in chosen.text


@pytest.mark.both_stores
async def test_search_finds_chinese_and_english_text_ids_and_messages(api: Api) -> None:
    parcel = _complaint(description="快递三天没到，包裹可能丢失了。")
    motor = _complaint(description="The blender's MOTOR burned out after one use.")
    replied = _complaint(messages=("我们已为您申请退款，请留意银行通知。", "Refund issued today"))
    by_order = _complaint(order=make_order(order_id="ord-7788-xq"))
    by_customer = _complaint(customer=make_customer(id="cust-zhou-55"))
    literal = _complaint(description="Charged 100% twice_over")
    _store(api, parcel, motor, replied, by_order, by_customer, literal)
    expected = {
        "包裹可能丢失": [parcel],
        "丢失": [parcel],  # two characters: no trigram, read on the agent's rows
        "快": [parcel],
        "motor burned": [motor],  # every word, any case
        "BLENDER": [motor],
        "申请退款": [replied],
        "refund ISSUED": [replied],
        "ord-7788": [by_order],
        "ＯＲＤ－７７８８": [by_order],  # full-width, as some keyboards type it
        "zhou-55": [by_customer],
        "100%": [literal],  # LIKE's wildcards are plain characters
        "e_o": [literal],
        "包裹 motor": [],
        "nowhere-to-be-found": [],
    }

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        for query, views in expected.items():
            page = await agent.get(MINE, params={"q": query})
            assert page.status_code == 200, (query, page.text)
            assert sorted(_listed(page.text)) == sorted(v.complaint_id for v in views), query
        # Search and filters together, and the search box keeps the words.
        both = await agent.get(MINE, params={"q": "丢失", "status": "open"})
        assert _listed(both.text) == [parcel.complaint_id]
        assert 'value="丢失"' in both.text


async def test_pages_of_a_long_queue(api: Api) -> None:
    views = [_complaint(resolution=_due_in(hours)) for hours in range(1, PAGE_SIZE + 6)]
    ids = _store(api, *views)

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        first = await agent.get(MINE)
        second = await agent.get(f"{MINE}?page=2")
        past_the_end = await agent.get(f"{MINE}?page=99")
        filtered = await agent.get(f"{MINE}?status=open&page=2")

    assert _listed(first.text) == ids[:PAGE_SIZE]
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    assert 'href="/console/queue?page=2"' in first.text
    assert _listed(second.text) == ids[PAGE_SIZE:]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    assert _listed(past_the_end.text) == ids[PAGE_SIZE:], "a page past the end is the last"
    # Page links keep the filters.
    assert 'href="/console/queue?status=open&amp;page=1"' in filtered.text


async def test_an_agent_sees_their_own_and_their_teams_queue_only(api: Api) -> None:
    mine = _complaint()
    teammates = _complaint(assignee="agent-quality-2")
    other_team = _complaint(assignee="agent-logistics-1", team="logistics")
    _store(api, mine, teammates, other_team)

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        my_page = await agent.get(MINE)
        team_page = await agent.get(TEAM)
        other = await agent.get(f"{TEAM}?team=logistics")
        own_by_name = await agent.get(f"{TEAM}?team=quality")

    assert _listed(my_page.text) == [mine.complaint_id]
    assert sorted(_listed(team_page.text)) == sorted([mine.complaint_id, teammates.complaint_id])
    assert "Team queue: quality" in team_page.text
    assert 'name="team"' not in team_page.text, "agents get no team picker"
    assert other.status_code == 403
    assert "Agents see their own team&#39;s queue only." in other.text
    assert other_team.complaint_id not in other.text
    assert own_by_name.status_code == 200
    # Counts per queue in the navigation: one of mine, two in the team.
    nav = my_page.text.split('class="main-nav"')[1].split("</nav>")[0]
    assert re.search(r'href="/console/queue">My queue\s*<span class="nav-count"[^>]*>1<', nav)
    assert re.search(
        r'href="/console/queue/team">Team queue\s*<span class="nav-count"[^>]*>2<', nav
    )

    async with signed_in(api, "sup-ada", Role.SUPERVISOR) as supervisor:
        every_team = await supervisor.get(TEAM)
        logistics = await supervisor.get(f"{TEAM}?team=logistics")
        unknown = await supervisor.get(f"{TEAM}?team=nobody")
    assert sorted(_listed(every_team.text)) == sorted(
        [mine.complaint_id, teammates.complaint_id, other_team.complaint_id]
    )
    assert "All teams&#39; queues" in every_team.text
    assert re.search(r"Team queues\s*<span class=\"nav-count\"[^>]*>3<", every_team.text)
    assert _listed(logistics.text) == [other_team.complaint_id]
    assert '<option value="logistics" selected>' in logistics.text
    assert unknown.status_code == 422 and "“Team”" in unknown.text

    async with signed_in(api, "agent-without-team", Role.AGENT) as loner:
        no_team = await loner.get(TEAM)
    assert no_team.status_code == 200
    assert "You are not an agent of any team" in no_team.text
    assert 'href="/console/queue/team"' not in no_team.text.split("</nav>")[0]


async def test_bad_filters_are_refused_in_words_and_list_nothing(api: Api) -> None:
    _store(api, _complaint())

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        tier = await agent.get(f"{MINE}?tier=urgent")
        unknown = await agent.get(f"{MINE}?colour=red")
        page = await agent.get(f"{MINE}?page=0")
        long_search = await agent.get(MINE, params={"q": "x" * 201})
        many_words = await agent.get(MINE, params={"q": " ".join("abcdefghi")})
        chinese = await agent.get(f"{MINE}?tier=urgent&lang=zh-CN")

    for refused in (tier, unknown, page, long_search, many_words, chinese):
        assert refused.status_code == 422
        assert _listed(refused.text) == []
    assert "The queue does not know the value given for “Severity”" in tier.text
    assert "“colour”" in unknown.text
    assert "The page number must be a whole number from 1." in page.text
    assert "at most 200 characters" in long_search.text
    assert "at most 8 words" in many_words.text
    assert "队列不认识“严重程度”的取值" in chinese.text


async def test_the_refreshing_part_keeps_the_filters_and_page(api: Api) -> None:
    critical = _complaint(classification=make_classification(tier=Tier.CRITICAL))
    _store(api, critical, _complaint())

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        page = await agent.get(f"{MINE}?tier=critical&lang=en")
        part = await agent.get(f"{MINE}/live?tier=critical")

    assert 'data-live-url="/console/queue/live?tier=critical"' in page.text
    assert part.status_code == 200
    assert "<html" not in part.text and '<nav class="main-nav"' not in part.text
    assert _listed(part.text) == [critical.complaint_id]


async def test_customer_text_is_shown_as_text(api: Api) -> None:
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    _store(api, _complaint(description=script))

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        page = await agent.get(MINE, params={"q": "<script>"})

    assert len(_listed(page.text)) == 1
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert 'value="&lt;script&gt;"' in page.text


@pytest.mark.both_stores
async def test_an_agent_finds_a_real_complaint_by_a_message_sent_on_it(api: Api) -> None:
    created = await api.create(intake(description="耳机左边没有声音，充电盒也坏了。"))
    complaint_id = created.json()["complaint_id"]
    view = await api.wait_for_view(complaint_id, lambda view: view["assignee"] is not None)
    reply = {"action": {"type": "reply", "message": "Please send a photo of the charging case."}}
    answered = await api.http.post(f"/complaints/{complaint_id}/actions", json=reply)
    assert answered.status_code == 200, answered.text

    async with signed_in(api, view["assignee"], Role.AGENT) as agent:
        queue = await agent.get(MINE)
        assert complaint_id in _listed(queue.text)
        by_description = await agent.get(MINE, params={"q": "充电盒"})
        assert _listed(by_description.text) == [complaint_id]

        async def found_by_reply() -> bool | None:
            page = await agent.get(MINE, params={"q": "photo of the charging"})
            return True if _listed(page.text) == [complaint_id] else None

        await eventually(found_by_reply)
