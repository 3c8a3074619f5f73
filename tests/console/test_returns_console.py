"""The return queues and a return's page: each queue lists its returns with their counts,
the nearest deadline first, an escalated review and a missed inspection under Overdue;
queues page in the URL and refuse what they do not know in words; a return's page shows
its items, evidence, the policy's reasons, parcel, scans, inspection, claim, settlement
and timeline in either language, customers' words as text. Who sees what: supervisors
every queue, the warehouse the inspection queue only (and no complaint page), agents
nothing of returns.

Queues and pages read the read model, so most returns here are projected straight into
it; the forms, which need workflows, are tested in test_return_forms.py.
"""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from api.console import return_messages
from api.console.messages import CATALOGUES
from domain.access import Role
from domain.return_reasons import EligibilityReason, EligibilityReasonCode
from domain.returns import (
    Address,
    ClaimReceipt,
    Eligibility,
    EligibilityDecision,
    InspectedLine,
    InspectionReport,
    InspectionVerdict,
    Parcel,
    ParcelDirection,
    ReturnEvent,
    ReturnEventKind,
    ReturnOutcome,
    ReturnStatus,
    ReturnView,
    TrackingStatus,
)
from domain.taxonomy import CustomerTier, Locale, RootCause
from store.return_queues import RETURN_QUEUE_PAGE_SIZE
from store.returns import project_return
from store.tables.evidence import CaseEvidence
from tests.api.support import Api, intake
from tests.console.support import signed_in
from tests.factories import make_customer
from tests.return_factories import make_return_projection, make_return_request, make_return_view

SUPERVISOR = "sup-returns-console"
WAREHOUSE = "wh-returns-console"
RETURNS = "/console/returns"
HOUR = timedelta(hours=1)
# Markup in a customer's words must reach the page as text.
DESCRIPTION = 'Left ear silent <script>alert("x")</script> & the <b>case</b> cracked.'


def _listed(page: str) -> list[str]:
    """Returns the return ids of a queue page's rows, top to bottom."""
    return re.findall(r'<tr data-return="([^"]+)"', page)


def _count(page: str, queue: str) -> int:
    """Returns the count a queue's tab shows."""
    found = re.search(rf'data-queue="{queue}"[^>]*>[^<]*<span class="nav-count"[^>]*>(\d+)<', page)
    assert found is not None, f"no tab for {queue}"
    return int(found.group(1))


def _store(api: Api, *views: ReturnView) -> list[str]:
    with api.sessions() as session:
        for view in views:
            project_return(session, projection=make_return_projection(view))
    return [view.return_id for view in views]


