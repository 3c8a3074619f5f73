"""SQLModel tables; importing this package registers all of them on the metadata.

Every table module of the app is imported below, so that `prepare_database` and the
migrations (`store/migrations/env.py` does `import store.tables`) see all of them. A new
table module is added as one more line, `from store.tables import <module>  # noqa: F401`,
and gets an alembic revision (`python -m store.migrate revision ...`).
"""

from sqlalchemy import Table, inspect
from sqlmodel import SQLModel

# Named constraints, so later migrations can alter or drop them (SQLite's batch mode
# cannot address an unnamed constraint). Set before any table module defines a table:
# importing `store.tables.<module>` always runs this file first.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

from store.tables import (  # noqa: E402, F401
    admin_changes,
    canned_replies,
    complaint_search,
    complaints,
    couriers,
    evidence,
    fulfillment,
    idempotency,
    inbound_mail,
    ledger,
    mentions,
    outbox,
    policies,
    presence,
    return_analytics,
    returns,
    rollups,
    staff,
    surveys,
    teams,
    webhook_subscriptions,
    webhooks,
)


def table_of(model: type[SQLModel]) -> Table:
    """Returns the table a SQLModel class maps to. Statements on the table skip the ORM's
    per-row bookkeeping (SQLModel sets `__table__` on each class without declaring it)."""
    table = inspect(model).local_table
    assert isinstance(table, Table), f"{model.__name__} maps to {table!r}, not a table"
    return table
