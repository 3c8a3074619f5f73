"""Canned replies in the console: an admin creates, edits and retires templates through the
forms (the list shows each with its usage), supervisors read the list only, agents get the
403 page; refusals name the field in the page's language and keep what was typed (an
unknown placeholder named); a form sent twice creates one template; an edit made while a
colleague saved theirs is refused with both versions shown; the pages in Chinese."""

import html
import re

import httpx
import pytest

from domain.access import Role
from store.canned_replies import CannedReplyStatus, list_canned_replies
from tests.api.support import Api
from tests.console.support import csrf_token, signed_in

PAGE = "/console/canned-replies"
NEW = f"{PAGE}/new"
_FORM_KEY = re.compile(r'name="form_key" value="([A-Za-z0-9_-]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')
FIELDS = {
    "title": "Parcel late: new date",
    "language": "en",
    "sub_category": "late_delivery",
    "body": "Sorry, {{ customer_name }}: we will answer by {{ resolution_due }}.",
}


def rows(page: str) -> list[str]:
    """Returns the template ids of the list's rows, top to bottom."""
    return re.findall(r'<tr data-canned-reply="(\d+)"', page)


def row(page: str, reply_id: str) -> str:
    return page.split(f'data-canned-reply="{reply_id}"')[1].split("</tr>")[0]


def problems(page: str) -> list[tuple[str, str]]:
    """Returns the page's refusals: (message key, field named)."""
    return re.findall(r'data-problem="([a-z_]+)"(?: data-field="([a-z_]+)")?', page)


async def new_form(client: httpx.AsyncClient) -> dict[str, str]:
    """Returns the hidden fields of a fresh new-template form."""
    shown = await client.get(NEW)
    assert shown.status_code == 200, shown.text
    key = _FORM_KEY.search(shown.text)
    assert key is not None
    return {"csrf_token": csrf_token(shown.text), "form_key": key.group(1)}


async def create(client: httpx.AsyncClient, **fields: str) -> httpx.Response:
    return await client.post(NEW, data=await new_form(client) | FIELDS | fields)


async def edit_form(client: httpx.AsyncClient, reply_id: str) -> dict[str, str]:
    shown = await client.get(f"{PAGE}/{reply_id}")
    assert shown.status_code == 200, shown.text
    version = _VERSION.search(shown.text)
    assert version is not None
    return {"csrf_token": csrf_token(shown.text), "version": version.group(1)}


def stored_titles(api: Api) -> list[str]:
    with api.sessions() as session:
        listed = list_canned_replies(session, status=CannedReplyStatus.ALL)
    return [row.reply.title for row in listed]


@pytest.mark.both_stores
async def test_an_admin_creates_edits_and_retires_a_template_through_the_forms(
    store: str, api: Api
) -> None:
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        empty = await admin.get(PAGE)
        created = await create(admin)
        assert created.status_code == 303, created.text
        reply_id = created.headers["location"].split("created=")[1]
        listed = await admin.get(created.headers["location"])

        edit = await edit_form(admin, reply_id)
        saved = await admin.post(
            f"{PAGE}/{reply_id}",
            data=edit | FIELDS | {"title": "Parcel late", "sub_category": ""},
        )
        after_edit = await admin.get(saved.headers["location"])
        retired = await admin.post(
            f"{PAGE}/{reply_id}/retire", data={"csrf_token": edit["csrf_token"]}
        )
        active = await admin.get(PAGE)
        retired_list = await admin.get(PAGE, params={"status": "retired"})
        read_only = await admin.get(f"{PAGE}/{reply_id}")

    assert empty.status_code == 200 and rows(empty.text) == []
    assert '<a href="/console/canned-replies">Canned replies</a>' in empty.text
    assert f'href="{NEW}"' in empty.text
    assert 'data-placeholder="resolution_due"' in empty.text
    assert rows(listed.text) == [reply_id]
    assert "Created “Parcel late: new date”." in listed.text
    shown = row(listed.text, reply_id)
    assert "Late delivery" in shown and 'data-uses="0"' in shown
    assert html.escape(FIELDS["body"], quote=False) in shown

    assert saved.status_code == 303 and "Saved “Parcel late”." in after_edit.text
    assert "General (any sub-category)" in row(after_edit.text, reply_id)
    assert retired.status_code == 303 and retired.headers["location"].endswith(
        f"retired={reply_id}"
    )
    assert rows(active.text) == [] and rows(retired_list.text) == [reply_id]
    assert 'data-status="retired"' in retired_list.text
    assert read_only.status_code == 200 and 'name="body"' not in read_only.text
    assert "can no longer be edited" in read_only.text


