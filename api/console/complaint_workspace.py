"""The complaint page's workspace: which action forms a signed-in user sees on a complaint,
why the others are hidden, and what a refused form brings back to the page.

Which forms apply is the workflow's own rule (`domain.complaint_rules.ALLOWED_WHILE`),
so the page never offers what the workflow would refuse by status; who may act is the
API's (`api.complaint_calls.works_on`). Each form gets a fresh key per page, sent as the
update's id, so the same form sent twice records once.
"""

import dataclasses
import secrets
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.complaint_calls import works_on
from api.console.session import ConsoleUser
from domain.access import Permission
from domain.compensation import MAX_COMPENSATION_STEPS, MAX_REPLACEMENT_ITEMS, CompensationKind
from domain.complaint_rules import ALLOWED_WHILE
from domain.complaints import (
    MAX_DESCRIPTION_CHARS,
    ComplaintStatus,
    ComplaintView,
    TimelineEvent,
)
from domain.reply_collision import latest_message_seq
from domain.resolution_preview import ResolutionPreview
from domain.returns import ReturnOutcome
from domain.taxonomy import SUBCATEGORIES, Category, RootCause, SubCategory, Tier
from store.complaint_queue import team_names
from store.tables.teams import Agent
from store.teams import list_agents

# The forms, in the order the page shows them, and the action type each one sends.
FORM_ACTIONS = {
    "reply": "reply",
    "request_info": "request_info",
    "note": "note",
    "propose": "propose_resolution",
    "close": "propose_resolution",
    "reclassify": "reclassify",
    "reassign": "assign",
}
MAX_REASON_CHARS = 1000
# Kinds a compensation row proposes with an amount; a replacement names order items, which
# the form lists beside goods to take back (`resolution_goods`).
ROW_KINDS = [CompensationKind.REFUND, CompensationKind.COUPON, CompensationKind.STORE_CREDIT]
# What a customer may get for goods taken back, in the order the form offers them.
OUTCOMES = [outcome.value for outcome in ReturnOutcome]


@dataclass(frozen=True)
class FormProblem:
    """Why a form came back: `message_key` in the catalogue, the input at fault (`field`,
    its label's key `field_key`), values for the sentence, and the workflow's own words."""

    status_code: int
    message_key: str
    field: str = ""
    field_key: str = ""
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    detail: str = ""


@dataclass
class FormOutcome:
    """A form sent and shown again: what was typed (kept, so nothing is retyped), why it
    came back, the policy's answer when it was a resolution's check, and the messages
    that arrived meanwhile when it was held back for review (`reply_collision`)."""

    form: str
    typed: dict[str, Any]
    problem: FormProblem | None = None
    preview: ResolutionPreview | None = None
    preview_problem: FormProblem | None = None
    arrived: list[TimelineEvent] = dataclasses.field(default_factory=list)


@dataclass
class Workspace:
    """What the workspace template shows for one complaint and one user."""

    view: ComplaintView
    forms: list[str]
    # Forms left out, each with the catalogue key saying why (and its values).
    hidden: list[tuple[str, str, dict[str, str]]]
    # Set when the user may do nothing on this complaint, with why.
    why_none: tuple[str, dict[str, str]] | None
    keys: dict[str, str]
    outcome: FormOutcome | None
    done: str | None
    agents_by_team: list[tuple[str, list[Agent]]]
    teams: list[str]
    # The conversation's last message this page shows: the reply and request forms carry
    # it, so one sent after another message landed is held back for review.
    seen_message: int = 0
    max_chars: int = MAX_DESCRIPTION_CHARS
    max_reason: int = MAX_REASON_CHARS
    max_rows: int = MAX_COMPENSATION_STEPS
    max_goods: int = MAX_REPLACEMENT_ITEMS
    return_outcomes: list[str] = dataclasses.field(default_factory=lambda: list(OUTCOMES))
    row_kinds: list[CompensationKind] = dataclasses.field(default_factory=lambda: list(ROW_KINDS))
    root_causes: list[RootCause] = dataclasses.field(default_factory=lambda: list(RootCause))
    tiers: list[Tier] = dataclasses.field(default_factory=lambda: list(Tier))
    sub_categories: list[tuple[Category, tuple[SubCategory, ...]]] = dataclasses.field(
        default_factory=lambda: list(SUBCATEGORIES.items())
    )

    def typed(self, form: str, name: str, default: Any = "") -> Any:
        """Returns what was typed into `name` of `form` when it came back, else `default`."""
        if self.outcome is not None and self.outcome.form == form:
            return self.outcome.typed.get(name, default)
        return default

    def problem(self, form: str) -> FormProblem | None:
        """Returns why `form` came back, if it did."""
        if self.outcome is not None and self.outcome.form == form:
            return self.outcome.problem
        return None

    def invalid(self, form: str, name: str) -> bool:
        """Returns whether the input `name` of `form` is the one its refusal named."""
        problem = self.problem(form)
        return problem is not None and problem.field == name

    def arrived(self, form: str) -> list[TimelineEvent]:
        """Returns the messages that held `form` back for review, if they did."""
        if self.outcome is not None and self.outcome.form == form:
            return self.outcome.arrived
        return []

    def is_open(self, form: str) -> bool:
        """Returns whether `form` is shown unfolded: the reply, or the form that came back."""
        if self.outcome is not None:
            return self.outcome.form == form
        return form == "reply"

    @property
    def stray(self) -> FormOutcome | None:
        """Returns the outcome of a form sent from an older page that this page no longer
        offers (another tab asked the customer already, say): its refusal is shown at the
        top of the workspace, with what was typed."""
        outcome = self.outcome
        if outcome is None or outcome.problem is None or outcome.form in self.forms:
            return None
        return outcome

    def stray_text(self) -> str:
        """Returns the text typed into the stray form, so it can be copied elsewhere."""
        outcome = self.stray
        if outcome is None:
            return ""
        texts = (outcome.typed.get(name) for name in ("message", "question", "text", "reason"))
        return next((text for text in texts if isinstance(text, str) and text.strip()), "")

    def rows(self) -> list[dict[str, str]]:
        """Returns the compensation rows of the resolution form: those typed, then one
        empty row to add another without a script (up to the policy's most)."""
        typed: list[dict[str, str]] = self.typed("propose", "rows", [])
        rows = [row for row in typed if row.get("amount") or row.get("kind")]
        if len(rows) < self.max_rows:
            rows.append({"kind": "", "amount": ""})
        return rows

    def order_lines(self) -> list[tuple[str, str | None, int]]:
        """Returns the complaint's order items a resolution may send again or take back:
        each SKU once, with its name and how many were bought."""
        order = self.view.intake.order
        lines: dict[str, tuple[str, str | None, int]] = {}
        for item in order.items if order else []:
            _, name, bought = lines.get(item.sku, (item.sku, item.name, 0))
            lines[item.sku] = (item.sku, name, bought + item.quantity)
        return list(lines.values())

    def typed_goods(self, name: str) -> dict[str, dict[str, str]]:
        """Returns the replacement (`replace`) or take-back (`take_back`) fields typed for
        each order item, by SKU."""
        typed: list[dict[str, str]] = self.typed("propose", name, [])
        return {row["sku"]: row for row in typed if row.get("sku")}

    def replacement_rows(self) -> list[dict[str, str]]:
        """Returns the SKU and quantity rows of a replacement from an order without item
        lines: those typed, then one empty row (up to the most a replacement ships)."""
        typed: list[dict[str, str]] = self.typed("propose", "replace", [])
        rows = [row for row in typed if row.get("sku") or row.get("quantity")]
        if len(rows) < MAX_REPLACEMENT_ITEMS:
            rows.append({"sku": "", "quantity": ""})
        return rows


