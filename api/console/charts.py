"""Charts as inline SVG, drawn on the server: no script, no chart library, no build step.

Every function here is pure: it takes numbers and the words to show, and returns markup.
All text reaches the SVG through `markupsafe` (`Markup.format` escapes its arguments),
because labels are data: a region or a SKU is whatever the shop platform sent. Each chart
is a `role="img"` with an accessible name and a text summary, and every bar carries a
`<title>`, which browsers show on hover. Colours come from console.css (the pages' CSP
allows no inline styles), so the markup only names classes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, floor, log10

from markupsafe import Markup

FONT_SIZE = 12
# Roughly how wide a glyph is, in ems: CJK glyphs are square, Latin ones narrower.
LATIN_EM = 0.6
WIDE_EM = 1.0

# Horizontal bars: the label column, the bars, then the value.
BARS_WIDTH = 480
BARS_LABEL_WIDTH = 150
BARS_VALUE_WIDTH = 80
BAR_ROW_HEIGHT = 22
BAR_THICKNESS = 14

# Stacked columns over time.
COLUMNS_WIDTH = 720
COLUMNS_HEIGHT = 240
AXIS_WIDTH = 36
LEGEND_HEIGHT = 22
X_LABEL_HEIGHT = 22
X_LABEL_WIDTH = 44
COLUMN_FILL = 0.7

# Small bars: a rate meter beside a headline figure, and a bar inside a table cell.
METER_WIDTH = 160
METER_HEIGHT = 10
INLINE_WIDTH = 80
INLINE_HEIGHT = 8


@dataclass(frozen=True)
class Bar:
    """One bar: what it counts, its value, the value as shown, and the hover text."""

    label: str
    value: float
    shown: str
    hover: str


@dataclass(frozen=True)
class Series:
    """One layer of stacked columns (a tier, a channel) and the class that colours it."""

    label: str
    css_class: str


@dataclass(frozen=True)
class Column:
    """One time bucket: its axis label, its hover text and a value per series."""

    label: str
    hover: str
    values: tuple[float, ...]


def text_width(text: str) -> float:
    """Returns about how wide `text` is drawn, in pixels at the charts' font size."""
    ems = sum(WIDE_EM if ord(char) >= 0x2E80 else LATIN_EM for char in text)
    return ems * FONT_SIZE


def fit_text(text: str, width: float) -> str:
    """Returns `text`, cut with an ellipsis when it is wider than `width` pixels."""
    if text_width(text) <= width:
        return text
    kept = text
    while kept and text_width(kept + "…") > width:
        kept = kept[:-1]
    return kept + "…"


def nice_ceiling(value: float) -> float:
    """Returns a round top for an axis at or above `value`: 1, 2 or 5 times a power of 10."""
    if value <= 0:
        return 1
    magnitude = 10 ** floor(log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)  # unreachable: 10 * magnitude always covers value


