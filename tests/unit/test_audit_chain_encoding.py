"""The chain link and the event MAC are fixed definitions: seals and anchors
already kept must keep verifying. These vectors were computed with the original
encoding (before the fast path of record_prefix/link_prefixed); the fast path
and the plain functions must both give them."""

from shared.audit.chain import Prefixes, link, link_prefixed, record_prefix
from shared.event_mac import FORGED, MARKER, SIGNED, UNSIGNED, check, check_prefixed, mac, mac_prefixed

PREVIOUS = bytes(range(32))
AGGREGATE = "a3b8c9d0-0000-4000-8000-000000000001"
TOPIC = "registry.domain:Child.Registered"
STATE = MARKER + bytes(32) + '{"name":"张三"}'.encode()
LINK = "f34861a002ad07e8828ec508fdf3c7981b8f1fa4f3231197642cbacfc1c181f1"
KEY = b"k" * 32
MAC = "cff80514cd961c67ec9651423059c68540120fd9fa3d4609b98baa58f4db7f37"


def test_a_link_is_what_it_always_was():
    assert link(PREVIOUS, 12345, AGGREGATE, 7, TOPIC, STATE).hex() == LINK
    assert link_prefixed(PREVIOUS, 12345, record_prefix(AGGREGATE, 7, TOPIC), STATE).hex() == LINK
    prefixes = Prefixes()
    prefixes(AGGREGATE, 6, TOPIC)  # the topic's encoding is kept, the version is not
    assert link_prefixed(PREVIOUS, 12345, prefixes(AGGREGATE, 7, TOPIC), STATE).hex() == LINK


def test_a_link_commits_to_every_field():
    fields = (PREVIOUS, 12345, AGGREGATE, 7, TOPIC, STATE)
    changed = [
        (bytes(32), *fields[1:]),
        (PREVIOUS, 12346, *fields[2:]),
        (PREVIOUS, 12345, AGGREGATE.replace("1", "2"), *fields[3:]),
        (PREVIOUS, 12345, AGGREGATE, 8, TOPIC, STATE),
        (PREVIOUS, 12345, AGGREGATE, 7, TOPIC + "x", STATE),
        (PREVIOUS, 12345, AGGREGATE, 7, TOPIC, STATE + b" "),
    ]
    assert len({link(*f) for f in changed} | {link(*fields)}) == 7


def test_a_mac_is_what_it_always_was_by_either_path():
    assert mac(KEY, AGGREGATE, 7, TOPIC, b"{}").hex() == MAC
    assert mac_prefixed(KEY, record_prefix(AGGREGATE, 7, TOPIC), b"{}").hex() == MAC
    signed = MARKER + bytes.fromhex(MAC) + b"{}"
    prefix = record_prefix(AGGREGATE, 7, TOPIC)
    for state, verdict in [
        (signed, SIGNED),
        (b"{}", UNSIGNED),
        (signed[:-1] + b"]", FORGED),
        (MARKER + b"x", UNSIGNED),
    ]:
        assert check(KEY, AGGREGATE, 7, TOPIC, state) == check_prefixed(KEY, prefix, state) == verdict
