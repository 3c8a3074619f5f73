"""The mention-detector interface: rules without a model, a learned model with one."""

import re
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

# Han characters: text with any is treated as Chinese.
_HAN = re.compile(r"[\u3400-\u9fff]")


class MentionVerdict(BaseModel):
    """Returns whether a mention is a complaint, how sure the detector is, and why."""

    model_config = ConfigDict(frozen=True)

    is_complaint: bool
    # The detector's probability (or rule score squashed to 0-1) that it is a complaint.
    score: float = Field(ge=0, le=1)
    detector: str
    reasons: list[str] = Field(default_factory=list)


class MentionDetector(Protocol):
    def detect(self, text: str) -> MentionVerdict:
        """Returns whether `text` complains about the shop, its goods or its service."""
        ...


def is_chinese(text: str) -> bool:
    """Returns whether `text` contains Han characters."""
    return _HAN.search(text) is not None
