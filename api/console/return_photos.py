"""The photos of the inspection form: reading the files chosen, and wording the refusal
of one a limit or its type refuses, naming the field (the form's other refusals are in
`return_forms`)."""

from fastapi import UploadFile

from api.console.session import ConsoleProblem
from api.return_evidence_calls import OfferedFile
from core.settings import Settings
from domain.evidence import megabytes
from domain.returns import MAX_INSPECTION_PHOTOS
from store.evidence import EvidenceRefused


class FormRefused(Exception):
    """A form the console refuses before sending: its problem, with values for the words."""

    def __init__(self, message_key: str, **values: str) -> None:
        super().__init__(message_key)
        self.problem = ConsoleProblem(422, message_key)
        self.values = values

    def with_status(self, status_code: int) -> "FormRefused":
        """Returns this refusal answered with `status_code` rather than 422."""
        self.problem = ConsoleProblem(status_code, self.problem.message_key)
        return self


async def chosen_photos(files: list[UploadFile], settings: Settings) -> list[OfferedFile]:
    """Returns the photos the form carries; raises FormRefused when there are too many.

    A browser sends an empty part for a file field nobody filled in: that is no photo.
    Each is read up to one byte over the limit, enough to refuse it by size.
    """
    offered = [file for file in files if file.filename or file.size]
    if len(offered) > MAX_INSPECTION_PHOTOS:
        raise FormRefused(
            "inspection_photos_too_many", n=str(len(offered)), most=str(MAX_INSPECTION_PHOTOS)
        )
    return [
        OfferedFile(
            filename=file.filename or "", data=await file.read(settings.evidence_max_file_bytes + 1)
        )
        for file in offered
    ]


def photo_refusal(refused: EvidenceRefused, settings: Settings) -> FormRefused:
    """Returns the form's refusal of a photo, naming it and the limit it broke."""
    limits = settings.evidence_limits.photos_only()
    return FormRefused(
        f"inspection_photo_{refused.reason.value}",
        name=refused.filename,
        max_file_mb=megabytes(limits.max_file_bytes),
        max_case_mb=megabytes(limits.max_case_bytes),
        types=limits.accepted_names(),
    )
