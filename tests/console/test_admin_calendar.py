"""A team's business calendar in the console: China's official calendar previewed and
saved (October 2026: Golden Week off, 10 October worked, holidays named in both
languages), custom hours with a lunch break and holidays of the team's own, around the
clock; each save on the audit trail and used by routing. Refusals name the field and the
value with nothing saved; months outside the preview are refused; others get 403."""

import pytest

from domain.access import Role
from domain.calendar import BusinessCalendar, WorkingHours
from domain.official_calendars import office_calendar
from domain.policy import ALWAYS_OPEN
from store.teams import team_calendar
from tests.api.support import Api
from tests.console.admin_support import form_of, problem_on, send_form, trail
from tests.console.support import signed_in

CALENDAR = "/console/admin/teams/quality/calendar"
OCTOBER = f"{CALENDAR}?month=2026-10"
ADMIN = "ops-admin"


def calendar_of(api: Api, team: str = "quality") -> BusinessCalendar:
    with api.sessions() as session:
        return team_calendar(session, team=team)


def days(page: str, kind: str) -> list[str]:
    """Returns the dates the month view marks as `kind`, in order."""
    cells = page.split('<td class="day ')[1:]
    return [
        cell.split('data-day="')[1].split('"')[0]
        for cell in cells
        if f'data-kind="{kind}"' in cell.split(">")[0]
    ]


def cell(page: str, day: str) -> str:
    return page.split(f'data-day="{day}"')[1].split("</td>")[0]


def custom(**fields: str) -> dict[str, str]:
    week = {f"start_{d}": "09:00" for d in range(1, 6)} | {f"end_{d}": "12:00" for d in range(1, 6)}
    lunch = {f"start2_{d}": "13:30" for d in range(1, 6)} | {
        f"end2_{d}": "18:00" for d in range(1, 6)
    }
    return (
        {
            "kind": "custom",
            "timezone": "Asia/Shanghai",
            "holidays": "2026-12-24, 2026-12-31",
            "workdays": "2026-12-27",
            "years": "2026",
        }
        | week
        | lunch
        | fields
    )


