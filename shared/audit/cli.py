"""`audit`: the auditors' command line. Works on a service's database directly
(the same environment variables as the services: EVENT_STORE, POSTGRES_*,
POSTGRES_SCHEMA_PREFIX, DATA_DIR, CIPHER_KEY, AUDIT_ANCHOR_KEY); the services
need not be running.

    audit verify registry [--anchor anchor.json]   (and every attached file: ATTACHMENT_DIR)
    audit anchor registry --out anchor.json
    audit history registry <aggregate-id> [--unmasked]
    audit replay registry <aggregate-id> [--version N] [--as-of 2025-09-01T00:00:00+08:00] [--unmasked]
    audit export registry --format csv --out registry.csv [--since ..] [--until ..] [--after N] [--upto N] [--unmasked]

History, replay and exports are masked as auditors see them (shared/masking.py):
ID numbers show their first 6 and last 4 characters, birth dates their year,
mental-health details and case notes are null. --unmasked shows them in full, for
the bureau's own legal copies only.

Verify checks each event's MAC when EVENT_MAC_KEY is set (as the services have it).

Exit status: 0 good, 1 verification failed, 2 bad usage or input, 3 store unavailable.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from tqdm import tqdm

from shared.attachments import AttachmentStore
from shared.audit import replay
from shared.audit.anchor import AnchorError, check_anchor, make_anchor
from shared.audit.attachments import check_attachments
from shared.audit.export import is_withheld, rows, write_csv, write_jsonl
from shared.audit.seals import SealStore
from shared.audit.verify import verify_log
from shared.config import SERVICES, Settings, load_attachment_settings, load_settings
from shared.eventstore import ServiceApplication, open_existing
from shared.masking import mask

OK, BROKEN, USAGE, UNAVAILABLE = 0, 1, 2, 3


class UsageError(Exception):
    pass


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise UsageError(f"{text}: give a time zone, e.g. +08:00")
    return moment


def _open(service: str) -> tuple[ServiceApplication, SealStore, Settings]:
    settings = load_settings()
    try:
        app = open_existing(service, settings.store, _app_class(service))
        app.recorder.max_notification_id()
    except Exception as error:  # noqa: BLE001 - any failure to reach the store is reported as such
        raise ConnectionError(f"cannot read {service}'s event store: {error}") from None
    return app, SealStore(app, settings.store), settings


def _app_class(service: str) -> type[ServiceApplication]:
    # Replay needs the service's own classes (events, upcasters); verify does not.
    import importlib

    module = importlib.import_module(f"services.{service}.application")
    return next(
        v
        for v in vars(module).values()
        if isinstance(v, type) and getattr(v, "name", None) == service and v.__module__ == module.__name__
    )


def _bar(app: ServiceApplication, label: str) -> tqdm:
    return tqdm(
        total=app.recorder.max_notification_id() or 0,
        desc=label,
        unit="ev",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
    )


def cmd_verify(args: argparse.Namespace) -> int:
    app, seals, settings = _open(args.service)
    anchor: dict[str, Any] | None = None
    if args.anchor:
        with open(args.anchor, encoding="utf-8") as f:
            anchor = check_anchor(json.load(f), settings.anchor_key, args.service)
    with _bar(app, f"verify {args.service}") as bar:
        result = verify_log(app, seals, anchor, progress=bar.update)
    # The attached files the log records (stored outside it) must still be what it says.
    with _bar(app, f"attachments {args.service}") as bar:
        files = check_attachments(app, AttachmentStore.from_settings(load_attachment_settings()), bar.update)
    print(json.dumps({**result.as_dict(), "attachments": files.as_dict()}, indent=2))
    return OK if result.ok and files.ok else BROKEN


def cmd_anchor(args: argparse.Namespace) -> int:
    app, seals, settings = _open(args.service)
    with _bar(app, f"verify {args.service}") as bar:
        result = verify_log(app, seals, progress=bar.update)
    if not result.ok:
        print(json.dumps(result.as_dict(), indent=2))
        print("refusing to anchor a broken chain", file=sys.stderr)
        return BROKEN
    anchor = make_anchor(args.service, result.sealed_position, result.head, settings.anchor_key)
    text = json.dumps(anchor, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    print(text)
    return OK


def _shown(value: Any, unmasked: bool) -> str:
    """Masked as auditors see it (as exports are), unless the bureau asked for its legal copy."""
    return json.dumps(value if unmasked else mask(value, id_numbers=True, health=True), ensure_ascii=False, indent=2)


def cmd_history(args: argparse.Namespace) -> int:
    app, _, _ = _open(args.service)
    print(_shown(replay.history(app, uuid.UUID(args.aggregate_id)), args.unmasked))
    return OK


def cmd_replay(args: argparse.Namespace) -> int:
    app, _, _ = _open(args.service)
    state = replay.aggregate_state(app, uuid.UUID(args.aggregate_id), version=args.version, as_of=_moment(args.as_of))
    print(_shown(state, args.unmasked))
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    app, seals, _ = _open(args.service)
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
    write = write_csv if args.format == "csv" else write_jsonl
    withheld = 0

    def counted(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal withheld
        for item in items:
            withheld += is_withheld(item)
            yield item

    with _bar(app, f"export {args.service}") as bar, open(args.out, "w", encoding=encoding, newline="") as out:
        count = write(
            out,
            counted(
                rows(
                    app,
                    seals,
                    after=args.after,
                    upto=args.upto,
                    since=_moment(args.since),
                    until=_moment(args.until),
                    unmasked=args.unmasked,
                    progress=bar.update,
                )
            ),
        )
    kind = "UNMASKED (full ID numbers and mental-health details)" if args.unmasked else "masked"
    print(f"exported {count} events to {args.out} ({kind})")
    if withheld:
        print(
            f"audit: {withheld} rows hold ID numbers or mental-health details in stored bytes that are not "
            "encrypted, so their state_b64 is left out and tools/verify_export.py cannot check them; "
            "set CIPHER_KEY on the services, or make the bureau's own copy with --unmasked",
            file=sys.stderr,
        )
    return OK


UNMASKED_HELP = (
    "show full ID numbers, birth dates and mental-health details; only for the bureau's own legal copies. "
    "By default they are masked as for auditors"
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="audit", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    service: dict[str, Any] = {"choices": SERVICES}
    v = sub.add_parser("verify", help="re-compute the hash chain and report the first break")
    v.add_argument("service", **service)
    v.add_argument("--anchor", help="a signed anchor file to check the log against")
    v.set_defaults(run=cmd_verify)
    a = sub.add_parser("anchor", help="sign the verified chain head")
    a.add_argument("service", **service)
    a.add_argument("--out")
    a.set_defaults(run=cmd_anchor)
    h = sub.add_parser("history", help="an aggregate's events with who, when, why")
    h.add_argument("service", **service)
    h.add_argument("aggregate_id")
    h.add_argument("--unmasked", action="store_true", help=UNMASKED_HELP)
    h.set_defaults(run=cmd_history)
    r = sub.add_parser("replay", help="an aggregate as it stood at a version or moment")
    r.add_argument("service", **service)
    r.add_argument("aggregate_id")
    r.add_argument("--version", type=int)
    r.add_argument("--as-of")
    r.add_argument("--unmasked", action="store_true", help=UNMASKED_HELP)
    r.set_defaults(run=cmd_replay)
    e = sub.add_parser(
        "export",
        help="a period of the log as JSONL or CSV, with chain hashes (masked unless --unmasked)",
        description="A period of the log as JSONL or CSV, with chain hashes. ID numbers and "
        "mental-health details are masked unless --unmasked.",
    )
    e.add_argument("service", **service)
    e.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    e.add_argument("--out", required=True)
    e.add_argument("--after", type=int, default=0)
    e.add_argument("--upto", type=int)
    e.add_argument("--since")
    e.add_argument("--until")
    e.add_argument(
        "--unmasked",
        action="store_true",
        help="write full ID numbers and mental-health details (and every row's stored bytes); "
        "only for the bureau's own legal copies. By default ID numbers keep their first 6 "
        "and last 4 characters and mental-health details are null",
    )
    e.set_defaults(run=cmd_export)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except ConnectionError as error:
        print(error, file=sys.stderr)
        return UNAVAILABLE
    except (UsageError, AnchorError, ValueError, OSError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return USAGE
    except AggregateNotFoundError:
        print(f"audit: no aggregate {args.aggregate_id} in {args.service}", file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