def _hidden_reason(form: str, view: ComplaintView, user: ConsoleUser) -> tuple[str, dict[str, str]]:
    """Returns why `form` is not offered on `view` now (a catalogue key and its values)."""
    status = view.status
    if form == "reassign":
        return "hidden_reassign_role", {}
    if form == "request_info" and status is ComplaintStatus.WAITING_ON_CUSTOMER:
        return "hidden_request_info_waiting", {"question": view.pending_question or ""}
    if form in ("propose", "close") and status is ComplaintStatus.AWAITING_APPROVAL:
        return "hidden_resolution_awaiting", {}
    if form in ("propose", "close") and status is ComplaintStatus.RESOLVING:
        return "hidden_resolution_resolving", {}
    return "hidden_status", {"status": status.value}


def _why_none(view: ComplaintView, user: ConsoleUser) -> tuple[str, dict[str, str]] | None:
    if view.status is ComplaintStatus.CLOSED:
        return "workspace_closed", {}
    if view.status is ComplaintStatus.RECEIVED:
        return "workspace_received", {}
    if not works_on(user.principal, view):
        return "workspace_not_yours", {"assignee": view.assignee or ""}
    return None


def _agents_by_team(agents: list[Agent]) -> list[tuple[str, list[Agent]]]:
    return [(team, list(members)) for team, members in groupby(agents, key=lambda a: a.team)]


async def workspace_for(
    request: Request, user: ConsoleUser, session: Session, view: ComplaintView
) -> Workspace:
    """Returns the workspace of `view` for `user`, with the outcome of a form sent in this
    request (`show_outcome`) or the notice of one done (`?done=`)."""
    outcome: FormOutcome | None = getattr(request.state, "workspace_outcome", None)
    done = request.query_params.get("done")
    why_none = _why_none(view, user)
    forms: list[str] = []
    hidden: list[tuple[str, str, dict[str, str]]] = []
    if why_none is None:
        for form, action in FORM_ACTIONS.items():
            may = form != "reassign" or user.may(Permission.ASSIGN_COMPLAINTS)
            if may and view.status in ALLOWED_WHILE[action]:
                forms.append(form)
            else:
                key, values = _hidden_reason(form, view, user)
                hidden.append((form, key, values))
    agents: list[Agent] = []
    teams: list[str] = []
    if "reassign" in forms:
        agents = await run_in_threadpool(list_agents, session)
        teams = await run_in_threadpool(team_names, session)
    return Workspace(
        view=view,
        forms=forms,
        hidden=hidden,
        why_none=why_none,
        keys={form: secrets.token_urlsafe(24) for form in forms},
        outcome=outcome,
        done=done if done in FORM_ACTIONS else None,
        agents_by_team=_agents_by_team(agents),
        teams=teams,
        seen_message=latest_message_seq(view),
    )


def show_outcome(request: Request, outcome: FormOutcome) -> None:
    """Has the complaint page rendered in this request show `outcome` in its workspace."""
    request.state.workspace_outcome = outcome
