"""The policy in the console: an admin reads the version in force, changes it in the form
(a new version, on the audit trail, the change listed value by value on its page); a
refused form is the page again naming each field in the user's language, with what was
typed kept and nothing saved; a stale form is offered again on the newer version; the same
form sent twice saves once; supervisors and agents get the 403 page."""

import re
from datetime import timedelta

import pytest

from api.console import policy_messages
from api.console.messages import EN, ZH_CN
from domain.access import Role
from domain.policy_document import shipped_policy
from domain.taxonomy import Tier
from store.admin_changes import ChangeNote
from store.policies import current_policy, save_policy
from tests.api.support import Api
from tests.console.admin_support import problem_on, trail
from tests.console.policy_support import EDIT, POLICY, policy_form_fields, send_policy_form
from tests.console.support import signed_in

ADMIN = "ops-admin"
CRITICAL_FIRST = "complaints.sla.critical.first_response"
RULE_ON = "complaints.auto_resolution_rules.0.enabled"


def version_in_force(api: Api) -> int:
    with api.sessions() as session:
        return current_policy(session).version


def row(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</tr>", 1)[0]


def problems(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", item)
        for item in re.findall(r'<li id="problem-\d+"[^>]*>(.*?)</li>', page)
    ]


@pytest.mark.both_stores
async def test_an_admin_reads_and_changes_the_policy_into_a_new_version(
    store: str, api: Api
) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        shown = (await admin.get(POLICY)).text
        edit = (await admin.get(EDIT)).text
        fields = policy_form_fields(edit)
        saved = await send_policy_form(
            admin,
            {
                CRITICAL_FIRST: "2",
                RULE_ON: None,
                "returns.windows.category.11": "garden",
                "returns.windows.days.11": "10",
                "returns.windows.category.6": "",
                "reason": "critical complaints get two hours",
            },
            page=edit,
        )
        after = await admin.get(saved.headers["location"])
        version_page = (await admin.get(f"{POLICY}/versions/2")).text
        first_page = (await admin.get(f"{POLICY}/versions/1")).text

    assert 'aria-current="page">Policy</a>' in shown
    assert "Version 1 is in force" in shown
    assert "The policy Redress ships with" in shown
    assert ">1 hour<" in row(shown, 'data-tier="critical"')
    assert ">75%<" in row(shown, 'data-tier="critical"')
    assert ">500.00<" in row(shown, 'data-customer-tier="vip"')
    assert "Apparel (apparel)" in row(shown, 'data-category="apparel"')
    assert (fields[CRITICAL_FIRST], fields[RULE_ON], fields["based_on"]) == ("1", "on", "1")
    assert fields["returns.windows.category.6"] == "books"
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{POLICY}?done=policy_changed&subject=v2"
    assert "Saved v2: complaints and returns opened from now on run under it." in after.text
    assert "Version 2 is in force" in after.text
    assert 'data-rule="late-parcel-apology-coupon" data-enabled="off"' in after.text
    with api.sessions() as session:
        policy = current_policy(session)
    assert (policy.version, policy.changed_by) == (2, ADMIN)
    document = policy.document
    assert document.complaints.sla[Tier.CRITICAL].first_response == timedelta(hours=2)
    assert not document.complaints.auto_resolution_rules[0].enabled
    assert document.returns.windows.days_by_category["garden"] == 10
    assert "books" not in document.returns.windows.days_by_category
    expected = shipped_policy()
    expected.complaints.sla[Tier.CRITICAL].first_response = timedelta(hours=2)
    expected.complaints.auto_resolution_rules[0].enabled = False
    del expected.returns.windows.days_by_category["books"]
    expected.returns.windows.days_by_category["garden"] = 10
    assert document == expected
    assert [(c.action, c.subject, c.actor, c.reason) for c in trail(api)] == [
        ("policy_changed", "v2", ADMIN, "critical complaints get two hours")
    ]
    assert "What changed from version 1" in version_page
    changed = row(version_page, f'data-path="{CRITICAL_FIRST}"')
    assert "SLA, Critical: First response" in changed
    assert "1 hour" in changed and "2 hours" in changed
    assert "Rule late-parcel-apology-coupon: In use" in version_page
    assert "Return window: Books (books)" in row(
        version_page, 'data-path="returns.windows.days_by_category.books"'
    )
    assert "The first version: the policy Redress ships with." in first_page


async def test_a_refused_form_names_each_field_in_the_users_language_and_saves_nothing(
    api: Api,
) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN, locale="zh-CN") as admin:
        refused = await send_policy_form(
            admin,
            {
                CRITICAL_FIRST: "soon",
                "complaints.sla.serious.resolution": "3",
                "complaints.approval_threshold.vip": "12.345",
                "returns.windows.category.11": "Garden Tools",
                "returns.windows.days.11": "10",
                "returns.windows.days.1": "1.5",
                "reason": "",
            },
        )
        unchanged = await send_policy_form(admin, {"reason": "nothing really"})

    page = refused.text
    assert refused.status_code == 422
    assert problem_on(page) == "policy_form_refused"
    assert "未保存任何内容。请修正下列各项后再保存。" in page
    assert '<html lang="zh-CN">' in page
    assert problems(page) == [
        "SLA（严重）：首次响应：“soon”不是数字",
        "审批门槛：VIP 客户：“12.345”不是金额：最多两位小数的数字",
        "退货期：服装（apparel）：“1.5”不是整数天数",
        "SLA（较重）：解决：必须长于“首次响应”",
        "退货期：garden tools：“garden tools”不是类别代码：1 至 40 个小写字母、数字、_ 或 -",
        "原因：不能为空",
    ]
    assert 'href="#f-complaints-sla-critical-first_response"' in page
    first = page.split('id="f-complaints-sla-critical-first_response"')[1].split(">")[0]
    assert 'value="soon"' in first and 'aria-invalid="true"' in first
    assert 'aria-describedby="hours-hint problem-1"' in first
    assert 'value="Garden Tools"' in page
    assert unchanged.status_code == 422
    assert problem_on(unchanged.text) == "policy_form_refused_unchanged"
    assert version_in_force(api) == 1
    assert trail(api) == []


