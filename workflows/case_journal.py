"""The bookkeeping every case workflow (complaint, return, survey) holds: its timeline, the
notifications it queues, the read-model projection and its search attributes.

A workflow holds one `CaseJournal` and tells it, through `CaseFile`, what differs between
cases: how the case is filed, who its customer is, what its projection and search
attributes are. The journal's outbox and unprojected events are lists the workflow's
pending-work model owns, so continue-as-new carries them with everything else pending.
"""

import asyncio
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import Customer
    from domain.notifications import (
        MessageValue,
        Notification,
        NotificationTemplate,
        Recipient,
        RecipientKind,
    )
    from domain.taxonomy import Locale
    from workflows import activity_calls as calls
    from workflows.notify import send_queued

SYSTEM_ACTOR = "redress"

# The patch id of projecting before sending notifications (`CaseJournal.flush`).
PROJECT_BEFORE_NOTIFYING = "project-before-notifying"
# The patch id of projecting an update's change once the update is in the history
# (`CaseJournal.project_for_readers`).
PROJECT_ONCE_ACCEPTED = "project-once-accepted"


@dataclass(frozen=True)
class JournalKinds:
    """What a kind of case writes on its timeline: the event model, and the event kinds
    and staff message the journal itself records."""

    event_model: type[Any]
    notification_failed: Any
    needs_person: Any = None
    needs_person_template: NotificationTemplate | None = None


class CaseFile(Protocol):
    """What a case workflow tells its journal about itself."""

    def case_ref(self) -> str:
        """Returns how notifications file this case."""
        ...

    def notification_key_prefix(self) -> str:
        """Returns how this case's idempotency keys start."""
        ...

    def customer(self) -> Customer: ...

    def common_params(self) -> Mapping[str, MessageValue]:
        """Returns the values every message about this case carries."""
        ...

    def projection(self, new_events: list[Any]) -> tuple[str, Any]:
        """Returns the projection activity's name and its input for the current view."""
        ...

    def search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]: ...


