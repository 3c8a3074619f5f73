"""`redress canned-replies ...`: the starter templates (`seed`) and a look at what a store
holds (`list`). Admins write the rest in the console (/console/canned-replies).

Seeding is a command, not a migration's data step: whether a shop wants the starter
wording is its own choice, a migration runs once per database and cannot be asked again,
and the test stores stay empty of templates a test did not make. It is safe to run again:
each starter template has a key of its own, so one already added (edited or retired since
included) is left as it is, and a starter whose title an admin's template already has is
skipped and named.
"""

import argparse
from datetime import UTC, datetime

from core.settings import get_settings
from core.staff_commands import store_session

SEED_AUTHOR = "redress-seed"


def seed_command(args: argparse.Namespace) -> int:
    from core.wording.canned_replies import check_canned_reply
    from core.wording.canned_reply_seeds import SEED_REPLIES
    from store.canned_replies import (
        CannedReplyTitleTaken,
        canned_reply_by_creation_key,
        create_canned_reply,
    )

    added = kept = 0
    with store_session(get_settings()) as session:
        for seed in SEED_REPLIES:
            key = f"seed/{seed.key}/{seed.language.value}"
            if canned_reply_by_creation_key(session, creation_key=key) is not None:
                kept += 1
                continue
            check_canned_reply(seed.body)
            try:
                create_canned_reply(
                    session,
                    title=seed.title,
                    language=seed.language,
                    sub_category=seed.sub_category,
                    body=seed.body,
                    created_by=SEED_AUTHOR,
                    now=datetime.now(UTC),
                    creation_key=key,
                )
            except CannedReplyTitleTaken:
                print(f"skipped {seed.language.value} {seed.title!r}: a template has that title")
                continue
            added += 1
    print(f"canned replies seeded: {added} added, {kept} already there (left as they are)")
    return 0


def list_command(args: argparse.Namespace) -> int:
    from store.canned_replies import CannedReplyStatus, list_canned_replies

    with store_session(get_settings()) as session:
        for row in list_canned_replies(session, status=CannedReplyStatus.ALL):
            reply = row.reply
            status = "retired" if reply.retired_at else "active"
            print(
                f"{reply.id}\t{reply.language}\t{reply.sub_category or 'general'}\t{status}\t"
                f"{row.uses} uses\t{reply.title}"
            )
    return 0


def add_canned_reply_commands(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> None:
    """Adds `canned-replies` with its subcommands to the `redress` parser."""
    parser = commands.add_parser(
        "canned-replies", help="add the starter canned replies, list the templates"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="action")
    seed = actions.add_parser(
        "seed",
        help="add the starter templates in English and Chinese (those already added, edited "
        "or retired are left as they are)",
    )
    seed.set_defaults(run=seed_command)
    listing = actions.add_parser("list", help="list every template with its usage")
    listing.set_defaults(run=list_command)
