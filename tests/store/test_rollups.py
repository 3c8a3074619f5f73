"""The daily roll-ups: the projections keep them equal to what a rebuild from the rows
gives (through changes, replays, late retries and surveys), and reports read from them
answer exactly what reports over the complaints table answer. On SQLite and PostgreSQL."""

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from domain.analytics import Bucket, ComplaintFilter, Dimension, Scope
from domain.complaints import CloseReason, CompensationRecord, ComplaintStatus, SlaClock
from domain.surveys import CaseKind, SurveyAnswer, SurveyProjection, SurveyStatus, SurveyView
from domain.taxonomy import CustomerTier, EscalationLevel, Locale, RootCause
from store import analytics, tallies
from store.complaints import project_complaint
from store.db import SessionFactory, session_factory
from store.measures import MEASURES
from store.migrate import downgrade_database, upgrade_database
from store.rollups import TIMED, period_counts, period_durations, rebuild_rollups
from store.surveys import project_survey
from tests.analytics_seed import (
    ROLLUP_WINDOWS,
    seed_busy_weeks,
    seed_known_answers,
    seeded_store,
)
from tests.factories import OPENED_AT, make_projection, make_routing, make_view

pytestmark = pytest.mark.both_stores

Rows = tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]


def _rollups(session: Session) -> Rows:
    """Returns every roll-up row that counts something (a row emptied by a change is as
    good as no row)."""
    counts = {
        tuple(row)
        for row in session.execute(select(period_counts))
        if any(row._mapping[name] for name in MEASURES)
    }
    durations = {tuple(row) for row in session.execute(select(period_durations)) if row.complaints}
    return counts, durations


def _rebuilt(session: Session) -> Rows:
    rebuild_rollups(session)
    rebuilt = _rollups(session)
    session.rollback()
    return rebuilt


def _survey(complaint_id: str, answer: SurveyAnswer | None, hours: int) -> SurveyProjection:
    sent = OPENED_AT + timedelta(days=3)
    view = SurveyView(
        survey_id=f"survey-complaint-{complaint_id}",
        case_kind=CaseKind.COMPLAINT,
        case_id=complaint_id,
        customer_id="cust-10086",
        customer_tier=CustomerTier.REGULAR,
        locale=Locale.ZH_CN,
        status=SurveyStatus.CLOSED if answer else SurveyStatus.SENT,
        created_at=sent,
        updated_at=sent + timedelta(hours=hours),
        send_at=sent,
        sent_at=sent,
        expires_at=sent + timedelta(days=7),
        answered_at=sent + timedelta(hours=hours) if answer else None,
        answer=answer,
    )
    return SurveyProjection(view=view)


def _lifecycle() -> list[Any]:
    """Returns a complaint's projections as it is opened, answered, handed to another team,
    escalated, closed and surveyed, each a little later than the one before."""
    opened = make_view(
        status=ComplaintStatus.RECEIVED, classification=None, routing=None, assignee=None
    )
    at = opened.created_at
    responded = SlaClock(
        name="first_response", budget_seconds=86400, met_at=at + timedelta(minutes=50)
    )
    answered = make_view(
        complaint_id=opened.complaint_id,
        updated_at=at + timedelta(hours=1),
        first_response=responded,
    )
    moved = answered.model_copy(
        update={
            "updated_at": at + timedelta(hours=5),
            "routing": make_routing(team="logistics", agent_id="agent-logistics-2"),
            "assignee": "agent-logistics-2",
            "escalation_level": EscalationLevel.SUPERVISOR,
            "status": ComplaintStatus.RESOLVING,
        }
    )
    closed = moved.model_copy(
        update={
            "updated_at": at + timedelta(hours=30),
            "status": ComplaintStatus.CLOSED,
            "close_reason": CloseReason.RESOLVED,
            "closed_at": at + timedelta(hours=30),
            "root_cause": RootCause.CARRIER,
            "sla_breached": True,
            "resolution": SlaClock(
                name="resolution", budget_seconds=259200, met_at=at + timedelta(hours=30),
                breached=True,
            ),
            "compensations": [
                CompensationRecord(kind="refund", amount=Decimal("10.00"), reference="RF-1")
            ],
        }
    )  # fmt: skip
    complaint_id = opened.complaint_id
    return [
        make_projection(opened),
        make_projection(answered),
        make_projection(moved),
        make_projection(closed),
        _survey(complaint_id, None, 0),
        _survey(complaint_id, SurveyAnswer(csat=2, resolved=False, nps=3), 6),
    ]


def _project(session: Session, projection: Any) -> None:
    if isinstance(projection, SurveyProjection):
        project_survey(session, projection=projection)
    else:
        project_complaint(session, projection=projection)


