"""The analytics page's charts, in the page's language, made from the reports.

Pure: the reports (`store.analytics` results) and a language in, words and SVG out; the
route in `analytics_page` reads the store. Values with a name in `labels` (categories,
tiers, channels, root causes) are shown by that name; regions, SKUs, agents and teams
are data and are shown as they are stored, escaped by `charts`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from api.console import charts
from api.console.analytics_figures import (
    ChartBlock,
    Figure,
    ScoreLine,
    Words,
    satisfaction_figures,
    score_lines,
    service_figures,
    sla_targets,
)
from api.console.analytics_filters import AnalyticsChoice
from domain.analytics import (
    Breakdown,
    Bucket,
    Dimension,
    Satisfaction,
    Scoreboard,
    ServiceLevels,
    Trend,
)
from domain.return_analytics import ReturnTrend
from domain.taxonomy import Channel, CustomerTier, Locale, Tier

# Each breakdown chart: the dimension, the label family naming its values (None: shown
# as stored), and the chart's title.
BREAKDOWN_CHARTS: tuple[tuple[Dimension, str | None, str], ...] = (
    (Dimension.CATEGORY, "category", "chart_by_category"),
    (Dimension.SUB_CATEGORY, "sub_category", "chart_by_sub_category"),
    (Dimension.ROOT_CAUSE, "root_cause", "chart_by_root_cause"),
    (Dimension.REGION, None, "chart_by_region"),
    (Dimension.SKU, None, "chart_by_sku"),
    (Dimension.CHANNEL, "channel", "chart_by_channel"),
    (Dimension.CUSTOMER_TIER, "customer_tier", "chart_by_customer_tier"),
)
BARS_SHOWN = 10
# The trend's layers in a fixed order (the most severe at the bottom) with fixed colours,
# so a tier keeps its colour whichever filters are on.
SPLIT_ORDER: dict[Dimension, tuple[str, list[str]]] = {
    Dimension.TIER: ("tier", [Tier.CRITICAL, Tier.SERIOUS, Tier.GENERAL]),
    Dimension.CHANNEL: ("channel", list(Channel)),
    Dimension.CUSTOMER_TIER: (
        "customer_tier",
        [CustomerTier.VIP, CustomerTier.REGULAR, CustomerTier.NEW],
    ),
}
PALETTE_SIZE = 6


@dataclass(frozen=True)
class AnalyticsReports:
    """Everything the page shows, as `store.analytics` answered it."""

    previous_total: int
    trend: Trend
    breakdowns: dict[Dimension, Breakdown]
    service: ServiceLevels
    satisfaction: Satisfaction
    agents: Scoreboard
    teams: Scoreboard


@dataclass(frozen=True)
class AnalyticsView:
    """What the template lays out, in the page's language."""

    total: Figure
    trend: Markup
    breakdowns: list[ChartBlock]
    rates: list[Figure]
    durations: list[ChartBlock]
    sla_targets: str
    satisfaction: list[Figure]
    csat: ChartBlock
    agents: list[ScoreLine]
    agents_total: int
    teams: list[ScoreLine]
    regions: list[str]


def breakdown_chart(report: Breakdown, family: str | None, title: str, words: Words) -> ChartBlock:
    """Returns the largest values of one dimension as bars, with their counts and shares."""
    shown = report.rows[:BARS_SHOWN]
    bars = []
    for row in shown:
        name = words.name(family, row.key)
        share = words.percent(row.share)
        hover = words.t("bar_hover", label=name, n=row.count, share=share)
        bars.append(
            charts.Bar(label=name, value=row.count, shown=f"{row.count} ({share})", hover=hover)
        )
    return bars_block(bars, title, words.t("no_data"), len(report.rows), words)


def bars_block(
    bars: list[charts.Bar], title: str, empty_text: str, values: int, words: Words
) -> ChartBlock:
    """Returns the bars as a titled chart, saying under it when they are the largest
    BARS_SHOWN of `values` values."""
    summary = words.listing(words.t("pair", label=bar.label, value=bar.value) for bar in bars)
    chart = charts.horizontal_bars(bars, title=title, summary=summary, empty_text=empty_text)
    more = values > BARS_SHOWN
    note = words.t("more_values", shown=BARS_SHOWN, total=values) if more else ""
    return ChartBlock(title=title, chart=chart, note=note)


def time_buckets(choice: AnalyticsChoice) -> list[date]:
    """Returns the first day of every day or week the page covers, empty ones included
    (weeks start on Monday, as the reports count them)."""
    step = 7 if choice.bucket is Bucket.WEEK else 1
    start = choice.first_day - timedelta(days=choice.first_day.weekday() if step == 7 else 0)
    return [
        start + timedelta(days=offset)
        for offset in range(0, (choice.last_day - start).days + 1, step)
    ]


