"""The policy, for admins: the version in force in readable form (SLA targets per tier,
approval thresholds and windows, auto-resolution rules, return deadlines and windows) with
the list of versions, the form that saves a new one, and any version with what it changed.

Saving goes through `store.policies.save_policy`, as `PUT /policies` does: the form names
the version it was opened on, a reason is required, and the version and its audit entry
are written together. A refused form is the page again in the user's language naming each
field at fault, with what was typed kept and nothing saved. The same form sent twice (its
key) saves once.
"""

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.console.admin_forms import (
    ADMIN_PREFIX,
    SentForm,
    done,
    done_notice,
    new_form_key,
    run_change,
    sent_by,
)
from api.console.policy_form import FormProblem, category_rows, form_values, read_form
from api.console.policy_text import PolicyText
from api.console.rendering import choose_language, render
from api.console.routing import ConsoleRoute
from api.console.session import ConsoleProblem, ConsoleUser, SignedIn, require
from api.deps import SessionDep
from domain.access import Permission
from domain.policy_diff import PolicyChange, policy_changes
from domain.policy_document import PolicyDocument, PolicyVersion, reason_problems
from store.admin_changes import ChangeNote
from store.policies import (
    PolicyRefused,
    PolicyStale,
    PolicyUnchanged,
    SavedPolicy,
    count_policy_versions,
    current_policy,
    policy_version,
    policy_versions,
    save_policy,
)

router = APIRouter(route_class=ConsoleRoute)

POLICY_PATH = f"{ADMIN_PREFIX}/policy"
# The versions the policy page lists (the API pages through them all).
LISTED_VERSIONS = 100
VersionPath = Annotated[int, Path(ge=1, le=2**31 - 1)]
PoliciesForm = Annotated[
    SentForm, Depends(sent_by(Permission.MANAGE_POLICIES, refusal="forbidden_policies"))
]


class PolicyFormRefused(ConsoleProblem):
    """The form cannot be saved: the problems to name (a stale or unchanged form has one
    sentence instead), and the version the form is offered on again (the one it was
    opened on; for a stale form, the one saved since)."""

    def __init__(
        self,
        status_code: int,
        message_key: str,
        offer: PolicyVersion,
        problems: list[FormProblem] | None = None,
    ) -> None:
        super().__init__(status_code, message_key)
        self.offer = offer
        self.problems = problems or []


def _text(request: Request, user: ConsoleUser, document: PolicyDocument) -> PolicyText:
    language, _ = choose_language(request, user)
    return PolicyText(language, document)


