"""The activities behind duplicate complaints: finding the open complaint a new one may
repeat, reading what a merge carries, and copying the merged complaint's evidence."""

from temporalio import activity

from domain.complaint_merge import (
    CarriedTimeline,
    DuplicateFound,
    DuplicateQuery,
    EvidenceCarry,
)
from store import complaint_merge as merge_store
from store.db import SessionFactory


class MergeActivities:
    """Reads and writes the store for linking and merging; built once in the worker."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    @activity.defn(name="find_open_duplicate")
    def find_open_duplicate(self, query: DuplicateQuery) -> DuplicateFound:
        """Returns the oldest open complaint of the same customer, order and category."""
        with self._sessions() as session:
            found = merge_store.open_duplicate_of(
                session,
                complaint_id=query.complaint_id,
                customer_id=query.customer_id,
                order_id=query.order_id,
                category=query.category.value,
            )
        return DuplicateFound(complaint_id=found)

    @activity.defn(name="read_carried_timeline")
    def read_carried_timeline(self, complaint_id: str) -> CarriedTimeline:
        """Returns the complaint's stored messages and files, the entries a merge carries."""
        with self._sessions() as session:
            return CarriedTimeline(
                events=merge_store.carried_timeline(session, complaint_id=complaint_id)
            )

    @activity.defn(name="copy_merged_evidence")
    def copy_merged_evidence(self, carry: EvidenceCarry) -> int:
        """Copies the merged complaint's evidence to the survivor; a retry copies nothing
        twice. Returns how many files this call added."""
        with self._sessions() as session:
            return merge_store.copy_evidence(
                session,
                from_complaint_id=carry.from_complaint_id,
                to_complaint_id=carry.to_complaint_id,
            )
