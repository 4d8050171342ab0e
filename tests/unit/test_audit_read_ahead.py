"""Reading a page ahead keeps the pages and their order, raises the reader's
error where the pages are used, and stops reading when the user stops."""

import threading
import time

import pytest

from shared.audit.ahead import read_ahead


def test_pages_arrive_in_order_and_all_of_them():
    pages = [[n, n + 1] for n in range(0, 40, 2)]
    assert list(read_ahead(iter(pages))) == pages
    assert list(read_ahead(iter([]))) == []


def test_an_error_while_reading_is_raised_to_the_user_after_the_pages_before_it():
    def pages():
        yield [1]
        raise ConnectionError("store unreachable")

    got = []
    with pytest.raises(ConnectionError, match="store unreachable"):
        for page in read_ahead(pages()):
            got.append(page)
    assert got == [[1]]


def test_stopping_early_stops_the_reader():
    read = []

    def pages():
        for n in range(1000):
            read.append(n)
            yield [n]

    ahead = read_ahead(pages(), depth=2)
    assert next(ahead) == [0]
    ahead.close()
    deadline = time.monotonic() + 5
    while any(t.name == "audit-read-ahead" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "audit-read-ahead" for t in threading.enumerate())
    assert len(read) < 10
