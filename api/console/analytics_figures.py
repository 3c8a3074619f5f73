"""The analytics page's headline figures: service levels, satisfaction and the
scoreboards, in the page's language, each with its small bar.

Pure, like `analytics_view`: reports and a language in, words and SVG out. `Words` holds
how numbers are written (percentages, hours, lists) so every figure writes them alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from api.console import charts
from api.console.labels import label
from api.console.messages import message
from domain.analytics import (
    DurationStats,
    Satisfaction,
    Scoreboard,
    ScoreRow,
    ServiceLevels,
)
from domain.policy import SLA_POLICIES
from domain.taxonomy import Locale, Tier

SCOREBOARD_ROWS = 25
CSAT_SCALE = 5
NPS_RANGE = (-100.0, 100.0)


@dataclass(frozen=True)
class Words:
    """The catalogue's sentences and the domain's names in one language, and numbers as
    people read them."""

    language: Locale

    def t(self, key: str, **values: object) -> str:
        """Returns the catalogue's sentence `key` with `values` filled in."""
        return message(self.language, key, **values)

    def name(self, family: str | None, value: str | None) -> str:
        """Returns a dimension value's name; stored data without a family as it is."""
        if value is None:
            return self.t("not_recorded")
        return label(self.language, family, value) if family else value

    def percent(self, rate: float | None) -> str:
        """Returns a share (0 to 1) as a percentage to a tenth, or a dash without one."""
        return self.t("no_value") if rate is None else f"{round(rate * 100, 1):g}%"

    def hours(self, value: float | None) -> str:
        """Returns a duration in hours, or a dash without one."""
        if value is None:
            return self.t("no_value")
        # Tenths of an hour are as fine as a weekly review reads durations.
        return self.t("hours_value", n=f"{round(value, 1):g}")

    def listing(self, items: Iterable[str]) -> str:
        """Returns `items` joined as the language lists things."""
        return self.t("list_separator").join(items)


@dataclass(frozen=True)
class Figure:
    """A headline number: its label, the value as shown, a note and a small bar."""

    label: str
    value: str
    note: str
    chart: Markup


@dataclass(frozen=True)
class ChartBlock:
    """A titled chart and the note under it."""

    title: str
    chart: Markup
    note: str = ""


@dataclass(frozen=True)
class ScoreLine:
    """One agent's or team's row of a scoreboard, each figure with its bar."""

    key: str
    complaints: int
    complaints_bar: Markup
    closed: int
    sla_met: str
    sla_met_bar: Markup
    median_resolution: str
    csat: str
    csat_bar: Markup
    escalated: str
    escalated_bar: Markup


def _duration_chart(stats: DurationStats, title_key: str, words: Words) -> ChartBlock:
    title = words.t(title_key)
    bars = [
        charts.Bar(
            label=words.t(key),
            value=value,
            shown=words.hours(value),
            hover=words.t("pair", label=words.t(key), value=words.hours(value)),
        )
        for key, value in (("median", stats.median_hours), ("p90", stats.p90_hours))
        if value is not None
    ]
    summary = words.listing(bar.hover for bar in bars)
    chart = charts.horizontal_bars(
        bars, title=title, summary=summary, empty_text=words.t("no_data")
    )
    return ChartBlock(title=title, chart=chart, note=words.t("measured", n=stats.measured))


def _rate(label_key: str, rate: float | None, tone: str, words: Words) -> Figure:
    name, shown = words.t(label_key), words.percent(rate)
    return Figure(
        label=name,
        value=shown,
        note="",
        chart=charts.meter(rate, label=name, shown=shown, tone=tone),
    )


def service_figures(levels: ServiceLevels, words: Words) -> tuple[list[Figure], list[ChartBlock]]:
    """Returns the SLA rates as figures with meters, and the time charts (median, p90)."""
    rates = [
        _rate("within_sla_first_response", levels.first_response.within_sla_rate, "good", words),
        _rate("within_sla_resolution", levels.resolution.within_sla_rate, "good", words),
        _rate("breach_rate", levels.sla_breach_rate, "bad", words),
        _rate("escalation_rate", levels.escalation_rate, "bad", words),
        _rate("auto_resolution_rate", levels.auto_resolution_rate, "neutral", words),
    ]
    durations = [
        _duration_chart(levels.first_response, "first_response", words),
        _duration_chart(levels.resolution, "resolution", words),
    ]
    return rates, durations


