"""The complaint page's resolution forms: propose a resolution (compensation rows, a
replacement of order items, goods taken back, the message, the root cause) with the
policy's answer before it is sent, and close the complaint resolved with a root cause.

The policy's answer comes from the complaint's own workflow (its `preview_resolution`
query runs the rule its `act` update runs, under the policy the complaint opened with):
the "check" button shows it on the page without a script, and the page's script asks
`/resolution-check` as the rows change. Both ask with the whole proposal the form would
send (replacement, return plan and `final` included), so the answer is the workflow's.
A final resolution must name its root cause here as in the JSON API
(`domain.complaint_rules.missing_root_cause`).
"""

from itertools import zip_longest
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError

from api.complaint_calls import current_complaint_view, preview_resolution, works_on
from api.console.complaint_actions import ActionFormDep, FormRefused, TextField
from api.console.complaint_workspace import ROW_KINDS, FormOutcome, FormProblem
from api.console.rendering import render
from api.console.resolution_goods import TypedGoods, replacement, return_plan
from api.console.routing import TEMPORAL_TROUBLE, ComplaintIdPath, ConsoleRoute
from api.console.session import ConsoleProblem, SignedIn
from api.deps import SessionDep, TemporalDep
from domain.compensation import MAX_COMPENSATION_STEPS, Compensation, ResolutionProposal
from domain.complaint_rules import missing_root_cause
from domain.complaints import ComplaintView, ProposeResolutionAction
from domain.resolution_preview import ResolutionPreview

router = APIRouter(route_class=ConsoleRoute)

RowsField = Annotated[list[str] | None, Form()]
QueryRows = Annotated[list[str] | None, Query()]
# A check needs no message yet: the policy looks at the compensation alone.
CHECK_MESSAGE = "-"
KIND_VALUES = {kind.value for kind in ROW_KINDS}


def typed_rows(kinds: list[str] | None, amounts: list[str] | None) -> list[dict[str, str]]:
    """Returns the compensation rows as typed, a kind and an amount each."""
    pairs = zip_longest(kinds or [], amounts or [], fillvalue="")
    return [{"kind": kind, "amount": amount.strip()} for kind, amount in pairs]


def compensations(rows: list[dict[str, str]]) -> list[Compensation]:
    """Returns the compensation the rows ask for (empty rows left out); raises FormRefused
    naming the first row at fault."""
    steps: list[Compensation] = []
    for index, row in enumerate(rows):
        if not row["kind"] and not row["amount"]:
            continue
        values = {"row": str(index + 1)}
        if row["kind"] not in KIND_VALUES:
            problem = FormProblem(422, "row_kind_missing", f"kind-{index}", "", values)
            raise FormRefused(problem)
        try:
            steps.append(Compensation.model_validate(row | {"amount": row["amount"] or "x"}))
        except ValidationError as invalid:
            raise FormRefused(
                FormProblem(422, "row_amount_invalid", f"amount-{index}", "", values)
            ) from invalid
    if len(steps) > MAX_COMPENSATION_STEPS:
        values = {"n": str(MAX_COMPENSATION_STEPS)}
        raise FormRefused(FormProblem(422, "rows_too_many", "amount-0", "", values))
    return steps


def proposed(
    view: ComplaintView,
    rows: list[dict[str, str]],
    goods: TypedGoods | None,
    message: str,
    *,
    root_cause: str = "",
    final: bool,
) -> ResolutionProposal:
    """Returns the proposal the form's fields make; raises FormRefused or ValidationError
    naming the field at fault. A replacement runs first: a warehouse that declines it
    leaves no money to take back."""
    steps = compensations(rows)
    sent_again = replacement(view, goods) if goods else None
    if sent_again is not None:
        steps.insert(0, sent_again)
    if len(steps) > MAX_COMPENSATION_STEPS:
        values = {"n": str(MAX_COMPENSATION_STEPS)}
        raise FormRefused(FormProblem(422, "rows_too_many", "amount-0", "", values))
    return ResolutionProposal.model_validate(
        {
            "compensations": steps,
            "message": message.strip(),
            "root_cause": root_cause or None,
            "final": final,
            "return_plan": return_plan(view, goods, final=final) if goods else None,
        }
    )


