"""The embedded stack for benchmarks: what `make run` runs, on free ports, in a scratch
directory, plus an admin key to drive it with."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.settings import Settings
from core.stack import Stack, free_port, local_codec_keys, local_secret, start
from domain.access import Role
from store.db import make_engine, session_factory
from store.staff import active_user, create_user, issue_key

BENCH_USER = "bench-admin"


@contextmanager
def embedded_stack(data_dir: Path, **environment: str) -> Iterator[tuple[Settings, Stack]]:
    """Runs the dev server, the worker and the API as `make run` does (payloads
    encrypted), with `environment` (REDRESS_* variables) on top, until the block ends."""
    os.environ.update(
        {
            "REDRESS_API_PORT": str(free_port()),
            "REDRESS_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
            "REDRESS_TEMPORAL_UI_PORT": str(free_port()),
            "REDRESS_DATA_DIR": str(data_dir),
            # Access logs cost the API a write per request; production runs without them.
            "REDRESS_API_ACCESS_LOG": "false",
            **environment,
        }
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings().model_copy(
        update={"codec_keys": local_codec_keys(data_dir), "secret_key": local_secret(data_dir)}
    )
    stack = Stack(settings)
    try:
        start(stack)
        yield settings, stack
    finally:
        stack.stop()


def admin_key(settings: Settings) -> str:
    """Returns a fresh key of a benchmark admin (who may act as every role)."""
    engine = make_engine(settings.effective_database_url)
    try:
        with session_factory(engine)() as session:
            if active_user(session, BENCH_USER) is None:
                create_user(session, user_id=BENCH_USER, display_name="bench", role=Role.ADMIN)
            return issue_key(session, user_id=BENCH_USER).token
    finally:
        engine.dispose()
