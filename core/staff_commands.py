"""`redress users ...` and `redress keys ...`: the first admin, staff accounts and API keys.

These work on the database directly, so they run before the API is up and on a machine
with no admin yet (that is how the first admin is made).
"""

import argparse
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from core.settings import Settings, get_settings
from domain.access import Role
from domain.complaints import Identifier
from store.admin_changes import ChangeNote

DEMO_CREDENTIALS_FILE = "demo-credentials"
_user_ids: TypeAdapter[str] = TypeAdapter(Identifier)


@contextmanager
def store_session(settings: Settings) -> Iterator[Session]:
    """Yields a session on the store `settings` name, for one command's work."""
    from store.db import make_engine, session_factory

    engine = make_engine(settings.effective_database_url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def cli_note(args: argparse.Namespace) -> ChangeNote:
    """Returns the audit note of a change made from the command line: the login that ran
    it (`cli:<login>`) and the `--reason` given."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # a container user with no name
        login = "unknown"
    return ChangeNote(actor=f"cli:{login}"[:64], reason=getattr(args, "reason", "") or "")


def _password(args: argparse.Namespace) -> str | None:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if getattr(args, "password", False):
        return getpass.getpass(f"console password for {args.user_id}: ")
    return None


def _apply(change: Callable[[Session], str | None]) -> int:
    """Runs one staff change in its own session; prints its note, or why it was refused."""
    from store.staff import StaffError

    with store_session(get_settings()) as session:
        try:
            note = change(session)
        except StaffError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    if note:
        print(note, file=sys.stderr)
    return 0


def create_user_command(args: argparse.Namespace) -> int:
    from store.staff import create_user, issue_key

    try:
        user_id = _user_ids.validate_python(args.user_id)
    except ValidationError:
        print("error: a user id is 1-64 letters, digits or . _ : -", file=sys.stderr)
        return 2
    password = _password(args)

    def create(session: Session) -> str:
        create_user(
            session,
            user_id=user_id,
            display_name=args.name or user_id,
            role=Role(args.role),
            locale=args.locale,
            password=password,
            email=args.email,
            note=cli_note(args),
        )
        if args.with_key:
            # The key alone on stdout, so scripts can capture it; it is never shown again.
            issued = issue_key(session, user_id=user_id, label="first key", note=cli_note(args))
            print(issued.token)
        return f"created {args.role} {user_id}"

    return _apply(create)


def set_password_command(args: argparse.Namespace) -> int:
    from store.staff import set_password

    password = _password(args) or getpass.getpass(f"console password for {args.user_id}: ")

    def change(session: Session) -> str:
        set_password(session, user_id=args.user_id, password=password, note=cli_note(args))
        return f"password set for {args.user_id}"

    return _apply(change)


def set_email_command(args: argparse.Namespace) -> int:
    from store.staff import set_email

    email = None if args.clear else args.email

    def change(session: Session) -> str:
        set_email(session, user_id=args.user_id, email=email, note=cli_note(args))
        if email is None:
            return f"e-mail cleared for {args.user_id}: their messages stay in the outbox"
        return f"staff messages to {args.user_id} are e-mailed to {email.strip()}"

    return _apply(change)


def disable_user_command(args: argparse.Namespace) -> int:
    from store.staff import disable_user

    def change(session: Session) -> str:
        disable_user(session, user_id=args.user_id, note=cli_note(args))
        return f"disabled {args.user_id}: their keys and sessions no longer work"

    return _apply(change)


def enable_user_command(args: argparse.Namespace) -> int:
    from store.staff import enable_user

    def change(session: Session) -> str:
        enable_user(session, user_id=args.user_id, note=cli_note(args))
        return f"enabled {args.user_id}: their password and unrevoked keys work again"

    return _apply(change)


def create_key_command(args: argparse.Namespace) -> int:
    from store.staff import issue_key

    expires = datetime.now(UTC) + timedelta(days=args.days) if args.days else None

    def issue(session: Session) -> None:
        issued = issue_key(
            session,
            user_id=args.user_id,
            label=args.label,
            expires_at=expires,
            note=cli_note(args),
        )
        print(issued.token)  # alone on stdout, shown once

    return _apply(issue)


def revoke_key_command(args: argparse.Namespace) -> int:
    from store.staff import revoke_key

    def change(session: Session) -> str:
        revoke_key(session, key_id=args.key_id, note=cli_note(args))
        return f"revoked key {args.key_id}"

    return _apply(change)


def add_staff_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Adds `users` and `keys` with their subcommands to the `redress` parser."""
    users = commands.add_parser("users", help="create staff users, set passwords, disable")
    user_commands = users.add_subparsers(dest="action", required=True, metavar="action")
    create = user_commands.add_parser("create", help="create a staff user (the first admin too)")
    create.add_argument("user_id", help="the user's id; agents use their routing id")
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--name", default="", help="display name (defaults to the id)")
    create.add_argument("--locale", default="zh-CN", choices=["zh-CN", "en"])
    create.add_argument("--with-key", action="store_true", help="also issue an API key")
    create.add_argument("--email", help="where their staff messages are e-mailed (optional)")
    _password_options(create)
    _handler(create, create_user_command)
    password = user_commands.add_parser("password", help="set a user's console password")
    password.add_argument("user_id")
    _password_options(password)
    _handler(password, set_password_command)
    set_email = user_commands.add_parser(
        "set-email", help="set or clear the address a user's staff messages are e-mailed to"
    )
    set_email.add_argument("user_id")
    address = set_email.add_mutually_exclusive_group(required=True)
    address.add_argument("email", nargs="?", help="the address, like lin.wei@example.com")
    address.add_argument("--clear", action="store_true", help="e-mail them nothing")
    _handler(set_email, set_email_command)
    disable = user_commands.add_parser("disable", help="disable a user and all their keys")
    disable.add_argument("user_id")
    _handler(disable, disable_user_command)
    enable = user_commands.add_parser("enable", help="enable a disabled user again")
    enable.add_argument("user_id")
    _handler(enable, enable_user_command)

    keys = commands.add_parser("keys", help="issue and revoke API keys")
    key_commands = keys.add_subparsers(dest="action", required=True, metavar="action")
    issue = key_commands.add_parser("create", help="issue a key; prints it once on stdout")
    issue.add_argument("user_id")
    issue.add_argument("--label", default="", help="what the key is for")
    issue.add_argument("--days", type=int, default=0, help="expire after N days (0: never)")
    _handler(issue, create_key_command)
    revoke = key_commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id", help="the part after `rdk_`, before the next `_`")
    _handler(revoke, revoke_key_command)


def _password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password", action="store_true", help="prompt for a console password")
    group.add_argument("--password-stdin", action="store_true", help="read it from stdin")


def _handler(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], int]) -> None:
    # Every change goes on the audit trail; the reason goes with it.
    parser.add_argument("--reason", default="", help="why, for the audit trail (optional)")
    parser.set_defaults(run=run)


