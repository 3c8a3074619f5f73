"""Staff and keys in the console: an admin creates an agent (their password shown once,
and it signs them in), issues a key (shown once, it works on the API, a resent form issues
no second one) and revokes it, disables and enables a user, resets a password and sets an
e-mail address; each change on the audit trail with who, what and why. Refusals are named
in words with nothing changed; supervisors and agents get the 403 page."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from domain.access import Role
from store.db import SessionFactory
from store.staff import list_keys, user_for_key, user_for_password
from store.tables.admin_changes import AdminChange
from store.tables.staff import ApiKey, StaffUser
from store.tables.teams import Agent
from tests.api.conftest import running_api
from tests.api.support import Api
from tests.console.admin_support import form_of, problem_on, secret_on, send_form, trail
from tests.console.conftest import console_settings
from tests.console.support import browser, sign_in, signed_in

STAFF = "/console/admin/staff"
ADMIN = "ops-admin"


@pytest.fixture
async def api(
    dev_server_env: WorkflowEnvironment,
    sessions: SessionFactory,
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[Api]:
    # A revoked key must be refused at once, not after the key cache's seconds.
    settings = console_settings(dev_server_env, database_url, tmp_path, api_key_cache_seconds=0)
    async with running_api(dev_server_env.client, sessions, settings) as api:
        yield api


def new_agent(**overrides: str) -> dict[str, str]:
    return {
        "user_id": "agent-lin",
        "display_name": "Lin Wei",
        "role": "agent",
        "locale": "en",
        "email": "lin.wei@example.com",
        "team": "quality",
        "reason": "new hire for the quality desk",
    } | overrides


@pytest.mark.both_stores
async def test_an_admin_creates_an_agent_whose_password_is_shown_once(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        listed = await admin.get(STAFF)
        assert listed.status_code == 200, listed.text
        assert '<a href="/console/admin/staff">Admin</a>' in listed.text
        created = await admin.post(STAFF, data=form_of(listed.text, STAFF) | new_agent())
        password = secret_on(created.text)
        again = await admin.get(f"{STAFF}/agent-lin")
        resent = await admin.post(STAFF, data=form_of(listed.text, STAFF) | new_agent())

    assert created.status_code == 200, created.text
    assert "Their new console password:" in created.text
    assert "shown this once" in created.text
    assert password not in again.text and "secret-value" not in again.text
    # The same form again: nothing is created twice, and the password is not shown again.
    assert resent.status_code == 303
    assert resent.headers["location"] == f"{STAFF}/agent-lin?done=already&subject=agent-lin"
    with api.sessions() as session:
        user = session.get(StaffUser, "agent-lin")
        agent = session.get(Agent, "agent-lin")
        assert user_for_password(session, user_id="agent-lin", password=password) is not None
    assert user is not None and (user.role, user.locale, user.email) == (
        "agent",
        "en",
        "lin.wei@example.com",
    )
    assert agent is not None and (agent.team, agent.active, agent.max_open) == (
        "quality",
        True,
        None,
    )
    entries = trail(api)
    assert [(e.action, e.subject, e.actor, e.reason) for e in entries] == [
        ("agent_added", "agent-lin", ADMIN, "new hire for the quality desk"),
        ("user_created", "agent-lin", ADMIN, "new hire for the quality desk"),
    ]
    assert password not in entries[1].detail and "password=set" in entries[1].detail
    # The agent signs in with it, and lands on their queue.
    async with browser(api) as agent_browser:
        answer = await sign_in(agent_browser, "agent-lin", password)
    assert answer.status_code == 303 and answer.headers["location"] == "/console/queue"
    # The list shows them with their team and the trail with who, what and why.
    async with signed_in(api, "ops-admin-2", Role.ADMIN) as admin:
        page = (await admin.get(STAFF)).text
    row = page.split('data-user="agent-lin"')[1].split("</tr>")[0]
    assert "Agent" in row and "quality" in row and "lin.wei@example.com" in row
    assert "Active" in row and "0 working" in row
    assert "Created user agent-lin" in page and "new hire for the quality desk" in page


async def test_a_key_is_shown_once_works_and_stops_when_revoked(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        await admin.post(STAFF, data=form_of((await admin.get(STAFF)).text, STAFF) | new_agent())
        page = f"{STAFF}/agent-lin"
        form = form_of((await admin.get(page)).text, f"{page}/keys")
        issued = await admin.post(
            f"{page}/keys", data=form | {"label": "desk app", "days": "30", "reason": "pilot"}
        )
        token = secret_on(issued.text)
        resent = await admin.post(f"{page}/keys", data=form | {"label": "desk app"})
        reloaded = await admin.get(page)
        async with api.client_with_token(token) as with_key:
            works = await with_key.get("/complaints")
        with api.sessions() as session:
            [key] = list_keys(session, user_id="agent-lin")
        revoked = await send_form(
            admin, page, f"{page}/keys/{key.key_id}/revoke", {"reason": "laptop lost"}
        )
        after = await admin.get(revoked.headers["location"])
        async with api.client_with_token(token) as with_key:
            refused = await with_key.get("/complaints")

    assert issued.status_code == 200 and "The new API key:" in issued.text
    assert token.startswith(f"rdk_{key.key_id}_")
    assert resent.status_code == 303 and "done=already" in resent.headers["location"]
    assert token not in reloaded.text
    assert f'data-key="{key.key_id}" data-state="working"' in reloaded.text
    assert works.status_code == 200, works.text
    assert revoked.status_code == 303
    assert f'data-key="{key.key_id}" data-state="revoked"' in after.text
    assert "Revoked the key of agent-lin." in after.text
    assert refused.status_code == 401
    with api.sessions() as session:
        assert len(session.exec(select(ApiKey).where(ApiKey.user_id == "agent-lin")).all()) == 1
        assert user_for_key(session, token) is None
    assert key.expires_at is not None
    entries = [(e.action, e.reason) for e in trail(api) if e.subject == "agent-lin"]
    assert entries[:2] == [("key_revoked", "laptop lost"), ("key_issued", "pilot")]
    assert [e.detail for e in trail(api) if e.action == "key_issued"][0].startswith(
        f"key={key.key_id} label=desk app expires="
    )


async def test_disable_enable_reset_a_password_and_set_an_address(api: Api) -> None:
    async with signed_in(api, "agent-wu", Role.AGENT) as agent:
        async with signed_in(api, ADMIN, Role.ADMIN) as admin:
            page = f"{STAFF}/agent-wu"
            disabled = await send_form(
                admin, page, f"{page}/state", {"action": "disable", "reason": "on leave"}
            )
            shown = await admin.get(disabled.headers["location"])
            locked_out = await agent.get("/console/queue")
            enabled = await send_form(admin, page, f"{page}/state", {"action": "enable"})
            reset = await send_form(admin, page, f"{page}/password", {"reason": "forgot it"})
            password = secret_on(reset.text)
            bad_email = await send_form(admin, page, f"{page}/email", {"email": "wu@"})
            email_set = await send_form(admin, page, f"{page}/email", {"email": " wu@example.com "})
            cleared = await send_form(admin, page, f"{page}/email", {"clear": "1"})

    assert disabled.status_code == 303
    assert disabled.headers["location"] == f"{page}?done=user_disabled&subject=agent-wu"
    assert "Disabled agent-wu: their keys and sessions no longer work." in shown.text
    assert 'data-state="disabled"' in shown.text
    assert locked_out.status_code == 303 and "/console/sign-in" in locked_out.headers["location"]
    assert enabled.status_code == 303 and "done=user_enabled" in enabled.headers["location"]
    assert reset.status_code == 200 and "Their new console password:" in reset.text
    assert bad_email.status_code == 422
    assert problem_on(bad_email.text) == "admin_refused_email_invalid"
    assert "is not one address" in bad_email.text
    assert email_set.status_code == 303 and cleared.status_code == 303
    with api.sessions() as session:
        assert user_for_password(session, user_id="agent-wu", password=password) is not None
        user = session.get(StaffUser, "agent-wu")
        assert user is not None and user.disabled_at is None and user.email is None
    assert [(e.action, e.reason) for e in trail(api)] == [
        ("email_cleared", ""),
        ("email_set", ""),
        ("password_set", "forgot it"),
        ("user_enabled", ""),
        ("user_disabled", "on leave"),
    ]
    assert trail(api)[1].detail == "email=wu@example.com was=-"


@pytest.mark.parametrize(
    ("fields", "refusal", "words"),
    [
        ({"user_id": "not an id!"}, "admin_user_id_invalid", "“User ID” must be 1 to 64"),
        ({"user_id": "ops-admin"}, "admin_refused_user_exists", "exists already"),
        ({"email": "lin@"}, "admin_refused_email_invalid", "is not one address"),
        ({"role": "supervisor"}, "admin_team_only_for_agents", "Only agents belong to a team"),
        ({"team": "no-such-team"}, "admin_refused_unknown_team", "There is no such team."),
        ({"role": "overlord"}, "admin_role_invalid", "Choose one of the listed roles."),
        ({"locale": "fr"}, "admin_locale_invalid", "Choose Chinese or English"),
        ({"display_name": "x" * 201}, "admin_name_too_long", "at most 200 characters"),
        ({"reason": "x" * 501}, "admin_reason_too_long", "at most 500 characters"),
        # A seeded agent of another team: moving them is the teams page's job.
        ({"user_id": "agent-logistics-1"}, "admin_refused_agent_exists", "in a team already"),
    ],
)
async def test_a_refused_new_user_is_named_and_nothing_is_created(
    api: Api, fields: dict[str, str], refusal: str, words: str
) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        answer = await send_form(admin, STAFF, STAFF, new_agent(**fields))

    assert answer.status_code == 422, answer.text
    assert problem_on(answer.text) == refusal
    assert words in answer.text
    # What was typed stays in the form.
    assert f'value="{new_agent(**fields)["user_id"]}"' in answer.text
    with api.sessions() as session:
        users = session.exec(select(StaffUser.user_id)).all()
        assert session.exec(select(AdminChange)).all() == []
        assert session.get(Agent, "agent-lin") is None
    # The harness's own admin, and the one signed in: nobody else.
    assert set(users) == {"admin", ADMIN}


async def test_refused_changes_to_a_user_are_named_and_change_nothing(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        shop = "svc-shop"
        api.key_for(shop, Role.SERVICE)
        page = f"{STAFF}/{shop}"
        # A service's page has no password form: the admin's own form, sent to its path.
        mine = (await admin.get(f"{STAFF}/{ADMIN}")).text
        no_password = await admin.post(
            f"{page}/password", data=form_of(mine, f"{STAFF}/{ADMIN}/password")
        )
        self_disable = await send_form(
            admin, f"{STAFF}/{ADMIN}", f"{STAFF}/{ADMIN}/state", {"action": "disable"}
        )
        bad_days = await send_form(admin, page, f"{page}/keys", {"days": "forever"})
        too_long = await send_form(admin, page, f"{page}/keys", {"days": "3651"})
        no_address = await send_form(admin, page, f"{page}/email", {"email": "  "})
        other_key = api.key_for("svc-other", Role.SERVICE).split("_")[1]
        wrong_key = await admin.post(
            f"{page}/keys/{other_key}/revoke",
            data=form_of((await admin.get(page)).text, f"{page}/keys"),
        )
        unknown = await admin.get(f"{STAFF}/nobody-here")
        no_csrf = await admin.post(
            f"{page}/state", data={"action": "disable", "form_key": "k" * 32, "csrf_token": "0"}
        )

    assert no_password.status_code == 422
    assert problem_on(no_password.text) == "admin_refused_password_not_for_role"
    assert self_disable.status_code == 422 and "You cannot disable yourself" in self_disable.text
    assert problem_on(bad_days.text) == "admin_key_days_invalid" == problem_on(too_long.text)
    assert "“Expires after” must be a whole number of days" in bad_days.text
    assert problem_on(no_address.text) == "admin_email_required"
    assert wrong_key.status_code == 422 and problem_on(wrong_key.text) == "admin_refused_no_key"
    assert unknown.status_code == 404 and "There is no such staff user." in unknown.text
    assert no_csrf.status_code == 403
    with api.sessions() as session:
        assert len(list_keys(session, user_id=shop)) == 1
        assert all(key.revoked_at is None for key in session.exec(select(ApiKey)).all())
        me = session.get(StaffUser, ADMIN)
        assert me is not None and me.disabled_at is None
    assert trail(api) == []


async def test_supervisors_and_agents_get_the_403_page(api: Api) -> None:
    for user_id, role in (("sup-1", Role.SUPERVISOR), ("agent-1", Role.AGENT)):
        async with signed_in(api, user_id, role) as client:
            queue = await client.get("/console/queue")
            pages = [await client.get(path) for path in (STAFF, f"{STAFF}/{user_id}")]
            posted = await client.post(
                f"{STAFF}/{user_id}/password",
                data=form_of(queue.text, "/console/sign-out") | {"form_key": "k" * 32},
            )
        assert '<a href="/console/admin/staff">' not in queue.text
        for page in [*pages, posted]:
            assert page.status_code == 403, page.text
            assert "Only admins may manage staff, keys, teams and calendars." in page.text
    assert trail(api) == []


async def test_the_pages_in_chinese_with_names_shown_as_text(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN, locale="zh-CN") as admin:
        await admin.get(f"{STAFF}?lang=zh-CN")
        created = await send_form(
            admin, STAFF, STAFF, new_agent(display_name="<script>alert(1)</script>", team="")
        )
        refused = await send_form(
            admin, STAFF, STAFF, new_agent(user_id="agent-zhou", email="lin@")
        )
        listed = await admin.get(STAFF)

    assert created.status_code == 200
    assert "新的工作台密码" in created.text and "只显示这一次" in created.text
    assert "<script>alert(1)</script>" not in created.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listed.text
    assert '<html lang="zh-CN">' in listed.text and "员工与密钥" in listed.text
    assert "创建用户 agent-lin" in listed.text and "客服" in listed.text
    assert refused.status_code == 422 and "“邮箱”不是一个有效地址" in refused.text


async def test_keys_refused_for_a_long_label_a_revoked_key_or_a_disabled_user(api: Api) -> None:
    shop = "svc-shop"
    token = api.key_for(shop, Role.SERVICE)
    key_id = token.split("_")[1]
    page = f"{STAFF}/{shop}"
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        long_label = await send_form(admin, page, f"{page}/keys", {"label": "x" * 201})
        shown = (await admin.get(page)).text
        revoke_form = form_of(shown, f"{page}/keys/{key_id}/revoke")
        key_form = form_of(shown, f"{page}/keys")
        revoked = await admin.post(f"{page}/keys/{key_id}/revoke", data=revoke_form)
        # A second revoke form for the same key, from a page opened before the first.
        again = await admin.post(
            f"{page}/keys/{key_id}/revoke", data=revoke_form | {"form_key": "second-form-key-123"}
        )
        await send_form(admin, page, f"{page}/state", {"action": "disable"})
        # The issue form of the page opened while the user was active.
        disabled = await admin.post(f"{page}/keys", data=key_form)

    assert long_label.status_code == 422
    assert "“Label” can be at most 200 characters long." in long_label.text
    assert revoked.status_code == 303
    assert again.status_code == 422 and problem_on(again.text) == "admin_refused_key_revoked"
    assert disabled.status_code == 422
    assert problem_on(disabled.text) == "admin_refused_no_active_user"
    assert "Only an active user can be issued a key" in disabled.text
    with api.sessions() as session:
        assert len(list_keys(session, user_id=shop)) == 1
    assert [e.action for e in trail(api)] == ["user_disabled", "key_revoked"]
