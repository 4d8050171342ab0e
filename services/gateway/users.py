"""Administering accounts from the command line, e.g. the first bureau
administrator on a fresh install (the gateway need not be running):

    python -m services.gateway.users create admin --role bureau_admin --name "区民政局 管理员"
    python -m services.gateway.users create zhang --role child_director --town 滨河镇 --village 新北村
    python -m services.gateway.users list

The password is asked for (or read from stdin with --password-stdin). The
command uses the same store settings as the services (EVENT_STORE, DATA_DIR,
POSTGRES_*, CIPHER_KEY)."""

from __future__ import annotations

import argparse
import getpass
import sys

from services.gateway.application import GatewayApplication
from services.gateway.domain import ROLES
from services.gateway.exceptions import AccountExists, InvalidAccountDetails
from shared.config import load_store_settings
from shared.context import CallMeta, acting_as
from shared.eventstore import open_application

CLI_ACTOR = CallMeta("admin-cli", "bureau_admin")


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def _scope(args) -> dict:
    scope = {
        "organization_id": args.organization_id,
        "town": args.town,
        "village": args.village,
        "panel_member_ids": args.panel_member_id,
    }
    return {name: value for name, value in scope.items() if value}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.gateway.users", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="open an account")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", help="display name (defaults to the username)")
    create.add_argument("--organization-id", help="provider_staff: their organization")
    create.add_argument("--town", help="child_director: their town")
    create.add_argument("--village", help="child_director: their village")
    create.add_argument("--panel-member-id", action="append", help="reviewer: a panel seat (repeatable)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    commands.add_parser("list", help="list accounts")
    args = parser.parse_args(argv)

    app = open_application(GatewayApplication, load_store_settings())
    try:
        if args.command == "list":
            after = 0
            while True:
                users, after = app.list_users(after, 500)
                for user in users:
                    state = "active" if user.active else "disabled"
                    print(f"{user.username}\t{user.role}\t{user.scope}\t{state}")
                if not after:
                    return 0
        with acting_as(CLI_ACTOR):
            user = app.register_user(
                args.username, args.name or args.username, args.role, _scope(args), _password(args)
            )
        print(f"created {user.username} ({user.role}) {user.id}")
        return 0
    except (AccountExists, InvalidAccountDetails) as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    finally:
        app.close()


if __name__ == "__main__":
    sys.exit(main())