def test_projections_keep_the_rollups_equal_to_a_rebuild(sessions: SessionFactory) -> None:
    first, second = _lifecycle(), _lifecycle()
    with sessions() as session:
        for step, projection in enumerate(first):
            _project(session, projection)
            if step % 2:
                _project(session, second[step // 2])
            assert _rollups(session) == _rebuilt(session), f"after step {step}"
        for projection in second[3:]:
            _project(session, projection)
        assert _rollups(session) == _rebuilt(session)
        assert _rollups(session)[1], "durations were counted"


def test_the_migration_fills_the_rollups_from_the_complaints_already_stored(
    engine: Engine,
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    sessions = session_factory(engine)
    seed_known_answers(sessions)
    seed_busy_weeks(sessions, last_day=date(2026, 3, 15), complaints=60)
    with sessions() as session:
        rebuilt = _rollups(session)
    engine.dispose()

    downgrade_database(url, "0008")  # before the roll-ups existed
    upgrade_database(url)

    with sessions() as session:
        assert _rollups(session) == rebuilt
    assert len(rebuilt[0]) > 100 and len(rebuilt[1]) > 100


def test_replays_and_late_retries_change_no_rollup(sessions: SessionFactory) -> None:
    steps = _lifecycle()
    with sessions() as session:
        for projection in steps:
            _project(session, projection)
        settled = _rollups(session)

        for projection in steps:  # every one again: older than what is stored, or equal
            _project(session, projection)

        assert _rollups(session) == settled


# Filters and groupings the roll-ups answer (one dimension at most), each compared with
# the same report read from the complaints table.
ONE_DIMENSION = [
    {},
    {"category": "logistics"},
    {"tier": "general"},
    {"region": "Zhejiang"},
    {"team": "quality"},
    {"agent": "a1"},
    {"status": "open"},
    {"sku": "S1"},
]


def _reports(session: Session, chosen: ComplaintFilter) -> list[Any]:
    reports: list[Any] = [
        analytics.service_levels(session, chosen),
        analytics.satisfaction(session, chosen),
        *(analytics.scoreboard(session, chosen, scope) for scope in Scope),
        *(analytics.trend(session, chosen, bucket) for bucket in Bucket),
    ]
    for dimension in Dimension:
        reports.append(analytics.breakdown(session, chosen, dimension))
        reports.append(analytics.trend(session, chosen, Bucket.WEEK, dimension))
    return reports


@pytest.fixture(scope="module")
def busy_store(module_database_url: str) -> Iterator[SessionFactory]:
    """Yields a store holding the known answers and a month of busy weeks, written once
    for the tests that only read it."""
    busy = functools.partial(seed_busy_weeks, last_day=date(2026, 3, 15), complaints=60)
    with seeded_store(module_database_url, seed_known_answers, busy) as sessions:
        yield sessions


@pytest.mark.parametrize("window", ROLLUP_WINDOWS, ids=["days", "month and days"])
@pytest.mark.parametrize("dimension_filter", ONE_DIMENSION, ids=lambda f: str(f) or "none")
def test_reports_from_the_rollups_equal_reports_from_the_complaints(
    busy_store: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
    dimension_filter: dict[str, str],
    window: tuple[date, date],
) -> None:
    since, until = window
    chosen = ComplaintFilter(since=since, until=until, **dimension_filter)
    with busy_store() as session:
        from_rollups = _reports(session, chosen)
        monkeypatch.setattr(tallies, "rollup_dimension", lambda *_: None)
        from_complaints = _reports(session, chosen)

    assert from_rollups == from_complaints
    assert any(report.model_dump().get("total") for report in from_rollups)


def test_the_rollups_answer_the_known_figures(sessions: SessionFactory) -> None:
    # `tests.analytics_seed`: first responses 1, 2, 3 and 5 hours, resolutions 10, 20, 30.
    seed_known_answers(sessions)
    chosen = ComplaintFilter(since=date(2026, 3, 2), until=date(2026, 3, 16))
    with sessions() as session:
        levels = analytics.service_levels(session, chosen)
        agents = analytics.scoreboard(session, chosen, Scope.AGENT)

    assert tallies.rollup_dimension(chosen, None, TIMED) == "all"
    assert (levels.complaints, levels.first_response.median_hours) == (4, 2.0)
    assert (levels.resolution.median_hours, levels.resolution.p90_hours) == (20.0, 30.0)
    assert [(row.key, row.median_resolution_hours) for row in agents.rows] == [
        ("a1", 10.0),
        ("a2", 20.0),
    ]


def test_a_report_at_the_end_of_the_calendar_is_answered(sessions: SessionFactory) -> None:
    chosen = ComplaintFilter(since=date(9999, 12, 5), until=date(9999, 12, 31))
    with sessions() as session:
        assert analytics.service_levels(session, chosen).complaints == 0
