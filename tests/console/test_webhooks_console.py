"""The console's webhook pages (admins): the subscriptions with what their deliveries came
to, a subscription's delivery log with every attempt, and its forms: send one delivery
again, send everything since a time again, rotate the secret (shown once). Each form
sent twice changes things once; a refusal names the field in the user's language and
changes nothing; other roles get the 403 page."""

import pytest
from sqlmodel import col, select

from domain.access import Role
from store.tables.webhook_subscriptions import WebhookDelivery, WebhookSubscription
from tests.api.support import Api
from tests.console.admin_support import form_of, problem_on, secret_on, send_form, trail
from tests.console.support import signed_in
from tests.console.webhook_support import SECRET, delivered_history

ADMIN = "admin-hooks"
WEBHOOKS = "/console/admin/webhooks"


def statuses(api: Api, subscription_id: str) -> dict[int, str]:
    with api.sessions() as session:
        rows = session.exec(
            select(WebhookDelivery).where(col(WebhookDelivery.subscription_id) == subscription_id)
        )
        return {row.id or 0: row.status for row in rows}


def stored_secret(api: Api, subscription_id: str) -> WebhookSubscription:
    with api.sessions() as session:
        found = session.get(WebhookSubscription, subscription_id)
        assert found is not None
        return found


@pytest.mark.both_stores
async def test_an_admin_follows_deliveries_and_sends_them_again(api: Api) -> None:
    history = delivered_history(api)
    page_url = f"{WEBHOOKS}/{history.subscription_id}"
    redeliver = f"{page_url}/deliveries/{history.dead}/redeliver"

    async with signed_in(api, "sup-hooks", Role.SUPERVISOR) as supervisor:
        forbidden = await supervisor.get(WEBHOOKS)
        assert forbidden.status_code == 403
        assert "Only admins may manage webhook subscriptions." in forbidden.text
        sent = await supervisor.post(redeliver, data={"form_key": "k" * 24})
        assert sent.status_code == 403
    assert statuses(api, history.subscription_id)[history.dead] == "dead"

    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        listed = await admin.get(WEBHOOKS)
        assert listed.status_code == 200, listed.text
        row = listed.text.split(f'data-subscription="{history.subscription_id}"')[1]
        row = row.split("</tr>")[0]
        assert "https://platform.example/hooks/sub_console" in row and "Shop backend" in row
        assert "3 event types" in row and "<code>complaint.classified</code>" in row
        for count, value in {"delivered": 1, "failing": 1, "dead": 1, "pending": 1}.items():
            assert f'data-count="{count}">{value}<' in row, count

        page = await admin.get(page_url)
        assert 'data-count="failed-attempts">3<' in page.text
        dead = page.text.split(f'data-delivery="{history.dead}"')[1].split("</tr>")[0]
        assert 'data-status="dead"' in dead and "Attempts: 2" in dead
        assert "HTTP 500: upstream down" in dead and "no answer within 10 s" in dead
        dead_only = await admin.get(f"{page_url}?status=dead")
        assert dead_only.text.count("data-delivery=") == 1

        fields = form_of(page.text, redeliver)
        again = await admin.post(redeliver, data=fields)
        twice = await admin.post(redeliver, data=fields)
        assert again.status_code == twice.status_code == 303, again.text
        assert again.headers["location"] == f"{page_url}?done=redelivered&subject={history.dead}"
        assert twice.headers["location"].endswith("?done=webhook_already")
        notice = await admin.get(again.headers["location"])
        assert f"Delivery {history.dead} is queued again" in notice.text
        assert statuses(api, history.subscription_id)[history.dead] == "pending"

        # Everything since a time: refused in words when it is no time, then queued.
        since = f"{page_url}/redeliver"
        bad = await send_form(admin, page_url, since, {"since": "next tuesday", "reason": "r"})
        assert bad.status_code == 422 and problem_on(bad.text) == "webhook_since_invalid"
        assert "“Since” must be a date and time" in bad.text
        assert 'id="since" name="since" required value="next tuesday"' in bad.text
        assert 'aria-invalid="true"' in bad.text
        queued = await send_form(admin, page_url, since, {"since": "2000-01-01T00:00"})
        assert queued.status_code == 303, queued.text
        assert queued.headers["location"] == f"{page_url}?done=redelivered_since&subject=3"
        assert set(statuses(api, history.subscription_id).values()) == {"pending"}
        nothing = await send_form(admin, page_url, since, {"since": "2999-01-01T00:00"})
        assert "?done=nothing_to_redeliver" in nothing.headers["location"]

        fresh = form_of((await admin.get(page_url)).text, redeliver)
        unknown = await admin.post(f"{page_url}/deliveries/999999/redeliver", data=fresh)
        assert unknown.status_code == 404, unknown.text
        assert "This subscription has no such delivery." in unknown.text
        delivered = f"{page_url}/deliveries/{history.delivered}/redeliver"
        assert (await send_form(admin, page_url, delivered, {})).status_code == 303
        gone = await admin.get(f"{WEBHOOKS}/sub_nosuch")
        assert gone.status_code == 404 and "There is no such webhook subscription." in gone.text

    actions = [(c.action, c.subject, c.actor) for c in trail(api) if c.subject_kind == "webhook"]
    assert actions == [
        ("redelivered", history.subscription_id, ADMIN),
        ("redelivered_since", history.subscription_id, ADMIN),
        ("redelivered", history.subscription_id, ADMIN),
    ]


@pytest.mark.both_stores
async def test_an_admin_rotates_the_secret_once_and_sees_it_once(api: Api) -> None:
    history = delivered_history(api, "sub_rotate")
    page_url = f"{WEBHOOKS}/{history.subscription_id}"
    rotate = f"{page_url}/rotate-secret"

    async with signed_in(api, ADMIN, Role.ADMIN, locale="zh-CN") as admin:
        page = await admin.get(page_url)
        assert "更换签名密钥" in page.text and "推送记录" in page.text
        assert '<option value="24" selected>24 小时</option>' in page.text
        refused = await admin.post(rotate, data=form_of(page.text, rotate) | {"grace_hours": "5"})
        assert refused.status_code == 422 and problem_on(refused.text) == "webhook_grace_invalid"
        assert "请从列表中选择过渡期。" in refused.text
        assert stored_secret(api, history.subscription_id).secret == SECRET

        fields = form_of(page.text, rotate) | {"grace_hours": "24", "reason": "密钥泄露"}
        rotated = await admin.post(rotate, data=fields)
        assert rotated.status_code == 200, rotated.text
        new = secret_on(rotated.text)
        assert new.startswith("whsec_") and "新的签名密钥：" in rotated.text
        assert "data-old-secret-until" in rotated.text
        resent = await admin.post(rotate, data=fields)
        assert resent.status_code == 303 and resent.headers["location"].endswith("webhook_already")
        shown = await admin.get(resent.headers["location"])
        assert new not in shown.text and "生成的密钥不会再次显示" in shown.text

    stored = stored_secret(api, history.subscription_id)
    assert (stored.secret, stored.previous_secret) == (new, SECRET)
    [entry] = [c for c in trail(api) if c.subject == history.subscription_id]
    assert (entry.action, entry.reason, entry.detail) == (
        "secret_rotated",
        "密钥泄露",
        "grace_hours=24",
    )
