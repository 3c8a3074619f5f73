"""`redress users` and `redress keys` on a fresh store: the first admin and their key."""

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from core.settings import Settings
from core.staff_commands import ensure_demo_staff
from store.db import make_engine, session_factory
from store.migrate import upgrade_database
from store.staff import user_for_key, user_for_password
from store.tables.staff import StaffUser

ROOT = Path(__file__).resolve().parents[2]


def _redress(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"REDRESS_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_first_admin_is_created_with_a_key_and_a_password(database_url: str) -> None:
    created = _redress(
        database_url,
        "users", "create", "ops-admin", "--role", "admin", "--with-key", "--password-stdin",
        stdin="a long admin password\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    admin_key = created.stdout.strip()
    issued = _redress(database_url, "keys", "create", "ops-admin", "--label", "ci", "--days", "30")
    assert issued.returncode == 0, issued.stderr
    duplicate = _redress(database_url, "users", "create", "ops-admin", "--role", "agent")
    bad_id = _redress(database_url, "users", "create", "not an id!", "--role", "agent")
    revoked = _redress(database_url, "keys", "revoke", admin_key.split("_")[1])

    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr
    assert bad_id.returncode == 2 and "letters, digits" in bad_id.stderr
    assert revoked.returncode == 0, revoked.stderr
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            assert user_for_key(session, admin_key) is None, "revoked"
            second = user_for_key(session, issued.stdout.strip())
            assert second is not None and second.role == "admin"
            signed_in = user_for_password(
                session, user_id="ops-admin", password="a long admin password"
            )
            assert signed_in is not None
    finally:
        engine.dispose()


def test_staff_e_mail_addresses_are_set_checked_and_cleared(database_url: str) -> None:
    created = _redress(
        database_url,
        "users", "create", "supervisor-care", "--role", "supervisor",
        "--email", " li.na@shop.example ",
    )  # fmt: skip
    bad_new = _redress(
        database_url, "users", "create", "agent-x", "--role", "agent", "--email", "li.na@"
    )
    bad_set = _redress(database_url, "users", "set-email", "supervisor-care", "not an address")
    unknown = _redress(database_url, "users", "set-email", "nobody", "nobody@shop.example")

    assert created.returncode == 0, created.stderr
    for refused in (bad_new, bad_set):
        assert refused.returncode == 1
        assert "email" in refused.stderr and "is not an e-mail address" in refused.stderr
    assert unknown.returncode == 1 and "no user 'nobody'" in unknown.stderr
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            # Refused input changed nothing: no user made, the address kept.
            assert session.get(StaffUser, "agent-x") is None
            user = session.get(StaffUser, "supervisor-care")
            assert user is not None and user.email == "li.na@shop.example"
        changed = _redress(database_url, "users", "set-email", "supervisor-care", "li@shop.example")
        assert changed.returncode == 0 and "li@shop.example" in changed.stderr
        with session_factory(engine)() as session:
            assert session.get(StaffUser, "supervisor-care").email == "li@shop.example"  # type: ignore[union-attr]
        cleared = _redress(database_url, "users", "set-email", "supervisor-care", "--clear")
        assert cleared.returncode == 0, cleared.stderr
        with session_factory(engine)() as session:
            assert session.get(StaffUser, "supervisor-care").email is None  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_the_demo_stack_makes_its_accounts_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade_database(settings.effective_database_url)

    written = ensure_demo_staff(settings)
    again = ensure_demo_staff(settings)

    assert written is not None and again is None
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    lines = [line for line in written.read_text().splitlines() if not line.startswith("#")]
    engine = make_engine(settings.effective_database_url)
    try:
        with session_factory(engine)() as session:
            roles = {user.user_id: user.role for user in session.exec(select(StaffUser))}
            for line in lines:
                words = line.split()
                user_id, password, key = words[2], words[4], words[6]
                assert user_for_password(session, user_id=user_id, password=password)
                assert user_for_key(session, key) is not None
    finally:
        engine.dispose()
    assert roles == {"admin": "admin", "supervisor": "supervisor"}
