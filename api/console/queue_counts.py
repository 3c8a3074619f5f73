"""How many open complaints wait in the signed-in user's queues, and how many recovery
tasks wait for a supervisor, for the navigation of every console page."""

from dataclasses import dataclass
from typing import cast

from fastapi import Request

from api.console.session import ConsoleUser
from domain.access import Permission
from store.complaint_queue import QueueScope, count_open, team_of
from store.db import SessionFactory
from store.recovery_inbox import count_open_recovery_tasks


@dataclass(frozen=True)
class QueueCounts:
    """Open complaints in my queue and in my team's (every team's, for supervisors);
    `team` is None for staff without a team queue."""

    mine: int
    team: int | None
    every_team: bool


def queue_counts(request: Request, user: ConsoleUser) -> QueueCounts:
    """Returns the counts for `user`'s navigation.

    Read while the page renders, on the request's own thread: two counts the status,
    assignee and team indexes answer, cheaper than a hop to the thread pool and back.
    """
    sessions = cast(SessionFactory, request.app.state.sessions)
    user_id = user.principal.user_id
    with sessions() as session:
        mine = count_open(session, scope=QueueScope(assignee=user_id))
        if user.may(Permission.WORK_ANY_COMPLAINT):
            return QueueCounts(
                mine=mine, team=count_open(session, scope=QueueScope()), every_team=True
            )
        team = team_of(session, agent_id=user_id)
        if team is None:
            return QueueCounts(mine=mine, team=None, every_team=False)
        return QueueCounts(
            mine=mine, team=count_open(session, scope=QueueScope(team=team)), every_team=False
        )


def open_recovery_tasks(request: Request) -> int:
    """Returns how many recovery tasks are open, for the recovery inbox's link (read on the
    request's thread, like the queues' counts: one count the status index answers)."""
    sessions = cast(SessionFactory, request.app.state.sessions)
    with sessions() as session:
        return count_open_recovery_tasks(session)
