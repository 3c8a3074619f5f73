"""Analytics over the complaint read model, the same answers on SQLite and PostgreSQL.

Each report adds up measures and reads duration histograms (`store.tallies`): from the
daily and monthly roll-ups when the filter and grouping name at most one dimension, so a
year costs a few hundred rows per dimension value, and from the complaints table
otherwise. Counting, grouping and bucketing happen in the database, never by loading
complaints into Python; percentiles come from histograms (`store.percentiles`), so every
store gives the same answer.
"""

from datetime import date

from sqlmodel import Session

from domain.analytics import (
    Breakdown,
    Bucket,
    ComplaintFilter,
    CountRow,
    Dimension,
    DurationStats,
    Satisfaction,
    Scope,
    Scoreboard,
    ScoreRow,
    ServiceLevels,
    Trend,
    TrendPoint,
)
from store.measures import CSAT_MEASURES, Clock
from store.percentiles import MEDIAN
from store.tallies import Key, Sums, counts_per_period, duration_percentiles, measure_sums

# Rows a breakdown returns at most (the long tail of SKUs adds nothing to a chart).
MAX_GROUPS = 100
SECONDS_PER_HOUR = 3600
SCOPES = {Scope.AGENT: Dimension.AGENT, Scope.TEAM: Dimension.TEAM}


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


def _hours(seconds: float | None) -> float | None:
    return round(seconds / SECONDS_PER_HOUR, 2) if seconds is not None else None


def _ranked(key: Key) -> tuple[bool, str]:
    # Ties in a ranking go alphabetically, with "no value" last, on every store.
    return (key is None, key or "")


def breakdown(
    session: Session, complaint_filter: ComplaintFilter, dimension: Dimension
) -> Breakdown:
    """Returns complaint counts per value of `dimension`, largest first."""
    counts = measure_sums(session, complaint_filter, ["complaints"], dimension)
    ranked = sorted(
        ((key, sums["complaints"]) for key, sums in counts.items()),
        key=lambda pair: (-pair[1], *_ranked(pair[0])),
    )
    total = sum(n for _, n in ranked)
    return Breakdown(
        dimension=dimension,
        total=total,
        rows=[
            CountRow(key=key, count=n, share=_rate(n, total) or 0.0)
            for key, n in ranked[:MAX_GROUPS]
        ],
    )


def trend(
    session: Session,
    complaint_filter: ComplaintFilter,
    bucket: Bucket,
    split_by: Dimension | None = None,
) -> Trend:
    """Returns complaint counts per time bucket, split by one dimension if asked."""
    points = trend_points(counts_per_period(session, complaint_filter, bucket, split_by))
    return Trend(
        bucket=bucket,
        split_by=split_by,
        total=sum(point.count for point in points),
        points=points,
    )


def trend_points(counts: dict[tuple[date, Key], int]) -> list[TrendPoint]:
    """Returns counts per (bucket, key) as a trend's points, oldest first."""
    ordered = sorted(counts, key=lambda period: (period[0], *_ranked(period[1])))
    return [TrendPoint(bucket=day, key=key, count=counts[day, key]) for day, key in ordered]


def _durations(measured: int, in_time: int, percentiles: list[float | None]) -> DurationStats:
    median, p90 = percentiles
    return DurationStats(
        measured=measured,
        median_hours=_hours(median),
        p90_hours=_hours(p90),
        within_sla_rate=_rate(in_time, measured),
    )


def service_levels(session: Session, complaint_filter: ComplaintFilter) -> ServiceLevels:
    """Returns first-response and resolution times (median, p90) against the SLA, and the
    breach, escalation and auto-resolution rates."""
    names = [
        "complaints", "breached", "escalated", "auto_resolved",
        "responded", "responded_in_time", "resolved", "resolved_in_time",
    ]  # fmt: skip
    sums = measure_sums(session, complaint_filter, names).get(None, dict.fromkeys(names, 0))
    first, resolution = (
        duration_percentiles(session, complaint_filter, clock).get(None, [None, None])
        for clock in (Clock.FIRST_RESPONSE, Clock.RESOLUTION)
    )
    n = sums["complaints"]
    return ServiceLevels(
        complaints=n,
        first_response=_durations(sums["responded"], sums["responded_in_time"], first),
        resolution=_durations(sums["resolved"], sums["resolved_in_time"], resolution),
        sla_breach_rate=_rate(sums["breached"], n),
        escalation_rate=_rate(sums["escalated"], n),
        auto_resolution_rate=_rate(sums["auto_resolved"], n),
    )


def _csat_average(sums: Sums) -> tuple[float | None, int]:
    """Returns the average CSAT and the number of answers, from the 1-5 counts."""
    answers = sum(sums[name] for name in CSAT_MEASURES.values())
    if not answers:
        return None, 0
    points = sum(score * sums[name] for score, name in CSAT_MEASURES.items())
    return round(points / answers, 2), answers


def satisfaction(session: Session, complaint_filter: ComplaintFilter) -> Satisfaction:
    """Returns CSAT, resolved rate and NPS from the surveys of the complaints counted."""
    names = [
        "surveys_sent", "surveys_answered", *CSAT_MEASURES.values(),
        "resolved_answers", "resolved_yes", "nps_answers", "promoters", "detractors",
    ]  # fmt: skip
    sums = measure_sums(session, complaint_filter, names).get(None, dict.fromkeys(names, 0))
    csat_average, _ = _csat_average(sums)
    n_nps = sums["nps_answers"]
    nps = round(100 * (sums["promoters"] - sums["detractors"]) / n_nps, 1) if n_nps else None
    return Satisfaction(
        surveys_sent=sums["surveys_sent"],
        answered=sums["surveys_answered"],
        response_rate=_rate(sums["surveys_answered"], sums["surveys_sent"]),
        csat_average=csat_average,
        csat_distribution={score: sums[name] for score, name in CSAT_MEASURES.items()},
        resolved_rate=_rate(sums["resolved_yes"], sums["resolved_answers"]),
        nps=nps,
        nps_answers=n_nps,
    )


def scoreboard(session: Session, complaint_filter: ComplaintFilter, scope: Scope) -> Scoreboard:
    """Returns per-agent or per-team volume, SLA met, median resolution time and CSAT."""
    group = SCOPES[scope]
    names = ["complaints", "closed", "breached", "escalated", *CSAT_MEASURES.values()]
    volume = measure_sums(session, complaint_filter, names, group)
    medians = duration_percentiles(
        session, complaint_filter, Clock.RESOLUTION, group, quantiles=(MEDIAN,)
    )
    rows = []
    for key, sums in volume.items():
        n = sums["complaints"]
        if key is None or not n:  # unassigned complaints are nobody's score
            continue
        csat_average, answers = _csat_average(sums)
        [median] = medians.get(key, [None])
        rows.append(
            ScoreRow(
                key=key,
                complaints=n,
                closed=sums["closed"],
                sla_met_rate=_rate(n - sums["breached"], n),
                median_resolution_hours=_hours(median),
                csat_average=csat_average,
                csat_answers=answers,
                escalation_rate=_rate(sums["escalated"], n),
            )
        )
    rows.sort(key=lambda row: (-row.complaints, row.key))
    return Scoreboard(scope=scope, rows=rows)
