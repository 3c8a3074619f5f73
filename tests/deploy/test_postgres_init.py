"""deploy/postgres/create-databases.sh, which the compose stack's PostgreSQL runs once on a
fresh data volume, run against a fresh PostgreSQL cluster of Debian's (the one
scripts/postgres-for-tests installs) as the image would run it.

It must leave one role and database per owner, with the passwords from env/postgres.env
(quotes and all), on which Redress's migrations run as their owner, not as a superuser,
and whose tables Temporal's role cannot read.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from core.stack import free_port
from store.migrate import upgrade_database
from tests.running_stack import ROOT

SCRIPT = ROOT / "deploy" / "postgres" / "create-databases.sh"
# Quotes, spaces and a dollar: what a generated password may hold, and what naive
# quoting in the script would break on.
TEMPORAL_PASSWORD = "te'mp \"oral $1"
REDRESS_PASSWORD = "red'ress; DROP ROLE postgres; --"


@dataclass(frozen=True)
class Cluster:
    port: int
    socket_dir: Path

    def url(self, role: str, password: str, database: str) -> str:
        return f"postgresql://{role}:{quote(password)}@127.0.0.1:{self.port}/{database}"


def _bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server binaries: run through `make test`, as root")
    return found[-1].parent


def _as_postgres(*command: str, check: bool = True) -> None:
    # initdb and the server refuse to run as root; the image runs them as `postgres` too.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
    assert not check or done.returncode == 0, done.stdout + done.stderr


@contextmanager
def _fresh_cluster() -> Iterator[Cluster]:
    """Yields a new PostgreSQL cluster: trust on its socket (as the image's initdb
    scripts connect), passwords over TCP."""
    if os.geteuid() != 0:
        pytest.skip("a fresh cluster is made as root, running its server as `postgres`")
    bin_dir = _bin_dir()
    home = Path(tempfile.mkdtemp(prefix="redress-pg-init-"))
    shutil.chown(home, "postgres", "postgres")
    data = home / "data"
    cluster = Cluster(port=free_port(), socket_dir=home)
    options = f"-p {cluster.port} -k {home} -c listen_addresses=127.0.0.1"
    try:
        _as_postgres(
            str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256",
        )  # fmt: skip
        # With a log file, pg_ctl leaves the server without our pipes and returns.
        log = str(home / "server.log")
        _as_postgres(
            str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"
        )
        yield cluster
    finally:
        # A cluster that never started has nothing to stop.
        stop = (str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        _as_postgres(*stop, check=False)
        shutil.rmtree(home, ignore_errors=True)


def test_the_init_script_makes_isolated_databases_that_redress_migrates_as_owner() -> None:
    with _fresh_cluster() as cluster:
        env = os.environ | {
            "POSTGRES_USER": "postgres",
            "TEMPORAL_DB_PASSWORD": TEMPORAL_PASSWORD,
            "REDRESS_DB_PASSWORD": REDRESS_PASSWORD,
            "PGHOST": str(cluster.socket_dir),
            "PGPORT": str(cluster.port),
        }
        done = subprocess.run(
            ["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr

        redress = cluster.url("redress", REDRESS_PASSWORD, "redress")
        upgrade_database(redress.replace("postgresql://", "postgresql+psycopg://"))
        with psycopg.connect(redress) as connection:
            superuser = connection.execute(
                "SELECT rolsuper FROM pg_roles WHERE rolname = 'redress'"
            )
            assert superuser.fetchone() == (False,)
            assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)

        for database in ("temporal", "temporal_visibility"):
            with psycopg.connect(cluster.url("temporal", TEMPORAL_PASSWORD, database)) as c:
                assert c.execute("SELECT current_user").fetchone() == ("temporal",)
        with psycopg.connect(cluster.url("temporal", TEMPORAL_PASSWORD, "redress")) as c:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute("SELECT * FROM alembic_version")

        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(cluster.url("redress", "not the password", "redress"))


def test_the_init_script_refuses_to_run_without_its_passwords(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DB_PASSWORD")}
    done = subprocess.run(
        ["sh", str(SCRIPT)], env=env | {"POSTGRES_USER": "postgres"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert "TEMPORAL_DB_PASSWORD" in done.stderr
