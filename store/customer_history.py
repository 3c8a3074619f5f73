"""A customer's history with the shop, for the agent working one of their complaints: their
other complaints and returns (open ones first), their survey answers, and what they were
given back in the last twelve months.

Everything is read from the read models. Lists stop at `MAX_CASES_LISTED` each (a
customer with more is a reseller or an abuse case, and the counts say so); the twelve-month
totals read every complaint and return of the period, per currency, since a shop that sells
in two currencies cannot add them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from domain.compensation import CompensationKind
from domain.complaints import ComplaintStatus, ComplaintView
from domain.returns import ReturnStatus
from store.tables.complaints import ComplaintRecord
from store.tables.returns import ReturnRecord
from store.tables.surveys import SurveyRecord

MAX_CASES_LISTED = 20
TOTALS_PERIOD = timedelta(days=365)
# Returns in these states are over: listed after the open ones.
CLOSED_RETURN_STATUSES = frozenset(
    {ReturnStatus.COMPLETED.value, ReturnStatus.REJECTED.value, ReturnStatus.CANCELLED.value}
)


@dataclass(frozen=True)
class CaseLine:
    """One complaint or return of the customer, as the panel lists it."""

    case_id: str
    status: str
    created_at: datetime
    is_open: bool
    category: str | None = None
    refunded: Decimal = Decimal("0")
    currency: str | None = None


@dataclass(frozen=True)
class SurveyLine:
    """One survey the customer answered."""

    case_kind: str
    case_id: str
    csat: int | None
    nps: int | None
    comment: str | None
    low_score: bool
    answered_at: datetime | None


@dataclass
class GivenBack:
    """What the customer got in one currency over the period: refunds (complaints' and
    returns'), and other compensation (coupons, store credit, replacements' value)."""

    currency: str
    refunded: Decimal = Decimal("0")
    compensated: Decimal = Decimal("0")


@dataclass
class CustomerHistory:
    """The panel's content; `*_total` count every case, the lists the first few."""

    customer_id: str
    complaints: list[CaseLine] = field(default_factory=list)
    complaints_total: int = 0
    returns: list[CaseLine] = field(default_factory=list)
    returns_total: int = 0
    surveys: list[SurveyLine] = field(default_factory=list)
    given_back: list[GivenBack] = field(default_factory=list)


def customer_history(
    session: Session, *, customer_id: str, excluding_complaint: str | None, now: datetime
) -> CustomerHistory:
    """Returns `customer_id`'s other complaints and returns (open first, newest first),
    answered surveys (newest first) and what they were given back since a year before
    `now`."""
    history = CustomerHistory(customer_id=customer_id)
    history.complaints, history.complaints_total = _complaints(
        session, customer_id, excluding_complaint
    )
    history.returns, history.returns_total = _returns(session, customer_id)
    history.surveys = _surveys(session, customer_id)
    history.given_back = _given_back(session, customer_id, since=now - TOTALS_PERIOD)
    return history


def _complaints(
    session: Session, customer_id: str, excluding: str | None
) -> tuple[list[CaseLine], int]:
    mine = col(ComplaintRecord.customer_id) == customer_id
    other = col(ComplaintRecord.complaint_id) != excluding if excluding else True
    closed_last = case((col(ComplaintRecord.status) == ComplaintStatus.CLOSED.value, 1), else_=0)
    rows = session.exec(
        select(ComplaintRecord)
        .where(mine, other)
        .order_by(closed_last, col(ComplaintRecord.created_at).desc())
        .limit(MAX_CASES_LISTED)
    ).all()
    total = session.exec(select(func.count()).select_from(ComplaintRecord).where(mine, other)).one()
    lines = [
        CaseLine(
            case_id=row.complaint_id,
            status=row.status,
            created_at=row.created_at,
            is_open=row.status != ComplaintStatus.CLOSED.value,
            category=row.category,
            refunded=row.refunded_total,
            currency=row.currency,
        )
        for row in rows
    ]
    return lines, total


def _returns(session: Session, customer_id: str) -> tuple[list[CaseLine], int]:
    mine = col(ReturnRecord.customer_id) == customer_id
    closed_last = case((col(ReturnRecord.status).in_(sorted(CLOSED_RETURN_STATUSES)), 1), else_=0)
    rows = session.exec(
        select(ReturnRecord)
        .where(mine)
        .order_by(closed_last, col(ReturnRecord.created_at).desc())
        .limit(MAX_CASES_LISTED)
    ).all()
    total = session.exec(select(func.count()).select_from(ReturnRecord).where(mine)).one()
    lines = [
        CaseLine(
            case_id=row.return_id,
            status=row.status,
            created_at=row.created_at,
            is_open=row.status not in CLOSED_RETURN_STATUSES,
            category=row.reason,
            refunded=row.refunded_total,
            currency=row.currency,
        )
        for row in rows
    ]
    return lines, total


def _surveys(session: Session, customer_id: str) -> list[SurveyLine]:
    rows = session.exec(
        select(SurveyRecord)
        .where(
            col(SurveyRecord.customer_id) == customer_id,
            col(SurveyRecord.answered_at).is_not(None),
        )
        .order_by(col(SurveyRecord.answered_at).desc())
        .limit(MAX_CASES_LISTED)
    ).all()
    return [
        SurveyLine(
            case_kind=row.case_kind,
            case_id=row.case_id,
            csat=row.csat,
            nps=row.nps,
            comment=row.comment,
            low_score=row.low_score,
            answered_at=row.answered_at,
        )
        for row in rows
    ]


def _given_back(session: Session, customer_id: str, *, since: datetime) -> list[GivenBack]:
    by_currency: dict[str, GivenBack] = {}

    def bucket(currency: str) -> GivenBack:
        return by_currency.setdefault(currency, GivenBack(currency=currency))

    # A complaint's coupons and credit live only in its view: read the period's views.
    complaints = session.exec(
        select(ComplaintRecord.view_json, ComplaintRecord.currency).where(
            col(ComplaintRecord.customer_id) == customer_id,
            col(ComplaintRecord.created_at) >= since,
        )
    ).all()
    for view_json, currency in complaints:
        view = ComplaintView.model_validate_json(view_json)
        kept = [c for c in view.compensations if not c.undone]
        if not kept:
            continue
        totals = bucket(currency or "CNY")
        for step in kept:
            if step.kind == CompensationKind.REFUND:
                totals.refunded += step.amount
            else:
                totals.compensated += step.amount
    returns = session.exec(
        select(
            ReturnRecord.currency,
            func.sum(ReturnRecord.refunded_total),
            func.sum(ReturnRecord.store_credit_total),
        )
        .where(col(ReturnRecord.customer_id) == customer_id, col(ReturnRecord.created_at) >= since)
        .group_by(col(ReturnRecord.currency))
    ).all()
    for currency, refunded, credit in returns:
        if not (refunded or credit):
            continue
        totals = bucket(currency or "CNY")
        totals.refunded += Decimal(refunded or 0)
        totals.compensated += Decimal(credit or 0)
    return sorted(by_currency.values(), key=lambda totals: totals.currency)
