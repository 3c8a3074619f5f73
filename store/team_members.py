"""Teams' members as an admin manages them: who is in which team, how many open complaints
each holds against their capacity, and who is away. Routing reads the same rows
(`store.teams.least_loaded_agent`): an away agent, one at capacity or a disabled staff
user gets no new complaint.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from domain.complaints import ComplaintStatus
from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change, details
from store.tables.complaints import ComplaintRecord
from store.tables.staff import StaffUser
from store.tables.teams import Agent, Team
from store.teams import UnknownTeamError

# The most open complaints an agent's capacity may allow; more is a typing mistake.
MAX_CAPACITY = 500


class MemberError(ValueError):
    """A change to a team's members that cannot be made; `code` names the refusal."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Member:
    """An agent with their open complaints, and their staff account's state (None: the
    agent has no staff account, as seeded agents have not)."""

    agent_id: str
    name: str
    team: str
    active: bool
    max_open: int | None
    open_complaints: int
    account_disabled: bool | None

    @property
    def at_capacity(self) -> bool:
        """Returns whether routing skips the agent for having their fill of complaints."""
        return self.max_open is not None and self.open_complaints >= self.max_open

    @property
    def routed_to(self) -> bool:
        """Returns whether routing may give the agent a new complaint."""
        return self.active and not self.at_capacity and not self.account_disabled


def team_members(session: Session, *, team: str | None = None) -> list[Member]:
    """Returns every agent (of `team` alone if given) with their open complaints, by team
    and id."""
    open_complaints = func.count(col(ComplaintRecord.complaint_id))
    assigned_and_open = and_(
        col(ComplaintRecord.assignee) == col(Agent.id),
        col(ComplaintRecord.status) != ComplaintStatus.CLOSED.value,
    )
    query = (
        select(
            col(Agent.id),
            col(Agent.name),
            col(Agent.team),
            col(Agent.active),
            col(Agent.max_open),
            open_complaints,
            col(StaffUser.user_id),
            col(StaffUser.disabled_at),
        )
        .join(StaffUser, col(StaffUser.user_id) == col(Agent.id), isouter=True)
        .join(ComplaintRecord, assigned_and_open, isouter=True)
        .group_by(
            col(Agent.id),
            col(Agent.name),
            col(Agent.team),
            col(Agent.active),
            col(Agent.max_open),
            col(StaffUser.user_id),
            col(StaffUser.disabled_at),
        )
        .order_by(col(Agent.team), col(Agent.id))
    )
    if team is not None:
        query = query.where(col(Agent.team) == team)
    return [
        Member(
            agent_id=agent_id,
            name=name,
            team=team_name,
            active=active,
            max_open=max_open,
            open_complaints=count,
            account_disabled=None if user_id is None else disabled_at is not None,
        )
        for agent_id, name, team_name, active, max_open, count, user_id, disabled_at in (
            session.execute(query).all()
        )
    ]


def _team(session: Session, team: str) -> Team:
    row = session.get(Team, team)
    if row is None:
        raise UnknownTeamError(f"team {team!r} is not in the store")
    return row


def _agent(session: Session, agent_id: str) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise MemberError(f"no agent {agent_id!r} in any team", "no_agent")
    return agent


def _commit(
    session: Session, agent: Agent, note: ChangeNote | None, action: ChangeAction, detail: str
) -> None:
    session.add(agent)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.AGENT,
        subject=agent.id,
        action=action,
        detail=detail,
    )


def add_agent(
    session: Session, *, agent_id: str, name: str, team: str, note: ChangeNote | None = None
) -> Agent:
    """Returns a new member of `team`, active and with no capacity limit; raises
    `MemberError` if the agent is in a team already, `UnknownTeamError` for no team."""
    _team(session, team)
    if session.get(Agent, agent_id) is not None:
        raise MemberError(f"agent {agent_id!r} is in a team already", "agent_exists")
    agent = Agent(id=agent_id, name=name, team=team, active=True, max_open=None)
    _commit(session, agent, note, ChangeAction.AGENT_ADDED, details(team=team))
    session.refresh(agent)
    return agent


def move_agent(
    session: Session, *, agent_id: str, team: str, note: ChangeNote | None = None
) -> None:
    """Moves the agent to `team`; their open complaints stay theirs, new ones come from
    the new team's categories."""
    _team(session, team)
    agent = _agent(session, agent_id)
    before = agent.team
    agent.team = team
    _commit(session, agent, note, ChangeAction.AGENT_MOVED, details(team=team, was=before))


def set_agent_away(
    session: Session, *, agent_id: str, away: bool, note: ChangeNote | None = None
) -> None:
    """Marks the agent away (routing gives them nothing new) or back at work."""
    agent = _agent(session, agent_id)
    agent.active = not away
    action = ChangeAction.AGENT_AWAY if away else ChangeAction.AGENT_BACK
    _commit(session, agent, note, action, details(team=agent.team))


def set_agent_capacity(
    session: Session, *, agent_id: str, max_open: int | None, note: ChangeNote | None = None
) -> None:
    """Sets how many open complaints the agent holds at most before routing skips them
    (None: no limit); raises `MemberError` outside 1 to `MAX_CAPACITY`."""
    if max_open is not None and not 1 <= max_open <= MAX_CAPACITY:
        raise MemberError(
            f"capacity must be 1 to {MAX_CAPACITY} open complaints, or none", "capacity_invalid"
        )
    agent = _agent(session, agent_id)
    before = agent.max_open
    agent.max_open = max_open
    detail = details(max_open=max_open, was=before)
    _commit(session, agent, note, ChangeAction.CAPACITY_SET, detail)
