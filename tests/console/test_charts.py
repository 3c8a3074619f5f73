"""The analytics page's SVG charts: well-formed, proportional, escaped, readable on hover,
and a "no data" frame instead of a broken drawing when there is nothing to show."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from markupsafe import Markup

from api.console import charts
from api.console.analytics_figures import Words, score_lines
from api.console.analytics_filters import AnalyticsChoice
from api.console.analytics_view import breakdown_chart, time_buckets, trend_chart
from domain.analytics import (
    Breakdown,
    Bucket,
    CountRow,
    Dimension,
    Scope,
    Scoreboard,
    ScoreRow,
    Trend,
    TrendPoint,
)
from domain.taxonomy import Locale

SVG = "{http://www.w3.org/2000/svg}"
EMPTY = "Nothing here"


def _parsed(markup: Markup) -> ET.Element:
    """Returns the SVG as an XML tree (parsing fails on markup a browser would mangle)."""
    return ET.fromstring(str(markup))


def _rects(svg: ET.Element, css_class: str) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if css_class in rect.get("class", "").split()]


def _titles(svg: ET.Element) -> list[str]:
    return [title.text or "" for title in svg.iter(f"{SVG}title")]


def _bar(label: str, value: float) -> charts.Bar:
    return charts.Bar(label=label, value=value, shown=str(value), hover=f"{label}: {value}")


def test_bar_lengths_are_proportional_to_the_values() -> None:
    bars = [_bar("a", 10), _bar("b", 5), _bar("c", 2.5), _bar("d", 0)]

    svg = _parsed(charts.horizontal_bars(bars, title="T", summary="S", empty_text=EMPTY))

    widths = [float(rect.get("width", "")) for rect in _rects(svg, "bar")]
    assert widths[0] > 0
    assert [width / widths[0] for width in widths] == pytest.approx([1, 0.5, 0.25, 0])


def test_a_chart_names_itself_and_shows_each_value_on_hover() -> None:
    bars = [_bar("Logistics", 2), _bar("Payment", 1)]

    svg = _parsed(
        charts.horizontal_bars(bars, title="By category", summary="L 2", empty_text=EMPTY)
    )

    assert svg.get("role") == "img" and svg.get("aria-label") == "By category"
    assert _titles(svg) == ["By category", "Logistics: 2", "Payment: 1"]
    assert svg.find(f"{SVG}desc") is not None


@pytest.mark.parametrize("bars", [[], [_bar("a", 0), _bar("b", 0)]])
def test_no_bars_draw_a_no_data_frame(bars: list[charts.Bar]) -> None:
    svg = _parsed(charts.horizontal_bars(bars, title="T", summary="S", empty_text=EMPTY))

    assert EMPTY in "".join(svg.itertext())
    assert _rects(svg, "bar") == []
    assert "empty" in svg.get("class", "")


def test_no_columns_draw_a_no_data_frame() -> None:
    series = [charts.Series(label="All", css_class="series-0")]
    empty = [charts.Column(label="03-02", hover="0", values=(0.0,))]

    for columns in ([], empty):
        svg = _parsed(
            charts.stacked_columns(columns, series, title="T", summary="", empty_text=EMPTY)
        )
        assert EMPTY in "".join(svg.itertext())
        assert _rects(svg, "seg") == []


def test_labels_and_hover_texts_are_escaped_text_not_markup() -> None:
    nasty = '<b>x</b>" onmouseover="alert(1)'
    markup = charts.horizontal_bars(
        [charts.Bar(label=nasty, value=1, shown="1 <i>", hover=nasty)],
        title="<script>t</script>",
        summary=nasty,
        empty_text=EMPTY,
    )

    assert "<b>" not in markup and "<script>" not in markup and "<i>" not in markup
    svg = _parsed(markup)
    assert svg.find(f".//{SVG}b") is None and svg.get("onmouseover") is None
    assert nasty in _titles(svg)
    assert svg.get("aria-label") == "<script>t</script>"


def test_long_labels_are_cut_on_the_chart_and_whole_on_hover() -> None:
    long = "Customer misunderstanding of the product's care instructions"
    svg = _parsed(charts.horizontal_bars([_bar(long, 3)], title="T", summary="", empty_text=EMPTY))

    shown = next(t for t in svg.iter(f"{SVG}text") if "bar-label" in t.get("class", ""))
    assert shown.text and shown.text.endswith("…") and len(shown.text) < len(long)
    assert f"{long}: 3" in _titles(svg)
    assert charts.text_width("客服") > charts.text_width("ab")


def test_stacked_columns_stack_in_proportion_with_a_hover_per_column() -> None:
    series = [
        charts.Series(label="Critical", css_class="series-tier-critical"),
        charts.Series(label="General", css_class="series-tier-general"),
    ]
    columns = [
        charts.Column(label="03-02", hover="2026-03-02: 4", values=(1.0, 3.0)),
        charts.Column(label="03-03", hover="2026-03-03: 0", values=(0.0, 0.0)),
        charts.Column(label="03-04", hover="2026-03-04: 2", values=(2.0, 0.0)),
    ]

    svg = _parsed(charts.stacked_columns(columns, series, title="T", summary="", empty_text=EMPTY))

    critical = [float(r.get("height", "")) for r in _rects(svg, "series-tier-critical")]
    general = [float(r.get("height", "")) for r in _rects(svg, "series-tier-general")]
    # Legend swatches are 10 high; the segments follow the values 1, 2 (critical) and 3.
    assert critical[1:] == pytest.approx([critical[1], 2 * critical[1]])
    assert general[1:] == pytest.approx([3 * critical[1]])
    assert {"2026-03-02: 4", "2026-03-03: 0", "2026-03-04: 2"} <= set(_titles(svg))


def test_x_labels_thin_out_when_columns_are_narrow() -> None:
    series = [charts.Series(label="All", css_class="series-0")]
    columns = [charts.Column(label=f"d{i}", hover="", values=(1.0,)) for i in range(90)]

    svg = _parsed(charts.stacked_columns(columns, series, title="T", summary="", empty_text=EMPTY))

    labels = [t.text for t in svg.iter(f"{SVG}text") if (t.text or "").startswith("d")]
    assert 5 < len(labels) < 30 and labels[0] == "d0"


def test_meters_and_inline_bars_fill_to_their_share_and_stay_inside() -> None:
    half = _parsed(charts.meter(0.5, label="SLA met", shown="50%"))
    over = _parsed(charts.inline_bar(12, 10, hover="12"))
    nothing = _parsed(charts.meter(None, label="SLA met", shown="–"))
    nps = _parsed(charts.diverging_meter(-50, low=-100, high=100, label="NPS", shown="-50"))

    assert float(_rects(half, "fill")[0].get("width", "")) == charts.METER_WIDTH / 2
    assert float(_rects(over, "fill")[0].get("width", "")) == charts.INLINE_WIDTH
    assert float(_rects(nothing, "fill")[0].get("width", "")) == 0
    fill = _rects(nps, "fill")[0]
    assert float(fill.get("x", "")) == charts.METER_WIDTH / 4
    assert float(fill.get("width", "")) == charts.METER_WIDTH / 4
    assert half.get("aria-label") == "SLA met: 50%" and over.get("aria-hidden") == "true"


def test_nice_ceilings_round_the_axis_up() -> None:
    assert [charts.nice_ceiling(v) for v in (0, 1, 3, 7, 11, 240)] == [1, 1, 5, 10, 20, 500]


def test_a_breakdown_is_named_in_the_page_language() -> None:
    report = Breakdown(
        dimension=Dimension.CATEGORY,
        total=4,
        rows=[
            CountRow(key="logistics", count=3, share=0.75),
            CountRow(key=None, count=1, share=0.25),
        ],
    )

    block = breakdown_chart(report, "category", "按类别", Words(Locale.ZH_CN))

    titles = _titles(_parsed(block.chart))
    assert "物流：3 件（75%）" in titles and "未记录：1 件（25%）" in titles
    assert block.note == ""


def test_a_breakdown_shows_the_top_ten_and_says_so() -> None:
    rows = [CountRow(key=f"SKU-{i}", count=20 - i, share=0.05) for i in range(12)]
    report = Breakdown(dimension=Dimension.SKU, total=200, rows=rows)

    block = breakdown_chart(report, None, "Top", Words(Locale.EN))

    assert len(_rects(_parsed(block.chart), "bar")) == 10
    assert block.note == "The 10 largest of 12 values."


def test_the_trend_fills_quiet_days_and_weeks_with_zero() -> None:
    choice = AnalyticsChoice(
        first_day=date(2026, 3, 4), last_day=date(2026, 3, 10), bucket=Bucket.DAY, split="tier"
    )
    report = Trend(
        bucket=Bucket.DAY,
        split_by=Dimension.TIER,
        total=3,
        points=[
            TrendPoint(bucket=date(2026, 3, 4), key="general", count=2),
            TrendPoint(bucket=date(2026, 3, 9), key="critical", count=1),
        ],
    )

    svg = _parsed(trend_chart(report, choice, Words(Locale.EN)))

    titles = _titles(svg)
    assert "Complaints on 2026-03-05: 0" in titles
    assert "Complaints on 2026-03-04: 2 (General 2)" in titles
    assert len(_rects(svg, "hit")) == 7
    weekly = AnalyticsChoice(
        first_day=date(2026, 3, 4), last_day=date(2026, 3, 16), bucket=Bucket.WEEK, split="none"
    )
    assert time_buckets(weekly) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]


def test_scoreboard_bars_share_one_scale_per_column() -> None:
    row = {"closed": 1, "median_resolution_hours": 2.5, "csat_answers": 1}
    board = Scoreboard(
        scope=Scope.AGENT,
        rows=[
            ScoreRow(
                key="a1", complaints=4, sla_met_rate=1.0, csat_average=5.0, escalation_rate=0, **row
            ),
            ScoreRow(
                key="a2",
                complaints=2,
                sla_met_rate=0.5,
                csat_average=None,
                escalation_rate=None,
                **row,
            ),
        ],
    )

    first, second = score_lines(board, Words(Locale.EN))

    def fill(markup: Markup) -> float:
        return float(_rects(_parsed(markup), "fill")[0].get("width", ""))

    assert fill(second.complaints_bar) == fill(first.complaints_bar) / 2
    assert fill(second.sla_met_bar) == fill(first.sla_met_bar) / 2
    assert (first.csat, second.csat, first.median_resolution) == ("5 (1)", "–", "2.5 h")
