"""Activities that keep the returns read model in step with the workflows, and restock."""

from collections.abc import Callable

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.returns import RestockRequest, ReturnProjection
from store import returns as return_store
from store.db import SessionFactory


class ReturnRecordActivities:
    """Writes return views and stock movements to the store; built once by the worker."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    # Synchronous: the store is blocking SQLAlchemy, so the worker runs these in its thread
    # pool (`activity_executor`) rather than stalling the event loop.
    @activity.defn(name="project_return")
    def project_return(self, projection: ReturnProjection) -> None:
        """Stores the return's current view and its new timeline events (idempotent)."""
        with self._sessions() as session:
            return_store.project_return(session, projection=projection)

    @activity.defn(name="restock_items")
    def restock_items(self, request: RestockRequest) -> int:
        """Returns how many units the request put back in stock (the same on every retry)."""
        return self._move(return_store.restock, request)

    @activity.defn(name="reserve_stock")
    def reserve_stock(self, request: RestockRequest) -> int:
        """Returns how many units the request took out of stock for an exchange."""
        return self._move(return_store.reserve_stock, request)

    def _move(self, move: Callable[..., int], request: RestockRequest) -> int:
        with self._sessions() as session:
            try:
                return move(session, request=request)
            except return_store.RestockKeyReused as error:
                raise ApplicationError(
                    str(error), type="IdempotencyKeyReused", non_retryable=True
                ) from error
            except ValueError as error:  # a request that can never succeed as sent
                raise ApplicationError(
                    str(error), type="InvalidRestockRequest", non_retryable=True
                ) from error
