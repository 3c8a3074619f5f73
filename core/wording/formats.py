"""Dates, money and durations as people in each locale write them (Babel's CLDR data).

Pure functions of their arguments: the console, the customer pages and e-mail call them
with the reader's locale and time zone, and get the same words for the same values.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel.dates import format_datetime, get_date_format, get_datetime_format, get_time_format
from babel.numbers import format_currency
from babel.units import format_unit

from domain.taxonomy import Locale

# Babel names locales with an underscore.
BABEL_LOCALES: dict[Locale, BabelLocale] = {
    locale: BabelLocale.parse(locale.value, sep="-") for locale in Locale
}


def format_moment(moment: datetime, timezone: str, locale: Locale) -> str:
    """Returns `moment` as a date and a time to the minute in `timezone`, with the zone's
    offset, e.g. "2025年3月8日 18:00 +0800" or "March 8, 2025 at 6:00 PM +0800"."""
    babel_locale = BABEL_LOCALES[locale]
    date = get_date_format("long", babel_locale).pattern
    time = get_time_format("short", babel_locale).pattern + " xx"
    combined = str(get_datetime_format("long", babel_locale))
    pattern = combined.replace("{1}", date).replace("{0}", time)
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(timezone), locale=babel_locale)


def format_time_of_day(moment: datetime, timezone: str, locale: Locale) -> str:
    """Returns `moment` as a short date and time in `timezone`, for tables and timelines
    ("2025/3/8 18:00", "3/8/25, 6:00 PM")."""
    return format_datetime(moment, "short", tzinfo=ZoneInfo(timezone), locale=BABEL_LOCALES[locale])


def format_money(amount: Decimal | str, currency: str | None, locale: Locale) -> str:
    """Returns an amount in its currency as `locale` writes it ("¥350.00", "CN¥350.00");
    without a currency, the number alone."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        # Not a number: text a workflow formatted itself, shown as it came.
        return f"{amount} {currency or ''}".strip()
    if not currency:
        return f"{value:,.2f}"
    return format_currency(value, currency, locale=BABEL_LOCALES[locale])


def format_duration_part(count: int, unit: str, locale: Locale) -> str:
    """Returns `count` days, hours or minutes (`unit`) in the narrow form a board shows:
    "2d", "3h", "20m" or "2天", "3小时", "20分钟"."""
    return format_unit(count, f"duration-{unit}", length="narrow", locale=BABEL_LOCALES[locale])


def format_countdown(seconds: float, locale: Locale) -> str | None:
    """Returns a duration as people read it on a board, its two largest units: "2d 3h",
    "3h 20m", "45m"; None when it is under a minute (the catalogue words that)."""
    minutes = int(abs(seconds)) // 60
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        parts = [(days, "day"), (hours, "hour")]
    elif hours:
        parts = [(hours, "hour"), (mins, "minute")]
    elif mins:
        parts = [(mins, "minute")]
    else:
        return None
    return " ".join(
        format_duration_part(count, unit, locale)
        for index, (count, unit) in enumerate(parts)
        if count or index == 0
    )