def sla_targets(words: Words) -> str:
    """Returns the policy's SLA deadlines per tier, the most severe first."""
    targets = (
        words.t(
            "sla_target",
            tier=words.name("tier", tier),
            first=words.hours(SLA_POLICIES[tier].first_response.total_seconds() / 3600),
            resolution=words.hours(SLA_POLICIES[tier].resolution.total_seconds() / 3600),
        )
        for tier in (Tier.CRITICAL, Tier.SERIOUS, Tier.GENERAL)
    )
    return words.t("sla_targets", targets=words.listing(targets))


def satisfaction_figures(answers: Satisfaction, words: Words) -> tuple[list[Figure], ChartBlock]:
    """Returns CSAT, response and resolved rates and NPS as figures, and the CSAT answers."""
    average = answers.csat_average
    csat_label = words.t("csat_average")
    csat_shown = (
        words.t("csat_of_five", n=f"{average:g}") if average is not None else words.t("no_value")
    )
    nps_label = words.t("nps")
    nps_shown = f"{answers.nps:+g}" if answers.nps is not None else words.t("no_value")
    low, high = NPS_RANGE
    figures = [
        Figure(
            label=csat_label,
            value=csat_shown,
            note=words.t("surveys_answered", answered=answers.answered, sent=answers.surveys_sent),
            chart=charts.meter(
                average / CSAT_SCALE if average is not None else None,
                label=csat_label,
                shown=csat_shown,
                tone="good",
            ),
        ),
        _rate("response_rate", answers.response_rate, "neutral", words),
        _rate("resolved_rate", answers.resolved_rate, "good", words),
        Figure(
            label=nps_label,
            value=nps_shown,
            note=words.t("nps_answers", n=answers.nps_answers),
            chart=charts.diverging_meter(
                answers.nps, low=low, high=high, label=nps_label, shown=nps_shown
            ),
        ),
    ]
    scored = sum(answers.csat_distribution.values())
    bars = []
    for score in range(CSAT_SCALE, 0, -1):
        count = answers.csat_distribution.get(score, 0)
        name = words.t("csat_score", n=score)
        share = words.percent(count / scored if scored else None)
        hover = words.t("bar_hover", label=name, n=count, share=share)
        bars.append(charts.Bar(label=name, value=count, shown=f"{count} ({share})", hover=hover))
    title = words.t("csat_distribution")
    summary = words.listing(words.t("pair", label=bar.label, value=bar.value) for bar in bars)
    chart = charts.horizontal_bars(
        bars, title=title, summary=summary, empty_text=words.t("no_data")
    )
    return figures, ChartBlock(title=title, chart=chart)


def score_lines(board: Scoreboard, words: Words) -> list[ScoreLine]:
    """Returns the scoreboard's busiest rows, each figure with a bar on its own scale."""
    rows = board.rows[:SCOREBOARD_ROWS]
    most = max((row.complaints for row in rows), default=0)
    return [_score_line(row, most, words) for row in rows]


def _score_line(row: ScoreRow, most: int, words: Words) -> ScoreLine:
    def hover(key: str, value: str) -> str:
        return words.t("pair", label=f"{row.key} · {words.t(key)}", value=value)

    sla_met, escalated = words.percent(row.sla_met_rate), words.percent(row.escalation_rate)
    csat = (
        f"{row.csat_average:g} ({row.csat_answers})"
        if row.csat_average is not None
        else words.t("no_value")
    )
    return ScoreLine(
        key=row.key,
        complaints=row.complaints,
        complaints_bar=charts.inline_bar(
            row.complaints, most, hover=hover("col_complaints", str(row.complaints))
        ),
        closed=row.closed,
        sla_met=sla_met,
        sla_met_bar=charts.inline_bar(row.sla_met_rate, 1, hover=hover("col_sla_met", sla_met)),
        median_resolution=words.hours(row.median_resolution_hours),
        csat=csat,
        csat_bar=charts.inline_bar(row.csat_average, CSAT_SCALE, hover=hover("col_csat", csat)),
        escalated=escalated,
        escalated_bar=charts.inline_bar(
            row.escalation_rate, 1, hover=hover("col_escalated", escalated)
        ),
    )