@router.get("/admin/policy")
async def policy(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the version in force, readably, and the list of versions."""
    require(user, Permission.MANAGE_POLICIES, "forbidden_policies")

    def read(session: Session) -> tuple[PolicyVersion, list[PolicyVersion], int]:
        current = current_policy(session)
        listed = policy_versions(session, limit=LISTED_VERSIONS)
        return current, listed, count_policy_versions(session)

    current, versions, total = await run_in_threadpool(read, session)
    return render(
        request,
        "admin_policy.html",
        user=user,
        version=current,
        versions=versions,
        total=total,
        policy=_text(request, user, current.document),
        notice=done_notice(request),
    )


async def _form_page(
    request: Request,
    user: ConsoleUser,
    *,
    based_on: PolicyVersion,
    typed: dict[str, str],
    reason: str = "",
    refused: PolicyFormRefused | None = None,
) -> Response:
    problems = refused.problems if refused else []
    policy = _text(request, user, based_on.document)
    sentences = [(found.field, policy.problem(found.problem)) for found in problems]
    # Each field marked invalid is described by the first sentence naming it.
    problem_ids: dict[str, str] = {}
    for number, (field, _) in enumerate(sentences, start=1):
        if field:
            problem_ids.setdefault(field, f"problem-{number}")
    return render(
        request,
        "admin_policy_form.html",
        user=user,
        status_code=refused.status_code if refused else 200,
        based_on=based_on,
        typed=typed,
        reason=reason,
        rows=category_rows(typed),
        refused=refused,
        sentences=sentences,
        problem_ids=problem_ids,
        policy=policy,
        form_key=new_form_key(),
        notice=None,
    )


@router.get("/admin/policy/edit")
async def policy_form(request: Request, user: SignedIn, session: SessionDep) -> Response:
    """Shows the form, filled in with the version in force."""
    require(user, Permission.MANAGE_POLICIES, "forbidden_policies")
    current = await run_in_threadpool(current_policy, session)
    return await _form_page(request, user, based_on=current, typed=form_values(current.document))


def _typed_fields(form: Mapping[str, object]) -> dict[str, str]:
    """Returns the policy's fields of a sent form (the common admin fields dropped), each
    cut to a length no field of it needs more than."""
    common = {"csrf_token", "form_key", "reason", "based_on"}
    return {
        name: value[:5_000]
        for name, value in form.items()
        if isinstance(value, str) and name not in common
    }


def _based_on(text: object) -> int:
    """Returns the version number the form names (0 when it names none: always stale)."""
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) < 10 else 0


@router.post("/admin/policy")
async def change_policy(request: Request, form: PoliciesForm, session: SessionDep) -> Response:
    """Saves the form as the next version; the form's page again naming what is wrong."""
    sent = dict(await request.form())
    typed = _typed_fields(sent)
    based_on = _based_on(sent.get("based_on"))
    user = form.user

    def change(session: Session) -> SavedPolicy:
        opened_on = policy_version(session, based_on) or current_policy(session)
        document, problems = read_form(opened_on.document, typed)
        problems += [FormProblem(p, "reason") for p in reason_problems(form.reason)]
        if problems:
            raise PolicyFormRefused(422, "policy_form_refused", opened_on, problems)
        note = ChangeNote(actor=user.principal.user_id, form_key=form.form_key)
        try:
            return save_policy(
                session,
                document,
                reason=form.reason,
                note=note,
                based_on=based_on,
                change_key=f"console/{form.form_key}",
            )
        except PolicyRefused as refused:
            found = [
                FormProblem(p, "reason" if p.path == "reason" else None) for p in refused.problems
            ]
            raise PolicyFormRefused(422, "policy_form_refused", opened_on, found) from None
        except PolicyStale as stale:
            raise PolicyFormRefused(409, "policy_form_refused_stale", stale.current) from None
        except PolicyUnchanged:
            raise PolicyFormRefused(422, "policy_form_refused_unchanged", opened_on) from None

    outcome = await run_change(session, change, form_key=form.form_key)
    if isinstance(outcome, PolicyFormRefused):
        return await _form_page(
            request, user, based_on=outcome.offer, typed=typed, reason=form.reason, refused=outcome
        )
    if isinstance(outcome, ConsoleProblem):
        raise outcome
    if outcome is None:
        return done(POLICY_PATH, "already")
    return done(POLICY_PATH, "policy_changed", subject=f"v{outcome.version.version}")


@router.get("/admin/policy/versions/{version}")
async def policy_version_page(
    request: Request, version: VersionPath, user: SignedIn, session: SessionDep
) -> Response:
    """Shows one version with who saved it, when and why, and what it changed."""
    require(user, Permission.MANAGE_POLICIES, "forbidden_policies")

    def read(session: Session) -> tuple[PolicyVersion, PolicyVersion | None, int]:
        shown = policy_version(session, version)
        if shown is None:
            raise ConsoleProblem(404, "policy_no_such_version")
        previous = policy_version(session, version - 1) if version > 1 else None
        return shown, previous, current_policy(session).version

    shown, previous, in_force = await run_in_threadpool(read, session)
    changes: list[PolicyChange] = (
        policy_changes(previous.document, shown.document) if previous else []
    )
    return render(
        request,
        "admin_policy_version.html",
        user=user,
        version=shown,
        previous=previous,
        in_force=in_force,
        changes=changes,
        policy=_text(request, user, shown.document),
        before=_text(request, user, previous.document) if previous else None,
        notice=None,
    )
