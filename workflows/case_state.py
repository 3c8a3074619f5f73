"""Bookkeeping every case workflow (complaint or return) shares: its timeline, the
notifications it queues, the read-model projection and its search attributes.

A subclass says what differs: its event type, how it is named in messages, what its
projection is, and which search attributes it keeps.
"""

import asyncio
import functools
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, cast

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain import policy
    from domain.complaints import Customer
    from domain.notifications import Notification, NotificationTemplate, Recipient, RecipientKind
    from domain.taxonomy import Locale
    from workflows import activity_calls as calls
    from workflows.notify import send_queued

SYSTEM_ACTOR = "redress"

Handler = TypeVar("Handler", bound=Callable[..., Any])


def answers_once_projected(handler: Handler) -> Handler:
    """Turns a synchronous update handler of a `CaseState` workflow into one that answers
    once its change is in the read model (`CaseState._project_for_readers`). Put it under
    `@workflow.update`; validators stay as they are."""

    @functools.wraps(handler)
    async def answer_after_projection(self: "CaseState", *args: Any) -> Any:
        result = handler(self, *args)
        await self._project_for_readers()
        return result

    return cast(Handler, answer_after_projection)


# The patch id of projecting before sending notifications (`CaseState._flush`).
PROJECT_BEFORE_NOTIFYING = "project-before-notifying"


