"""Activities of a failure's recovery task: its read model."""

from temporalio import activity

from domain.service_recovery import ServiceRecoveryProjection
from store import service_recovery as recovery_store
from store.db import SessionFactory


class ServiceRecoveryActivities:
    """The recovery task's projection; built once in the worker with its session factory."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    # Synchronous: the store is blocking SQLAlchemy, so the worker runs this in its thread
    # pool (`activity_executor`) rather than stalling the event loop.
    @activity.defn(name="project_service_recovery")
    def project_service_recovery(self, projection: ServiceRecoveryProjection) -> None:
        """Stores the task's current view, its row in the inbox and its outcome on the
        complaint's timeline (idempotent)."""
        with self._sessions() as session:
            recovery_store.project_service_recovery(session, projection=projection)
