"""The recovery inbox: a real low answer on the survey page opens a task, a supervisor
finds it in the inbox and completes it through the task's form, and the complaint's
timeline records it done, not lapsed; a second report and an empty note are refused in
words with nothing changed; agents get the 403 page; filters, pages and the customer's
comment (shown as text).

The inbox's filters and pages are tested on tasks projected straight into the read model
(the list reads only that); the end-to-end path runs the survey and its updates on the
dev server and a worker.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from api.ids import new_complaint_id
from domain import policy
from domain.access import Role
from domain.surveys import (
    CaseKind,
    RecoveryStatus,
    RecoveryTask,
    SurveyAnswer,
    SurveyEventKind,
    SurveyProjection,
    SurveyStatus,
    SurveyView,
    survey_workflow_id,
)
from domain.taxonomy import CustomerTier, Locale
from store.recovery_inbox import INBOX_PAGE_SIZE
from store.surveys import project_survey
from store.tables.surveys import RecoveryTaskRecord
from tests.api.support import Api, eventually
from tests.console.support import answer_low_after_closing, csrf_token, signed_in
from tests.customer.support import SEND_AT_ONCE
from workflows.surveys import SurveyWorkflow

SUPERVISOR = "sup-recovery-console"
INBOX = "/console/recovery"
# Markup in a customer's comment must reach the page as text.
COMMENT = 'Still leaks <script>alert("x")</script> & the lid <b>cracked</b>.'
LOW_ANSWER = {"csat": "1", "resolved": "no", "nps": "2", "comment": COMMENT}
NOTE = "Called the customer, apologised, sent a new kettle by express."
RESPONSE = "Happy with the replacement."
_FORM_KEY = re.compile(r'name="form_key" value="([A-Za-z0-9_-]+)"')


def _listed(page: str) -> list[str]:
    """Returns the task ids of an inbox page's rows, top to bottom."""
    return re.findall(r'<tr data-task="([^"]+)"', page)


def _form_of(page: str) -> dict[str, str]:
    """Returns the hidden fields of a task page's report form."""
    key = _FORM_KEY.search(page)
    assert key is not None, "the task page has no report form"
    return {"csrf_token": csrf_token(page), "form_key": key.group(1)}


def _task(
    case_kind: CaseKind = CaseKind.COMPLAINT,
    *,
    opened_hours_ago: float = 1,
    team: str = "quality",
    status: RecoveryStatus = RecoveryStatus.OPEN,
    comment: str = "No.",
) -> SurveyView:
    """Returns a survey answered low with its recovery task, due two days after opening."""
    opened = datetime.now(UTC) - timedelta(hours=opened_hours_ago)
    case_id = new_complaint_id()
    done = status is RecoveryStatus.DONE
    return SurveyView(
        survey_id=survey_workflow_id(case_kind, case_id),
        case_kind=case_kind,
        case_id=case_id,
        customer_id=f"cust-{case_id[-6:].lower()}",
        customer_tier=CustomerTier.REGULAR,
        locale=Locale.EN,
        team=team,
        status=SurveyStatus.RECOVERING,
        created_at=opened,
        updated_at=opened,
        send_at=opened,
        sent_at=opened,
        expires_at=opened + timedelta(days=7),
        answer=SurveyAnswer(csat=2, resolved=False, nps=3, comment=comment),
        answered_at=opened,
        low_score=True,
        recovery=RecoveryTask(
            assignee=f"sup-{team}",
            team=team,
            reason="CSAT 2/5, not resolved",
            status=status,
            opened_at=opened,
            due_at=opened + timedelta(days=2),
            coupon_amount=Decimal("20.00"),
            currency="CNY",
            completed_by="sup-quality" if done else None,
            completed_at=opened + timedelta(hours=1) if done else None,
            note="Called." if done else None,
        ),
    )


def _store(api: Api, *views: SurveyView) -> list[str]:
    with api.sessions() as session:
        for view in views:
            project_survey(session, projection=SurveyProjection(view=view))
    return [view.survey_id for view in views]


