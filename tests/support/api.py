"""An HTTP client for the gateway that knows its base URL and carries one
caller's bearer token, so tests read like the clients they stand for.

Every answer it receives is held to what clients are promised (README, "What
clients can rely on"): JSON is UTF-8 with its text as itself (no \\u escapes)
and says so in its Content-Type, and a create (201) names the new record as
`id` and gives its Location. So every e2e journey checks it on every call;
`recording()` keeps the answers for tests that walk them afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

JSON_CONTENT_TYPE = "application/json; charset=utf-8"

_recordings: list[list[requests.Response]] = []


@contextmanager
def recording() -> Iterator[list[requests.Response]]:
    """Every answer any Api client receives inside the block, in order."""
    answers: list[requests.Response] = []
    _recordings.append(answers)
    try:
        yield answers
    finally:
        _recordings.remove(answers)


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def escaped_characters(raw: str, data: Any) -> set[str]:
    """Non-ASCII characters of the answer's strings that the raw text does not
    carry as themselves (a lone surrogate cannot be UTF-8, so it may stay escaped)."""
    wanted = {ch for text in texts(data) for ch in text if ord(ch) > 127 and not 0xD800 <= ord(ch) <= 0xDFFF}
    return {ch for ch in wanted if ch not in raw}


def check_answer(response: requests.Response) -> None:
    where = f"{response.request.method} {response.request.path_url} → {response.status_code}"
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        assert content_type == JSON_CONTENT_TYPE, f"{where}: Content-Type {content_type!r}"
        raw = response.content.decode("utf-8")
        data = json.loads(raw)
        escaped = escaped_characters(raw, data)
        assert not escaped, f"{where}: {sorted(escaped)[:5]} sent as \\u escapes"
    if response.status_code == 201:
        assert response.headers.get("Location"), f"{where}: a create without a Location"
        assert isinstance(response.json().get("id"), str), f"{where}: a create without an id: {response.text[:200]}"


class Api(requests.Session):
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", self.timeout)
        response = super().request(method, url, *args, **kwargs)
        for answers in _recordings:
            answers.append(response)
        check_answer(response)
        return response