class CaseState:
    # The timeline event model (its fields: seq, at, kind, actor, detail).
    _event_model: ClassVar[type[Any]]
    _failed_notification_kind: ClassVar[Any]
    # The case's view: anything with `timeline`, `timeline_total` and `updated_at`.
    _view: Any
    # Timeline events not yet written to the read model.
    _unprojected: list[Any]
    # Notifications waiting for the loop to send them, oldest first.
    _outbox: list[Notification]
    _changed: bool
    _search_attributes: tuple[str, ...]
    # Whether `_flush` projects before it sends notifications: `run` sets it from the
    # PROJECT_BEFORE_NOTIFYING patch, so workflows recorded before it keep the old order.
    _project_first: bool
    # One projection at a time: an update handler's and the loop's can overlap (both are
    # local activities), and the newer view must be written last.
    _projecting: asyncio.Lock
    # One sender at a time: the loop and a resolution running beside it both flush, and
    # two senders would each send the oldest message and pop a different one.
    _sending: asyncio.Lock
    # How a case records and announces that it needs a person.
    _needs_person_kind: ClassVar[Any]
    _needs_person_template: ClassVar[NotificationTemplate]

    def _init_case_state(
        self,
        fresh: bool,
        outbox: list[Notification] | None = None,
        unprojected: list[Any] | None = None,
    ) -> None:
        """Starts the bookkeeping; a run continued as new passes the messages and events
        its previous run had not sent or projected yet."""
        self._unprojected = list(unprojected or [])
        self._outbox = list(outbox or [])
        self._changed = fresh or bool(self._unprojected)
        self._search_attributes = ()
        self._project_first = False
        self._projecting = asyncio.Lock()
        self._sending = asyncio.Lock()

    def _ask_project_first(self) -> None:
        """Asks the PROJECT_BEFORE_NOTIFYING patch; `run` calls this first thing, before
        any local activity (docs/safe-workflow-changes.md says why)."""
        self._project_first = workflow.patched(PROJECT_BEFORE_NOTIFYING)

    # --- What a case workflow provides --------------------------------------------------

    @property
    def _case_ref(self) -> str:
        """Returns how notifications file this case (and start their idempotency keys)."""
        raise NotImplementedError

    @property
    def _notification_key_prefix(self) -> str:
        """Returns how this workflow's idempotency keys start; a workflow that files its
        messages under another's case (a survey) needs keys of its own."""
        return self._case_ref

    @property
    def _customer(self) -> Customer:
        raise NotImplementedError

    def _common_params(self) -> dict[str, str]:
        """Returns the parameters every message about this case carries."""
        raise NotImplementedError

    def _projection(self, new_events: list[Any]) -> tuple[str, Any]:
        """Returns the projection activity's name and its input for the current view."""
        raise NotImplementedError

    def _trim_state(self) -> None:
        """Drops what the read model keeps in full, so the state carried on stays small:
        only the newest events, and no more of them than fit the detail budget (a few
        maximum-length messages would otherwise make every query answer, result and
        continue-as-new input a megabyte)."""
        timeline = self._view.timeline
        del timeline[: -policy.TIMELINE_IN_STATE]
        kept, chars = 0, 0
        for event in reversed(timeline):
            chars += len(event.detail)
            if kept and chars > policy.TIMELINE_DETAIL_CHARS_IN_STATE:
                break
            kept += 1
        del timeline[: len(timeline) - kept]

    def _search_attribute_updates(self) -> list[SearchAttributeUpdate[Any]]:
        raise NotImplementedError

    # --- Timeline and notifications ------------------------------------------------------

    def _record(self, kind: Any, actor: str, detail: str = "") -> Any:
        view = self._view
        view.timeline_total += 1
        event = self._event_model(
            seq=view.timeline_total, at=workflow.now(), kind=kind, actor=actor, detail=detail
        )
        view.timeline.append(event)
        self._unprojected.append(event)
        self._changed = True
        return event

    def _notify_customer(self, template: NotificationTemplate, cause: Any, **params: str) -> None:
        customer = self._customer
        recipient = Recipient(
            kind=RecipientKind.CUSTOMER, id=customer.id, address=customer.email or customer.phone
        )
        params = {"customer_name": customer.name or customer.id} | params
        self._queue_notification(template, cause, recipient, customer.locale, params)

    def _notify_staff(
        self, template: NotificationTemplate, cause: Any, staff_id: str, **params: str
    ) -> None:
        recipient = Recipient(kind=RecipientKind.STAFF, id=staff_id)
        self._queue_notification(template, cause, recipient, policy.STAFF_LOCALE, params)

    def _queue_notification(
        self,
        template: NotificationTemplate,
        cause: Any,
        recipient: Recipient,
        locale: Locale,
        params: dict[str, str],
    ) -> None:
        ref = self._case_ref
        self._outbox.append(
            Notification(
                # One message per timeline event, template and recipient: a retried
                # activity or a replayed workflow sends the same message, not another.
                idempotency_key=(
                    f"{self._notification_key_prefix}/{cause.seq}/{template}/{recipient.id}"
                ),
                complaint_id=ref,
                template=template,
                locale=locale,
                recipient=recipient,
                params=self._common_params() | params,
            )
        )

    # --- Side effects of state: messages, read model, search attributes ----------------------

    async def _flush(self) -> None:
        """Projects the read model if anything changed and sends queued notifications.

        Projecting first keeps the read model as fresh as the workflow: the projection (a
        local activity) ends within the workflow task that made the change, so it is
        stored before an update's answer goes back, and the API reads cases from the read
        model. Workflows recorded before the PROJECT_BEFORE_NOTIFYING patch sent first."""
        if self._project_first:
            await self._project()
            self._upsert_search_attributes()
        # Uncontended (always, on histories recorded before a resolution could run beside
        # the loop), taking the lock does not yield, so those histories replay unchanged.
        async with self._sending:
            await send_queued(self._outbox, self._record_failed_notification)
        # A failed notification is recorded on the timeline, and an update may have come
        # in while the notifications went out: both are projected now.
        await self._project()
        self._upsert_search_attributes()

    async def _project_for_readers(self) -> None:
        """Projects a change people must be able to read at once: what an update handler
        just changed (so the update answers only once the read model, which the API reads,
        shows it, whatever the loop is waiting on), or a change made before a step that
        waits on a provider. Only on the PROJECT_BEFORE_NOTIFYING path: older histories
        have no projection here."""
        if self._project_first:
            await self._project()

    async def _project(self) -> None:
        """Writes the view and its new timeline events to the read model, if they changed."""
        # Uncontended, taking the lock does not yield, so histories recorded before the
        # lock replay unchanged.
        async with self._projecting:
            if not self._changed:
                return
            self._changed = False
            self._view.updated_at = workflow.now()
            new_events, self._unprojected = self._unprojected, []
            activity, projection = self._projection(new_events)
            await workflow.execute_local_activity(
                activity, projection, start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT
            )
            self._trim_state()

    def _hand_to_person(self, reason: str, staff_id: str) -> Any:
        """Marks the case as needing a person (the escalations board shows it), records
        why, and tells `staff_id`; the workflow goes on serving the case."""
        self._view.needs_person = True
        event = self._record(self._needs_person_kind, SYSTEM_ACTOR, reason)
        self._notify_staff(self._needs_person_template, event, staff_id, reason=reason)
        return event

    def _history_is_long(self) -> bool:
        """Returns whether the history is long enough to continue as new (one rule for
        every case workflow: `policy.history_is_long`)."""
        info = workflow.info()
        return policy.history_is_long(
            info.get_current_history_length(), info.is_continue_as_new_suggested()
        )

    def _record_failed_notification(self, message: Notification, err: ActivityError) -> None:
        self._record(
            self._failed_notification_kind,
            SYSTEM_ACTOR,
            f"{message.template} to {message.recipient.id}: {err.cause or err}",
        )

    def _upsert_search_attributes(self) -> None:
        """Upserts the case's search attributes when one of them changed (each upsert is a
        history event)."""
        updates = self._search_attribute_updates()
        values = tuple(sorted(f"{update.key.name}={update.value}" for update in updates))
        if values == self._search_attributes:
            return
        self._search_attributes = values
        workflow.upsert_search_attributes(updates)
