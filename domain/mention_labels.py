"""Staff's word on a mention: whether it is a complaint, whatever the detector decided.

A label is kept for training the detector (the export is the CSV its training data takes).
Its effect on the case is one rule: a mention labelled a complaint has a complaint, opened
through the same intake as `POST /mentions` if the detector passed it over. A mention
labelled not a complaint keeps the complaint it opened: by then an agent may have answered
the author or a refund may be under way, so closing it stays a decision made on the
complaint's page, with a message to the customer.

A mention has one label. The same label again (a double click, a retry, two people
agreeing) records nothing more; the other one is refused, naming who labelled it and when.
"""

from enum import StrEnum

from pydantic import Field

from domain.complaints import Strict

# `domain.mentions.mention_id_for`: "M" and 12 base32 characters.
MENTION_ID_PATTERN = r"^M[A-Z2-7]{12}$"


class MentionDecision(StrEnum):
    """Which mentions a list shows, by what was decided about them."""

    # The detector took it for a complaint (and opened one).
    OPENED = "opened"
    # The detector took it for something else: nothing was opened.
    PASSED_OVER = "passed_over"
    # Staff labelled it, either way.
    LABELLED = "labelled"


class MentionLabelRequest(Strict):
    """Whether a mention is a complaint, as a person (or the platform) judged it."""

    is_complaint: bool = Field(
        strict=True,
        description=(
            "true: it is a complaint (one opens if the detector passed it over); false: it "
            "is not (a complaint it opened stays open, to be closed from its page)"
        ),
    )