async def test_a_stale_form_is_offered_again_on_the_newer_version(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        opened = (await admin.get(EDIT)).text
        with api.sessions() as session:
            colleague = shipped_policy()
            colleague.returns.inspection_window = timedelta(days=4)
            save_policy(
                session, colleague, reason="more time to inspect", note=ChangeNote("sup-admin")
            )
        stale = await send_policy_form(
            admin, {CRITICAL_FIRST: "2", "reason": "faster"}, page=opened
        )
        again = await send_policy_form(admin, {}, page=stale.text)

    assert stale.status_code == 409
    assert problem_on(stale.text) == "policy_form_refused_stale"
    assert "Version 2 was saved by sup-admin while you had this form open" in stale.text
    kept = policy_form_fields(stale.text)
    assert (kept["based_on"], kept[CRITICAL_FIRST], kept["reason"]) == ("2", "2", "faster")
    assert again.status_code == 303
    with api.sessions() as session:
        policy = current_policy(session)
    # Saved on version 2 knowingly: the form's values replace the colleague's.
    assert policy.version == 3
    assert policy.document.complaints.sla[Tier.CRITICAL].first_response == timedelta(hours=2)
    assert policy.document.returns.inspection_window == timedelta(days=2)


async def test_the_same_form_sent_twice_saves_once(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        page = (await admin.get(EDIT)).text
        fields = policy_form_fields(page) | {CRITICAL_FIRST: "2", "reason": "faster"}
        first = await admin.post(POLICY, data=fields)
        second = await admin.post(POLICY, data=fields)

    assert (first.status_code, second.status_code) == (303, 303)
    assert second.headers["location"] == f"{POLICY}?done=already"
    assert version_in_force(api) == 2
    assert len(trail(api)) == 1


async def test_supervisors_and_agents_get_the_403_page(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        form = policy_form_fields((await admin.get(EDIT)).text)
    answers = []
    for user_id, role in (("sup-1", Role.SUPERVISOR), ("agent-1", Role.AGENT)):
        async with signed_in(api, user_id, role) as someone:
            for path in (POLICY, EDIT, f"{POLICY}/versions/1"):
                answers.append((await someone.get(path)).status_code)
            token = re.search(
                r'name="csrf_token" value="([0-9a-f]{64})"',
                (
                    await someone.get(
                        "/console/recovery" if role is Role.SUPERVISOR else "/console/queue"
                    )
                ).text,
            )
            assert token is not None
            sent = await someone.post(
                POLICY,
                data=form | {"csrf_token": token.group(1), CRITICAL_FIRST: "2", "reason": "r"},
            )
            answers.append(sent.status_code)

    assert answers == [403] * 8
    assert version_in_force(api) == 1


def test_no_other_page_takes_the_policy_pages_words() -> None:
    # The console's catalogues are merged dictionaries: a key reused elsewhere would show
    # another page's sentence here.
    for ours, merged in ((policy_messages.EN, EN), (policy_messages.ZH_CN, ZH_CN)):
        assert {key: merged[key] for key in ours} == ours


async def test_a_version_that_does_not_exist_is_the_404_page(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        missing = await admin.get(f"{POLICY}/versions/9")

    assert missing.status_code == 404
    assert "There is no such version of the policy." in missing.text