def ensure_demo_staff(settings: Settings) -> Path | None:
    """Creates a local admin and a supervisor with keys and passwords on a store with no
    staff yet; returns the file their credentials were written to (None if staff exist).

    Only the embedded stack calls this, so `make run` on a fresh machine can be used at
    once; a production deployment creates its first admin with `redress users create`.
    """
    import secrets

    from sqlmodel import select

    from store.staff import create_user, issue_key
    from store.tables.staff import StaffUser

    path = settings.data_dir / DEMO_CREDENTIALS_FILE
    with store_session(settings) as session:
        if session.exec(select(StaffUser)).first() is not None:
            return None
        lines = ["# Local demo accounts made by `make run` on an empty store. Keep private.\n"]
        for user_id, role, name in (
            ("admin", Role.ADMIN, "Local admin"),
            ("supervisor", Role.SUPERVISOR, "Demo supervisor"),
        ):
            password = secrets.token_urlsafe(12)
            create_user(
                session,
                user_id=user_id,
                display_name=name,
                role=role,
                locale="en",
                password=password,
            )
            key = issue_key(session, user_id=user_id, label="demo").token
            lines.append(f"{role.value}: user {user_id}  password {password}  key {key}\n")
    path.touch(mode=0o600)
    path.write_text("".join(lines))
    return path
