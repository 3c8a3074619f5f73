"""daily and monthly roll-ups of complaints for reports, filled from the rows stored

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 23:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of what the app counted when this revision was written (`store.measures`,
# `store.percentiles`, `domain.policy`): the backfill must fill the tables as they are at
# this revision, whatever the app's code says later.
BUSINESS_TIMEZONE = "Asia/Shanghai"
BUSINESS_UTC_OFFSET = "+480 minutes"
DIMENSIONS = {
    "category": "category",
    "sub_category": "sub_category",
    "tier": "tier",
    "channel": "channel",
    "sku": "primary_sku",
    "region": "region",
    "customer_tier": "customer_tier",
    "root_cause": "root_cause",
    "team": "team",
    "agent": "assignee",
    "status": "status",
}
UNTIMED = {"sku"}
CLOCKS = {"first_response": "first_response_seconds", "resolution": "resolution_seconds"}

complaints = sa.table(
    "complaints",
    *(sa.column(name) for name in ("complaint_id", "created_at", *DIMENSIONS.values())),
    sa.column("escalation_level"),
    sa.column("sla_breached", sa.Boolean()),
    sa.column("auto_resolved", sa.Boolean()),
    sa.column("first_response_seconds", sa.Integer()),
    sa.column("first_response_breached", sa.Boolean()),
    sa.column("resolution_seconds", sa.Integer()),
    sa.column("resolution_breached", sa.Boolean()),
)
surveys = sa.table(
    "survey_responses",
    *(sa.column(name) for name in ("case_kind", "case_id", "sent_at", "answered_at")),
    sa.column("csat", sa.Integer()),
    sa.column("resolved", sa.Boolean()),
    sa.column("nps", sa.Integer()),
)


def _complaint_measures() -> dict[str, Any]:
    c = complaints.c
    return {
        "complaints": sa.true(),
        "closed": c.status == "closed",
        "breached": c.sla_breached.is_(True),
        "escalated": c.escalation_level != "agent",
        "auto_resolved": c.auto_resolved.is_(True),
        "responded": c.first_response_seconds.is_not(None),
        "responded_in_time": c.first_response_seconds.is_not(None) & ~c.first_response_breached,
        "resolved": c.resolution_seconds.is_not(None),
        "resolved_in_time": c.resolution_seconds.is_not(None) & ~c.resolution_breached,
    }


def _survey_measures() -> dict[str, Any]:
    s = surveys.c
    return {
        "surveys_sent": s.sent_at.is_not(None),
        "surveys_answered": s.answered_at.is_not(None),
        **{f"csat_{score}": s.csat == score for score in range(1, 6)},
        "resolved_answers": s.resolved.is_not(None),
        "resolved_yes": s.resolved.is_(True),
        "nps_answers": s.nps.is_not(None),
        "promoters": s.nps >= 9,
        "detractors": s.nps <= 6,
    }


def _count_where(condition: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _bucket_of(value: Any) -> Any:
    # 64 buckets per power of two, exact below 128, the last width from 2**25 up.
    def floor_to(octave: int) -> Any:
        width = 2 ** (octave - 6)
        return (value // width) * width

    whens = [(value < 128, value)]
    whens += [(value < 2 ** (octave + 1), floor_to(octave)) for octave in range(7, 26)]
    return sa.case(*whens, else_=floor_to(25))


def _opened_in(dialect: str, period: str) -> Any:
    """Returns the first day of the business day or month each complaint was opened in."""
    created = complaints.c.created_at
    if dialect == "postgresql":
        local = sa.func.timezone(BUSINESS_TIMEZONE, created)
        return sa.cast(sa.func.date_trunc(period, local), sa.Date)
    if period == "day":
        return sa.func.date(created, BUSINESS_UTC_OFFSET)
    return sa.func.strftime("%Y-%m-01", created, BUSINESS_UTC_OFFSET)


def _create_tables() -> None:
    measures = [*_complaint_measures(), *_survey_measures()]
    op.create_table(
        "complaint_period_counts",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in measures),
        sa.PrimaryKeyConstraint(
            "dimension", "period", "first_day", "value",
            name=op.f("pk_complaint_period_counts"),
        ),
        sqlite_with_rowid=False,
    )  # fmt: skip
    op.create_table(
        "complaint_period_durations",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("clock", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("bucket", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("complaints", sa.Integer(), nullable=False),
        sa.Column("total_seconds", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "clock", "period", "first_day", "value", "bucket",
            name=op.f("pk_complaint_period_durations"),
        ),
        sqlite_with_rowid=False,
    )  # fmt: skip


def _backfill() -> None:
    """Counts the complaints and surveys already stored into the new tables."""
    dialect = op.get_bind().dialect.name
    counts = sa.table("complaint_period_counts", *(sa.column(n) for n in _count_columns()))
    duration_columns = ["dimension", "clock", "period", "first_day", "value", "bucket"]
    duration_columns += ["complaints", "total_seconds"]
    durations = sa.table("complaint_period_durations", *map(sa.column, duration_columns))
    answers = (
        sa.select(
            surveys.c.case_id,
            *(_count_where(met).label(name) for name, met in _survey_measures().items()),
        )
        .where(surveys.c.case_kind == "complaint")
        .group_by(surveys.c.case_id)
        .subquery("answers")
    )
    with_answers = complaints.outerjoin(answers, answers.c.case_id == complaints.c.complaint_id)
    answered = [sa.func.coalesce(sa.func.sum(answers.c[n]), 0) for n in _survey_measures()]
    columns = {"all": None} | {name: complaints.c[column] for name, column in DIMENSIONS.items()}
    for period in ("day", "month"):
        first_day = _opened_in(dialect, period).label("first_day")
        for dimension, column in columns.items():
            value = sa.literal("") if column is None else sa.func.coalesce(column, "")
            value = value.label("value")
            per_period = (
                sa.select(
                    sa.literal(dimension), sa.literal(period), first_day, value,
                    *(_count_where(met) for met in _complaint_measures().values()),
                    *answered,
                )
                .select_from(with_answers)
                .group_by(first_day, value)
            )  # fmt: skip
            op.execute(counts.insert().from_select(_count_columns(), per_period))
            if dimension in UNTIMED:
                continue
            for clock, seconds_column in CLOCKS.items():
                seconds = complaints.c[seconds_column]
                bucket = _bucket_of(seconds).label("bucket")
                per_bucket = (
                    sa.select(
                        sa.literal(dimension), sa.literal(clock), sa.literal(period),
                        first_day, value, bucket, sa.func.count(), sa.func.sum(seconds),
                    )
                    .where(seconds.is_not(None))
                    .group_by(first_day, value, bucket)
                )  # fmt: skip
                op.execute(durations.insert().from_select(duration_columns, per_bucket))


def _count_columns() -> list[str]:
    return [
        "dimension",
        "period",
        "first_day",
        "value",
        *_complaint_measures(),
        *_survey_measures(),
    ]


def upgrade() -> None:
    _create_tables()
    _backfill()


def downgrade() -> None:
    op.drop_table("complaint_period_durations")
    op.drop_table("complaint_period_counts")
