"""A fixed office calendar for tests of calendar arithmetic: Monday to Friday, 09:00-18:00
Beijing time, with a hand-written list of 2026 holidays and no make-up workdays. The tests
that use it are about how business time is counted, so its days must not move when the
official data does (`domain.official_calendars` has the official calendar)."""

from datetime import date

from domain.policy import CN_OFFICE_WEEK

OFFICE_2026 = CN_OFFICE_WEEK.model_copy(
    update={
        "name": "office-2026",
        "holidays": [
            date(2026, 1, 1),
            *(date(2026, 2, d) for d in range(16, 23)),
            date(2026, 4, 6),
            *(date(2026, 5, d) for d in range(1, 6)),
            date(2026, 6, 19),
            *(date(2026, 10, d) for d in range(1, 8)),
            date(2027, 1, 1),
        ],
    }
)