@pytest.mark.both_stores
async def test_china_s_official_calendar_previewed_saved_and_shown_as_a_month(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        before = await admin.get(OCTOBER)
        form = form_of(before.text, CALENDAR, 0)
        preview = await admin.post(CALENDAR, data=form | {"years": "2026", "preview": "1"})
        unsaved = calendar_of(api)
        saved = await admin.post(CALENDAR, data=form | {"years": "2026", "reason": "office"})
        october = await admin.get(saved.headers["location"])
        resent = await admin.post(CALENDAR, data=form | {"years": "2026"})
        chinese = await admin.get(f"{OCTOBER}&lang=zh-CN")

    assert before.status_code == 200
    # Around the clock, every day is worked.
    assert len(days(before.text, "working")) == 31
    assert preview.status_code == 200 and "not saved yet" in preview.text
    assert days(preview.text, "holiday") == [f"2026-10-0{n}" for n in (1, 2, 3, 5, 6, 7)]
    assert unsaved == ALWAYS_OPEN
    assert saved.status_code == 303
    assert saved.headers["location"] == (
        f"{CALENDAR}?month=2026-10&done=calendar_set&subject=quality#month-view"
    )
    assert calendar_of(api) == office_calendar("cn", [2026])
    assert "Saved the calendar of quality" in october.text
    assert '<h2 id="month" tabindex="-1">October 2026</h2>' in october.text
    assert days(october.text, "holiday") == [f"2026-10-0{n}" for n in (1, 2, 3, 5, 6, 7)]
    assert days(october.text, "make_up") == ["2026-10-10"]
    assert "National Day" in cell(october.text, "2026-10-01")
    assert "Make-up working day" in cell(october.text, "2026-10-10")
    assert "09:00–18:00" in cell(october.text, "2026-10-10")
    assert "Day off" in cell(october.text, "2026-10-04")
    assert 'href="?month=2026-09#month-view" rel="prev"' in october.text
    assert 'href="?month=2026-11#month-view" rel="next"' in october.text
    assert resent.status_code == 303 and "done=already" in resent.headers["location"]
    assert "国庆节" in cell(chinese.text, "2026-10-01")
    assert "调休上班" in cell(chinese.text, "2026-10-10") and "2026年10月" in chinese.text
    [entry] = trail(api)
    assert (entry.action, entry.subject, entry.actor, entry.reason) == (
        "calendar_set",
        "quality",
        ADMIN,
        "office",
    )
    assert entry.detail.startswith("calendar=cn-office-hours timezone=Asia/Shanghai")


async def test_custom_hours_with_a_break_own_holidays_and_the_official_ones(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        page = (await admin.get(CALENDAR)).text
        form = form_of(page, CALENDAR, 1)
        saved = await admin.post(CALENDAR, data=form | custom(add_official="cn"))
        december = await admin.get(f"{CALENDAR}?month=2026-12")
        always = await send_form(admin, CALENDAR, CALENDAR, {"reason": "peak season"}, index=2)

    assert saved.status_code == 303, saved.text
    assert "custom-hours-cn-holidays" in december.text
    assert days(december.text, "holiday") == ["2026-12-24", "2026-12-31"]
    assert days(december.text, "make_up") == ["2026-12-27"]
    assert "09:00–12:00, 13:30–18:00" in cell(december.text, "2026-12-01")
    assert "Day off" in cell(december.text, "2026-12-05")
    # The custom form shows the team's own days apart from the official ones it holds.
    custom_form = december.text.split('value="custom"')[1].split("</form>")[0]
    assert ">2026-12-24\n2026-12-31</textarea>" in custom_form
    assert 'name="add_official" value="cn" checked' in custom_form
    assert always.status_code == 303
    assert calendar_of(api) == ALWAYS_OPEN
    actions = [(e.action, e.reason) for e in trail(api)]
    assert actions == [("calendar_set", "peak season"), ("calendar_set", "")]


async def test_custom_hours_are_what_routing_gives_new_complaints(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        saved = await send_form(admin, CALENDAR, CALENDAR, custom(), index=1)

    assert saved.status_code == 303
    calendar = calendar_of(api)
    assert calendar.name == "custom-hours" and calendar.timezone == "Asia/Shanghai"
    assert calendar.weekly_hours is not None and sorted(calendar.weekly_hours) == [1, 2, 3, 4, 5]
    assert [h.model_dump(mode="json") for h in calendar.weekly_hours[1]] == [
        WorkingHours.model_validate({"start": "09:00", "end": "12:00"}).model_dump(mode="json"),
        WorkingHours.model_validate({"start": "13:30", "end": "18:00"}).model_dump(mode="json"),
    ]


@pytest.mark.parametrize(
    ("fields", "refusal", "words"),
    [
        ({"start_1": "25:00"}, "admin_calendar_time_invalid", "Monday: “25:00” is not a time"),
        ({"end_2": ""}, "admin_calendar_hours_incomplete", "Tuesday: give both the start"),
        ({"end_3": "08:00"}, "admin_calendar_hours_order", "Wednesday: the hours must end"),
        ({"start2_4": "11:00"}, "admin_calendar_hours_overlap", "Thursday: the two intervals"),
        ({"timezone": "Mars/Olympus"}, "admin_calendar_timezone_invalid", "“Mars/Olympus”"),
        ({"holidays": "2026-13-01"}, "admin_calendar_holiday_invalid", "“2026-13-01” is not"),
        ({"workdays": "tomorrow"}, "admin_calendar_workday_invalid", "“tomorrow” is not a date"),
        ({"workdays": "2026-12-24"}, "admin_calendar_day_both", "2026-12-24 cannot be both"),
        (
            {
                f"{edge}{n}_{d}": ""
                for edge in ("start", "end")
                for n in ("", "2")
                for d in range(1, 8)
            },
            "admin_calendar_no_hours",
            "The week has no working hours",
        ),
        ({"add_official": "cn", "years": "1999"}, "admin_calendar_years_invalid", "“1999”"),
        ({"kind": "lunar"}, "admin_calendar_kind_invalid", "did not say which calendar"),
        ({"reason": "x" * 501}, "admin_reason_too_long", "at most 500 characters"),
    ],
)
async def test_a_refused_calendar_is_named_and_nothing_is_saved(
    api: Api, fields: dict[str, str], refusal: str, words: str
) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        answer = await send_form(admin, CALENDAR, CALENDAR, custom(**fields), index=1)

    assert answer.status_code == 422, answer.text
    assert problem_on(answer.text) == refusal
    assert words in answer.text
    # What was typed stays in the custom form.
    if fields.get("kind") is None:
        assert 'value="Asia/Shanghai"' in answer.text or "Mars/Olympus" in answer.text
    assert calendar_of(api) == ALWAYS_OPEN
    assert trail(api) == []


async def test_months_outside_the_preview_unknown_teams_and_agents(api: Api) -> None:
    async with signed_in(api, ADMIN, Role.ADMIN) as admin:
        bad = [
            await admin.get(f"{CALENDAR}?month={month}") for month in ("2026-13", "1999-12", "x")
        ]
        unknown = await admin.get("/console/admin/teams/no-such-team/calendar")
        official_years = await send_form(admin, CALENDAR, CALENDAR, {"years": "2026 soon"})
        chinese = await admin.get(f"{CALENDAR}?month=2026-13&lang=zh-CN")
    async with signed_in(api, "agent-1", Role.AGENT) as agent:
        forbidden = await agent.get(CALENDAR)

    for answer in bad:
        assert answer.status_code == 422
        assert problem_on(answer.text) == "admin_month_invalid"
        # The page still shows a month: this one.
        assert 'class="month"' in answer.text
    assert "“Month”: “2026-13” is not a month from 2000 to 2100." in bad[0].text
    assert unknown.status_code == 404 and "There is no such team." in unknown.text
    assert problem_on(official_years.text) == "admin_calendar_years_invalid"
    assert "“月份”：“2026-13”不是" in chinese.text
    assert forbidden.status_code == 403
    assert calendar_of(api) == ALWAYS_OPEN
