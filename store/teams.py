"""Teams, agents and their workload, as routing needs them."""

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from domain.calendar import BusinessCalendar
from domain.complaints import ComplaintStatus
from domain.policy import ALWAYS_OPEN, TEAM_BY_CATEGORY
from store.admin_changes import ChangeAction, ChangeNote, SubjectKind, commit_change, details
from store.tables.complaints import ComplaintRecord
from store.tables.staff import StaffUser
from store.tables.teams import Agent, Team
from store.upsert import insert_on_conflict

AGENTS_PER_DEFAULT_TEAM = 3


class UnknownTeamError(LookupError):
    """A team name that is not in the store."""


def seed_default_teams(session: Session) -> None:
    """Adds the teams routing policy names, each with a few agents, then commits.

    Only missing rows are inserted, so it is safe to run on every start and never undoes
    changes made since (a renamed agent, a team moved to office hours).
    """
    team_names = sorted(set(TEAM_BY_CATEGORY.values()))
    teams = insert_on_conflict(session, Team).values(
        [
            {
                "name": name,
                "calendar_json": ALWAYS_OPEN.model_dump_json(),
                "supervisor_id": f"supervisor-{name}",
                "manager_id": f"manager-{name}",
            }
            for name in team_names
        ]
    )
    session.exec(teams.on_conflict_do_nothing(index_elements=["name"]))
    agents = insert_on_conflict(session, Agent).values(
        [
            {
                "id": f"agent-{name}-{number}",
                "name": f"{name.replace('-', ' ').title()} agent {number}",
                "team": name,
                "active": True,
                "max_open": None,
            }
            for name in team_names
            for number in range(1, AGENTS_PER_DEFAULT_TEAM + 1)
        ]
    )
    session.exec(agents.on_conflict_do_nothing(index_elements=["id"]))
    session.commit()


def get_team(session: Session, *, name: str) -> Team | None:
    """Returns the team called `name`, or None if there is none."""
    return session.get(Team, name)


def team_calendar(session: Session, *, team: str) -> BusinessCalendar:
    """Returns the team's business calendar; raises `UnknownTeamError` for an unknown team."""
    row = get_team(session, name=team)
    if row is None:
        raise UnknownTeamError(
            f"team {team!r} is not in the store: run seed_default_teams or add the team"
        )
    return row.calendar()


def least_loaded_agent(session: Session, *, team: str) -> str | None:
    """Returns the id of the team's active agent with the fewest open complaints.

    Ties go to the smallest agent id, so routing is repeatable. Returns None when the team
    has no agent who is active (not away), below their `max_open`, and not a disabled
    staff user (an agent with no staff account yet is routed to, as seeded teams are).
    """
    open_complaints = func.count(col(ComplaintRecord.complaint_id))
    assigned_and_open = and_(
        col(ComplaintRecord.assignee) == col(Agent.id),
        col(ComplaintRecord.status) != ComplaintStatus.CLOSED.value,
    )
    query = (
        select(col(Agent.id))
        .join(StaffUser, col(StaffUser.user_id) == col(Agent.id), isouter=True)
        .join(ComplaintRecord, assigned_and_open, isouter=True)
        .where(col(Agent.team) == team, col(Agent.active), col(StaffUser.disabled_at).is_(None))
        .group_by(col(Agent.id), col(Agent.max_open))
        .having(or_(col(Agent.max_open).is_(None), open_complaints < col(Agent.max_open)))
        .order_by(open_complaints, col(Agent.id))
        .limit(1)
    )
    return session.exec(query).first()


def list_agents(session: Session, *, active_only: bool = True) -> list[Agent]:
    """Returns the agents complaints may be assigned to, by team and id."""
    query = select(Agent).order_by(col(Agent.team), col(Agent.id))
    if active_only:
        query = query.where(col(Agent.active))
    return list(session.exec(query).all())


def set_team_calendar(
    session: Session, *, team: str, calendar: BusinessCalendar, note: ChangeNote | None = None
) -> None:
    """Gives `team` a business calendar, then commits; raises `UnknownTeamError` for an
    unknown team. Complaints routed from now on count their SLA time on it; open ones keep
    the calendar routing gave them (it is in their history)."""
    row = get_team(session, name=team)
    if row is None:
        raise UnknownTeamError(f"team {team!r} is not in the store: run `redress seed` first")
    before = row.calendar().name
    row.calendar_json = calendar.model_dump_json()
    session.add(row)
    commit_change(
        session,
        note,
        subject_kind=SubjectKind.TEAM,
        subject=team,
        action=ChangeAction.CALENDAR_SET,
        detail=details(
            calendar=calendar.name,
            timezone=calendar.timezone,
            holidays=len(calendar.holidays),
            workdays=len(calendar.workdays),
            was=before,
        ),
    )


def list_teams(session: Session) -> list[Team]:
    """Returns every team, by name."""
    return list(session.exec(select(Team).order_by(col(Team.name))).all())
