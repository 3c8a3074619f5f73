"""the text complaints are searched by, its index on each store, and team queues' index

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00

SQLite gets an FTS5 table with the trigram tokenizer over `complaint_search` (external
content, kept in step by triggers); PostgreSQL gets pg_trgm (a trusted extension: the
database's owner may create it) and a GIN index of trigrams. Both find substrings in
Chinese and English. Existing complaints get their text from their stored description,
order, customer and messages.
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "complaint_search_fts"
# Written out here, not imported: a revision is frozen history.
MESSAGE_KINDS = ("replied", "info_requested", "customer_replied")
MAX_SEARCH_TEXT_CHARS = 32_000
BACKFILL_BATCH = 2000

SQLITE_SEARCH_INDEX = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    "search_text, content='complaint_search', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER complaint_search_fts_insert AFTER INSERT ON complaint_search BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER complaint_search_fts_delete AFTER DELETE ON complaint_search BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "END",
    "CREATE TRIGGER complaint_search_fts_update AFTER UPDATE ON complaint_search BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_SEARCH_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_complaint_search_trigrams ON complaint_search "
    "USING gin (search_text gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "complaint_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.String(length=64), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.complaint_id"],
            name=op.f("fk_complaint_search_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_search")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_complaint_search_complaint_id")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index("ix_complaints_team_status", ["team", "status"], unique=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_SEARCH_INDEX if sqlite else POSTGRES_SEARCH_INDEX:
        op.execute(statement)
    _backfill()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER complaint_search_fts_{trigger}")
        op.execute(f"DROP TABLE {FTS}")
    else:
        # pg_trgm stays: dropping an extension is the database owner's decision.
        op.execute("DROP INDEX ix_complaint_search_trigrams")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_team_status")
    op.drop_table("complaint_search")


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


def _backfill() -> None:
    connection = op.get_bind()
    complaints = sa.table(
        "complaints",
        sa.column("complaint_id"),
        sa.column("customer_id"),
        sa.column("order_id"),
        sa.column("description"),
    )
    events = sa.table(
        "timeline_events",
        sa.column("complaint_id"),
        sa.column("seq"),
        sa.column("kind"),
        sa.column("detail"),
    )
    search = sa.table("complaint_search", sa.column("complaint_id"), sa.column("search_text"))
    messages: dict[str, list[str]] = {}
    found = connection.execute(
        sa.select(events.c.complaint_id, events.c.detail)
        .where(events.c.kind.in_(MESSAGE_KINDS))
        .order_by(events.c.complaint_id, events.c.seq)
    )
    for complaint_id, detail in found:
        messages.setdefault(complaint_id, []).append(detail)
    batch = []
    for row in connection.execute(sa.select(complaints)):
        parts = [
            row.customer_id,
            row.order_id or "",
            row.description,
            *messages.get(row.complaint_id, []),
        ]
        text = _normalise("\n".join(part for part in parts if part))[:MAX_SEARCH_TEXT_CHARS]
        batch.append({"complaint_id": row.complaint_id, "search_text": text})
        if len(batch) == BACKFILL_BATCH:
            connection.execute(sa.insert(search), batch)
            batch = []
    if batch:
        connection.execute(sa.insert(search), batch)