class CaseJournal:
    def __init__(
        self,
        case: CaseFile,
        view: Any,
        kinds: JournalKinds,
        *,
        fresh: bool,
        outbox: list[Notification],
        unprojected: list[Any],
        trim_more: Callable[[], None] | None = None,
    ) -> None:
        self._case = case
        # Anything with `timeline`, `timeline_total` and `updated_at`.
        self.view = view
        self._kinds = kinds
        # Notifications waiting to be sent, oldest first, and timeline events not yet in
        # the read model: the pending-work model's lists, shared.
        self.outbox = outbox
        self.unprojected = unprojected
        self.changed = fresh or bool(unprojected)
        self._trim_more = trim_more
        self._search_attributes: tuple[str, ...] = ()
        # Whether `flush` projects before it sends: set from the PROJECT_BEFORE_NOTIFYING
        # patch, so workflows recorded before it keep the old order.
        self.project_first = False
        # Whether `project_for_readers` waits for the update to be in the history: set from
        # the PROJECT_ONCE_ACCEPTED patch.
        self.project_once_accepted = False
        # One projection at a time: an update handler's and the loop's can overlap, and
        # the newer view must be written last. An update's projection holds it until the
        # update is in the history, so no local projection can show the change earlier.
        self._projecting = asyncio.Lock()
        # One sender at a time: the loop and a resolution running beside it both flush,
        # and two senders would each send the oldest message and pop a different one.
        self._sending = asyncio.Lock()

    def ask_patches(self) -> None:
        """Asks the journal's patches (PROJECT_BEFORE_NOTIFYING, PROJECT_ONCE_ACCEPTED);
        `run` calls this first thing, before any local activity
        (docs/safe-workflow-changes.md says why)."""
        self.project_first = workflow.patched(PROJECT_BEFORE_NOTIFYING)
        self.project_once_accepted = workflow.patched(PROJECT_ONCE_ACCEPTED)

    @property
    def has_work(self) -> bool:
        """Returns whether messages wait to be sent or changes to be projected."""
        return bool(self.outbox) or self.changed

    # --- Timeline and notifications ------------------------------------------------------

    def record(self, kind: Any, actor: str, detail: str = "") -> Any:
        view = self.view
        view.timeline_total += 1
        event = self._kinds.event_model(
            seq=view.timeline_total, at=workflow.now(), kind=kind, actor=actor, detail=detail
        )
        view.timeline.append(event)
        self.unprojected.append(event)
        self.changed = True
        return event

    def notify_customer(
        self, template: NotificationTemplate, cause: Any, **values: MessageValue
    ) -> None:
        """Queues `template` to the case's customer, in their language, filled with `values`
        (codes and values, never wording: the notification activity words it)."""
        customer = self._case.customer()
        recipient = Recipient(
            kind=RecipientKind.CUSTOMER,
            id=customer.id,
            address=customer.email or customer.phone,
            contact=customer.contact(),
        )
        values = {"customer_name": customer.name or customer.id} | values
        self._queue(template, cause, recipient, customer.locale, values)

    def notify_staff(
        self, template: NotificationTemplate, cause: Any, staff_id: str, **values: MessageValue
    ) -> None:
        recipient = Recipient(kind=RecipientKind.STAFF, id=staff_id)
        self._queue(template, cause, recipient, policy.STAFF_LOCALE, values)

    def _queue(
        self,
        template: NotificationTemplate,
        cause: Any,
        recipient: Recipient,
        locale: Locale,
        values: dict[str, MessageValue],
    ) -> None:
        self.outbox.append(
            Notification(
                # One message per timeline event, template and recipient: a retried
                # activity or a replayed workflow sends the same message, not another.
                idempotency_key=(
                    f"{self._case.notification_key_prefix()}/{cause.seq}/{template}/{recipient.id}"
                ),
                complaint_id=self._case.case_ref(),
                template=template,
                locale=locale,
                recipient=recipient,
            ).with_values({**self._case.common_params(), **values})
        )

    def hand_to_person(self, reason: str, staff_id: str) -> Any:
        """Marks the case as needing a person (the escalations board shows it), records
        why, and tells `staff_id`; the workflow goes on serving the case."""
        assert self._kinds.needs_person_template is not None
        self.view.needs_person = True
        event = self.record(self._kinds.needs_person, SYSTEM_ACTOR, reason)
        self.notify_staff(self._kinds.needs_person_template, event, staff_id, reason=reason)
        return event

    # --- Side effects of state: messages, read model, search attributes ----------------------

    async def flush(self) -> None:
        """Projects the read model if anything changed and sends queued notifications.

        Projecting first keeps the read model as fresh as the workflow: the projection (a
        local activity) ends within the workflow task that made the change, so it is
        stored before an update's answer goes back, and the API reads cases from the read
        model. Workflows recorded before the PROJECT_BEFORE_NOTIFYING patch sent first."""
        if self.project_first:
            await self.project()
            self._upsert_search_attributes()
        # Uncontended (always, on histories recorded before a resolution could run beside
        # the loop), taking the lock does not yield, so those histories replay unchanged.
        async with self._sending:
            await send_queued(self.outbox, self._record_failed_notification)
        # A failed notification is recorded on the timeline, and an update may have come
        # in while the notifications went out: both are projected now.
        await self.project()
        self._upsert_search_attributes()

    async def project_for_readers(self) -> None:
        """Projects a change people must be able to read at once: what an update handler
        just changed (so the update answers only once the read model, which the API reads,
        shows it, whatever the loop is waiting on), or a change made before a step that
        waits on a provider. Only on the PROJECT_BEFORE_NOTIFYING path: older histories
        have no projection here.

        An update is not durable until the workflow task that accepted it completes, and
        a local activity runs inside that task: had the worker died before the task
        completed, and the caller given up, readers would have seen a change the case never
        made (the chaos run found an inspection shown as done that the return never
        received). So the projection here is an activity, which the server starts only
        once that task is complete, and it runs whether or not the handler changed anything
        itself: it holds the projection lock, so the loop cannot project what it does with
        the update (the inspection a handler only hands over) until the update is in the
        history. Workflows recorded before PROJECT_ONCE_ACCEPTED project here as a local
        activity, if anything changed."""
        if not self.project_first:
            return
        if not self.project_once_accepted:
            await self.project()
            return
        async with self._projecting:
            await self._write(inside_the_task=False)

    async def project(self) -> None:
        """Writes the view and its new timeline events to the read model, if they changed,
        as a local activity: inside the current workflow task, since they are made of what
        the history already holds."""
        # Uncontended, taking the lock does not yield, so histories recorded before the
        # lock replay unchanged.
        async with self._projecting:
            if self.changed:
                await self._write(inside_the_task=True)

    async def _write(self, *, inside_the_task: bool) -> None:
        self.changed = False
        self.view.updated_at = workflow.now()
        new_events = list(self.unprojected)
        self.unprojected.clear()
        activity, projection = self._case.projection(new_events)
        if inside_the_task:
            await workflow.execute_local_activity(
                activity, projection, start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT
            )
        else:
            await workflow.execute_activity(
                activity,
                projection,
                start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
                summary="read model, once the update is in the history",
            )
        self._trim_state()

    def _trim_state(self) -> None:
        """Drops what the read model keeps in full, so the state carried on stays small:
        only the newest events, and no more of them than fit the detail budget (a few
        maximum-length messages would otherwise make every query answer, result and
        continue-as-new input a megabyte)."""
        timeline = self.view.timeline
        del timeline[: -policy.TIMELINE_IN_STATE]
        kept, chars = 0, 0
        for event in reversed(timeline):
            chars += len(event.detail)
            if kept and chars > policy.TIMELINE_DETAIL_CHARS_IN_STATE:
                break
            kept += 1
        del timeline[: len(timeline) - kept]
        if self._trim_more is not None:
            self._trim_more()

    def _record_failed_notification(self, message: Notification, err: ActivityError) -> None:
        self.record(
            self._kinds.notification_failed,
            SYSTEM_ACTOR,
            f"{message.template} to {message.recipient.id}: {err.cause or err}",
        )

    def _upsert_search_attributes(self) -> None:
        """Upserts the case's search attributes when one of them changed (each upsert is a
        history event)."""
        updates = self._case.search_attribute_updates()
        values = tuple(sorted(f"{update.key.name}={update.value}" for update in updates))
        if values == self._search_attributes:
            return
        self._search_attributes = values
        workflow.upsert_search_attributes(updates)


def history_is_long() -> bool:
    """Returns whether the running workflow's history is long enough to continue as new
    (one rule for every case workflow: `policy.history_is_long`)."""
    info = workflow.info()
    return policy.history_is_long(
        info.get_current_history_length(), info.is_continue_as_new_suggested()
    )


class JournalHolder(Protocol):
    _journal: CaseJournal


Handler = TypeVar("Handler", bound=Callable[..., Any])


def answers_once_projected(handler: Handler) -> Handler:
    """Turns a synchronous update handler of a workflow holding a `CaseJournal` (as
    `_journal`) into one that answers once its change is in the read model
    (`CaseJournal.project_for_readers`). Put it under `@workflow.update`; validators stay
    as they are."""

    @functools.wraps(handler)
    async def answer_after_projection(self: JournalHolder, *args: Any) -> Any:
        result = handler(self, *args)
        await self._journal.project_for_readers()
        return result

    return cast(Handler, answer_after_projection)
