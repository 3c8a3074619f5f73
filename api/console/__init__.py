"""The supervisor console: server-rendered pages for staff, served by the API under /console.

- `sign_in`: password sign-in and sign-out (the session cookie), the landing page, static
  files;
- `approvals`: the approvals inbox, approve or reject in one click;
- `board`: the escalations board (SLA countdowns, reassigning);
- `queue_page`: my queue and team queues (filters, search, pages, refreshing);
- `complaint_page`: one complaint with its live timeline and its workspace, whose forms
  (`complaint_actions`, `resolution_forms`) reply, ask, note, reclassify, reassign,
  propose a resolution and close, and its duplicates (`merge_panel`), whose form
  (`complaint_merge`) merges it into a linked duplicate, and who else has it open
  (`presence`);
- `recovery_page`: the recovery inbox and each task's page, completing it with a note
  (supervisors and admins);
- `canned_replies_page`: canned replies with their usage (supervisors and admins), and the
  forms that create, edit and retire them (admins);
- `analytics_page`: the analytics page (charts for the weekly review), supervisors and
  admins;
- `mail_page`: the Mail page (outbound mail and its delivery, inbound mail for a person),
  admins;
- `mentions_page`: public mentions with the detector's decision, and the forms that label
  one (open a complaint from it, or mark it not a complaint): agents, supervisors, admins;
- `admin_staff_page`, `admin_user_page`, `admin_teams_page`, `admin_calendar_page`: staff
  and keys, teams and agents, and teams' business calendars, with the audit trail (admins);
- `policy_page`: the policy cases run under, its versions and what each changed, and the
  form that saves a new version (admins);
- `webhooks_page`, `webhook_forms`: platforms' webhook subscriptions with what their
  deliveries came to, each one's delivery log, redelivery and secret rotation (admins);
- `return_queue_page`, `return_page`, `return_forms`: the return queues, a return's page,
  and its review, inspection and settlement-retry forms (supervisors and admins; the
  warehouse sees the inspection queue only, and no complaint page).

Pages are in English and Simplified Chinese (`messages`, `labels`); who may see what comes
from `domain.access`, as for the JSON routes.
"""

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse

from api.console import (
    admin_calendar_page,
    admin_staff_page,
    admin_teams_page,
    admin_user_page,
    analytics_page,
    approvals,
    board,
    canned_replies_page,
    complaint_actions,
    complaint_merge,
    complaint_page,
    mail_page,
    mentions_page,
    policy_page,
    presence,
    queue_page,
    recovery_page,
    resolution_forms,
    return_forms,
    return_page,
    return_queue_page,
    sign_in,
    webhook_forms,
    webhooks_page,
)
from api.console.routing import ConsoleRoute
from api.console.session import CONSOLE_PREFIX, ConsoleProblem, SignedIn, works_complaints
from api.console.sign_in import landing_page

router = APIRouter(prefix=CONSOLE_PREFIX, route_class=ConsoleRoute)


@router.get("")
@router.get("/")
async def console_home(user: SignedIn) -> RedirectResponse:
    """Sends the signed-in user to their starting page."""
    return RedirectResponse(landing_page(user.principal), status_code=303)


# The complaint pages are for staff who work complaints; the warehouse gets the 403 page.
for part in (
    approvals,
    board,
    queue_page,
    complaint_page,
    complaint_actions,
    resolution_forms,
    complaint_merge,
    presence,
):
    router.include_router(part.router, dependencies=[Depends(works_complaints)])
for part in (
    sign_in,
    recovery_page,
    canned_replies_page,
    analytics_page,
    mail_page,
    mentions_page,
    admin_staff_page,
    admin_user_page,
    admin_teams_page,
    admin_calendar_page,
    policy_page,
    return_queue_page,
    return_page,
    return_forms,
    webhooks_page,
    webhook_forms,
):
    router.include_router(part.router)


@router.get("/{unknown:path}")
async def unknown_page(unknown: str) -> None:
    """Answers console paths that name no page with the console's own 404 page."""
    raise ConsoleProblem(404, "not_found")


__all__ = ["router"]
