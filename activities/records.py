"""Activities that keep the complaints read model in step with the workflows."""

from temporalio import activity

from domain.complaints import ComplaintProjection
from store import complaints as complaint_store
from store.db import SessionFactory


class RecordActivities:
    """Writes complaint views to the store; built once in the worker with a session factory."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    # Synchronous: the store is blocking SQLAlchemy, so the worker runs this in its thread
    # pool (`activity_executor`) rather than stalling the event loop.
    @activity.defn(name="project_complaint")
    def project_complaint(self, projection: ComplaintProjection) -> None:
        """Stores the complaint's current view and its new timeline events (idempotent)."""
        with self._sessions() as session:
            complaint_store.project_complaint(session, projection=projection)
