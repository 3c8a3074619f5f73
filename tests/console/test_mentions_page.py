"""The mentions page: a supervisor opens a complaint from a mention the detector passed
over (one complaint and one label, however often the form is sent), an agent marks one
that opened a complaint as not a complaint (the complaint stays open), the other label is
then refused in words with nothing changed; the list is newest first, escaped, filtered
and paged in the URL, in English and Chinese; the warehouse gets the 403 page, a form
without its CSRF token is refused.

Mentions are reported through `POST /mentions` (the rules detector decides) where the
complaint they open matters, and written straight to the store for the list's order,
filters and pages (the list reads only the store).
"""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from domain.access import CONSOLE_ROLES, Permission, Role, role_allows
from domain.mentions import mention_id_for
from store.mention_labels import label_of
from store.mentions import record_mention
from store.tables.idempotency import IdempotencyKey
from store.tables.mentions import MentionLabel, MentionRecord
from tests.api.mention_support import COMPLAINT, NOT_A_COMPLAINT, report
from tests.api.support import Api
from tests.console.support import csrf_token, signed_in

PAGE = "/console/mentions"
SUPERVISOR = "sup-mentions"
AGENT = "agent-mentions"
MARKUP = 'Refund? <script>alert("x")</script> & <b>never</b> again'
_ROW = re.compile(r'<tr id="mention-(M[A-Z2-7]{12})"')
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def listed(html: str) -> list[str]:
    """Returns the mention ids of a page's rows, top to bottom."""
    return _ROW.findall(html)


def row_of(html: str, mention_id: str) -> str:
    """Returns the markup of the mention's row."""
    return html.split(f'<tr id="mention-{mention_id}"')[1].split("</tr>")[0]


def form_of(html: str, mention_id: str, action: str) -> tuple[str, dict[str, str]]:
    """Returns the URL and the hidden fields of the mention's `action` form on a page."""
    url = f"/console/mentions/{mention_id}/{action}"
    found = html.split(f'action="{url}"')
    assert len(found) == 2, f"the page has no {action} form for {mention_id}"
    return url, dict(_HIDDEN.findall(found[1].split("</form>")[0]))


def labels(api: Api) -> list[MentionLabel]:
    with api.sessions() as session:
        return list(session.exec(select(MentionLabel)))


def store_mentions(api: Api, *texts_and_decisions: tuple[str, bool]) -> list[str]:
    """Writes mentions received a minute apart, the last the newest; returns their ids."""
    start = datetime.now(UTC) - timedelta(hours=1)
    ids = []
    with api.sessions() as session:
        for n, (text, is_complaint) in enumerate(texts_and_decisions):
            mention_id = mention_id_for(f"weibo:{uuid.uuid4().hex}")
            record_mention(
                session,
                mention=MentionRecord(
                    mention_id=mention_id,
                    channel="weibo",
                    author_handle="@小林",
                    link=f"https://weibo.example/status/{mention_id}",
                    text=text,
                    is_complaint=is_complaint,
                    score=0.81 if is_complaint else 0.12,
                    detector="mention-rules",
                    received_at=start + timedelta(minutes=n),
                ),
            )
            ids.append(mention_id)
    return ids


