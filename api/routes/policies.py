"""The policy cases run under, as versions: read the newest, list them, read any one, and
save a new one (admins).

A new version applies to complaints and returns opened from then on; each case keeps the
version it opened under (its workflow input carries it). The routes only read and write
the policy store (`store.policies`), which checks the document (`policy_problems`) and
writes the audit trail.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, require
from api.deps import SessionDep
from api.errors import AUTH_RESPONSES, ApiError, FieldProblem, Problem, problem_responses
from api.paging import Offset, next_offset_url
from domain.access import Permission
from domain.policy_document import PolicyDocument, PolicyVersion
from store.admin_changes import ChangeNote
from store.policies import (
    PolicyChangeKeyReused,
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

router = APIRouter(prefix="/policies", tags=["policies"], responses=AUTH_RESPONSES)

MayReadPolicies = Annotated[Principal, Depends(require(Permission.READ_POLICIES))]
MayManagePolicies = Annotated[Principal, Depends(require(Permission.MANAGE_POLICIES))]
VersionPath = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The version's number", examples=[3])
]
ChangeKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Retrying with the same key and body returns the version saved the first time",
    ),
]
RESPONSES = problem_responses("policy version")
CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES,
    409: {"model": Problem, "description": "Another version was saved since `based_on`"},
}


class PolicyChange(BaseModel):
    """A new version of the policy: the whole document, why it changes, and the version
    it was made on."""

    model_config = ConfigDict(extra="forbid")

    document: PolicyDocument
    # Kept with the version and on the audit trail; required.
    reason: str = Field(max_length=10_000, examples=["Critical complaints answered in 2 h"])
    # The version the document was read from: if another was saved since, nothing is
    # saved (409), so a colleague's change is never undone unknowingly. Without it the
    # document replaces whatever version is newest.
    based_on: int | None = Field(default=None, ge=1, le=2**31 - 1, examples=[3])


class PolicyVersionSummary(BaseModel):
    """One version in the list: who saved it, when and why (its document at `url`)."""

    version: int
    changed_by: str
    changed_at: datetime
    reason: str
    url: str


class PolicyVersionsPage(BaseModel):
    """Returns one page of versions, newest first; `next` is the URL of the next page."""

    items: list[PolicyVersionSummary]
    total: int
    limit: int
    offset: int
    next: str | None


def version_url(version: int) -> str:
    """Returns where version `version` is read."""
    return f"{router.prefix}/versions/{version}"


@router.get("/current")
def get_current_policy(caller: MayReadPolicies, session: SessionDep) -> PolicyVersion:
    """Returns the newest version: the one complaints and returns opened now run under."""
    return current_policy(session)


@router.get("/versions")
def list_policy_versions(
    request: Request,
    caller: MayReadPolicies,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> PolicyVersionsPage:
    """Lists the versions newest first, with who saved each, when and why."""
    total = count_policy_versions(session)
    items = [
        PolicyVersionSummary(
            version=v.version,
            changed_by=v.changed_by,
            changed_at=v.changed_at,
            reason=v.reason,
            url=version_url(v.version),
        )
        for v in policy_versions(session, limit=limit, offset=offset)
    ]
    return PolicyVersionsPage(
        items=items,
        total=total,
        limit=limit,
        offset=offset,
        next=next_offset_url(request, offset=offset, limit=limit, total=total),
    )


@router.get("/versions/{version}", responses=RESPONSES)
def get_policy_version(
    version: VersionPath, caller: MayReadPolicies, session: SessionDep
) -> PolicyVersion:
    """Returns one version, whole."""
    found = policy_version(session, version)
    if found is None:
        raise ApiError(
            404,
            "policy_version_not_found",
            f"no policy version {version}; list them at {router.prefix}/versions",
        )
    return found


def _refusal(error: Exception) -> ApiError:
    """Returns the problem the store's refusal of a change answers."""
    if isinstance(error, PolicyRefused):
        fields = [
            FieldProblem(
                field=p.path if p.path == "reason" else f"document.{p.path}",
                problem=p.sentence(),
            )
            for p in error.problems
        ]
        names = ", ".join(dict.fromkeys(f.field for f in fields))
        return ApiError(
            422,
            "policy_invalid",
            f"invalid fields: {names}; fix them and send the request again",
            fields=fields,
        )
    if isinstance(error, PolicyUnchanged):
        return ApiError(
            422,
            "policy_unchanged",
            "the document is the newest version's: change a value to save a new version",
            fields=[FieldProblem(field="document", problem="the same as the newest version")],
        )
    if isinstance(error, PolicyStale):
        return ApiError(
            409,
            "policy_changed_meanwhile",
            f"version {error.current.version} was saved by {error.current.changed_by} since "
            "the version sent; read it again and make your change on it",
        )
    assert isinstance(error, PolicyChangeKeyReused)
    return ApiError(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key saved a different policy change; send a new key for a new change",
    )


@router.put("", status_code=201, responses=CHANGE_RESPONSES)
async def change_policy(
    body: PolicyChange,
    response: Response,
    caller: MayManagePolicies,
    session: SessionDep,
    idempotency_key: ChangeKeyHeader = None,
) -> PolicyVersion:
    """Saves the document as the next version (admins): complaints and returns opened from
    now on run under it; 201 with its `Location`, 200 for a retry with the same key."""
    key = f"api/{caller.user_id}/{idempotency_key}" if idempotency_key else None

    def save(session: Session) -> SavedPolicy:
        return save_policy(
            session,
            body.document,
            reason=body.reason,
            note=ChangeNote(actor=caller.user_id),
            based_on=body.based_on,
            change_key=key,
        )

    try:
        saved = await run_in_threadpool(save, session)
    except (PolicyRefused, PolicyUnchanged, PolicyStale, PolicyChangeKeyReused) as error:
        raise _refusal(error) from error
    response.headers["Location"] = version_url(saved.version.version)
    if saved.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return saved.version
