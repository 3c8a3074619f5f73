"""The `redress` command: run the stack, migrate, seed teams and set their calendars, manage
staff and API keys."""

import argparse
import sys

from core.canned_reply_commands import add_canned_reply_commands
from core.settings import get_settings
from core.staff_commands import add_staff_commands
from core.team_commands import add_team_commands
from inbound.mail.command import add_gateway_command


def _migrate() -> int:
    from store.migrate import upgrade_database

    url = get_settings().effective_database_url
    upgrade_database(url)
    print(f"database migrated: {url}")
    return 0


def _seed() -> int:
    from store.db import make_engine, session_factory
    from store.teams import seed_default_teams

    engine = make_engine(get_settings().effective_database_url)
    try:
        with session_factory(engine)() as session:
            seed_default_teams(session)
    finally:
        engine.dispose()
    print("default teams seeded (existing rows were left as they are)")
    return 0


def _stack() -> int:
    from core.stack import run_stack

    return run_stack()


COMMANDS = {
    "stack": ("run the dev server, worker and API until Ctrl-C (what `make run` does)", _stack),
    "migrate": ("upgrade the database to the newest schema revision", _migrate),
    "seed": ("add the default teams and agents that routing needs", _seed),
}


def main(argv: list[str] | None = None) -> None:
    """Runs one `redress` subcommand; settings come from REDRESS_* variables."""
    parser = argparse.ArgumentParser(
        prog="redress", description="Redress: e-commerce complaints as Temporal workflows."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (help_text, _) in COMMANDS.items():
        commands.add_parser(name, help=help_text, description=help_text)
    add_staff_commands(commands)
    add_team_commands(commands)
    add_canned_reply_commands(commands)
    add_gateway_command(commands)
    args = parser.parse_args(argv)
    if args.command in COMMANDS:
        sys.exit(COMMANDS[args.command][1]())
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