async def test_a_template_naming_an_unknown_placeholder_is_refused_naming_it(api: Api) -> None:
    body = "Dear {{ custmer_name }}, your {{ order_no }} ships today."
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        refused = await create(admin, body=body)

    assert refused.status_code == 422
    assert problems(refused.text) == [("canned_body_unknown_placeholder", "body")]
    assert "{{ custmer_name }}, {{ order_no }}" in html.unescape(refused.text)
    assert 'aria-invalid="true" aria-errormessage="problem-body"' in refused.text
    # What was typed is kept.
    assert html.escape(body, quote=False) in refused.text
    assert stored_titles(api) == []


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        (
            {"title": " ", "body": ""},
            [("canned_title_required", "title"), ("canned_body_required", "body")],
        ),
        ({"title": "x" * 121}, [("canned_title_too_long", "title")]),
        ({"language": "fr"}, [("canned_language_choose", "language")]),
        ({"sub_category": "broken"}, [("canned_sub_category_choose", "sub_category")]),
        ({"body": "{% for x in order_id %}{% endfor %}"}, [("canned_body_not_allowed", "body")]),
        ({"body": "{{ order_id|attr('x') }}"}, [("canned_body_unknown_filter", "body")]),
        ({"body": "Hi {{ customer_name"}, [("canned_body_syntax", "body")]),
    ],
)
async def test_a_bad_form_is_refused_naming_each_field_and_nothing_is_kept(
    api: Api, fields: dict[str, str], refused: list[tuple[str, str]]
) -> None:
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        answer = await create(admin, **fields)

    assert answer.status_code == 422
    assert problems(answer.text) == refused
    assert stored_titles(api) == []


async def test_a_taken_title_is_refused_and_a_form_sent_twice_creates_one_template(
    api: Api,
) -> None:
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        form = await new_form(admin)
        first = await admin.post(NEW, data=form | FIELDS)
        again = await admin.post(NEW, data=form | FIELDS)
        taken = await create(admin, title=FIELDS["title"].upper())
        chinese_twin = await create(admin, language="zh-CN")

    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert taken.status_code == 409
    assert problems(taken.text) == [("canned_title_taken", "title")]
    assert chinese_twin.status_code == 303
    assert sorted(stored_titles(api)) == [FIELDS["title"]] * 2


async def test_an_edit_made_while_a_colleague_saved_theirs_is_refused_with_both_shown(
    api: Api,
) -> None:
    async with signed_in(api, "admin-one", Role.ADMIN) as one:
        created = await create(one)
        reply_id = created.headers["location"].split("created=")[1]
        mine = await edit_form(one, reply_id)
        async with signed_in(api, "admin-two", Role.ADMIN) as two:
            theirs = await edit_form(two, reply_id)
            saved = await two.post(
                f"{PAGE}/{reply_id}", data=theirs | FIELDS | {"body": "Their words."}
            )
            repeated = await two.post(
                f"{PAGE}/{reply_id}", data=theirs | FIELDS | {"body": "Their words."}
            )
        stale = await one.post(f"{PAGE}/{reply_id}", data=mine | FIELDS | {"body": "My words."})

    assert saved.status_code == 303
    # The same edit sent again (a double click) is taken as done.
    assert repeated.status_code == 303
    assert stale.status_code == 409
    assert problems(stale.text) == [("canned_edited_meanwhile", "")]
    assert "admin-two changed this template" in stale.text
    assert "Their words." in stale.text and "My words." in stale.text
    # Saving again from this page knowingly replaces their version.
    assert 'name="version" value="2"' in stale.text