@pytest.mark.both_stores
async def test_a_supervisor_completes_a_task_from_a_real_low_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(policy, "SURVEY", SEND_AT_ONCE)
    complaint_id, task_id = await answer_low_after_closing(api, LOW_ANSWER)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:

        async def inbox_lists_it() -> httpx.Response | None:
            page = await supervisor.get(INBOX)
            # The coupon is issued by an activity just after the task is listed.
            listed = task_id in _listed(page.text) and "CN¥20.00" in page.text
            return page if listed else None

        inbox = await eventually(inbox_lists_it)
        assert inbox.status_code == 200, inbox.text
        row = inbox.text.split(f'data-task="{task_id}"')[1].split("</tr>")[0]
        assert f'href="/console/recovery/{task_id}"' in row
        assert f'href="/console/complaints/{complaint_id}"' in row
        assert "CSAT 1/5" in row and "Not resolved" in row and "NPS 2/10" in row
        assert "CN¥20.00" in row and 'class="countdown' in row and "left" in row
        # The comment is text: escaped, never markup.
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; the lid" in row
        assert "<script>alert" not in inbox.text and "<b>cracked" not in inbox.text
        assert re.search(r'href="/console/recovery">Recovery\s*<span class="nav-count"', inbox.text)

        task_page = await supervisor.get(f"{INBOX}/{task_id}")
        assert task_page.status_code == 200, task_page.text
        assert 'data-recovery-status="open"' in task_page.text
        assert "&lt;b&gt;cracked&lt;/b&gt;" in task_page.text
        form = _form_of(task_page.text)
        # A second tab, opened before the task is done, keeps its own form.
        stale_form = _form_of((await supervisor.get(f"{INBOX}/{task_id}")).text)

        # An empty note (spaces only) is refused, naming the field; what was typed stays.
        empty = await supervisor.post(
            f"{INBOX}/{task_id}", data=form | {"note": "   ", "customer_response": RESPONSE}
        )
        assert empty.status_code == 422, empty.text
        assert 'data-problem="recovery_note_required"' in empty.text
        assert "“What was done” is required" in empty.text
        assert f">{RESPONSE}</textarea>" in empty.text and 'aria-invalid="true"' in empty.text
        survey = await api.temporal.get_workflow_handle(task_id).query(SurveyWorkflow.view)
        assert survey.recovery is not None and survey.recovery.status is RecoveryStatus.OPEN

        completed = await supervisor.post(
            f"{INBOX}/{task_id}", data=form | {"note": NOTE, "customer_response": RESPONSE}
        )
        assert completed.status_code == 303, completed.text
        done = await supervisor.get(completed.headers["location"])
        assert 'data-recovery-status="done"' in done.text
        assert "Recorded: the task is done" in done.text
        assert f"Done by {SUPERVISOR}" in done.text
        assert NOTE in done.text and RESPONSE in done.text
        assert 'name="form_key"' not in done.text, "a done task offers no form"

        # The other tab's form reports again: refused in words, and nothing changes.
        again = await supervisor.post(
            f"{INBOX}/{task_id}", data=stale_form | {"note": "A second report."}
        )
        assert again.status_code == 409, again.text
        assert 'data-problem="refused_recovery_task_closed"' in again.text
        assert "already closed (done or lapsed); nothing was changed" in again.text
        assert 'data-recovery-status="done"' in again.text

        open_now = await supervisor.get(INBOX)
        assert task_id not in _listed(open_now.text)
        done_list = await supervisor.get(INBOX, params={"status": "done"})
        assert task_id in _listed(done_list.text)
        assert f"Done by {SUPERVISOR}" in done_list.text

        view = await api.wait_for_view(
            complaint_id,
            lambda view: "recovery_done" in [event["kind"] for event in view["timeline"]],
        )
        complaint_page = await supervisor.get(f"/console/complaints/{complaint_id}")
        assert 'data-kind="recovery_done"' in complaint_page.text
        assert 'data-kind="recovery_lapsed"' not in complaint_page.text

    kinds = [event["kind"] for event in view["timeline"]]
    assert kinds.count("recovery_done") == 1 and "recovery_lapsed" not in kinds
    done_event = next(e for e in view["timeline"] if e["kind"] == "recovery_done")
    assert (done_event["actor"], done_event["detail"]) == (SUPERVISOR, NOTE)
    survey = await api.temporal.get_workflow_handle(task_id).query(SurveyWorkflow.view)
    assert survey.recovery is not None and survey.recovery.completed_by == SUPERVISOR
    assert [event.kind for event in survey.timeline].count(SurveyEventKind.RECOVERY_DONE) == 1


async def test_agents_get_the_403_page_and_no_link(api: Api) -> None:
    (task_id,) = _store(api, _task())

    async with signed_in(api, "agent-recovery", Role.AGENT) as agent:
        inbox = await agent.get(INBOX)
        task_page = await agent.get(f"{INBOX}/{task_id}")
        queue = await agent.get("/console/queue")
        report = await agent.post(
            f"{INBOX}/{task_id}",
            data={"csrf_token": csrf_token(queue.text), "note": NOTE, "form_key": "k" * 24},
        )

    for refused in (inbox, task_page, report):
        assert refused.status_code == 403, refused.text
        assert "Only supervisors and admins may see and complete recovery tasks." in refused.text
    assert 'href="/console/recovery"' not in queue.text
    with api.sessions() as session:
        stored = session.get(RecoveryTaskRecord, task_id)
        assert stored is not None and stored.status == "open"


