"""SLA clocks: reminders, tiered escalation on breach, pausing while the customer is asked,
and deadlines counted in a team's business hours across a weekend and a holiday."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from domain.calendar import BusinessCalendar, WorkingHours
from domain.complaints import (
    AgentAction,
    ComplaintStatus,
    CustomerMessage,
    RequestInfoAction,
)
from domain.taxonomy import EscalationLevel
from store.tables.teams import Team
from tests.workflows.conftest import Redress
from tests.workflows.helpers import intake, outbox
from workflows.complaints import ComplaintWorkflow

KETTLE = "The kettle I bought stopped working after two days, it does not heat at all."
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_breached_sla_escalates_to_supervisor_then_manager(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.routing is not None
    agent, supervisor, manager = view.assignee, view.routing.supervisor_id, view.routing.manager_id
    assert agent and supervisor and manager

    # General tier: first response due in 24 h, reminder at 18 h.
    await redress.env.sleep(timedelta(hours=25))
    view = await redress.until(
        handle, lambda v: v.escalation_level is EscalationLevel.SUPERVISOR, "supervisor"
    )
    assert view.sla_breached
    assert view.first_response and view.first_response.breached

    # The supervisor gets the 24 h escalation window, then it goes to the manager.
    await redress.env.sleep(timedelta(hours=24))
    view = await redress.until(
        handle,
        lambda v: ("escalation", manager) in outbox(redress.sessions, v.complaint_id),
        "the manager told",
    )
    assert view.escalation_level is EscalationLevel.MANAGER
    staff = [
        (t, who) for t, who in outbox(redress.sessions, view.complaint_id) if t != "acknowledgement"
    ]
    assert staff[:3] == [
        ("sla_reminder", agent),
        ("escalation", supervisor),
        ("escalation", manager),
    ]
    kinds = [event.kind for event in view.timeline]
    assert kinds.count("escalated") == 2
    assert view.status is ComplaintStatus.OPEN


async def test_sla_clock_pauses_while_waiting_on_the_customer(redress: Redress) -> None:
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.resolution and view.resolution.due_at
    due_before = view.resolution.due_at

    await redress.env.sleep(timedelta(hours=10))
    await handle.execute_update(
        ComplaintWorkflow.act,
        AgentAction(actor="agent-quality-1", action=RequestInfoAction(question="Photo?")),
    )
    # 30 hours waiting: well past what would otherwise trigger the 54 h reminder.
    await redress.env.sleep(timedelta(hours=30))
    await handle.execute_update(
        ComplaintWorkflow.customer_reply, CustomerMessage(message="Photo attached")
    )
    view = await handle.query(ComplaintWorkflow.view)
    assert view.resolution and view.resolution.due_at
    shift = view.resolution.due_at - due_before
    assert timedelta(hours=30) <= shift < timedelta(hours=30, minutes=1)
    assert not view.sla_breached
    assert not any(event.kind == "sla_reminder" for event in view.timeline)


def _next_weekday(after: datetime, iso_weekday: int) -> date:
    day = after.astimezone(SHANGHAI).date() + timedelta(days=1)
    while day.isoweekday() != iso_weekday:
        day += timedelta(days=1)
    return day


async def test_business_hours_deadline_spans_a_weekend_and_a_holiday(redress: Redress) -> None:
    thursday = _next_weekday(await redress.now() + timedelta(days=1), 4)
    friday_holiday = thursday + timedelta(days=1)
    office = BusinessCalendar(
        name="office",
        timezone="Asia/Shanghai",
        weekly_hours={d: [WorkingHours(start=time(9), end=time(18))] for d in range(1, 6)},
        holidays=[friday_holiday],
    )
    with redress.sessions() as session:
        for team in session.exec(select(Team)).all():
            team.calendar_json = office.model_dump_json()
            session.add(team)
        session.commit()

    opened = datetime.combine(thursday, time(17), SHANGHAI)
    await redress.env.sleep(opened - await redress.now())
    handle = await redress.start(intake(KETTLE))
    view = await redress.until_status(handle, ComplaintStatus.OPEN)
    assert view.first_response and view.first_response.due_at and view.first_response.reminder_at

    # 24 business hours: Thursday 17-18 (1 h), Friday a holiday, the weekend off, then
    # Monday (9 h), Tuesday (9 h) and Wednesday 09:00-14:00 (5 h) -> Wednesday 14:00.
    wednesday = thursday + timedelta(days=6)
    due = view.first_response.due_at.astimezone(SHANGHAI)
    assert due.date() == wednesday
    assert abs(due - datetime.combine(wednesday, time(14), SHANGHAI)) < timedelta(minutes=1)
    # The reminder at 75 % (18 h): 1 h + Monday 9 h + Tuesday 09:00-17:00 -> Tuesday 17:00.
    reminder = view.first_response.reminder_at.astimezone(SHANGHAI)
    tuesday = thursday + timedelta(days=5)
    assert abs(reminder - datetime.combine(tuesday, time(17), SHANGHAI)) < timedelta(minutes=1)

    # Nothing breaches over the long weekend.
    await redress.env.sleep(datetime.combine(tuesday, time(8), SHANGHAI) - await redress.now())
    view = await handle.query(ComplaintWorkflow.view)
    assert not view.sla_breached
    assert not any(event.kind == "sla_reminder" for event in view.timeline)
