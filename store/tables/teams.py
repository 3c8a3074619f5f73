"""Teams and their agents: who complaints are routed to, and on which business calendar."""

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from domain.calendar import BusinessCalendar


class Team(SQLModel, table=True):
    """A team that owns complaints of some categories, with its escalation chain."""

    __tablename__ = "teams"

    name: str = Field(primary_key=True, max_length=64)
    # A `BusinessCalendar` as JSON: its shape belongs to the domain, not to this schema.
    calendar_json: str = Field(sa_type=Text)
    supervisor_id: str | None = Field(default=None, max_length=64)
    manager_id: str | None = Field(default=None, max_length=64)

    def calendar(self) -> BusinessCalendar:
        """Returns the team's business calendar."""
        return BusinessCalendar.model_validate_json(self.calendar_json)


class Agent(SQLModel, table=True):
    """An agent who can be assigned complaints."""

    __tablename__ = "agents"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    team: str = Field(foreign_key="teams.name", index=True, max_length=64)
    active: bool = True
    # Open complaints beyond which routing skips the agent; None means no limit.
    max_open: int | None = None
