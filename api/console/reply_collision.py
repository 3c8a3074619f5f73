"""A reply or a question held back because a message landed after the page was opened.

The reply and request-information forms carry `seen_message`, the timeline position of
the conversation's last message their page showed (`domain.reply_collision`). When
another message came after it (a colleague replied or asked, the customer wrote), the
form is not sent: the page comes back with what was typed, the messages that arrived,
and a "review first" notice; its button sends anyway, carrying the new position, so a
second message landing meanwhile holds it back again. The JSON API does not check:
platforms keep their own concurrency.
"""

from api.console.complaint_workspace import FormOutcome, FormProblem
from domain.complaints import ComplaintView
from domain.reply_collision import arrived_since

SEEN_FIELD = "seen_message"
# Timeline positions are counts: anything longer is not one.
MAX_SEEN_DIGITS = 9


def seen_position(raw: str) -> int:
    """Returns the position a form says its page showed; one it does not carry (or that is
    not a position) counts as having seen no message, so the agent reviews rather than
    replies blind."""
    text = raw.strip()
    if not text.isdigit() or len(text) > MAX_SEEN_DIGITS:
        return 0
    return int(text)


def held_back(
    form: str, typed: dict[str, str], view: ComplaintView, raw_seen: str, *, reader: str
) -> FormOutcome | None:
    """Returns the outcome of a form held back for review (what was typed, the messages
    that arrived since its page), or None when none arrived and it may be sent."""
    arrived = arrived_since(view, seen_position(raw_seen), reader=reader)
    if not arrived:
        return None
    problem = FormProblem(409, "collision_review", values={"count": len(arrived)})
    return FormOutcome(form, typed, problem, arrived=arrived)