def _return_id(number: int) -> str:
    """Returns a return id of the API's shape (the page's URL takes no other)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    letters = [alphabet[number // 32**place % 32] for place in range(12)]
    return "R" + "".join(reversed(letters))


def _view(number: int, status: ReturnStatus, **fields: object) -> ReturnView:
    now = datetime.now(UTC)
    values: dict[str, object] = {
        "return_id": _return_id(number),
        "status": status,
        "created_at": now - 50 * HOUR + number * timedelta(minutes=1),
        "updated_at": now,
    }
    return make_return_view(**(values | fields))


def _queues() -> dict[str, ReturnView]:
    now = datetime.now(UTC)
    return {
        "review": _view(1, ReturnStatus.UNDER_REVIEW, review_level="supervisor",
                        review_due_at=now + 20 * HOUR),
        "escalated": _view(2, ReturnStatus.UNDER_REVIEW, review_level="manager",
                           review_due_at=now + 30 * HOUR),
        "to_ship": _view(3, ReturnStatus.AWAITING_SHIPMENT, ship_by=now + 40 * HOUR),
        "moving": _view(4, ReturnStatus.IN_TRANSIT),
        "inspect": _view(5, ReturnStatus.AWAITING_INSPECTION, inspection_due_at=now + 5 * HOUR),
        "inspect_late": _view(6, ReturnStatus.AWAITING_INSPECTION, overdue=True,
                              inspection_due_at=now + 2 * HOUR),
        "retry": _view(7, ReturnStatus.SETTLING, needs_person=True),
        "done": _view(8, ReturnStatus.COMPLETED, closed_at=now),
    }  # fmt: skip


@pytest.mark.both_stores
async def test_each_queue_lists_its_returns_with_counts_and_late_ones_under_overdue(
    api: Api,
) -> None:
    views = _queues()
    _store(api, *views.values())
    ids = {name: view.return_id for name, view in views.items()}

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        first = await supervisor.get(RETURNS)
        pages = {queue: await supervisor.get(RETURNS, params={"queue": queue}) for queue in (
            "under_review", "waiting_to_ship", "in_transit", "awaiting_inspection",
            "needs_person", "overdue")}  # fmt: skip

    assert first.status_code == 200, first.text
    assert _listed(first.text) == [ids["review"], ids["escalated"]], "under review first"
    assert 'href="/console/returns?queue=under_review" data-queue="under_review"' in first.text
    counts = {queue: _count(first.text, queue) for queue in pages}
    assert counts == {
        "under_review": 2,
        "waiting_to_ship": 1,
        "in_transit": 1,
        "awaiting_inspection": 2,
        "needs_person": 1,
        "overdue": 2,
    }
    for queue, page in pages.items():
        assert page.status_code == 200, page.text
        assert len(_listed(page.text)) == counts[queue], queue
        assert re.search(rf'data-queue="{queue}"\s*aria-current="page"', page.text), queue
    assert _listed(pages["awaiting_inspection"].text) == [ids["inspect_late"], ids["inspect"]]
    # Escalated to the manager, and an inspection past its deadline: both overdue.
    overdue = pages["overdue"].text
    assert _listed(overdue) == [ids["inspect_late"], ids["escalated"]]
    escalated = overdue.split(f'data-return="{ids["escalated"]}"')[1].split("</tr>")[0]
    assert "Escalated to the manager" in escalated and "Reviewer: Manager" in escalated
    late = overdue.split(f'data-return="{ids["inspect_late"]}"')[1].split("</tr>")[0]
    assert f'<tr data-return="{ids["inspect_late"]}" class="breached">' in overdue
    assert "Overdue" in late and 'class="countdown' in late
    row = first.text.split(f'data-return="{ids["review"]}"')[1].split("</tr>")[0]
    assert f'href="/console/returns/{ids["review"]}"' in row
    assert "Defective" in row and "1 × sku-hp-wh1000" in row and "left" in row
    assert "Needs a person" in pages["needs_person"].text
    assert ids["done"] not in "".join(page.text for page in pages.values())
    assert re.search(r'<a href="/console/returns">Returns</a>', first.text), "in the navigation"


async def test_a_long_queue_pages_in_the_url(api: Api) -> None:
    now = datetime.now(UTC)
    views = [
        _view(number, ReturnStatus.AWAITING_INSPECTION, inspection_due_at=now + number * HOUR)
        for number in range(RETURN_QUEUE_PAGE_SIZE + 3)
    ]
    ids = _store(api, *views)

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        params = {"queue": "awaiting_inspection"}
        first = await supervisor.get(RETURNS, params=params)
        second = await supervisor.get(RETURNS, params=params | {"page": "2"})
        past_the_end = await supervisor.get(RETURNS, params=params | {"page": "9"})

    assert _listed(first.text) == ids[:RETURN_QUEUE_PAGE_SIZE]
    assert "Page 1 of 2" in first.text
    assert 'href="/console/returns?queue=awaiting_inspection&amp;page=2" rel="next"' in first.text
    assert _listed(second.text) == ids[RETURN_QUEUE_PAGE_SIZE:]
    assert _listed(past_the_end.text) == ids[RETURN_QUEUE_PAGE_SIZE:]
    assert "Page 2 of 2" in past_the_end.text


async def test_a_queue_or_page_that_is_not_one_is_refused_in_words(api: Api) -> None:
    _store(api, *_queues().values())

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        no_queue = await supervisor.get(RETURNS, params={"queue": "lost_property"})
        no_page = await supervisor.get(RETURNS, params={"queue": "overdue", "page": "0"})
        chinese = await supervisor.get(RETURNS, params={"queue": "nope", "lang": "zh-CN"})

    assert no_queue.status_code == no_page.status_code == chinese.status_code == 422
    assert "The queue does not know the value given for “Queue”" in no_queue.text
    assert _listed(no_queue.text) == [] and _count(no_queue.text, "overdue") == 2
    assert "The page number must be a whole number from 1." in no_page.text
    assert "“队列”" in chinese.text


async def test_the_warehouse_signs_in_to_the_inspection_queue_and_sees_nothing_else(
    api: Api,
) -> None:
    views = _queues()
    _store(api, *views.values())
    complaint = await api.create(intake())
    complaint_id = complaint.json()["complaint_id"]

    async with signed_in(api, WAREHOUSE, Role.WAREHOUSE) as warehouse:
        home = await warehouse.get("/console/")
        queue = await warehouse.get(RETURNS)
        a_return = await warehouse.get(f"{RETURNS}/{views['inspect'].return_id}")
        other_queue = await warehouse.get(RETURNS, params={"queue": "under_review"})
        elsewhere = {
            path: await warehouse.get(path)
            for path in (
                "/console/queue",
                "/console/queue/team",
                "/console/queue/live",
                "/console/escalations",
                "/console/approvals",
                f"/console/complaints/{complaint_id}",
                f"/console/complaints/{complaint_id}/live",
                "/console/recovery",
                "/console/analytics",
                "/console/mail",
            )
        }

    assert home.status_code == 303 and home.headers["location"] == RETURNS
    assert queue.status_code == 200, queue.text
    assert _listed(queue.text) == [views["inspect_late"].return_id, views["inspect"].return_id]
    assert re.findall(r'data-queue="([a-z_]+)"', queue.text) == ["awaiting_inspection"]
    nav = queue.text.split('<nav class="main-nav">')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"', nav) == [RETURNS], "Returns is all it may use"
    assert a_return.status_code == 200, a_return.text
    assert "Only the warehouse" not in a_return.text
    assert other_queue.status_code == 403
    assert "The warehouse sees the returns awaiting inspection only." in other_queue.text
    for path, page in elsewhere.items():
        assert page.status_code == 403, path
        assert "Not allowed" in page.text, path


async def test_agents_see_no_return_and_no_link(api: Api) -> None:
    (return_id,) = _store(api, _view(1, ReturnStatus.AWAITING_INSPECTION))

    async with signed_in(api, "agent-returns", Role.AGENT) as agent:
        queue = await agent.get(RETURNS)
        page = await agent.get(f"{RETURNS}/{return_id}")
        own = await agent.get("/console/queue")

    for refused in (queue, page):
        assert refused.status_code == 403, refused.text
        assert "Only supervisors, admins and the warehouse may see returns." in refused.text
    assert own.status_code == 200
    assert 'href="/console/returns"' not in own.text


def _rich_view() -> ReturnView:
    """Returns a return that went all the way: reviewed, picked up at the door, scanned,
    partly accepted, refunded, claimed against the carrier."""
    at = datetime.now(UTC) - 30 * HOUR
    parcel = Parcel(
        parcel_id="PCL-000042",
        tracking_number="SBX000000042",
        carrier="sandbox",
        direction=ParcelDirection.RETURN,
        label_url="https://courier.example/labels/SBX000000042.pdf",
        pickup_booked=True,
    )

    def event(
        seq: int, kind: ReturnEventKind, detail: str = "", actor: str = "redress"
    ) -> ReturnEvent:
        return ReturnEvent(seq=seq, at=at + seq * HOUR, kind=kind, actor=actor, detail=detail)

    timeline = [
        event(1, ReturnEventKind.RECEIVED, "damaged_in_transit", "customer:cust-42"),
        event(2, ReturnEventKind.ELIGIBILITY, "manual_review: high value"),
        event(3, ReturnEventKind.REVIEWED, "approved: photos convincing", "sup-li"),
        event(4, ReturnEventKind.PICKUP_BOOKED, "SBX000000042", "sandbox"),
        event(5, ReturnEventKind.TRACKING, "picked_up: collected at the door (SBX000000042)",
              "courier"),
        event(6, ReturnEventKind.TRACKING, "delivered: at the warehouse (SBX000000042)", "courier"),
        event(7, ReturnEventKind.INSPECTED, "partial: one case scratched", "wh-9"),
        event(8, ReturnEventKind.REFUNDED, "REF-77"),
        event(9, ReturnEventKind.CLAIM_FILED, "CLM-000007"),
        event(10, ReturnEventKind.COMPLETED, "refund"),
    ]  # fmt: skip
    request = make_return_request(
        customer=make_customer(id="cust-42", tier=CustomerTier.VIP),
        description=DESCRIPTION,
        complaint_id="CABCDEFGHIJKL",
        pickup_address=Address(
            name="Li Na", phone="+86 138 0000 0000", line1="88 Huaihai Road", city="Shanghai"
        ),
    )
    return make_return_view(
        return_id=_return_id(42),
        status=ReturnStatus.COMPLETED,
        created_at=at,
        updated_at=at + 10 * HOUR,
        closed_at=at + 10 * HOUR,
        request=request,
        eligibility=Eligibility(
            decision=EligibilityDecision.MANUAL_REVIEW,
            reasons=["high value"],
            refundable_amount=Decimal("1299.00"),
            details=[
                EligibilityReason(
                    code=EligibilityReasonCode.HIGH_VALUE,
                    params={"amount": "1299.00", "limit": "1000.00", "currency": "CNY"},
                )
            ],
        ),
        return_parcel=parcel,
        last_tracking=TrackingStatus.DELIVERED,
        inspection=InspectionReport(
            inspector="wh-9",
            verdict=InspectionVerdict.PARTIAL,
            lines=[InspectedLine(sku="sku-hp-wh1000", accepted_quantity=1)],
            note="One case scratched <i>badly</i>.",
            root_cause=RootCause.HANDLING,
        ),
        refunded_total=Decimal("1299.00"),
        claim=ClaimReceipt(claim_id="CLM-000007", amount=Decimal("1299.00")),
        outcome=ReturnOutcome.REFUND,
        root_cause=RootCause.HANDLING,
        settlements_run=1,
        timeline=timeline,
        timeline_total=len(timeline),
    )


@pytest.mark.both_stores
async def test_a_return_page_shows_everything_about_it_in_either_language(api: Api) -> None:
    view = _rich_view()
    _store(api, view)
    with api.sessions() as session:
        session.add(
            CaseEvidence(
                case_kind="complaint",
                case_id="CABCDEFGHIJKL",
                sha256="ab" * 32,
                filename="cracked-case.jpg",
                content_type="image/jpeg",
                size=2048,
                source="upload",
            )
        )
        session.commit()
    page_url = f"{RETURNS}/{view.return_id}"

    async with signed_in(api, SUPERVISOR, Role.SUPERVISOR) as supervisor:
        english = await supervisor.get(page_url)
        live = await supervisor.get(f"{page_url}/live")
        unknown = await supervisor.get(f"{RETURNS}/RZZZZZZZZZZZZ")
        malformed = await supervisor.get(f"{RETURNS}/not-a-return")
        chinese = await supervisor.get(page_url, params={"lang": "zh-CN"})

    assert english.status_code == 200, english.text
    text = english.text
    # Items and reasons
    assert 'data-reason="defective">Defective' in text and "Refund" in text
    assert 'data-line="sku-hp-wh1000"' in text and "Wireless headphones" in text
    assert "CN¥1,299.00" in text and "cust-42 · VIP" in text
    assert 'href="/console/complaints/CABCDEFGHIJKL"' in text
    # Evidence: the customer's link, and the photos of the complaint it came from
    assert 'href="https://cdn.example.com/evidence/hp-left-silent.jpg"' in text
    assert f'src="/complaints/CABCDEFGHIJKL/evidence/{"ab" * 32}"' in text
    # The policy's reasons, worded for the reader
    assert 'data-reason-code="high_value"' in text and "Sent to review" in text
    # Label or pickup, and the scans
    assert "A courier collects it from the customer" in text and "88 Huaihai Road" in text
    assert 'data-scan="picked_up"' in text and "collected at the door" in text
    assert 'data-scan="delivered"' in text
    # Inspection, claim, settlement, timeline
    assert 'data-verdict="partial"' in text and 'data-accepted="sku-hp-wh1000:1"' in text
    assert "Handling" in text and "wh-9" in text
    assert 'data-claim="CLM-000007"' in text and "CLM-000007: CN¥1,299.00 claimed" in text
    assert 'data-refunded="1299.00"' in text and 'data-status="completed"' in text
    assert text.count('<li data-kind="') == 10
    assert 'data-kind="claim_filed"' in text and "Carrier claim filed" in text
    # Customers' and staff's words are text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; the &lt;b&gt;case" in text
    assert "<script>alert" not in text and "<b>case" not in text and "<i>badly" not in text
    # A finished return offers no form
    assert 'name="form_key"' not in text
    assert f"/workflows/return-{view.return_id}" in text

    assert chinese.status_code == 200
    assert "退货 " + view.return_id in chinese.text and "部分验收" in chinese.text
    assert "承运商索赔" in chinese.text and "快递员上门取件" in chinese.text
    assert "Defective" not in chinese.text

    assert live.status_code == 200 and 'data-kind="completed"' in live.text
    assert "<html" not in live.text
    assert unknown.status_code == 404 and "There is no such return." in unknown.text
    assert malformed.status_code == 404


def test_the_returns_words_are_the_ones_every_page_gets() -> None:
    # Another catalogue merged later with a key of the same name would reword these.
    for language, words in ((Locale.EN, return_messages.EN), (Locale.ZH_CN, return_messages.ZH_CN)):
        merged = CATALOGUES[language]
        assert {key: merged[key] for key in words} == words, language
