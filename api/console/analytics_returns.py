"""The analytics page's returns section: returns over time by outcome, return rates,
settlements, carrier claims and inspections for the days shown, in the page's language.

`read_return_reports` asks `store.return_analytics` (what `/analytics/returns/*` serves);
`build_returns_view` is pure, reports and a language in, words and SVG out. Returns are
counted over the page's days; of its filters only the customer tier applies to them (the
others describe complaints). SKUs and carriers are data and are shown as stored, escaped
by `charts`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from markupsafe import Markup
from sqlmodel import Session

from api.console import charts
from api.console.analytics_figures import ChartBlock, Figure, Words
from api.console.analytics_filters import AnalyticsChoice
from api.console.analytics_view import (
    BARS_SHOWN,
    Layers,
    TrendWords,
    bars_block,
    trend_chart,
)
from core.wording.formats import format_money
from domain.return_analytics import (
    CarrierClaims,
    ClaimRow,
    Inspections,
    MoneyTotal,
    ReturnDimension,
    ReturnFilter,
    ReturnRates,
    ReturnTrend,
    SettlementRow,
    Settlements,
)
from domain.returns import InspectionVerdict, ReturnOutcome
from store import return_analytics

# Each rate chart: the dimension, the label family naming its values (None: shown as
# stored), and the chart's title.
RATE_CHARTS: tuple[tuple[ReturnDimension, str | None, str], ...] = (
    (ReturnDimension.SKU, None, "returns_by_sku"),
    (ReturnDimension.REASON, "return_reason", "returns_by_reason"),
    (ReturnDimension.ROOT_CAUSE, "root_cause", "returns_by_root_cause"),
)
TABLE_ROWS = 10
# Returns over time, stacked by how each was settled (refunds at the bottom); returns not
# settled (open, rejected, cancelled) on top.
OUTCOME_LAYERS: Layers = ("return_outcome", list(ReturnOutcome))
RETURN_TREND = TrendWords(
    title="returns_trend_title",
    total="returns_trend_series",
    day_hover="returns_day_hover",
    week_hover="returns_week_hover",
    summary="returns_trend_summary",
    no_value="returns_not_settled",
)


@dataclass(frozen=True)
class ReturnReports:
    """Everything the returns section shows, as `store.return_analytics` answered it."""

    rates: dict[ReturnDimension, ReturnRates]
    settlements: Settlements
    claims: CarrierClaims
    inspections: Inspections
    trend: ReturnTrend


@dataclass(frozen=True)
class SettlementLine:
    """One reason's row of the settlements table."""

    key: str
    returns: int
    returns_bar: Markup
    refunds: int
    refunded: str
    exchanges: int
    store_credits: int
    store_credited: str


@dataclass(frozen=True)
class ClaimLine:
    """One carrier's row of the claims table."""

    key: str
    claims_due: int
    claims_filed: int
    claim_rate: str
    claim_rate_bar: Markup
    recovered: str
    paid_out: str


@dataclass(frozen=True)
class ReturnsView:
    """What the returns section lays out, in the page's language."""

    figures: list[Figure]
    trend: Markup
    rates: list[ChartBlock]
    verdicts: ChartBlock
    settlements: list[SettlementLine]
    settlements_total: SettlementLine
    claims: list[ClaimLine]
    claims_total: ClaimLine
    applies: str


def return_filter(choice: AnalyticsChoice) -> ReturnFilter:
    """Returns the returns the page counts: its days, and its customer tier if chosen."""
    return ReturnFilter(
        since=choice.first_day,
        until=choice.last_day + timedelta(days=1),
        customer_tier=choice.filters.get("customer_tier"),
    )


def read_return_reports(session: Session, choice: AnalyticsChoice) -> ReturnReports:
    """Returns every report the returns section shows, for the page's days and filters."""
    chosen = return_filter(choice)
    return ReturnReports(
        rates={
            dimension: return_analytics.rates(session, chosen, dimension)
            for dimension, _, _ in RATE_CHARTS
        },
        settlements=return_analytics.settlements(session, chosen, ReturnDimension.REASON),
        claims=return_analytics.claims(session, chosen, ReturnDimension.COURIER),
        inspections=return_analytics.inspections(session, chosen, ReturnDimension.REASON),
        trend=return_analytics.trend(session, chosen, choice.bucket, ReturnDimension.OUTCOME),
    )


def money(totals: Sequence[MoneyTotal], words: Words) -> str:
    """Returns amounts in their currencies as the language writes them, or a dash."""
    if not totals:
        return words.t("no_value")
    return words.listing(format_money(t.amount, t.currency, words.language) for t in totals)


def rate_chart(report: ReturnRates, family: str | None, title: str, words: Words) -> ChartBlock:
    """Returns the groups with the most returns as bars, each with its return rate."""
    shown = report.rows[:BARS_SHOWN]
    bars = []
    for row in shown:
        name = words.name(family, row.key)
        rate = words.percent(row.return_rate)
        if row.units_sold is None:
            hover = words.t("returns_bar_unsold", label=name, n=row.returns, units=row.units)
        else:
            hover = words.t(
                "returns_bar_hover", label=name, n=row.returns, units=row.units,
                sold=row.units_sold, rate=rate,
            )  # fmt: skip
        bars.append(
            charts.Bar(label=name, value=row.returns, shown=f"{row.returns} · {rate}", hover=hover)
        )
    return bars_block(bars, title, words.t("returns_none"), len(report.rows), words)


