#!/usr/bin/env python3
"""Verify an audit export offline, with nothing but Python's standard library.

    python3 verify_export.py registry-2025.jsonl      (or a .csv export)

Each row's chain_hash must equal SHA-256 over: previous_hash, the position
(8-byte big-endian), the aggregate id (4-byte length + UTF-8), the version
(8-byte big-endian), the topic (4-byte length + UTF-8) and the stored bytes
(4-byte length + bytes, given base64 in state_b64); and each row's
previous_hash must be the chain_hash of the row before it. Exit status 0 means
the export is intact; 1 names the first row that is not.

A masked export leaves out the stored bytes of rows whose bytes are readable
and hold what masking hides (state_b64 empty: "withheld"). Such a row's own hash
cannot be recomputed here; it is counted and reported, and the chain goes on
from its chain_hash, so every row after it is still checked. An unmasked export
(or one from an encrypted store) withholds nothing.
"""

import base64
import csv
import hashlib
import json
import struct
import sys


def field(data):
    return struct.pack(">I", len(data)) + data


def link(previous, row):
    h = hashlib.sha256(previous)
    h.update(struct.pack(">q", int(row["position"])))
    h.update(field(row["aggregate_id"].encode()))
    h.update(struct.pack(">q", int(row["version"])))
    h.update(field(row["topic"].encode()))
    h.update(field(base64.b64decode(row["state_b64"])))
    return h.hexdigest()


def read(path):
    if path.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            yield from csv.DictReader(f)
    else:
        with open(path, encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def main(path):
    expected_previous, count, withheld = None, 0, []
    for row in read(path):
        if not row["chain_hash"]:
            print(f"position {row['position']}: not sealed yet (not covered by the chain)")
            continue
        if expected_previous is not None and row["previous_hash"] != expected_previous:
            print(f"BROKEN at position {row['position']}: rows are missing or out of order")
            return 1
        if not row["state_b64"]:
            withheld.append(row["position"])
        elif link(bytes.fromhex(row["previous_hash"]), row) != row["chain_hash"]:
            print(f"BROKEN at position {row['position']}: row does not match its chain hash")
            return 1
        else:
            count += 1
        expected_previous = row["chain_hash"]
    print(f"OK: {count} sealed rows verified; last chain hash {expected_previous}")
    if withheld:
        shown = ", ".join(str(p) for p in withheld[:20]) + (" ..." if len(withheld) > 20 else "")
        print(
            f"{len(withheld)} rows withheld by masking (stored bytes left out) were not checked: positions {shown}; "
            "the bureau's unmasked copy checks them"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
