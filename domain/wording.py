"""A moment as plain text for operators: what a workflow shows as its current details in
the Temporal UI, and the English of the return policy's reasons in logs and the API."""

from datetime import datetime
from zoneinfo import ZoneInfo


def format_deadline(moment: datetime, timezone: str) -> str:
    """Returns `moment` as local date and time in `timezone`, e.g. "2026-11-23 18:00 CST"."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
