"""return analytics: each return's facts and lines, their daily and monthly roll-ups,
and the units sold platforms report; filled from the returns already stored

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-12 12:00:00.000000
"""

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of what the app counted when this revision was written
# (`domain.return_analytics.return_facts`, `store.return_measures`): the backfill fills the
# tables as they are at this revision, whatever the app's code says later.
BUSINESS_TIMEZONE = ZoneInfo("Asia/Shanghai")
DIMENSIONS = ("reason", "root_cause", "outcome", "courier", "customer_tier", "verdict", "status")
VERDICTS = ("accepted", "partial", "damaged_by_customer", "wrong_item_returned")
MEASURES = (
    "returns", "units", "completed", "refunds", "refunded_cents", "exchanges",
    "store_credits", "store_credited_cents", "inspected", *VERDICTS,
    "claims_due", "claims_filed", "recovered_cents", "claims_due_paid_cents",
)  # fmt: skip
FACTS = (
    "return_id", "opened_at", "updated_at", "currency", *DIMENSIONS, "units",
    "refunded_cents", "store_credited_cents", "exchange_shipped", "carrier_at_fault",
    "claim_cents",
)  # fmt: skip
BATCH = 1000


def _clustered() -> dict[str, Any]:
    return {"sqlite_with_rowid": False}


