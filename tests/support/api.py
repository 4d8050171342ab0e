"""An HTTP client for the gateway that knows its base URL and carries one
caller's bearer token, so tests read like the clients they stand for."""

from __future__ import annotations

import requests


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
        return super().request(method, url, *args, **kwargs)
