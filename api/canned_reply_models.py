"""Request and response bodies of the canned reply routes (`api.routes.canned_replies`),
which the console's forms validate with too, so both refuse the same things in the same
words: a template that names an unknown placeholder is refused naming it."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from core.wording.canned_replies import CannedReplyRefused, check_canned_reply
from domain.canned_replies import MAX_BODY_CHARS, MAX_TITLE_CHARS, PlaceholderKind
from domain.complaints import Strict
from domain.taxonomy import Locale, SubCategory
from store.tables.canned_replies import CannedReply

Title = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TITLE_CHARS,
        description="What agents pick it by; unique among the active templates of a language",
        examples=["Parcel delayed: new delivery date"],
    ),
]
Body = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_BODY_CHARS,
        description=(
            "The reply, with placeholders such as `{{ customer_name }}` "
            "(GET /canned-replies/placeholders lists them); `{% if order_id is defined %}` "
            "leaves out what a complaint may lack"
        ),
        examples=["Sorry for the wait, {{ customer_name }}: order {{ order_id }} ships today."],
    ),
]
TemplateSubCategory = Annotated[
    SubCategory | None,
    Field(description="The complaints it is suggested for; null suits every sub-category"),
]


def _title(title: str | None) -> str | None:
    if title is None:
        return None
    title = " ".join(title.split())
    if not title:
        raise PydanticCustomError("title_blank", "a title needs more than spaces")
    return title


def _body(body: str | None) -> str | None:
    if body is None:
        return None
    try:
        check_canned_reply(body)
    except CannedReplyRefused as refused:
        # The context carries what the console words the refusal with.
        context = {"message": str(refused), "names": refused.names, "line": refused.line}
        raise PydanticCustomError(refused.problem, "{message}", context) from refused
    return body


class CannedReplyCreate(Strict):
    """A new reply template."""

    title: Title
    language: Locale
    sub_category: TemplateSubCategory = None
    body: Body

    _clean_title = field_validator("title")(_title)
    _checked_body = field_validator("body")(_body)


class CannedReplyUpdate(Strict):
    """What to change on a template; fields left out stay as they are."""

    version: int = Field(
        ge=1,
        le=2**31 - 1,
        description="The version you read: if the template changed since, the edit is a 409",
    )
    title: Title | None = None
    sub_category: TemplateSubCategory = None
    body: Body | None = None

    _clean_title = field_validator("title")(_title)
    _checked_body = field_validator("body")(_body)

    @model_validator(mode="after")
    def _changes_something(self) -> "CannedReplyUpdate":
        if not self.model_fields_set - {"version"}:
            raise ValueError("send at least one of title, sub_category, body")
        return self


class CannedReplyPublic(BaseModel):
    """A template as the API shows it."""

    canned_reply_id: int
    title: str
    language: Locale
    sub_category: SubCategory | None
    body: str
    placeholders: list[str] = Field(description="The placeholders the body names")
    version: int
    status: Literal["active", "retired"]
    uses: int = Field(description="Replies sent from it")
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    retired_by: str | None
    retired_at: datetime | None

    @classmethod
    def of(cls, reply: CannedReply, uses: int) -> "CannedReplyPublic":
        """Returns the API's view of a stored template used `uses` times."""
        assert reply.id is not None
        return cls(
            canned_reply_id=reply.id,
            title=reply.title,
            language=Locale(reply.language),
            sub_category=SubCategory(reply.sub_category) if reply.sub_category else None,
            body=reply.body,
            placeholders=sorted(_named(reply.body)),
            version=reply.version,
            status="retired" if reply.retired_at else "active",
            uses=uses,
            created_by=reply.created_by,
            created_at=reply.created_at,
            updated_by=reply.updated_by,
            updated_at=reply.updated_at,
            retired_by=reply.retired_by,
            retired_at=reply.retired_at,
        )


def _named(body: str) -> frozenset[str]:
    try:
        return check_canned_reply(body)
    except CannedReplyRefused:
        # Kept before a rule was tightened: it names what it names, and is not suggested.
        return frozenset()


class CannedRepliesPublic(BaseModel):
    items: list[CannedReplyPublic]


class PlaceholderPublic(BaseModel):
    name: str
    kind: PlaceholderKind = Field(
        description="text as written; money in the customer's locale; moment: a date and "
        "time in the customer's time zone"
    )


class PlaceholdersPublic(BaseModel):
    items: list[PlaceholderPublic]


class CannedReplySuggestion(BaseModel):
    """A template suggested for a complaint, filled in for it."""

    canned_reply_id: int
    title: str
    sub_category: SubCategory | None
    version: int
    uses: int
    text: str | None = Field(
        description="The reply filled in for this complaint, to edit before sending; null "
        "when the complaint lacks a value the template needs"
    )
    missing_value: str | None = Field(
        default=None, description="The placeholder this complaint has no value for"
    )


class CannedReplySuggestions(BaseModel):
    complaint_id: str
    language: Locale
    sub_category: SubCategory | None
    items: list[CannedReplySuggestion]