async def test_supervisors_read_the_list_and_agents_get_the_403_page(api: Api) -> None:
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        created = await create(admin)
        reply_id = created.headers["location"].split("created=")[1]
        token = csrf_token((await admin.get(PAGE)).text)
    async with signed_in(api, "sup-canned", Role.SUPERVISOR) as supervisor:
        listed = await supervisor.get(PAGE)
        sup_token = csrf_token(listed.text)
        supervisor_refused = [
            await supervisor.get(NEW),
            await supervisor.get(f"{PAGE}/{reply_id}"),
            await supervisor.post(NEW, data=FIELDS | {"csrf_token": sup_token}),
            await supervisor.post(f"{PAGE}/{reply_id}/retire", data={"csrf_token": sup_token}),
        ]
    async with signed_in(api, "agent-canned", Role.AGENT) as agent:
        agent_refused = [await agent.get(PAGE), await agent.get(NEW)]
        nav = await agent.get("/console/queue")
    async with signed_in(api, "admin-other", Role.ADMIN) as other:
        # Another session's token is no token for this one.
        forged = await other.post(f"{PAGE}/{reply_id}/retire", data={"csrf_token": token})

    assert listed.status_code == 200 and rows(listed.text) == [reply_id]
    assert f'href="{NEW}"' not in listed.text and f'href="{PAGE}/{reply_id}"' not in listed.text
    assert "Supervisors may read the templates; admins write them." in listed.text
    assert [answer.status_code for answer in supervisor_refused] == [403] * 4
    assert all("Only admins may" in answer.text for answer in supervisor_refused)
    assert [answer.status_code for answer in agent_refused] == [403, 403]
    assert "Only supervisors and admins may see the canned replies." in agent_refused[0].text
    assert 'href="/console/canned-replies"' not in nav.text
    assert forged.status_code == 403 and 'data-problem="csrf_refused"' in forged.text
    with api.sessions() as session:
        assert [row.reply.retired_at for row in list_canned_replies(session)] == [None]


async def test_a_filter_the_list_does_not_know_is_refused_naming_it(api: Api) -> None:
    async with signed_in(api, "admin-canned", Role.ADMIN) as admin:
        await create(admin)
        refused = await admin.get(PAGE, params={"status": "deleted"})
        by_language = await admin.get(PAGE, params={"language": "zh-CN"})
        general = await admin.get(PAGE, params={"sub_category": "general"})
        late = await admin.get(PAGE, params={"sub_category": "late_delivery"})

    assert refused.status_code == 422 and rows(refused.text) == []
    assert "Status" in refused.text.split('data-problem="queue_filter_invalid"')[1]
    assert rows(by_language.text) == [] and rows(general.text) == []
    assert len(rows(late.text)) == 1


async def test_the_pages_in_chinese(api: Api) -> None:
    async with signed_in(api, "admin-zh", Role.ADMIN, locale="zh-CN") as admin:
        created = await create(
            admin,
            title="物流延误：新的送达时间",
            language="zh-CN",
            body="{{ customer_name }}您好，我们会在 {{ resolution_due }} 前答复您。",
        )
        listed = await admin.get(created.headers["location"] + "&lang=zh-CN")
        form = await admin.get(NEW)
        refused = await create(admin, title="", body="{{ 客户 }}")

    assert "已创建“物流延误：新的送达时间”。" in listed.text
    assert "快捷回复" in listed.text and "物流延误" in listed.text
    assert "按客户所在时区显示的日期和时间" in listed.text
    assert '<option value="zh-CN" lang="zh-CN" selected>' in form.text
    assert refused.status_code == 422
    assert problems(refused.text) == [
        ("canned_title_required", "title"),
        ("canned_body_unknown_placeholder", "body"),
    ]
    assert "“标题”为必填项。" in refused.text
    assert "使用了不存在的占位符：{{ 客户 }}" in html.unescape(refused.text)
