"""A complaint's part in duplicates: linking it at intake to the open complaint it may
repeat, and merging it into another complaint of its customer, or taking one in.

Two complaints tell each other by signals: `link_duplicate` (the older one learns of the
newer) and `absorb_merged` (the survivor takes in what the merged one carries). Both are
idempotent, so a repeat changes nothing. Merging is the merged complaint's `merge_into`
update: it refuses every other update from its first step (`check_not_merged`), hands its
messages and clocks to the survivor, copies its evidence, then closes as merged; when the
survivor cannot take the signal (it finished meanwhile), the update is refused and the
complaint goes on as it was.
"""

from temporalio import workflow
from temporalio.exceptions import FailureError

with workflow.unsafe.imports_passed_through():
    from domain.complaint_merge import (
        CarriedTimeline,
        DuplicateFound,
        DuplicateLink,
        DuplicateQuery,
        EvidenceCarry,
        MergedCase,
        MergeInto,
        carried_detail,
        carried_events,
        check_merge_into,
        take_earlier_clock,
    )
    from domain.complaints import (
        ActionResult,
        CloseReason,
        ComplaintStatus,
        TimelineKind,
        complaint_workflow_id,
    )
    from workflows import activity_calls as calls
    from workflows.case_journal import SYSTEM_ACTOR, CaseJournal
    from workflows.complaint_clocks import ComplaintClocks
    from workflows.complaint_file import ComplaintFile
    from workflows.refusals import not_allowed, refuse_unless

# The patch id of looking for the open complaint a new one repeats, at intake: a local
# activity (and perhaps a signal) that histories recorded before it do not have.
LINK_DUPLICATES_AT_INTAKE = "link-duplicates-at-intake"
# The signals one complaint sends another.
LINK_DUPLICATE_SIGNAL = "link_duplicate"
ABSORB_MERGED_SIGNAL = "absorb_merged"


class ComplaintMerger:
    def __init__(self, file: ComplaintFile, journal: CaseJournal, clocks: ComplaintClocks) -> None:
        self._file = file
        self._journal = journal
        self._clocks = clocks
        # Set from the LINK_DUPLICATES_AT_INTAKE patch (`ask_patch`).
        self._link_at_intake = False

    def ask_patch(self) -> None:
        """Asks LINK_DUPLICATES_AT_INTAKE; `run` calls this first thing, before any local
        activity (docs/safe-workflow-changes.md says why)."""
        self._link_at_intake = workflow.patched(LINK_DUPLICATES_AT_INTAKE)

    # --- Duplicates ----------------------------------------------------------------------

    async def link_at_intake(self) -> None:
        """Links the classified complaint to the oldest open one of the same customer,
        order and category, on both: this one records `duplicate_of`, the other hears of
        it by signal. A complaint without an order repeats nothing this way."""
        view = self._file.view
        order = view.intake.order
        if not self._link_at_intake or order is None:
            return
        found = await workflow.execute_local_activity(
            calls.FIND_OPEN_DUPLICATE,
            DuplicateQuery(
                complaint_id=view.complaint_id,
                customer_id=self._file.customer_id,
                order_id=order.order_id,
                category=self._file.classification.category,
            ),
            result_type=DuplicateFound,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        if found.complaint_id is None:
            return
        other = workflow.get_external_workflow_handle(complaint_workflow_id(found.complaint_id))
        try:
            await other.signal(LINK_DUPLICATE_SIGNAL, DuplicateLink(complaint_id=view.complaint_id))
        except FailureError:
            # It finished after the read model was read: there is nothing open to link to.
            return
        view.duplicate_of = found.complaint_id
        self._journal.record(TimelineKind.DUPLICATE_LINKED, SYSTEM_ACTOR, found.complaint_id)

    def note_duplicate(self, link: DuplicateLink) -> None:
        """Records a newer complaint linked to this one (the `link_duplicate` signal)."""
        view = self._file.view
        if link.complaint_id == view.complaint_id or link.complaint_id in view.duplicates:
            return
        view.duplicates.append(link.complaint_id)
        self._journal.record(TimelineKind.DUPLICATE_LINKED, SYSTEM_ACTOR, link.complaint_id)

    # --- Merging -------------------------------------------------------------------------

    async def merge_into(self, request: MergeInto) -> ActionResult:
        """Hands the complaint's messages and clocks to `request.into`, copies its evidence
        there, and closes it as merged; refuses, changing nothing, when the survivor no
        longer runs."""
        view = self._file.view
        refuse_unless(check_merge_into, view, request)
        # From here on every other update is refused (`check_not_merged`): nothing this
        # complaint takes can miss the survivor.
        view.merged_into = request.into
        stored = await workflow.execute_local_activity(
            calls.READ_CARRIED_TIMELINE,
            view.complaint_id,
            result_type=CarriedTimeline,
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
        )
        merged = MergedCase(
            complaint_id=view.complaint_id,
            customer_id=self._file.customer_id,
            actor=request.actor,
            events=carried_events(view, stored.events),
            first_response=view.first_response,
            resolution=view.resolution,
            calendar=self._file.calendar,
        )
        survivor = workflow.get_external_workflow_handle(complaint_workflow_id(request.into))
        try:
            await survivor.signal(ABSORB_MERGED_SIGNAL, merged)
        except FailureError:
            view.merged_into = None
            raise not_allowed(
                f"complaint {request.into} is closed: nothing was merged; merge into an open one"
            ) from None
        await workflow.execute_activity(
            calls.COPY_MERGED_EVIDENCE,
            EvidenceCarry(from_complaint_id=view.complaint_id, to_complaint_id=request.into),
            start_to_close_timeout=calls.LOCAL_STEP_TIMEOUT,
            summary=f"evidence to {request.into}",
        )
        self._journal.record(TimelineKind.MERGED_INTO, request.actor, request.into)
        self._clocks.close(CloseReason.MERGED)
        await self._journal.project_for_readers()
        return self._file.result(f"merged into {request.into}")

    def absorb(self, merged: MergedCase) -> None:
        """Takes in a complaint merged into this one (the `absorb_merged` signal): its
        messages, each marked with where it came from, and its SLA clocks where they have
        less time left. The same complaint again changes nothing."""
        view, journal = self._file.view, self._journal
        if merged.complaint_id == view.complaint_id or merged.complaint_id in view.merged_from:
            return
        if merged.customer_id != self._file.customer_id:
            # The API refuses this before any signal is sent; a case never takes in another
            # customer's words.
            workflow.logger.warning("refused to absorb %s: another customer's", merged.complaint_id)
            return
        view.merged_from.append(merged.complaint_id)
        journal.record(TimelineKind.MERGED_FROM, merged.actor, merged.complaint_id)
        for event in merged.events:
            journal.record(event.kind, event.actor, carried_detail(merged.complaint_id, event))
        if view.routing is not None and view.status is not ComplaintStatus.CLOSED:
            now, fraction = workflow.now(), self._file.sla_policy.reminder_fraction
            calendar = self._file.calendar
            view.first_response = take_earlier_clock(
                view.first_response, merged.first_response, now, calendar, merged.calendar, fraction
            )
            view.resolution = take_earlier_clock(
                view.resolution, merged.resolution, now, calendar, merged.calendar, fraction
            )