async def test_the_inbox_filters_by_status_and_team_and_pages(api: Api) -> None:
    # The longest-waiting customer first: opened 30 h, 20 h and 10 h ago.
    oldest = _task(opened_hours_ago=30, comment="Nobody called me back.")
    middle = _task(CaseKind.RETURN, opened_hours_ago=20)
    newest = _task(opened_hours_ago=10, team="logistics")
    overdue = _task(opened_hours_ago=60)
    done = _task(status=RecoveryStatus.DONE)
    lapsed = _task(status=RecoveryStatus.LAPSED, opened_hours_ago=80)
    _store(api, oldest, middle, newest, overdue, done, lapsed)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        open_tasks = await supervisor.get(INBOX)
        quality = await supervisor.get(INBOX, params={"team": "logistics"})
        done_tasks = await supervisor.get(INBOX, params={"status": "done"})
        lapsed_tasks = await supervisor.get(INBOX, params={"status": "lapsed", "team": ""})

    assert _listed(open_tasks.text) == [
        overdue.survey_id,
        oldest.survey_id,
        middle.survey_id,
        newest.survey_id,
    ]
    assert re.search(r'class="nav-count"[^>]*>4</span>', open_tasks.text), "4 open in the nav"
    assert f'<tr data-task="{overdue.survey_id}" class="breached">' in open_tasks.text
    late = open_tasks.text.split(f'data-task="{overdue.survey_id}"')[1].split("</tr>")[0]
    assert 'class="countdown overdue"' in late and "overdue" in late
    # A return links to its own page.
    returned = open_tasks.text.split(f'data-task="{middle.survey_id}"')[1].split("</tr>")[0]
    assert f'href="/console/returns/{middle.case_id}">Return {middle.case_id}</a>' in returned
    assert "/console/complaints/" not in returned
    assert _listed(quality.text) == [newest.survey_id]
    assert '<option value="logistics" selected>' in quality.text
    assert _listed(done_tasks.text) == [done.survey_id]
    assert "Done by sup-quality" in done_tasks.text
    assert _listed(lapsed_tasks.text) == [lapsed.survey_id]
    assert "Lapsed" in lapsed_tasks.text


async def test_pages_of_a_long_inbox(api: Api) -> None:
    views = [_task(opened_hours_ago=48 - hours) for hours in range(INBOX_PAGE_SIZE + 3)]
    ids = _store(api, *views)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        first = await supervisor.get(INBOX)
        second = await supervisor.get(INBOX, params={"page": "2", "team": "quality"})
        past_the_end = await supervisor.get(INBOX, params={"page": "9"})

    assert _listed(first.text) == ids[:INBOX_PAGE_SIZE]
    assert (
        "Page 1 of 2" in first.text and 'href="/console/recovery?page=2" rel="next"' in first.text
    )
    assert _listed(second.text) == ids[INBOX_PAGE_SIZE:]
    assert 'href="/console/recovery?page=1&amp;team=quality" rel="prev"' in second.text
    assert _listed(past_the_end.text) == ids[INBOX_PAGE_SIZE:]


async def test_bad_filters_pages_and_ids_are_refused_in_words(api: Api) -> None:
    (task_id,) = _store(api, _task())

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        status = await supervisor.get(INBOX, params={"status": "closed"})
        team = await supervisor.get(INBOX, params={"team": "nosuchteam"})
        page = await supervisor.get(INBOX, params={"page": "0"})
        malformed = await supervisor.get(f"{INBOX}/not-a-task")
        unknown = await supervisor.get(f"{INBOX}/survey-complaint-CNOSUCHCASE00")
        task_page = await supervisor.get(f"{INBOX}/{task_id}")
        too_long = await supervisor.post(
            f"{INBOX}/{task_id}",
            data=_form_of(task_page.text) | {"note": NOTE, "customer_response": "x" * 2001},
        )
        no_csrf = await supervisor.post(f"{INBOX}/{task_id}", data={"note": NOTE})
        zh = await supervisor.get(INBOX, params={"status": "closed", "lang": "zh-CN"})

    for refused, field in ((status, "Status"), (team, "Team")):
        assert refused.status_code == 422, refused.text
        assert f"The queue does not know the value given for “{field}”" in refused.text
        assert _listed(refused.text) == []
    assert page.status_code == 422 and "The page number must be a whole number" in page.text
    assert malformed.status_code == 404
    assert unknown.status_code == 404 and "There is no such recovery task." in unknown.text
    assert zh.status_code == 422 and "队列不认识“状态”的取值" in zh.text
    assert too_long.status_code == 422
    assert "“The customer&#39;s response” can be at most 2,000 characters" in too_long.text
    assert no_csrf.status_code == 403 and "This form has expired" in no_csrf.text
    # Nothing reached the workflow: the stored task is still open.
    with api.sessions() as session:
        stored = session.get(RecoveryTaskRecord, task_id)
        assert stored is not None and stored.status == "open"


async def test_the_inbox_and_a_task_in_chinese(api: Api) -> None:
    (task_id,) = _store(api, _task(comment="水壶还是漏水。"))

    async with signed_in(api, "sup-zh", Role.SUPERVISOR, locale="zh-CN") as supervisor:
        inbox = await supervisor.get(INBOX, headers={"Accept-Language": "zh-CN"})
        task_page = await supervisor.get(f"{INBOX}/{task_id}?lang=zh-CN")

    assert '<html lang="zh-CN">' in inbox.text and "服务补救收件箱" in inbox.text
    assert "满意度 2/5" in inbox.text and "未解决" in inbox.text and "水壶还是漏水。" in inbox.text
    assert "做了什么（必填）" in task_page.text and "标记为已完成" in task_page.text
    for english in ("Recovery inbox", "What was done", "Not resolved", "Time left"):
        assert english not in inbox.text + task_page.text, english
