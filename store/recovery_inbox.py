"""The console's recovery inbox: pages of service-recovery tasks, each with the survey
answer that opened it (a failure's task says what failed itself), and the count of open
tasks for the navigation."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.surveys import RecoveryStatus
from store.surveys import list_recovery_tasks
from store.tables.surveys import RecoveryTaskRecord, SurveyRecord

INBOX_PAGE_SIZE = 25


@dataclass(frozen=True)
class RecoveryInboxRow:
    """A task and its survey's row (the customer's scores and comment); `survey` is None
    for a task a failure of service opened, which has no survey."""

    task: RecoveryTaskRecord
    survey: SurveyRecord | None


@dataclass(frozen=True)
class RecoveryInboxPage:
    """One page of the inbox, the number of tasks matching, and the page's number."""

    rows: list[RecoveryInboxRow]
    total: int
    page: int
    pages: int


def list_recovery_inbox(
    session: Session,
    *,
    status: RecoveryStatus,
    team: str | None = None,
    page: int = 1,
    page_size: int = INBOX_PAGE_SIZE,
) -> RecoveryInboxPage:
    """Returns page `page` (from 1) of the tasks in `status` (of `team`, when given), the
    longest-waiting customer first; a page past the end is the last one."""
    if page < 1:
        raise ValueError(f"page must be 1 or more, got {page}")

    def read(number: int) -> tuple[list[RecoveryTaskRecord], int]:
        return list_recovery_tasks(
            session,
            status=status.value,
            team=team,
            limit=page_size,
            offset=(number - 1) * page_size,
        )

    tasks, total = read(page)
    pages = max(1, -(-total // page_size))
    if page > pages:
        # Tasks closed since the link was made: show the last page rather than none.
        page = pages
        tasks, total = read(page)
    surveys = _surveys(session, [task.task_id for task in tasks if task.failure is None])
    rows = [RecoveryInboxRow(task=task, survey=surveys.get(task.task_id)) for task in tasks]
    return RecoveryInboxPage(rows=rows, total=total, page=page, pages=pages)


def count_open_recovery_tasks(session: Session) -> int:
    """Returns how many recovery tasks wait for a supervisor (the status index answers)."""
    return session.exec(
        select(func.count())
        .select_from(RecoveryTaskRecord)
        .where(col(RecoveryTaskRecord.status) == RecoveryStatus.OPEN.value)
    ).one()


def _surveys(session: Session, survey_ids: list[str]) -> dict[str, SurveyRecord]:
    if not survey_ids:
        return {}
    found = session.exec(select(SurveyRecord).where(col(SurveyRecord.survey_id).in_(survey_ids)))
    return {survey.survey_id: survey for survey in found}