@pytest.mark.both_stores
async def test_a_supervisor_opens_one_complaint_from_a_passed_over_mention(api: Api) -> None:
    passed = await report(api, NOT_A_COMPLAINT)
    mention_id = passed["mention_id"]

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(PAGE)
        assert page.status_code == 200, page.text
        row = row_of(page.text, mention_id)
        assert "Passed over" in row and "Score 0." in row and "Rules" in row
        assert 'data-label=""' in row and "None" in row
        assert 'href="/console/mentions">Mentions</a>' in page.text
        url, form = form_of(page.text, mention_id, "open")
        # A second tab keeps a form of its own.
        _, other_tab = form_of((await supervisor.get(PAGE)).text, mention_id, "open")

        sent = await supervisor.post(url, data=form)
        sent_again = await supervisor.post(url, data=form)
        from_other_tab = await supervisor.post(url, data=other_tab)

        for answer in (sent, sent_again, from_other_tab):
            assert answer.status_code == 303, answer.text
        assert sent.headers["location"] == (
            f"{PAGE}?done=opened&mention={mention_id}#mention-{mention_id}"
        )
        done = await supervisor.get(sent.headers["location"])
        assert 'data-done="opened"' in done.text
        assert f"Labelled {mention_id} a complaint." in done.text
        complaint_id = re.search(r'href="/console/complaints/(C[A-Z2-7]{12})"', done.text)
        assert complaint_id is not None
        row = row_of(done.text, mention_id)
        assert 'data-label="complaint"' in row and f"By {SUPERVISOR}" in row
        assert 'name="form_key"' not in row, "a labelled mention offers no form"

    view = await api.wait_for_view(complaint_id.group(1), lambda view: view["status"] == "open")
    assert view["intake"]["channel"] == "social"
    (label,) = labels(api)
    assert (label.mention_id, label.is_complaint, label.labelled_by) == (
        mention_id,
        True,
        SUPERVISOR,
    )
    with api.sessions() as session:
        opened = session.exec(
            select(func.count())
            .select_from(IdempotencyKey)
            .where(IdempotencyKey.key == f"mention:{mention_id}")
        ).one()
        assert opened == 1
    mentioned = await api.http.get("/complaints", params={"customer_id": "twitter:lin_wei"})
    assert [item["complaint_id"] for item in mentioned.json()["items"]] == [complaint_id.group(1)]


async def test_an_agent_marks_a_mention_not_a_complaint_and_its_complaint_stays(
    api: Api,
) -> None:
    opened = await report(api, COMPLAINT)
    mention_id, complaint_id = opened["mention_id"], opened["complaint_id"]
    await api.wait_for_view(complaint_id, lambda view: view["status"] == "open")

    async with signed_in(api, AGENT, Role.AGENT) as agent:
        page = await agent.get(PAGE, params={"decision": "opened"})
        row = row_of(page.text, mention_id)
        assert "Opened a complaint" in row
        assert f'href="/console/complaints/{complaint_id}"' in row
        assert 'action="/console/mentions/' + mention_id + '/open"' not in row
        url, form = form_of(page.text, mention_id, "not-a-complaint")
        marked = await agent.post(url, data=form)
        assert marked.status_code == 303, marked.text
        assert "decision=opened" in marked.headers["location"]
        done = await agent.get(marked.headers["location"])

    assert f"Labelled {mention_id} not a complaint." in done.text
    assert "The complaint it opened was left as it is" in done.text
    assert 'data-label="not_complaint"' in row_of(done.text, mention_id)
    view = (await api.http.get(f"/complaints/{complaint_id}")).json()
    assert view["status"] != "closed"

    # The other label, from a form crafted or left open elsewhere, is refused in words.
    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        shown = await supervisor.get(PAGE)
        refused = await supervisor.post(
            f"{PAGE}/{mention_id}/open",
            data={"csrf_token": csrf_token(shown.text), "form_key": "f" * 24},
        )
    assert refused.status_code == 409, refused.text
    assert 'data-problem="refused_mention_labelled_not_complaint"' in refused.text
    assert f"{AGENT} already labelled this mention not a complaint" in refused.text
    assert "nothing was changed" in refused.text
    (label,) = labels(api)
    assert (label.is_complaint, label.labelled_by) == (False, AGENT)


