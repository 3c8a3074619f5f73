"""The complaint page's duplicates panel: the complaints linked to this one (possible
duplicate of, possible duplicates, merged into, merged from), and whether the signed-in
user gets the form that merges this complaint into a linked duplicate
(`complaint_merge` takes the form).
"""

import secrets
from dataclasses import dataclass, field

from fastapi import Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.session import ConsoleUser
from api.merge_calls import may_merge
from domain.complaint_merge import MERGEABLE
from domain.complaints import ComplaintView
from store.complaint_merge import open_complaints_among


@dataclass(frozen=True)
class MergeProblem:
    """Why the merge form came back: the catalogue key, the field at fault, the complaint
    the sentence names, and the workflow's own words when it refused."""

    status_code: int
    message_key: str
    field: str = ""
    other: str = ""
    detail: str = ""


@dataclass
class MergePanel:
    """What `complaint_merge.html` shows for one complaint and one user."""

    # Linked duplicates this complaint may be merged into now (empty: no form).
    candidates: list[str] = field(default_factory=list)
    # Why there is no form although there are linked duplicates (a catalogue key).
    why_not: str | None = None
    form_key: str = ""
    problem: MergeProblem | None = None
    chosen: str = ""
    # The complaint just merged into this one (`?merged=`), for the notice.
    merged_notice: str | None = None


async def merge_panel(
    request: Request, user: ConsoleUser, session: Session, view: ComplaintView
) -> MergePanel:
    """Returns the duplicates panel of `view` for `user`, with the refusal of a merge
    form sent in this request, if any. The form offers the linked complaints still open."""
    panel = MergePanel(
        problem=getattr(request.state, "merge_problem", None),
        chosen=getattr(request.state, "merge_chosen", ""),
    )
    merged = request.query_params.get("merged", "")
    if merged in view.merged_from:
        panel.merged_notice = merged
    linked = [*([view.duplicate_of] if view.duplicate_of else []), *view.duplicates]
    if not linked or view.merged_into is not None:
        return panel
    if view.status not in MERGEABLE:
        panel.why_not = "merge_not_now"
    elif not may_merge(user.principal, view):
        panel.why_not = "merge_not_yours"
    else:
        still_open = await run_in_threadpool(open_complaints_among, session, complaint_ids=linked)
        panel.candidates = [complaint_id for complaint_id in linked if complaint_id in still_open]
        panel.form_key = secrets.token_urlsafe(24)
        if not panel.candidates:
            panel.why_not = "merge_none_open"
    return panel


def show_merge_problem(request: Request, problem: MergeProblem, chosen: str) -> None:
    """Has the complaint page rendered in this request show the merge form's refusal."""
    request.state.merge_problem = problem
    request.state.merge_chosen = chosen