def _number(value: float) -> str:
    """Returns a coordinate without a trailing `.0` or float noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open_svg(width: float, height: float, title: str, summary: str, css_class: str) -> Markup:
    return Markup(
        '<svg class="chart {}" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>'
    ).format(css_class, _number(width), _number(height), title, title, summary)


def no_data(
    title: str, empty_text: str, *, width: float = BARS_WIDTH, height: float = 60
) -> Markup:
    """Returns a chart frame that says there is nothing to show (still a valid SVG)."""
    return _open_svg(width, height, title, empty_text, "empty") + Markup(
        '<rect class="empty-frame" x="0.5" y="0.5" width="{}" height="{}" rx="6"/>'
        '<text class="empty-text" x="{}" y="{}" text-anchor="middle"'
        ' dominant-baseline="middle" font-size="{}">{}</text></svg>'
    ).format(
        _number(width - 1), _number(height - 1), _number(width / 2), _number(height / 2),
        FONT_SIZE, empty_text,
    )  # fmt: skip


def horizontal_bars(
    bars: Sequence[Bar],
    *,
    title: str,
    summary: str,
    empty_text: str,
    scale_max: float | None = None,
) -> Markup:
    """Returns one bar per row, longest for the largest value (or `scale_max`), each with
    its label on the left, its value on the right and its hover text."""
    if not bars or max(bar.value for bar in bars) <= 0:
        return no_data(title, empty_text)
    top = scale_max or max(bar.value for bar in bars)
    bar_area = BARS_WIDTH - BARS_LABEL_WIDTH - BARS_VALUE_WIDTH
    height = len(bars) * BAR_ROW_HEIGHT + 4
    parts = [_open_svg(BARS_WIDTH, height, title, summary, "bars")]
    for row, bar in enumerate(bars):
        y = 2 + row * BAR_ROW_HEIGHT
        middle = y + BAR_ROW_HEIGHT / 2
        length = bar_area * min(bar.value, top) / top if top > 0 else 0
        parts.append(
            Markup(
                '<g class="bar-row"><title>{}</title>'
                '<rect class="hit" x="0" y="{}" width="{}" height="{}"/>'
                '<text class="bar-label" x="{}" y="{}" text-anchor="end"'
                ' dominant-baseline="middle" font-size="{}">{}</text>'
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" rx="2"/>'
                '<text class="bar-value" x="{}" y="{}" dominant-baseline="middle"'
                ' font-size="{}">{}</text></g>'
            ).format(
                bar.hover,
                _number(y),
                BARS_WIDTH,
                BAR_ROW_HEIGHT,
                BARS_LABEL_WIDTH - 8,
                _number(middle),
                FONT_SIZE,
                fit_text(bar.label, BARS_LABEL_WIDTH - 12),
                BARS_LABEL_WIDTH,
                _number(middle - BAR_THICKNESS / 2),
                _number(length),
                BAR_THICKNESS,
                _number(BARS_LABEL_WIDTH + length + 6),
                _number(middle),
                FONT_SIZE,
                bar.shown,
            )  # fmt: skip
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _legend(series: Sequence[Series]) -> Markup:
    parts = []
    x = float(AXIS_WIDTH)
    for layer in series:
        parts.append(
            Markup(
                '<rect class="seg {}" x="{}" y="4" width="10" height="10" rx="2"/>'
                '<text class="legend" x="{}" y="9" dominant-baseline="middle"'
                ' font-size="{}">{}</text>'
            ).format(layer.css_class, _number(x), _number(x + 14), FONT_SIZE, layer.label)
        )
        x += 14 + text_width(layer.label) + 16
    return Markup("").join(parts)


def _y_axis(top: float, plot_top: float, plot_height: float) -> Markup:
    ticks = [0.0, top / 2, top] if (top / 2).is_integer() else [0.0, top]
    parts = []
    for tick in ticks:
        y = plot_top + plot_height - plot_height * tick / top
        parts.append(
            Markup(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="axis" x="{}" y="{}" text-anchor="end" dominant-baseline="middle"'
                ' font-size="{}">{}</text>'
            ).format(
                AXIS_WIDTH,
                COLUMNS_WIDTH,
                _number(y),
                _number(y),
                AXIS_WIDTH - 6,
                _number(y),
                FONT_SIZE - 1,
                f"{tick:g}",
            )  # fmt: skip
        )
    return Markup("").join(parts)


def stacked_columns(
    columns: Sequence[Column],
    series: Sequence[Series],
    *,
    title: str,
    summary: str,
    empty_text: str,
) -> Markup:
    """Returns one column per time bucket, stacked by series (first series at the bottom),
    with a legend, a y axis from zero and as many x labels as fit without overlapping."""
    totals = [sum(column.values) for column in columns]
    if not columns or max(totals) <= 0:
        return no_data(title, empty_text, width=COLUMNS_WIDTH, height=COLUMNS_HEIGHT / 2)
    top = nice_ceiling(max(totals))
    plot_top = LEGEND_HEIGHT + 6.0
    plot_height = COLUMNS_HEIGHT - plot_top - X_LABEL_HEIGHT
    band = (COLUMNS_WIDTH - AXIS_WIDTH) / len(columns)
    label_every = max(1, ceil(X_LABEL_WIDTH / band))
    parts = [
        _open_svg(COLUMNS_WIDTH, COLUMNS_HEIGHT, title, summary, "columns"),
        _legend(series),
        _y_axis(top, plot_top, plot_height),
    ]
    baseline = plot_top + plot_height
    for index, column in enumerate(columns):
        x = AXIS_WIDTH + index * band
        parts.append(
            Markup('<g class="column"><title>{}</title>'
                   '<rect class="hit" x="{}" y="{}" width="{}" height="{}"/>').format(
                column.hover, _number(x), _number(plot_top), _number(band), _number(plot_height)
            )
        )  # fmt: skip
        y = baseline
        for layer, value in zip(series, column.values, strict=True):
            if value <= 0:
                continue
            height = plot_height * value / top
            y -= height
            parts.append(
                Markup('<rect class="seg {}" x="{}" y="{}" width="{}" height="{}"/>').format(
                    layer.css_class,
                    _number(x + band * (1 - COLUMN_FILL) / 2),
                    _number(y),
                    _number(band * COLUMN_FILL),
                    _number(height),
                )
            )
        if index % label_every == 0:
            parts.append(
                Markup(
                    '<text class="axis" x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>'
                ).format(_number(x + band / 2), _number(baseline + 15), FONT_SIZE - 1, column.label)
            )
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def meter(rate: float | None, *, label: str, shown: str, tone: str = "neutral") -> Markup:
    """Returns a small bar filled to `rate` (0 to 1), for a headline figure; `tone` (good,
    bad, neutral) colours it. Without a rate the track stays empty."""
    filled = METER_WIDTH * min(max(rate or 0.0, 0.0), 1.0)
    return Markup(
        '<svg class="meter {}" viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
        ' aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<rect class="track" width="{}" height="{}" rx="5"/>'
        '<rect class="fill" width="{}" height="{}" rx="5"/></svg>'
    ).format(
        tone, METER_WIDTH, METER_HEIGHT, METER_WIDTH, METER_HEIGHT,
        f"{label}: {shown}", f"{label}: {shown}",
        METER_WIDTH, METER_HEIGHT, _number(filled), METER_HEIGHT,
    )  # fmt: skip


def inline_bar(value: float | None, scale_max: float, *, hover: str) -> Markup:
    """Returns a bar for a table cell, `value` of `scale_max` long. It is hidden from
    screen readers: the cell shows the same value as text."""
    share = min(max(value or 0.0, 0.0) / scale_max, 1.0) if scale_max > 0 else 0.0
    return Markup(
        '<svg class="inline-bar" viewBox="0 0 {} {}" width="{}" height="{}" aria-hidden="true"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<rect class="track" width="{}" height="{}" rx="3"/>'
        '<rect class="fill" width="{}" height="{}" rx="3"/></svg>'
    ).format(
        INLINE_WIDTH, INLINE_HEIGHT, INLINE_WIDTH, INLINE_HEIGHT, hover,
        INLINE_WIDTH, INLINE_HEIGHT, _number(INLINE_WIDTH * share), INLINE_HEIGHT,
    )  # fmt: skip


def diverging_meter(
    value: float | None, *, low: float, high: float, label: str, shown: str
) -> Markup:
    """Returns a small bar from the zero line towards `value` on a scale from `low` to
    `high` (an NPS, -100 to 100): right and good when positive, left and bad below zero."""
    zero = METER_WIDTH * -low / (high - low)
    end = METER_WIDTH * (min(max(value or 0.0, low), high) - low) / (high - low)
    tone = "good" if (value or 0) >= 0 else "bad"
    return Markup(
        '<svg class="meter {}" viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
        ' aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<rect class="track" width="{}" height="{}" rx="5"/>'
        '<rect class="fill" x="{}" width="{}" height="{}"/>'
        '<line class="zero" x1="{}" x2="{}" y1="0" y2="{}"/></svg>'
    ).format(
        tone, METER_WIDTH, METER_HEIGHT + 4, METER_WIDTH, METER_HEIGHT + 4,
        f"{label}: {shown}", f"{label}: {shown}",
        METER_WIDTH, METER_HEIGHT + 4,
        _number(min(zero, end)), _number(abs(end - zero)), METER_HEIGHT + 4,
        _number(zero), _number(zero), METER_HEIGHT + 4,
    )  # fmt: skip
