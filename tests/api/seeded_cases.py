"""Cases opened through the API before a fuzzing run, so generated requests can name cases
that exist: a real complaint or return to read and act on, a list cursor the API gave
out, and a parcel whose courier events the webhook takes."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from domain.returns import Parcel
from tests.api.returns_support import open_return, wait_for_label
from tests.api.support import Api, eventually, intake

SEEDED_COMPLAINTS = 3
SEEDED_RETURNS = 2


@dataclass(frozen=True)
class SeededCases:
    """What the API answered when the cases were opened."""

    complaint_ids: tuple[str, ...]
    return_ids: tuple[str, ...]
    # The `after` of a `next` link from `GET /complaints`.
    complaints_cursor: str
    # A return's parcel with its label, which courier events can name.
    parcel: Parcel


async def seed_cases(api: Api) -> SeededCases:
    """Returns the cases it opened as an admin, once the read model lists them."""
    complaint_ids = []
    for _ in range(SEEDED_COMPLAINTS):
        created = await api.create(intake())
        assert created.status_code == 201, created.text
        complaint_ids.append(created.json()["complaint_id"])
    return_ids = [await open_return(api) for _ in range(SEEDED_RETURNS)]
    labelled = await wait_for_label(api, return_ids[0])
    return SeededCases(
        complaint_ids=tuple(complaint_ids),
        return_ids=tuple(return_ids),
        complaints_cursor=await eventually(lambda: _cursor(api)),
        parcel=Parcel.model_validate(labelled["return_parcel"]),
    )


async def _cursor(api: Api) -> str | None:
    """Returns the cursor of the first page of one complaint, once there is a next page."""
    page = await api.http.get("/complaints", params={"limit": 1})
    assert page.status_code == 200, page.text
    following: str | None = page.json()["next"]
    if following is None:
        return None
    return parse_qs(urlsplit(following).query)["after"][0]