async def test_the_list_is_newest_first_escaped_filtered_and_paged(api: Api) -> None:
    ids = store_mentions(
        api,
        *[(f"post {n}", n % 2 == 0) for n in range(27)],
        (MARKUP, False),
    )
    newest = ids[-1]

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        first = await supervisor.get(PAGE)
        second = await supervisor.get(PAGE, params={"page": "2"})
        past_the_end = await supervisor.get(PAGE, params={"page": "9"})
        opened = await supervisor.get(PAGE, params={"decision": "opened"})
        passed = await supervisor.get(PAGE, params={"decision": "passed_over"})
        unlabelled = await supervisor.get(PAGE, params={"decision": "labelled"})
        bad_decision = await supervisor.get(PAGE, params={"decision": "maybe"})
        bad_page = await supervisor.get(PAGE, params={"page": "two"})
        chinese = await supervisor.get(PAGE, params={"lang": "zh-CN"})

    assert listed(first.text) == list(reversed(ids))[:25]
    assert 'data-total="28"' in first.text and "Page 1 of 2" in first.text
    assert listed(second.text) == list(reversed(ids))[25:]
    assert listed(past_the_end.text) == listed(second.text)
    assert len(listed(opened.text)) == 14 and 'data-detector-decision="passed_over"' not in (
        opened.text
    )
    assert 'data-total="14"' in passed.text
    assert 'data-total="0"' in unlabelled.text and "No mention matches." in unlabelled.text
    # Post text is shown as text; source and author as stored.
    row = row_of(first.text, newest)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;never" in row
    assert "<script>alert" not in first.text
    assert "On weibo by @小林" in row and "Score 0.12" in row
    assert f'href="https://weibo.example/status/{newest}"' in row
    for refused, words in (
        (bad_decision, "“Decision” must be one of the list"),
        (bad_page, "The page number must be a whole number from 1."),
    ):
        assert refused.status_code == 422, refused.text
        assert words in refused.text and listed(refused.text) == []
    assert chinese.status_code == 200
    assert "<h1>社媒提及</h1>" in chinese.text and "未开启投诉" in chinese.text
    assert "@小林 发布于 weibo" in chinese.text and "开启投诉" in chinese.text


async def test_forms_need_their_csrf_token_and_name_unknown_mentions(api: Api) -> None:
    (mention_id,) = store_mentions(api, ("Where is my parcel?", False))

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        page = await supervisor.get(PAGE)
        url, form = form_of(page.text, mention_id, "open")
        forged = await supervisor.post(url, data=form | {"csrf_token": "0" * 64})
        unknown = await supervisor.post(f"{PAGE}/MAAAAAAAAAAAA/open", data=form)
        malformed = await supervisor.post(f"{PAGE}/not-an-id/open", data=form)
        bad_key = await supervisor.post(url, data=form | {"form_key": "short"})

    assert forged.status_code == 403 and "This form has expired" in forged.text
    assert unknown.status_code == 404 and "There is no such mention." in unknown.text
    assert malformed.status_code == 404
    assert bad_key.status_code == 422
    assert labels(api) == []
    with api.sessions() as session:
        assert label_of(session, mention_id=mention_id) is None


@pytest.mark.skipif(
    Role.WAREHOUSE not in CONSOLE_ROLES, reason="the warehouse does not sign in to the console"
)
async def test_the_warehouse_gets_the_403_page_and_no_link(api: Api) -> None:
    assert [
        role for role in CONSOLE_ROLES if not role_allows(role, Permission.REVIEW_MENTIONS)
    ] == [Role.WAREHOUSE]
    (mention_id,) = store_mentions(api, ("Where is my parcel?", False))

    async with signed_in(api, "warehouse-mentions", Role.WAREHOUSE) as warehouse:
        page = await warehouse.get(PAGE)
        landing = await warehouse.get("/console/", follow_redirects=True)
        label = await warehouse.post(
            f"{PAGE}/{mention_id}/open",
            data={"csrf_token": csrf_token(landing.text), "form_key": "w" * 24},
        )

    for refused in (page, label):
        assert refused.status_code == 403, refused.text
        assert "Only agents, supervisors and admins may see and label mentions." in refused.text
    assert 'href="/console/mentions"' not in landing.text
    assert labels(api) == []
