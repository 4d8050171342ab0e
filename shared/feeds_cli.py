"""`feeds`: the operators' command for event feeds that need a decision. Works
on a service's database directly (the same environment variables as the
services); the running service carries out a retry within a few seconds.

    feeds list casework                      open parked events and unacknowledged refusals, per feed
    feeds list casework --all                also resolved ones
    feeds retry casework registry 42 --by NAME --reason TEXT
    feeds retry registry relay --all --by NAME --reason TEXT
    feeds skip casework registry 42 --by NAME --reason TEXT
    feeds acknowledge casework registry --by NAME --reason TEXT

A feed is the upstream service's name (events this service consumes), or `relay`
(events in this service's own log that could not be published). A skipped
event is never applied; the events of its record held behind it go on.

Exit status: 0 done, 2 bad usage or nothing to act on, 3 store unavailable.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from shared.config import SERVICES, load_settings
from shared.eventstore import ServiceApplication, open_existing
from shared.feed_ledger import OPEN, FeedLedger, ledger_of

OK, USAGE, UNAVAILABLE = 0, 2, 3


def _ledger(service: str) -> FeedLedger:
    settings = load_settings()
    try:
        app: ServiceApplication = open_existing(service, settings.store)
        ledger = ledger_of(app)
        ledger.feeds()
    except Exception as error:  # noqa: BLE001 - any failure to reach the store is reported as such
        raise ConnectionError(f"cannot read {service}'s feed records: {error}") from None
    return ledger


def _list(ledger: FeedLedger, show_all: bool) -> dict[str, object]:
    out: dict[str, object] = {}
    for feed in ledger.feeds():
        events = ledger.all_events(feed) if show_all else ledger.open_events(feed)
        out[feed] = {
            "parked": [
                {
                    "notification_id": e.notification_id,
                    "record": e.originator_id,
                    "status": e.status,
                    "attempts": e.attempts,
                    "parked_at": e.parked_at,
                    "error": e.error,
                    "decided_by": e.resolved_by,
                    "reason": e.reason,
                }
                for e in events
            ],
            "refused": ledger.refusal_summary(feed),
        }
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="feeds", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list")
    listing.add_argument("service", choices=SERVICES)
    listing.add_argument("--all", action="store_true")
    for name in ("retry", "skip"):
        command = commands.add_parser(name)
        command.add_argument("service", choices=SERVICES)
        command.add_argument("feed")
        if name == "retry":
            which = command.add_mutually_exclusive_group(required=True)
            which.add_argument("notification_id", type=int, nargs="?")
            which.add_argument("--all", action="store_true")
        else:
            command.add_argument("notification_id", type=int)
        command.add_argument("--by", required=True)
        command.add_argument("--reason", required=True)
    ack = commands.add_parser("acknowledge")
    ack.add_argument("service", choices=SERVICES)
    ack.add_argument("feed")
    ack.add_argument("--by", required=True)
    ack.add_argument("--reason", required=True)
    args = parser.parse_args(argv)

    try:
        ledger = _ledger(args.service)
    except ConnectionError as error:
        print(error, file=sys.stderr)
        return UNAVAILABLE
    try:
        if args.command == "list":
            print(json.dumps(_list(ledger, args.all), ensure_ascii=False, indent=2))
        elif args.command == "acknowledge":
            count = ledger.acknowledge(args.feed, by=args.by, note=args.reason)
            print(f"{count} refusal(s) on {args.feed} acknowledged")
        elif args.command == "skip":
            event = ledger.skip(args.feed, args.notification_id, by=args.by, reason=args.reason)
            print(f"{args.feed} notification {event.notification_id} skipped: {event.reason}")
        else:
            numbers = (
                [e.notification_id for e in ledger.open_events(args.feed) if e.status in OPEN]
                if args.all
                else [args.notification_id]
            )
            if not numbers:
                raise LookupError(f"no open parked events on feed {args.feed}")
            for number in numbers:
                ledger.request_retry(args.feed, number, by=args.by, reason=args.reason)
            print(f"retry asked for {args.feed} notification(s) {', '.join(map(str, numbers))}")
    except (LookupError, ValueError) as error:
        print(f"feeds: {error}", file=sys.stderr)
        return USAGE
    return OK


if __name__ == "__main__":
    sys.exit(main())
