"""Where a staff message goes by e-mail: the address of the staff user its recipient names.

Workflows name staff recipients three ways (`workflows.complaint_file.staff_at`,
`domain.returns.RETURN_STAFF`, `workflows.surveys`): a user id (`agent-care-1`,
`supervisor-care`), a team's role mailbox when nobody is named (`team:<team>:supervisor`,
`team:<team>:manager`), or a desk (`returns-supervisor`, `warehouse`), which is a user
an admin creates with the desk's shared address. A recipient that leads to no active user
with an address is not an error: the message stays in the outbox, where the console
shows staff their work, and the reason says what to set up.
"""

from dataclasses import dataclass

from sqlmodel import Session

from store.staff import active_user
from store.tables.teams import Team

# The team-level mailboxes that name a person on the team's row.
_TEAM_OWNERS = {"supervisor": "supervisor_id", "manager": "manager_id"}


@dataclass(frozen=True)
class StaffMailbox:
    """Returns who a staff message is e-mailed to, or, with `address` None, why nobody."""

    address: str | None
    display_name: str = ""
    reason: str = ""


def staff_mailbox(session: Session, *, recipient_id: str) -> StaffMailbox:
    """Returns the mailbox of the staff user `recipient_id` names, directly or through a
    team's supervisor or manager; with no address, the reason in words."""
    user_id = recipient_id
    if recipient_id.startswith("team:"):
        _, team_name, level = (recipient_id.split(":", 2) + ["", ""])[:3]
        owner_field = _TEAM_OWNERS.get(level)
        if owner_field is None:
            return StaffMailbox(
                None, reason=f"{recipient_id} names no person (the team's queue shows it)"
            )
        team = session.get(Team, team_name)
        owner = getattr(team, owner_field) if team is not None else None
        if owner is None:
            return StaffMailbox(None, reason=f"team {team_name!r} has no {level} named")
        user_id = owner
    user = active_user(session, user_id)
    if user is None:
        return StaffMailbox(None, reason=f"no active staff user {user_id!r}")
    if not user.email:
        return StaffMailbox(
            None, reason=f"user {user_id!r} has no e-mail address (redress users set-email)"
        )
    return StaffMailbox(user.email, display_name=user.display_name)
