"""Office weeks a team can take by name, each with the country whose official holidays and
make-up workdays come on top (`domain.official_calendars.office_calendar`).

Apart from `domain.official_calendars` so that naming them (the command line's choices)
does not load the `holidays` package.
"""

from domain.calendar import BusinessCalendar
from domain.policy import CN_OFFICE_WEEK

OFFICE_WEEKS: dict[str, tuple[BusinessCalendar, str]] = {"cn": (CN_OFFICE_WEEK, "CN")}
