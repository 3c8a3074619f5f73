"""What the console reads from the store: open complaints, most urgent first, and the
agents a complaint can be reassigned to."""

from datetime import timedelta

from sqlmodel import Session

from domain.complaints import ComplaintStatus, ComplaintView, SlaClock
from domain.taxonomy import Tier
from store.complaints import list_open_complaints, project_complaint
from store.db import SessionFactory
from store.tables.teams import Agent
from store.teams import list_agents, seed_default_teams
from tests.factories import OPENED_AT, make_classification, make_projection, make_view


def _urgent(hours_left: float | None, **overrides: object) -> ComplaintView:
    """Returns an open complaint whose resolution is due `hours_left` after OPENED_AT
    (None: its clock has not started)."""
    due = OPENED_AT + timedelta(hours=hours_left) if hours_left is not None else None
    clock = SlaClock(name="resolution", budget_seconds=72 * 3600, due_at=due)
    return make_view(resolution=clock, **overrides)


def _store(session: Session, *views: ComplaintView) -> None:
    for view in views:
        project_complaint(session, projection=make_projection(view))


def test_open_complaints_come_needing_a_person_then_breached_then_by_nearest_deadline(
    sessions: SessionFactory,
) -> None:
    later = _urgent(48)
    sooner = _urgent(2)
    not_running = _urgent(None, status=ComplaintStatus.RECEIVED)
    breached = _urgent(60, sla_breached=True)
    closed = _urgent(1, status=ComplaintStatus.CLOSED)
    stuck = _urgent(70, needs_person=True)
    with sessions() as session:
        _store(session, later, sooner, not_running, breached, closed, stuck)
        rows, total = list_open_complaints(session)

    assert [row.complaint_id for row in rows] == [
        stuck.complaint_id,
        breached.complaint_id,
        sooner.complaint_id,
        later.complaint_id,
        not_running.complaint_id,
    ]
    assert total == 5
    assert [row.needs_person for row in rows] == [True, False, False, False, False]


def test_open_complaints_filter_by_tier_and_assignee_and_count_past_the_limit(
    sessions: SessionFactory,
) -> None:
    critical = make_classification(tier=Tier.CRITICAL)
    mine = [_urgent(hours, assignee="agent-quality-2") for hours in (5, 6, 7)]
    theirs_critical = _urgent(1, classification=critical, assignee="agent-quality-3")
    with sessions() as session:
        _store(session, *mine, theirs_critical)
        by_tier, tier_total = list_open_complaints(session, tier=Tier.CRITICAL)
        by_assignee, assignee_total = list_open_complaints(
            session, assignee="agent-quality-2", limit=2
        )

    assert ([row.complaint_id for row in by_tier], tier_total) == (
        [theirs_critical.complaint_id],
        1,
    )
    assert [row.complaint_id for row in by_assignee] == [v.complaint_id for v in mine[:2]]
    assert assignee_total == 3


def test_agents_to_reassign_to_are_the_active_ones_by_team(sessions: SessionFactory) -> None:
    with sessions() as session:
        seed_default_teams(session)
        away = session.get(Agent, "agent-quality-2")
        assert away is not None
        away.active = False
        session.add(away)
        session.commit()
        active = list_agents(session)
        everyone = list_agents(session, active_only=False)

    assert "agent-quality-2" not in {agent.id for agent in active}
    assert len(everyone) == len(active) + 1
    assert [(a.team, a.id) for a in active] == sorted((a.team, a.id) for a in active)