@dataclass(frozen=True)
class TrendWords:
    """The catalogue keys a trend chart is worded with: its title, its one series when it
    is not split, a column's hover by day and by week, its summary, and the name of the
    layer of cases without a value."""

    title: str = "section_trend"
    total: str = "series_total"
    day_hover: str = "day_hover"
    week_hover: str = "week_hover"
    summary: str = "trend_summary"
    no_value: str = "not_recorded"


# How the complaints' trend is worded (the returns' is in `analytics_returns`).
COMPLAINT_TREND = TrendWords()
# The layers of a split trend: the label family naming them, and their order (each
# value's place keeps its colour whichever filters are on).
Layers = tuple[str, list[str]]


def _trend_series(
    report: Trend | ReturnTrend, layers: Layers | None, wording: TrendWords, words: Words
) -> tuple[list[str | None], list[charts.Series]]:
    if report.split_by is None or layers is None:
        return [None], [charts.Series(label=words.t(wording.total), css_class="series-0")]
    family, order = layers
    present = {point.key for point in report.points}
    keys: list[str | None] = [key for key in order if key in present]
    keys += sorted(key for key in present if key is not None and key not in order)
    keys += [None] if None in present else []
    series = []
    for key in keys:
        if key is None:
            css, label = "series-none", words.t(wording.no_value)
        elif family == "tier":
            css, label = f"series-tier-{key}", words.name(family, key)
        else:
            place = order.index(key) if key in order else len(order)
            css, label = f"series-{place % PALETTE_SIZE}", words.name(family, key)
        series.append(charts.Series(label=label, css_class=css))
    return keys, series


def trend_chart(
    report: Trend | ReturnTrend,
    choice: AnalyticsChoice,
    words: Words,
    *,
    layers: Layers | None = None,
    wording: TrendWords = COMPLAINT_TREND,
) -> Markup:
    """Returns cases per day or week as columns, stacked by the split's `layers` (the
    complaints' split order when none are given)."""
    if layers is None and isinstance(report, Trend) and report.split_by is not None:
        layers = SPLIT_ORDER[report.split_by]
    keys, series = _trend_series(report, layers, wording, words)
    counts = {
        (point.bucket, point.key if report.split_by else None): point.count
        for point in report.points
    }
    hover_key = wording.week_hover if choice.bucket is Bucket.WEEK else wording.day_hover
    columns = []
    for bucket in time_buckets(choice):
        values = tuple(float(counts.get((bucket, key), 0)) for key in keys)
        total = int(sum(values))
        hover = words.t(hover_key, when=bucket.isoformat(), n=total)
        if report.split_by is not None and total:
            parts = (
                words.t("pair", label=layer.label, value=int(value))
                for layer, value in zip(series, values, strict=True)
                if value
            )
            hover = words.t("hover_parts", total=hover, parts=words.listing(parts))
        columns.append(charts.Column(label=bucket.strftime("%m-%d"), hover=hover, values=values))
    busiest_day, busiest = max(
        zip(time_buckets(choice), columns, strict=True),
        key=lambda pair: sum(pair[1].values),
    )
    summary = words.t(
        wording.summary,
        total=report.total,
        bucket=words.t(f"bucket_name_{choice.bucket.value}"),
        when=busiest_day.isoformat(),
        n=int(sum(busiest.values)),
    )
    title = words.t(wording.title)
    return charts.stacked_columns(
        columns, series, title=title, summary=summary, empty_text=words.t("no_data")
    )


def build_view(
    reports: AnalyticsReports, choice: AnalyticsChoice, language: Locale
) -> AnalyticsView:
    """Returns the page's figures and charts in `language`."""
    words = Words(language)
    total, previous = reports.trend.total, reports.previous_total
    change = (
        f"{(total - previous) / previous * 100:+.0f}%" if previous else words.t("no_change_base")
    )
    rates, durations = service_figures(reports.service, words)
    satisfaction, csat = satisfaction_figures(reports.satisfaction, words)
    regions = reports.breakdowns[Dimension.REGION].rows
    return AnalyticsView(
        total=Figure(
            label=words.t("complaints_in_period"),
            value=str(total),
            note=words.t("previous_period", days=choice.days, n=previous, change=change),
            chart=Markup(""),
        ),
        trend=trend_chart(reports.trend, choice, words),
        breakdowns=[
            breakdown_chart(reports.breakdowns[dimension], family, words.t(title_key), words)
            for dimension, family, title_key in BREAKDOWN_CHARTS
        ],
        rates=rates,
        durations=durations,
        sla_targets=sla_targets(words),
        satisfaction=satisfaction,
        csat=csat,
        agents=score_lines(reports.agents, words),
        agents_total=len(reports.agents.rows),
        teams=score_lines(reports.teams, words),
        regions=sorted(row.key for row in regions if row.key is not None),
    )
