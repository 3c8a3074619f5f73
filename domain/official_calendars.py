"""Business calendars with a country's official holidays, from the `holidays` package.

Kept out of `domain.policy` (which workflows import): the package loads every country's
rules, and a calendar reaches a workflow as data anyway, in the routing activity's result.
Where a country moves working days onto weekends around its long holidays (China's 调休),
those days come in as make-up workdays: a calendar with the holidays alone would count the
Saturday before Spring Festival as a day off and promise answers a day late.
"""

from collections.abc import Iterable
from datetime import date

import holidays

from domain.calendar import BusinessCalendar
from domain.office_weeks import OFFICE_WEEKS
from domain.policy import CN_OFFICE_WEEK


def official_calendar(
    base: BusinessCalendar,
    country: str,
    years: Iterable[int],
    *,
    subdivision: str | None = None,
) -> BusinessCalendar:
    """Returns `base` with `country`'s official holidays in `years` added to its own, and
    the weekend days the country works instead (if any) as make-up workdays."""
    wanted = set(years)
    official = holidays.country_holidays(country, subdiv=subdivision, years=sorted(wanted))
    days_off = {day for day in official if day.year in wanted}
    # Only some countries' rules know of weekend workdays; the others have none.
    worked = {day for day in getattr(official, "weekend_workdays", ()) if day.year in wanted}
    return base.model_copy(
        update={
            "holidays": sorted(set(base.holidays) | days_off),
            "workdays": sorted((set(base.workdays) | worked) - days_off),
        }
    )


# The languages the `holidays` package names China's holidays in, by the console's locales.
_HOLIDAY_LANGUAGES = {"zh-CN": "zh_CN", "en": "en_US"}


def office_calendar(office: str, years: Iterable[int]) -> BusinessCalendar:
    """Returns the office week `office` names with its country's official holidays and
    make-up workdays in `years`; raises KeyError for an office week there is not."""
    week, country = OFFICE_WEEKS[office]
    return official_calendar(week, country, years)


def holiday_names(country: str, years: Iterable[int], locale: str) -> dict[date, str]:
    """Returns the official holidays of `country` in `years` by date, named in `locale`
    (zh-CN or en; English for others)."""
    language = _HOLIDAY_LANGUAGES.get(locale, "en_US")
    wanted = sorted(set(years))
    official = holidays.country_holidays(country, years=wanted, language=language)
    return {day: name for day, name in official.items() if day.year in wanted}


# The mainland office week with its official holidays and make-up workdays.
CN_OFFICE_HOURS = official_calendar(CN_OFFICE_WEEK, "CN", years=range(2026, 2028))