def verdict_chart(report: Inspections, words: Words) -> ChartBlock:
    """Returns the inspection verdicts of every parcel inspected, as bars."""
    total = report.total
    counts = {
        InspectionVerdict.ACCEPTED: total.accepted,
        InspectionVerdict.PARTIAL: total.partial,
        InspectionVerdict.DAMAGED_BY_CUSTOMER: total.damaged_by_customer,
        InspectionVerdict.WRONG_ITEM_RETURNED: total.wrong_item_returned,
    }
    bars = []
    for verdict, count in counts.items():
        name = words.name("inspection_verdict", verdict)
        share = words.percent(count / total.inspected if total.inspected else None)
        hover = words.t("bar_hover", label=name, n=count, share=share)
        bars.append(charts.Bar(label=name, value=count, shown=f"{count} ({share})", hover=hover))
    block = bars_block(
        bars, words.t("returns_inspections"), words.t("returns_no_inspections"), 0, words
    )
    return replace(block, note=words.t("returns_inspected", n=total.inspected))


def _settlement_line(row: SettlementRow, most: int, words: Words) -> SettlementLine:
    name = words.name("return_reason", row.key) if row.key else words.t("returns_all_reasons")
    return SettlementLine(
        key=name,
        returns=row.returns,
        returns_bar=charts.inline_bar(
            row.returns, most, hover=words.t("pair", label=name, value=row.returns)
        ),
        refunds=row.refunds,
        refunded=money(row.refunded, words),
        exchanges=row.exchanges,
        store_credits=row.store_credits,
        store_credited=money(row.store_credited, words),
    )


def _claim_line(row: ClaimRow, words: Words) -> ClaimLine:
    name = words.name(None, row.key) if row.key else words.t("returns_all_carriers")
    rate = words.percent(row.claim_rate)
    return ClaimLine(
        key=name,
        claims_due=row.claims_due,
        claims_filed=row.claims_filed,
        claim_rate=rate,
        claim_rate_bar=charts.inline_bar(
            row.claim_rate, 1, hover=words.t("pair", label=name, value=rate)
        ),
        recovered=money(row.recovered, words),
        paid_out=money(row.paid_out, words),
    )


def _figures(reports: ReturnReports, words: Words) -> list[Figure]:
    rates = reports.rates[ReturnDimension.SKU]
    claims, inspected = reports.claims.total, reports.inspections.total
    if rates.units_sold is None:
        sold_note = words.t("returns_sold_unknown")
    else:
        sold_note = words.t("returns_units_of_sold", units=rates.units, sold=rates.units_sold)
    recovered = money(claims.recovered, words)
    shown = [
        ("returns_rate", rates.return_rate, "bad", sold_note),
        (
            "returns_claims_filed",
            claims.claim_rate,
            "good",
            words.t(
                "returns_claims_note",
                filed=claims.claims_filed,
                due=claims.claims_due,
                money=recovered,
            ),
        ),
        (
            "returns_accepted_in_full",
            inspected.accepted_rate,
            "neutral",
            words.t("returns_accepted_note", accepted=inspected.accepted, n=inspected.inspected),
        ),
    ]
    figures = [
        Figure(
            label=words.t("returns_in_period"),
            value=str(rates.returns),
            note=words.t("returns_units", n=rates.units),
            chart=Markup(""),
        )
    ]
    for key, rate, tone, note in shown:
        label, value = words.t(key), words.percent(rate)
        chart = charts.meter(rate, label=label, shown=value, tone=tone)
        figures.append(Figure(label=label, value=value, note=note, chart=chart))
    return figures


def build_returns_view(
    reports: ReturnReports, choice: AnalyticsChoice, words: Words
) -> ReturnsView:
    """Returns the returns section's figures, charts and tables in the words' language."""
    settled = reports.settlements
    most = max((row.returns for row in settled.rows), default=0)
    claims = reports.claims
    tier = choice.filters.get("customer_tier")
    applies = (
        words.t("returns_apply_tier", tier=words.name("customer_tier", tier))
        if tier
        else words.t("returns_apply")
    )
    return ReturnsView(
        figures=_figures(reports, words),
        trend=trend_chart(
            reports.trend, choice, words, layers=OUTCOME_LAYERS, wording=RETURN_TREND
        ),
        rates=[
            rate_chart(reports.rates[dimension], family, words.t(title_key), words)
            for dimension, family, title_key in RATE_CHARTS
        ],
        verdicts=verdict_chart(reports.inspections, words),
        settlements=[_settlement_line(row, most, words) for row in settled.rows[:TABLE_ROWS]],
        settlements_total=_settlement_line(settled.total, most, words),
        claims=[_claim_line(row, words) for row in claims.rows[:TABLE_ROWS]],
        claims_total=_claim_line(claims.total, words),
        applies=applies,
    )
