"""Failures of service that open a recovery task, as a survey's low answer does: a
compensation undone, a critical complaint's SLA breached, a complaint closed without the
customer's answer.

Kept apart from `domain.service_recovery` (the recovery workflow's types), so that the
complaint's pending work and the survey's recovery task can name a failure without
importing the models built on them. These models travel through Temporal histories: add
optional fields, never rename, reorder or repurpose one.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel


class ServiceFailure(StrEnum):
    # A resolution's saga undid compensation the customer had been told of.
    COMPENSATION_UNDONE = "compensation_undone"
    # A deadline of a complaint in the critical tier passed.
    CRITICAL_SLA_BREACHED = "critical_sla_breached"
    # The complaint waited on the customer until it closed itself, unanswered.
    CLOSED_WITHOUT_ANSWER = "closed_without_answer"


class ServiceRecoveryPolicy(BaseModel):
    """How long a supervisor has to report back on a failure's recovery task before the
    manager is told. A recovery workflow carries the one it started with."""

    recovery_window: timedelta


class ServiceRecoveryOpening(BaseModel):
    """A recovery task a complaint opened for a failure, kept in its pending work until
    the complaint's loop has started the task's workflow (`started`), and after, so the
    same failure never opens a second task."""

    failure: ServiceFailure
    # What happened, in the complaint's own terms ("refund RF-1", "first_response
    # deadline passed"): the task's reason.
    detail: str
    opened_at: datetime
    started: bool = False


def started_detail(failure: ServiceFailure, detail: str) -> str:
    """Returns what the complaint's timeline says when a failure opens its task:
    "<failure>: <what happened>"."""
    return f"{failure}: {detail}"


def failure_started(detail: str) -> ServiceFailure | None:
    """Returns the failure a `recovery_started` entry of a complaint names (its detail as
    `started_detail` wrote it), or None for one that names none."""
    named, _, _ = detail.partition(": ")
    return next((failure for failure in ServiceFailure if failure.value == named), None)


def service_recovery_workflow_id(complaint_id: str, failure: ServiceFailure) -> str:
    """Returns the workflow id (and task id) of the recovery task `failure` opens on a
    complaint: one per complaint and failure, so a repeat of the failure (a second undone
    resolution, the second SLA clock breached) opens nothing new."""
    return f"recovery-{complaint_id}-{failure}"