def _create_tables() -> None:
    op.create_table(
        "return_facts",
        sa.Column("return_id", sa.String(length=64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("root_cause", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("courier", sa.String(length=64), nullable=True),
        sa.Column("customer_tier", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("refunded_cents", sa.BigInteger(), nullable=False),
        sa.Column("store_credited_cents", sa.BigInteger(), nullable=False),
        sa.Column("exchange_shipped", sa.Boolean(), nullable=False),
        sa.Column("carrier_at_fault", sa.Boolean(), nullable=False),
        sa.Column("claim_cents", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.return_id"],
            name=op.f("fk_return_facts_return_id_returns"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("return_id", name=op.f("pk_return_facts")),
    )  # fmt: skip
    op.create_index(
        "ix_return_facts_opened_at_return_id", "return_facts", ["opened_at", "return_id"]
    )
    op.create_table(
        "return_line_facts",
        sa.Column("return_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"], ["return_facts.return_id"],
            name=op.f("fk_return_line_facts_return_id_return_facts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("return_id", "sku", name=op.f("pk_return_line_facts")),
    )  # fmt: skip
    op.create_index(op.f("ix_return_line_facts_sku"), "return_line_facts", ["sku"])
    op.create_table(
        "return_period_counts",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *(
            sa.Column(name, sa.BigInteger() if name.endswith("_cents") else sa.Integer(),
                      nullable=False)
            for name in MEASURES
        ),
        sa.PrimaryKeyConstraint(
            "dimension", "period", "first_day", "value", "currency",
            name=op.f("pk_return_period_counts"),
        ),
        **_clustered(),
    )  # fmt: skip
    op.create_table(
        "units_sold",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sku", "period", "first_day", name=op.f("pk_units_sold")),
        **_clustered(),
    )


def _cents(amount: str | float | None) -> int:
    return int(Decimal(str(amount or 0)) * 100)


def _moment(text: str, *, naive: bool) -> datetime:
    """Returns an ISO 8601 moment in UTC as `store.types.UtcDateTime` writes it: naive on
    SQLite, whose rows are compared as text, aware elsewhere."""
    at = datetime.fromisoformat(text).astimezone(UTC)
    return at.replace(tzinfo=None) if naive else at


def _facts(view: dict[str, Any], *, naive: bool) -> tuple[dict[str, Any], dict[str, int]]:
    """Returns a stored view's facts row and its units per SKU."""
    request = view["request"]
    parcel = view.get("return_parcel") or view.get("outbound_parcel")
    lines: dict[str, int] = defaultdict(int)
    for line in request["lines"]:
        lines[line["sku"]] += int(line["quantity"])
    eligibility, inspection, claim = (
        view.get("eligibility"),
        view.get("inspection"),
        view.get("claim"),
    )
    reason = request["reason"]
    row = {
        "return_id": view["return_id"],
        "opened_at": _moment(view["created_at"], naive=naive),
        "updated_at": _moment(view["updated_at"], naive=naive),
        "currency": eligibility["currency"] if eligibility else None,
        "reason": reason,
        "root_cause": view.get("root_cause"),
        "outcome": view.get("outcome"),
        "courier": parcel["carrier"] if parcel else None,
        "customer_tier": request["customer"]["tier"],
        "status": view["status"],
        "verdict": inspection["verdict"] if inspection else None,
        "units": sum(lines.values()),
        "refunded_cents": _cents(view.get("refunded_total")),
        "store_credited_cents": _cents(view.get("store_credit_total")),
        "exchange_shipped": view.get("outcome") == "exchange"
        and view.get("outbound_parcel") is not None,
        "carrier_at_fault": view.get("last_tracking") == "lost" or reason == "damaged_in_transit",
        "claim_cents": _cents(claim["amount"]) if claim else None,
    }
    return row, dict(lines)


def _measures(row: dict[str, Any]) -> dict[str, int]:
    paid = row["refunded_cents"] + row["store_credited_cents"]
    due = row["carrier_at_fault"] and (paid > 0 or row["exchange_shipped"])
    return {
        "returns": 1,
        "units": row["units"],
        "completed": int(row["status"] == "completed"),
        "refunds": int(row["refunded_cents"] > 0),
        "refunded_cents": row["refunded_cents"],
        "exchanges": int(row["exchange_shipped"]),
        "store_credits": int(row["store_credited_cents"] > 0),
        "store_credited_cents": row["store_credited_cents"],
        "inspected": int(row["verdict"] is not None),
        **{verdict: int(row["verdict"] == verdict) for verdict in VERDICTS},
        "claims_due": int(due),
        "claims_filed": int(row["claim_cents"] is not None),
        "recovered_cents": row["claim_cents"] or 0,
        "claims_due_paid_cents": paid if due else 0,
    }


def _stored_views(connection: Any) -> Iterator[list[dict[str, Any]]]:
    returns = sa.table("returns", sa.column("return_id"), sa.column("view_json"))
    last = ""
    while True:
        batch = connection.execute(
            sa.select(returns.c.return_id, returns.c.view_json)
            .where(returns.c.return_id > last)
            .order_by(returns.c.return_id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        last = batch[-1][0]
        yield [json.loads(view_json) for _, view_json in batch]


def _backfill() -> None:
    """Writes the facts of every return stored, and adds them up into the roll-ups."""
    connection = op.get_bind()
    naive = connection.dialect.name == "sqlite"
    facts = sa.table("return_facts", *map(sa.column, FACTS))
    lines = sa.table("return_line_facts", *map(sa.column, ("return_id", "sku", "units")))
    counts: dict[tuple[str, str, date, str, str], dict[str, int]] = {}
    for views in _stored_views(connection):
        rows, line_rows = [], []
        for view in views:
            row, units = _facts(view, naive=naive)
            rows.append(row)
            line_rows += [
                {"return_id": row["return_id"], "sku": sku, "units": n} for sku, n in units.items()
            ]
            _count(counts, row, units)
        connection.execute(facts.insert(), rows)
        if line_rows:
            connection.execute(lines.insert(), line_rows)
    if counts:
        columns = ("dimension", "period", "first_day", "value", "currency", *MEASURES)
        table = sa.table("return_period_counts", *map(sa.column, columns))
        connection.execute(
            table.insert(),
            [dict(zip(columns[:5], key, strict=True)) | sums for key, sums in counts.items()],
        )


def _count(
    counts: dict[tuple[str, str, date, str, str], dict[str, int]],
    row: dict[str, Any],
    units: dict[str, int],
) -> None:
    opened = row["opened_at"].replace(tzinfo=row["opened_at"].tzinfo or UTC)
    day = opened.astimezone(BUSINESS_TIMEZONE).date()
    measures = _measures(row)
    currency = row["currency"] or ""
    values = [("all", ""), *((name, row[name] or "") for name in DIMENSIONS)]
    for period, first_day in (("day", day), ("month", day.replace(day=1))):
        keyed = [((d, period, first_day, v, currency), measures) for d, v in values]
        keyed += [
            (("sku", period, first_day, sku, currency), measures | {"units": n})
            for sku, n in units.items()
        ]
        for key, sums in keyed:
            totals = counts.setdefault(key, dict.fromkeys(MEASURES, 0))
            for name, n in sums.items():
                totals[name] += n


def upgrade() -> None:
    _create_tables()
    _backfill()


def downgrade() -> None:
    op.drop_table("units_sold")
    op.drop_table("return_period_counts")
    op.drop_index(op.f("ix_return_line_facts_sku"), table_name="return_line_facts")
    op.drop_table("return_line_facts")
    op.drop_index("ix_return_facts_opened_at_return_id", table_name="return_facts")
    op.drop_table("return_facts")
