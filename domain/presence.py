"""Who has a complaint open in the console right now, and who is writing to its customer.

Each open complaint page reports itself every `HEARTBEAT` (`api.console.presence`); a
report older than `SHOWN_FOR` no longer counts, so a closed tab, a sleeping laptop or a
lost network drops off by itself, whichever API process took the report. Reports older
than `FORGOTTEN_AFTER` are deleted when the next report arrives: no cleaner runs.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

# How often an open page reports; a few missed reports still keep it shown.
HEARTBEAT = timedelta(seconds=12)
SHOWN_FOR = timedelta(seconds=45)
FORGOTTEN_AFTER = timedelta(days=1)


class PresenceState(StrEnum):
    VIEWING = "viewing"
    # Typing in the reply or request-information form.
    WRITING = "writing"
    # The page is closing (sent as it unloads): its report is removed at once.
    LEFT = "left"


@dataclass(frozen=True)
class Present:
    """A staff member with the complaint open: writing when any of their pages is."""

    user_id: str
    display_name: str
    writing: bool