def resolution_action(
    view: ComplaintView,
    rows: list[dict[str, str]],
    goods: TypedGoods | None,
    message: str,
    root_cause: str,
    *,
    final: bool,
) -> ProposeResolutionAction:
    """Returns the proposal the form asks for; raises FormRefused or ValidationError naming
    what is wrong (a final one without a root cause included)."""
    proposal = proposed(view, rows, goods, message, root_cause=root_cause, final=final)
    action = ProposeResolutionAction(proposal=proposal)
    if missing_root_cause(action):
        raise FormRefused(FormProblem(422, "root_cause_required", "root_cause", "field_root_cause"))
    return action


async def policy_answer(
    temporal: TemporalDep,
    view: ComplaintView,
    rows: list[dict[str, str]],
    goods: TypedGoods,
    *,
    final: bool,
) -> tuple[ResolutionPreview | None, FormProblem | None]:
    """Returns the workflow's answer to the proposal the fields make, or why there is
    none."""
    try:
        proposal = proposed(view, rows, goods, CHECK_MESSAGE, final=final)
    except FormRefused as refused:
        return None, refused.problem
    try:
        return await preview_resolution(temporal, view.complaint_id, proposal), None
    except TEMPORAL_TROUBLE:
        return None, FormProblem(503, "refused_unavailable")


@router.post("/complaints/{complaint_id}/resolution")
async def propose_resolution(
    form: ActionFormDep,
    kind: RowsField = None,
    amount: RowsField = None,
    replace_sku: RowsField = None,
    replace_quantity: RowsField = None,
    return_sku: RowsField = None,
    return_quantity: RowsField = None,
    exchange_sku: RowsField = None,
    return_outcome: TextField = "",
    message: TextField = "",
    root_cause: TextField = "",
    final: TextField = "",
    intent: TextField = "send",
) -> Response:
    """Sends the proposal (`intent=send`), or shows the page again with the policy's
    answer to it (`intent=check`: nothing is sent)."""
    rows = typed_rows(kind, amount)
    goods = TypedGoods.from_form(
        replace_sku, replace_quantity, return_sku, return_quantity, exchange_sku, return_outcome
    )
    typed: dict[str, Any] = {
        "rows": rows,
        "message": message,
        "root_cause": root_cause,
        "final": final,
        **goods.as_typed(),
    }
    if intent == "check":
        view = await current_complaint_view(form.temporal, form.session, form.complaint_id)
        form.check_may("propose", view)
        preview, problem = await policy_answer(
            form.temporal, view, rows, goods, final=final == "true"
        )
        outcome = FormOutcome("propose", typed, preview=preview, preview_problem=problem)
        return await form.again(outcome, 200)
    return await form.act(
        "propose",
        typed,
        lambda view: resolution_action(
            view, rows, goods, message, root_cause, final=final == "true"
        ),
    )


@router.post("/complaints/{complaint_id}/close")
async def close_resolved(
    form: ActionFormDep, message: TextField = "", root_cause: TextField = ""
) -> Response:
    """Closes the complaint resolved, with no compensation: the message goes to the
    customer, the root cause to the reports."""
    typed = {"message": message, "root_cause": root_cause}
    return await form.act(
        "close",
        typed,
        lambda view: resolution_action(view, [], None, message, root_cause, final=True),
    )


@router.get("/complaints/{complaint_id}/resolution-check")
async def resolution_check(
    request: Request,
    complaint_id: ComplaintIdPath,
    user: SignedIn,
    session: SessionDep,
    temporal: TemporalDep,
    kind: QueryRows = None,
    amount: QueryRows = None,
    replace_sku: QueryRows = None,
    replace_quantity: QueryRows = None,
    return_sku: QueryRows = None,
    return_quantity: QueryRows = None,
    exchange_sku: QueryRows = None,
    return_outcome: Annotated[str, Query()] = "",
    final: Annotated[str, Query()] = "",
) -> Response:
    """Returns the policy's answer to the form's fields as a fragment, for the page's
    script."""
    view = await current_complaint_view(temporal, session, complaint_id)
    if not works_on(user.principal, view):
        raise ConsoleProblem(403, "forbidden_not_yours")
    goods = TypedGoods.from_form(
        replace_sku, replace_quantity, return_sku, return_quantity, exchange_sku, return_outcome
    )
    preview, problem = await policy_answer(
        temporal, view, typed_rows(kind, amount), goods, final=final == "true"
    )
    return render(
        request,
        "policy_answer.html",
        user=user,
        view=view,
        preview=preview,
        preview_problem=problem,
    )
